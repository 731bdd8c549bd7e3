/**
 * SigmaHQ's own regression suite, and SigmaHQ rules through the compiler: on the regression data shipped in
 * test/fixtures/sigma with autoir's own rules, and (extended suite) on the whole SigmaHQ repository.
 */
import { describe, expect, it } from 'vitest';
import {
  describeWithSharedData,
  sharedData,
  shippedSigmaRules,
  sigmaRegression,
} from '../../test/helpers/shared-data.js';
import { runRegression } from './regress.js';
import { isProblem, loadRuleFile, ruleFiles } from './ruleset.js';

// The one case that is not a Windows JSON event (a raw Cisco log) is listed, not counted.
const CISCO_CASE = 'ef0ff092-a24a-4fbc-beea-06c08d53e085';

describe('SigmaHQ regression suite', () => {
  it('passes every case, 202 of 202, with the shipped rules and those of the fixtures', () => {
    const report = runRegression(sigmaRegression, [shippedSigmaRules]);
    expect(report.failures).toEqual([]);
    expect(report).toMatchObject({ total: 202, passed: 202, failed: 0 });
    expect(report.skipped.map((item) => item.ruleId)).toEqual([CISCO_CASE]);
  });

  it('fails a case whose rule it cannot find, naming where it looked', () => {
    const report = runRegression(sigmaRegression);
    // Without the shipped rules only the eleven rules of the fixtures are there.
    expect(report.passed).toBe(10);
    expect(report.failures).toHaveLength(192);
    expect(report.failures[0]?.reason).toMatch(/is not in .*fixtures\/sigma\/rules\*/);
  });

  it('compiles every rule it ships', () => {
    const files = ruleFiles([shippedSigmaRules]);
    expect(files.length).toBeGreaterThanOrEqual(2400);
    expect(files.map((file) => loadRuleFile(file)).filter(isProblem)).toEqual([]);
  });
});

describeWithSharedData('SigmaHQ repository', () => {
  it('passes every case of its regression suite, 202 of 202, with its own rule folders', () => {
    const report = runRegression(sharedData('sigma'));
    expect(report.failures).toEqual([]);
    expect(report).toMatchObject({ total: 202, passed: 202 });
    expect(report.skipped.map((item) => item.ruleId)).toEqual([CISCO_CASE]);
  });

  it('compiles all 3,141 rules of its rules folder; none crashes the engine', () => {
    const files = ruleFiles([sharedData('sigma/rules')]);
    expect(files).toHaveLength(3141);
    const problems = files.map((file) => loadRuleFile(file)).filter(isProblem);
    // Whatever cannot be compiled is a listed problem with a reason — never an exception out of the engine.
    expect(problems.filter((problem) => /the engine failed/.test(problem.reason))).toEqual([]);
    expect(problems).toEqual([]);
  });
});
