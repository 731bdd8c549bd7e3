/**
 * The response stage's ports (respond/ports.ts) as the store implements them, on SQLite and PostgreSQL: the action
 * center's decisions, the executor's queue, planning proposals, digests — straight through the store, not through
 * the stage.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { backends, createTestStore, type TestStore } from '../../test/helpers/stores.js';
import type { ActionRecord } from '../domain/action.js';
import type { ActionDraft } from '../respond/ports.js';

const T0 = Date.parse('2030-01-01T00:00:00.000Z');
const at = (minutes: number) => new Date(T0 + minutes * 60_000);
const DAY = 86_400_000;
const HOST = 'device:ws1.corp.example';

function draft(over: Partial<ActionDraft> = {}): ActionDraft {
  return {
    type: 'isolateDevice',
    targetKey: HOST,
    deviceKey: HOST,
    group: { kind: 'device', name: 'Default' },
    investigationKey: null,
    evidenceKey: null,
    verdict: null,
    source: 'analyst',
    parameters: {},
    reasons: ['contract test'],
    requestedBy: 'user:kim',
    decision: { outcome: 'wait', by: 'policy', rule: 'semiAll: device actions wait for approval' },
    expiresAt: new Date(T0 + 7 * DAY),
    ...over,
  };
}

const approved = (over: Partial<ActionDraft> = {}) =>
  draft({ decision: { outcome: 'approve', by: 'policy', rule: 'full' }, expiresAt: null, ...over });

describe.each(backends)('the action store (respond/ports.ts) on %s', (dialect) => {
  let t: TestStore;
  beforeEach(async () => {
    t = await createTestStore(dialect);
  });
  afterEach(async () => {
    await t.cleanup();
  });

  const create = async (value: ActionDraft, minutes = 0): Promise<ActionRecord> =>
    (await t.store.actions.create(value, at(minutes))).action;
  const statusOf = async (action: ActionRecord) => (await t.store.actions.get(action.id))?.status;

  it('creates an action once while the same type, target and device is in flight, and again once it is over', async () => {
    const first = await t.store.actions.create(draft(), at(0));
    expect(first).toMatchObject({
      created: true,
      action: { status: 'pendingApproval', id: expect.stringMatching(/^act_/) },
    });
    const again = await t.store.actions.create(draft({ reasons: ['again'] }), at(1));
    expect(again.created).toBe(false);
    expect(again.action.id).toBe(first.action.id);
    // Another device is another action.
    expect((await t.store.actions.create(draft({ deviceKey: 'device:ws2' }), at(1))).created).toBe(true);
    await t.store.actions.decide([first.action.id], 'reject', 'user:kim', 'not this one', at(2));
    const after = await t.store.actions.create(draft(), at(3));
    expect(after.created).toBe(true);
    expect(after.action.id).not.toBe(first.action.id);
  });

  it('approves pending actions all or none, queueing them, and keeps each step in the history', async () => {
    const a = await create(draft());
    const b = await create(draft({ targetKey: 'device:ws2', deviceKey: 'device:ws2' }));
    const queued = await create(approved({ targetKey: 'device:ws3', deviceKey: 'device:ws3' }));
    expect(queued.status).toBe('queued');
    await expect(
      t.store.actions.decide([a.id, queued.id], 'approve', 'user:rita', null, at(1)),
    ).rejects.toMatchObject({
      code: 'AUTOIR_E_ILLEGAL_TRANSITION',
    });
    expect(await statusOf(a)).toBe('pendingApproval');
    const decided = await t.store.actions.decide([a.id, b.id], 'approve', 'user:rita', 'go', at(1));
    expect(decided.map((action) => [action.status, action.decidedBy, action.comment])).toEqual([
      ['queued', 'user:rita', 'go'],
      ['queued', 'user:rita', 'go'],
    ]);
    expect((await t.store.actions.history(a.id)).map((entry) => [entry.from, entry.to, entry.by])).toEqual([
      // Requested, then the policy's decision to wait for a person.
      [null, 'pendingApproval', 'user:kim'],
      ['pendingApproval', 'pendingApproval', 'policy'],
      ['pendingApproval', 'approved', 'user:rita'],
      ['approved', 'queued', 'user:rita'],
    ]);
    expect(await t.store.actions.count({ statuses: ['queued'] })).toBe(3);
    expect((await t.store.actions.list({ types: ['isolateDevice'] }, { limit: 2 })).items).toHaveLength(2);
  });

  it('claims due actions for one worker, and writes an attempt only while that worker holds the claim', async () => {
    const action = await create(approved());
    const claimed = await t.store.actions.claim('w1', at(1), 60_000, 10);
    expect(claimed.map((item) => [item.id, item.status, item.attempts])).toEqual([[action.id, 'running', 1]]);
    expect(await t.store.actions.claim('w2', at(1), 60_000, 10)).toEqual([]);
    expect(await t.store.actions.finishAttempt(action.key, 'w2', 'edr', { status: 'succeeded' }, at(2))).toBe(
      false,
    );
    expect(await statusOf(action)).toBe('running');
    expect(
      await t.store.actions.finishAttempt(
        action.key,
        'w1',
        'edr',
        { status: 'succeeded', message: 'isolated' },
        at(2),
      ),
    ).toBe(true);
    expect(await t.store.actions.get(action.id)).toMatchObject({
      status: 'succeeded',
      connector: 'edr',
      resultMessage: 'isolated',
      endedAt: at(2).toISOString(),
    });
  });

  it('retries when told, waits for an unreachable target, and takes a result posted back later', async () => {
    const action = await create(approved());
    await t.store.actions.claim('w1', at(0), 60_000, 10);
    await t.store.actions.finishAttempt(
      action.key,
      'w1',
      'edr',
      { status: 'retry', message: '503', nextAttemptAt: at(5) },
      at(1),
    );
    expect(await statusOf(action)).toBe('queued');
    expect(await t.store.actions.claim('w1', at(2), 60_000, 10)).toEqual([]);
    expect((await t.store.actions.claim('w1', at(6), 60_000, 10)).map((item) => item.attempts)).toEqual([2]);
    await t.store.actions.finishAttempt(
      action.key,
      'w1',
      'edr',
      { status: 'pendingResource', message: 'host offline', nextAttemptAt: at(30) },
      at(7),
    );
    expect(await t.store.actions.get(action.id)).toMatchObject({
      status: 'pendingResource',
      unreachableSince: at(7).toISOString(),
    });
    expect((await t.store.actions.claim('w1', at(31), 60_000, 10)).map((item) => item.status)).toEqual([
      'running',
    ]);
    await t.store.actions.finishAttempt(
      action.key,
      'w1',
      'edr',
      { status: 'accepted', deadline: at(60) },
      at(32),
    );
    expect(await t.store.actions.get(action.id)).toMatchObject({ status: 'running', awaitingCallback: true });
    // Accepted: no other worker takes it while its result is awaited.
    expect(await t.store.actions.claim('w2', at(40), 60_000, 10)).toEqual([]);
    const done = await t.store.actions.recordCallback(
      action.id,
      { status: 'succeeded' },
      'connector:edr',
      at(41),
    );
    expect(done.status).toBe('succeeded');
    await expect(
      t.store.actions.recordCallback(action.id, { status: 'failed' }, 'connector:edr', at(42)),
    ).rejects.toMatchObject({ code: 'AUTOIR_E_ILLEGAL_TRANSITION' });
  });

  it('times out an accepted action whose result never comes, and expires pending ones past their expiry', async () => {
    const accepted = await create(approved());
    await t.store.actions.claim('w1', at(0), 60_000, 10);
    await t.store.actions.finishAttempt(
      accepted.key,
      'w1',
      'edr',
      { status: 'accepted', deadline: at(10) },
      at(1),
    );
    expect(await t.store.actions.expireCallbacks(at(9))).toEqual([]);
    expect((await t.store.actions.expireCallbacks(at(11))).map((item) => item.status)).toEqual(['timedOut']);
    const pending = await create(
      draft({ targetKey: 'device:ws2', deviceKey: 'device:ws2', expiresAt: at(60) }),
    );
    expect(await t.store.actions.expire(at(59))).toEqual([]);
    const expired = await t.store.actions.expire(at(61));
    expect(expired.map((item) => [item.id, item.status, item.decidedBy])).toEqual([
      [pending.id, 'expired', 'policy:expiry'],
    ]);
  });

  it('cancels only actions still in flight, all or none', async () => {
    const queued = await create(approved());
    const pending = await create(draft({ targetKey: 'device:ws2', deviceKey: 'device:ws2' }));
    await t.store.actions.decide([pending.id], 'reject', 'user:kim', null, at(1));
    await expect(
      t.store.actions.cancel([queued.id, pending.id], 'user:kim', null, at(2)),
    ).rejects.toMatchObject({ code: 'AUTOIR_E_ILLEGAL_TRANSITION' });
    expect(await statusOf(queued)).toBe('queued');
    const cancelled = await t.store.actions.cancel([queued.id], 'user:kim', 'wrong host', at(2));
    expect(cancelled.map((item) => item.status)).toEqual(['cancelled']);
  });

  it('marks the original undone once its undo succeeds', async () => {
    const original = await create(approved());
    await t.store.actions.claim('w1', at(0), 60_000, 10);
    await t.store.actions.finishAttempt(original.key, 'w1', 'edr', { status: 'succeeded' }, at(1));
    const undo = await create(approved({ type: 'releaseDevice', source: 'undo', undoOf: original.key }), 2);
    await t.store.actions.claim('w1', at(3), 60_000, 10);
    await t.store.actions.finishAttempt(undo.key, 'w1', 'edr', { status: 'succeeded' }, at(4));
    expect(await t.store.actions.get(original.id)).toMatchObject({ status: 'undone', undoneBy: undo.id });
    expect(await t.store.actions.get(undo.id)).toMatchObject({ status: 'succeeded', undoOf: original.id });
  });

  it('counts the decisions automation made, for the caps, and puts each pending action in one digest', async () => {
    await create(approved());
    await create(
      approved({
        targetKey: 'device:ws2',
        deviceKey: 'device:ws2',
        decision: { outcome: 'approve', by: 'user:kim', rule: null },
      }),
    );
    const pending = await create(draft({ targetKey: 'device:ws3', deviceKey: 'device:ws3' }));
    expect(await t.store.actions.countAutomatic('isolateDevice', at(-1))).toBe(1);
    expect(await t.store.actions.countAutomatic('isolateDevice', at(1))).toBe(0);
    expect((await t.store.actions.pendingUnnotified(10)).map((item) => item.id)).toEqual([pending.id]);
    await t.store.actions.markNotified([pending.key], at(1));
    expect(await t.store.actions.pendingUnnotified(10)).toEqual([]);
  });

  it('plans an investigation’s proposals into actions, or skips them, and the investigation follows its actions', async () => {
    const id = await t.store.investigations.create(
      {
        incidentId: null,
        playbook: 'general',
        trigger: { kind: 'manual', target: HOST, by: 'user:kim' },
        status: 'queued',
        alertIds: [],
      },
      at(0),
    );
    const claimed = await t.store.investigations.claim('w1', at(0), 60_000, 10);
    expect(claimed?.id).toBe(id);
    await t.store.investigations.commitStep(
      claimed!.key,
      'w1',
      {
        step: 'propose',
        startedAt: T0,
        durationMs: 5,
        result: 'two proposals',
        next: 'conclude',
        event: { type: 'awaitApproval' },
        state: {},
        actions: [
          { type: 'isolateDevice', targetKey: HOST, evidenceKey: HOST, reasons: ['malicious process'] },
          { type: 'blockIp', targetKey: 'ip:203.0.113.9', evidenceKey: 'ip:203.0.113.9', reasons: ['c2'] },
        ],
        release: true,
      },
      at(1),
    );
    const proposals = await t.store.actions.pendingProposals(10);
    expect(proposals.map((proposal) => proposal.type).sort()).toEqual(['blockIp', 'isolateDevice']);
    const isolate = proposals.find((proposal) => proposal.type === 'isolateDevice')!;
    const block = proposals.find((proposal) => proposal.type === 'blockIp')!;
    const planned = await t.store.actions.planProposals(
      [
        {
          proposalId: isolate.id,
          plan: {
            drafts: [draft({ investigationKey: claimed!.key, evidenceKey: HOST, source: 'investigation' })],
          },
        },
        { proposalId: block.id, plan: { skip: 'the policy automates no network block here' } },
      ],
      at(2),
    );
    expect(planned.map((actions) => actions.length)).toEqual([1, 0]);
    expect(await t.store.actions.pendingProposals(10)).toEqual([]);
    // Planned again by a slower worker: nothing more.
    expect(
      await t.store.actions.planProposals([{ proposalId: isolate.id, plan: { drafts: [draft()] } }], at(3)),
    ).toEqual([[]]);
    let detail = await t.store.investigations.get(id);
    expect(detail?.status).toBe('pendingApproval');
    expect(detail?.evidence).toEqual([]);
    expect(detail?.actions.map((action) => [action.type, action.status]).sort()).toEqual([
      ['blockIp', 'skipped'],
      ['isolateDevice', 'pendingApproval'],
    ]);
    // Rejected: nothing is left undecided, so the investigation resumes to conclude.
    await t.store.actions.decide([planned[0]![0]!.id], 'reject', 'user:kim', null, at(4));
    detail = await t.store.investigations.get(id);
    expect(detail).toMatchObject({ status: 'running', step: 'conclude' });
  });
});
