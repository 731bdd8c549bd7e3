import { describe, expect, it } from 'vitest';
import {
  decideWithShadow,
  defaultGuardrails,
  defaultPathLists,
  groupChange,
  type AssetGroup,
  type DecisionInput,
} from './policy.js';
import { analystOutcome, shadowAgreement } from './shadow.js';

const group = (extra: Partial<AssetGroup> = {}): AssetGroup => ({
  kind: 'device',
  name: 'Workstations',
  rank: 10,
  rules: [],
  level: 'semiAll',
  automateSuspicious: false,
  isDefault: false,
  description: null,
  ...extra,
});

const input = (over: Partial<DecisionInput>): DecisionInput => ({
  type: 'quarantineFile',
  targetKey: 'file:sha256:' + 'a'.repeat(64),
  verdict: 'malicious',
  path: 'C:\\Users\\pedro\\Downloads\\payload.exe',
  os: 'Windows 10',
  group: group({ shadow: { level: 'full' } }),
  tags: [],
  recentAutomatic: 0,
  ...over,
});

const decide = (over: Partial<DecisionInput>, shadowRecent = 0) =>
  decideWithShadow(input(over), defaultGuardrails, defaultPathLists, shadowRecent);

describe('shadow automation decisions', () => {
  it('waits for an analyst and records that the shadow level would have run it', () => {
    expect(decide({})).toEqual({
      decision: {
        outcome: 'wait',
        rule: 'device group "Workstations" in shadow (full): would have run — device group "Workstations" (full): remediate automatically',
      },
      shadow: {
        level: 'full',
        outcome: 'approve',
        rule: 'device group "Workstations" (full): remediate automatically',
      },
    });
  });

  it('runs nothing by itself even when the group’s own level would', () => {
    const result = decide({ group: group({ level: 'full', shadow: { level: 'semiAll' } }) });
    expect(result.decision.outcome).toBe('wait');
    expect(result.shadow).toMatchObject({ level: 'semiAll', outcome: 'wait' });
  });

  it('keeps the shadow level’s guardrails: suspicious evidence, protected tags and its caps, counted in would-have-run actions', () => {
    expect(decide({ verdict: 'suspicious' }).shadow).toMatchObject({
      outcome: 'wait',
      rule: expect.stringContaining('suspicious'),
    });
    expect(decide({ tags: ['domainController'] }).shadow).toMatchObject({
      outcome: 'wait',
      rule: expect.stringContaining('guardrail'),
    });
    const cap = defaultGuardrails.caps.isolateDevice!.max;
    const isolate = { type: 'isolateDevice' as const, targetKey: 'device:ws1', path: null };
    expect(decide(isolate, cap - 1).shadow?.outcome).toBe('approve');
    expect(decide(isolate, cap).shadow).toMatchObject({
      outcome: 'wait',
      rule: expect.stringContaining(`at most ${cap}`),
    });
    // The real count (what ran) does not limit the shadow, and the shadow's count does not limit what runs.
    expect(decide({ ...isolate, recentAutomatic: cap }, 0).shadow?.outcome).toBe('approve');
  });

  it('leaves action types outside its list, and evidence collection, to the group’s own level', () => {
    const scoped = group({ level: 'full', shadow: { level: 'full', actionTypes: ['isolateDevice'] } });
    expect(decide({ group: scoped })).toEqual({
      decision: { outcome: 'approve', rule: 'device group "Workstations" (full): remediate automatically' },
      shadow: null,
    });
    expect(decide({ group: scoped, type: 'isolateDevice', path: null }).decision.outcome).toBe('wait');
    const collect = decide({ type: 'collectInvestigationPackage', targetKey: 'device:ws1', path: null });
    expect(collect.shadow).toBeNull();
    expect(collect.decision.outcome).toBe('approve');
  });

  it('plans nothing where the shadow level plans nothing, and decides as before without a shadow', () => {
    expect(decide({ group: group({ shadow: { level: 'none' } }) })).toMatchObject({
      decision: { outcome: 'skip' },
      shadow: null,
    });
    expect(decide({ group: group() })).toEqual({
      decision: {
        outcome: 'wait',
        rule: 'device group "Workstations" (semiAll): every action waits for approval',
      },
      shadow: null,
    });
  });

  it('is set and ended on a group, refusing a level or an action type autoir does not know', () => {
    const existing = group();
    expect(
      groupChange(
        existing,
        {
          kind: 'device',
          name: 'Workstations',
          shadow: { level: 'full', actionTypes: ['quarantineFile', 'isolateDevice', 'isolateDevice'] },
        },
        0,
      ),
    ).toEqual({
      update: { shadow: { level: 'full', actionTypes: ['isolateDevice', 'quarantineFile'] } },
    });
    expect(groupChange(existing, { kind: 'device', name: 'Workstations', shadow: null }, 0)).toEqual({
      update: { shadow: null },
    });
    expect(() =>
      groupChange(existing, { kind: 'device', name: 'W', shadow: { level: 'sometimes' as never } }, 0),
    ).toThrow(/shadow level/);
    expect(() =>
      groupChange(
        existing,
        { kind: 'device', name: 'W', shadow: { level: 'full', actionTypes: ['formatDisk' as never] } },
        0,
      ),
    ).toThrow(/formatDisk/);
  });
});

describe('shadow agreement', () => {
  it('counts what analysts did with what the shadow would have run or sent for approval, per group and type', () => {
    const base = { groupKind: 'device', groupName: 'Workstations', level: 'full', undone: false };
    const rows = shadowAgreement([
      { ...base, type: 'quarantineFile', outcome: 'approve', status: 'succeeded', count: 7 },
      { ...base, type: 'quarantineFile', outcome: 'approve', status: 'succeeded', undone: true, count: 1 },
      { ...base, type: 'quarantineFile', outcome: 'approve', status: 'rejected', count: 2 },
      { ...base, type: 'quarantineFile', outcome: 'approve', status: 'pendingApproval', count: 3 },
      { ...base, type: 'quarantineFile', outcome: 'wait', status: 'queued', count: 4 },
      { ...base, type: 'isolateDevice', outcome: 'approve', status: 'expired', count: 1 },
      {
        ...base,
        groupKind: 'user',
        groupName: 'Default',
        type: 'disableUser',
        outcome: 'wait',
        status: 'cancelled',
        count: 1,
      },
    ]);
    expect(rows.map((row) => [row.group.kind, row.type])).toEqual([
      ['device', 'isolateDevice'],
      ['device', 'quarantineFile'],
      ['user', 'disableUser'],
    ]);
    expect(rows[1]).toEqual({
      group: { kind: 'device', name: 'Workstations' },
      type: 'quarantineFile',
      level: 'full',
      wouldRun: { pending: 3, approved: 7, rejected: 2, expired: 0, undone: 1 },
      wouldWait: { pending: 0, approved: 4, rejected: 0, expired: 0, undone: 0 },
      agreement: 0.7,
    });
    // Expired is no decision: nothing to agree with yet.
    expect(rows[0]?.agreement).toBeNull();
    expect(rows[2]?.wouldWait.rejected).toBe(1);
  });

  it('reads statuses as what the analyst decided', () => {
    expect(analystOutcome('pendingApproval', false)).toBe('pending');
    expect(analystOutcome('failed', false)).toBe('approved');
    expect(analystOutcome('undone', false)).toBe('undone');
    expect(analystOutcome('succeeded', true)).toBe('undone');
    expect(analystOutcome('expired', false)).toBe('expired');
  });
});
