/**
 * SigmaHQ's own regression suite, and every SigmaHQ rule through the compiler (read from ../shared/data/sigma).
 */
import { describe, expect, it } from 'vitest';
import { sharedData } from '../../test/helpers/shared-data.js';
import { runRegression } from './regress.js';
import { isProblem, loadRuleFile, ruleFiles } from './ruleset.js';

describe('SigmaHQ regression suite', () => {
  it('passes every case: 202 of 202', () => {
    const report = runRegression(sharedData('sigma'));
    expect(report.total).toBe(202);
    expect(report.failures).toEqual([]);
    expect(report.passed).toBe(202);
    // The one case that is not a Windows JSON event (a raw Cisco log) is listed, not counted.
    expect(report.skipped.map((item) => item.ruleId)).toEqual(['ef0ff092-a24a-4fbc-beea-06c08d53e085']);
  });
});

describe('SigmaHQ rules', () => {
  it('compiles all 3,141, or lists each with its reason; none crashes the engine', () => {
    const files = ruleFiles([sharedData('sigma/rules')]);
    expect(files).toHaveLength(3141);
    const problems = files.map((file) => loadRuleFile(file)).filter(isProblem);
    // Whatever cannot be compiled is a listed problem with a reason — never an exception out of the engine.
    for (const problem of problems) expect(problem.reason).not.toBe('');
    expect(problems.filter((problem) => /the engine failed/.test(problem.reason))).toEqual([]);
    expect(problems).toEqual([]);
  });
});
