/**
 * Shadow automation from the command line on both stores: `groups set … --shadow LEVEL [--shadow-actions …]`,
 * `--no-shadow`, `policy shadow` reporting what the shadow would have done against the analysts' decisions, and
 * `policy precision` the same decisions as measured precision.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { backends, createTestStore, type TestStore } from '../../test/helpers/stores.js';
import { runCliWith } from '../../test/helpers/cli.js';

describe.each(backends)('shadow automation in the CLI on %s', (dialect) => {
  let t: TestStore;
  beforeEach(async () => {
    t = await createTestStore(dialect);
  });
  afterEach(async () => {
    await t.cleanup();
  });

  const cli = (args: string[]) => runCliWith({ ...t.env, USER: 'alice' }, args);

  const shadowAction = async (target: string, outcome: 'approve' | 'wait') =>
    (
      await t.store.actions.create(
        {
          type: 'isolateDevice',
          targetKey: target,
          deviceKey: target,
          group: { kind: 'device', name: 'Default' },
          investigationKey: null,
          evidenceKey: null,
          verdict: 'malicious',
          source: 'investigation',
          parameters: {},
          reasons: ['test'],
          requestedBy: 'investigation:inv_1',
          decision: { outcome: 'wait', by: 'policy', rule: 'in shadow' },
          expiresAt: new Date(Date.now() + 86_400_000),
          shadow: { level: 'full', outcome, rule: 'device group "Default" (full): remediate automatically' },
        },
        new Date(),
      )
    ).action;

  it('sets and ends a shadow, and reports agreement per group and action type', async () => {
    const set = await cli([
      'groups',
      'set',
      'device',
      'Default',
      '--shadow',
      'full',
      '--shadow-actions',
      'isolateDevice',
      '--json',
    ]);
    expect(set.code, set.stderr).toBe(0);
    expect(set.json<{ shadow: unknown }>().shadow).toEqual({ level: 'full', actionTypes: ['isolateDevice'] });
    const listed = await cli(['groups', 'list', '--kind', 'device']);
    expect(listed.stdout).toMatch(/Default\s+default\s+semiAll\s+full \(isolateDevice\)/);
    const bad = await cli(['groups', 'set', 'device', 'Default', '--shadow-actions', 'isolateDevice']);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toMatch(/--shadow-actions needs --shadow/);
    expect((await cli(['groups', 'set', 'device', 'Default', '--shadow', 'always'])).stderr).toMatch(
      /--shadow: unknown always/,
    );

    const approved = await shadowAction('device:ws1.corp.example', 'approve');
    const rejected = await shadowAction('device:ws2.corp.example', 'approve');
    await shadowAction('device:ws3.corp.example', 'approve');
    await shadowAction('device:ws4.corp.example', 'wait');
    expect((await cli(['actions', 'approve', approved.id])).code).toBe(0);
    expect((await cli(['actions', 'reject', rejected.id])).code).toBe(0);

    const report = await cli(['policy', 'shadow', '--json']);
    expect(report.code, report.stderr).toBe(0);
    expect(report.json<{ groups: unknown[] }>().groups).toEqual([
      {
        group: { kind: 'device', name: 'Default' },
        type: 'isolateDevice',
        level: 'full',
        wouldRun: { pending: 1, approved: 1, rejected: 1, expired: 0, undone: 0 },
        wouldWait: { pending: 1, approved: 0, rejected: 0, expired: 0, undone: 0 },
        agreement: 0.5,
      },
    ]);
    const text = await cli(['policy', 'shadow', '--since', '1h']);
    expect(text.stdout).toMatch(/device\/Default\s+isolateDevice\s+full\s+3\s+1\s+1\s+0\s+1\s+1\s+50 %/);
    expect((await cli(['policy', 'shadow', '--until', '2001-01-01T00:00:00Z'])).stdout).toMatch(
      /^no action of a group in shadow/,
    );
    expect((await cli(['policy', 'shadow', '--since', 'yesterday'])).code).toBe(2);

    // Measured precision reads the same decisions (these actions belong to no investigation: no playbook or rule).
    const precision = await cli(['policy', 'precision', '--json']);
    expect(precision.code, precision.stderr).toBe(0);
    expect(precision.json()).toMatchObject({
      actionTypes: [
        {
          group: { kind: 'device', name: 'Default' },
          type: 'isolateDevice',
          automatic: 0,
          approved: 1,
          rejected: 1,
          undone: 0,
          pending: 2,
          precision: 0.5,
        },
      ],
      playbooks: [],
      rules: [],
      suggestions: [],
    });
    const table = await cli(['policy', 'precision', '--since', '2h']);
    expect(table.stdout).toMatch(/device\/Default\s+isolateDevice\s+0\s+1\s+1\s+0\s+0\s+2\s+50 %/);
    expect((await cli(['policy', 'precision', '--until', '2001-01-01T00:00:00Z'])).stdout).toMatch(/none/);

    const ended = await cli(['groups', 'set', 'device', 'Default', '--no-shadow', '--json']);
    expect(ended.json<{ shadow: unknown }>().shadow).toBeNull();
  });
});
