/**
 * Shadow automation end to end on OTRF LSASS_campaign_01, on both backends: every group in shadow at `full` — the
 * investigation plans its actions, none runs, each records what `full` would have done; analysts then approve,
 * reject and undo through the API, and `GET /api/v1/policy/shadow` reports their agreement per group and action type,
 * `GET /api/v1/precision` the same decisions per action type, playbook, detection rule and analyzer.
 */
import { describe, expect, it } from 'vitest';
import type { ActionRecord } from '../domain/action.js';
import { backends } from '../../test/helpers/stores.js';
import { useApi } from '../../test/helpers/api.js';
import { investigateLsass } from '../../test/helpers/lsass.js';

const PAYLOAD = 'file:sha256:e9196b871670af6307902fc4ca09f7cf3c309ae54b28e10d052ed8741090f928';

interface Counts {
  automatic: number;
  approved: number;
  rejected: number;
  undone: number;
  expired: number;
  pending: number;
  precision: number | null;
}

interface Row {
  group: { kind: string; name: string };
  type: string;
  level: string;
  wouldRun: Record<string, number>;
  wouldWait: Record<string, number>;
  agreement: number | null;
}

describe.each(backends)('shadow automation on LSASS_campaign_01 over HTTP on %s', (dialect) => {
  const api = useApi(dialect);
  const { call } = api;

  it('runs nothing, records what full would have done, and measures the analysts against it', async () => {
    for (const kind of ['device', 'user', 'mailbox'])
      for (const level of ['semiAll', 'none']) {
        const put = await call('admin', 'PUT', `/api/v1/${kind}-groups/Default`, {
          level,
          shadow: { level: 'full' },
        });
        expect(put.statusCode, put.body).toBe(200);
        expect(put.json()).toMatchObject({ level, shadow: { level: 'full' } });
      }
    const bad = await call('admin', 'PUT', '/api/v1/device-groups/Default', {
      shadow: { level: 'full', actionTypes: ['formatDisk'] },
    });
    expect(bad.statusCode).toBe(400);

    const store = api.t.store;
    await investigateLsass(store);

    const listed = await call('viewer', 'GET', '/api/v1/actions?limit=500');
    expect(listed.statusCode, listed.body).toBe(200);
    const actions = listed.json().items as ActionRecord[];
    expect(actions.length).toBeGreaterThanOrEqual(10);
    // Even with the groups' own level at none, the shadow plans: nothing ran, everything waits for an analyst.
    expect(actions.filter((a) => a.status !== 'pendingApproval')).toEqual([]);
    expect(actions.filter((a) => a.decidedBy === 'policy')).toEqual([]);
    expect(actions.filter((a) => a.shadow === null)).toEqual([]);
    const wouldRun = actions.filter((a) => a.shadow?.outcome === 'approve');
    const wouldWait = actions.filter((a) => a.shadow?.outcome === 'wait');
    const payload = actions.find((a) => a.type === 'quarantineFile' && a.targetKey === PAYLOAD)!;
    expect(payload.shadow).toEqual({
      level: 'full',
      outcome: 'approve',
      rule: 'device group "Default" (full): remediate automatically',
    });
    expect(payload.decisionRule).toBe(
      'device group "Default" in shadow (full): would have run — device group "Default" (full): remediate automatically',
    );
    // Suspicious evidence would still have waited under full (the group does not automate suspicious verdicts).
    for (const action of actions)
      expect(action.shadow?.outcome).toBe(action.verdict === 'malicious' ? 'approve' : 'wait');
    expect(wouldWait.length).toBeGreaterThan(0);

    // The analysts: approve the payload's quarantine and every would-run isolation, reject the other would-runs
    // but one, which stays pending; approve one would-wait. One approved isolation runs, and is undone.
    const isolations = wouldRun.filter((a) => a.type === 'isolateDevice');
    expect(isolations.length).toBeGreaterThan(0);
    const approve = [payload, ...isolations];
    const rest = wouldRun.filter((a) => !approve.includes(a));
    expect(rest.length).toBeGreaterThan(1);
    const reject = rest.slice(1);
    const decide = async (verb: string, list: ActionRecord[]) => {
      const response = await call('responder', 'POST', `/api/v1/actions/${verb}`, {
        ids: list.map((a) => a.id),
        comment: verb,
      });
      expect(response.statusCode, response.body).toBe(200);
    };
    // One request per action type, as the action center sends them.
    for (const type of new Set(approve.map((a) => a.type)))
      await decide(
        'approve',
        approve.filter((a) => a.type === type),
      );
    for (const type of new Set(reject.map((a) => a.type)))
      await decide(
        'reject',
        reject.filter((a) => a.type === type),
      );
    await decide('approve', [wouldWait[0]!]);
    const isolation = isolations[0]!;
    const claimed = await store.actions.claim('w', new Date(), 60_000, 100);
    expect(claimed.map((a) => a.id)).toContain(isolation.id);
    for (const action of claimed) {
      const result = await call('responder', 'POST', `/api/v1/actions/${action.id}/result`, {
        status: 'succeeded',
      });
      expect(result.statusCode, result.body).toBe(200);
    }
    await decide('undo', [isolation]);

    const response = await call('viewer', 'GET', '/api/v1/policy/shadow');
    expect(response.statusCode, response.body).toBe(200);
    const rows = response.json().groups as Row[];
    // What each row must say, counted from the decisions above.
    const expected = new Map<string, Row>();
    const bucket = (a: ActionRecord) =>
      a === isolation
        ? 'undone'
        : approve.includes(a) || a === wouldWait[0]
          ? 'approved'
          : reject.includes(a)
            ? 'rejected'
            : 'pending';
    for (const action of actions) {
      const id = `${action.group!.kind}/${action.group!.name}/${action.type}`;
      const zero = () => ({ pending: 0, approved: 0, rejected: 0, expired: 0, undone: 0 });
      const row = expected.get(id) ?? {
        group: action.group!,
        type: action.type,
        level: 'full',
        wouldRun: zero(),
        wouldWait: zero(),
        agreement: null,
      };
      (action.shadow!.outcome === 'approve' ? row.wouldRun : row.wouldWait)[bucket(action)]! += 1;
      expected.set(id, row);
    }
    for (const row of expected.values()) {
      const decided = row.wouldRun.approved! + row.wouldRun.rejected! + row.wouldRun.undone!;
      row.agreement = decided === 0 ? null : row.wouldRun.approved! / decided;
    }
    expect(rows).toEqual(
      [...expected.values()].sort(
        (a, b) =>
          a.group.kind.localeCompare(b.group.kind) ||
          a.group.name.localeCompare(b.group.name) ||
          a.type.localeCompare(b.type),
      ),
    );
    const quarantine = rows.find((r) => r.group.kind === 'device' && r.type === 'quarantineFile')!;
    expect(quarantine.wouldRun.approved).toBeGreaterThanOrEqual(1);
    const isolate = rows.find((r) => r.type === 'isolateDevice')!;
    expect(isolate.wouldRun.undone).toBe(1);
    expect(isolate.agreement).toBe((isolate.wouldRun.approved ?? 0) / (isolations.length as number));

    // Measured precision counts the same decisions, per action type, playbook, rule and analyzer.
    const measured = await call('viewer', 'GET', '/api/v1/precision');
    expect(measured.statusCode, measured.body).toBe(200);
    const report = measured.json() as {
      actionTypes: (Counts & { group: { kind: string; name: string }; type: string })[];
      playbooks: (Counts & { playbook: string })[];
      rules: (Counts & { rule: string })[];
      analyzers: (Counts & { analyzer: string })[];
      suggestions: unknown[];
    };
    for (const row of rows) {
      const both = (outcome: string) => row.wouldRun[outcome]! + row.wouldWait[outcome]!;
      const decided = both('approved') + both('rejected') + both('undone');
      expect(report.actionTypes.find((r) => r.type === row.type && r.group.name === row.group.name)).toEqual({
        group: row.group,
        type: row.type,
        automatic: 0,
        approved: both('approved'),
        rejected: both('rejected'),
        undone: both('undone'),
        expired: 0,
        pending: both('pending'),
        precision: decided === 0 ? null : both('approved') / decided,
      });
    }
    const total = (r: Counts) => r.automatic + r.approved + r.rejected + r.undone + r.expired + r.pending;
    // One investigation: its playbook, and every rule behind its alerts, answer for all of its actions.
    expect(report.playbooks.map(total)).toEqual([actions.length]);
    expect(report.rules.length).toBeGreaterThan(1);
    expect(report.rules.every((r) => total(r) === actions.length && r.rule.length > 0)).toBe(true);
    expect(report.analyzers.length).toBeGreaterThan(0);
    expect(report.analyzers.every((r) => total(r) <= actions.length)).toBe(true);
    expect(report.suggestions).toEqual([]);

    // A period before any of it holds nothing.
    const empty = await call('viewer', 'GET', '/api/v1/policy/shadow?until=2001-01-01T00:00:00Z');
    expect(empty.json().groups).toEqual([]);
    const none = await call('viewer', 'GET', '/api/v1/precision?until=2001-01-01T00:00:00Z');
    expect(none.json()).toMatchObject({ actionTypes: [], playbooks: [], rules: [], analyzers: [] });
    expect((await call('viewer', 'GET', '/api/v1/precision?since=yesterday')).statusCode).toBe(400);
  }, 180_000);
});
