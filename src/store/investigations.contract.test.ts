/**
 * The investigation stage's ports (investigate/ports.ts) as the store implements them, on SQLite and PostgreSQL:
 * the intake of correlated alerts, the queue workers claim from, fenced step commits, what analysts decide, and
 * indicators — straight through the store, not through the engine.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { draftAlert } from '../../test/helpers/alerts.js';
import { backends, createTestStore, type TestStore } from '../../test/helpers/stores.js';
import { createDevice, createProcess } from '../domain/entity-builders.js';
import type { Entity } from '../domain/entity.js';
import { newEvidence } from '../domain/evidence.js';
import { correlatePending } from '../correlate/correlator.js';
import { writeAlerts } from '../ingest/prepare-alert.js';
import type { StepCommit } from '../investigate/ports.js';

const T0 = Date.parse('2030-01-01T00:00:00.000Z');
const at = (minutes: number) => new Date(T0 + minutes * 60_000);
const device = createDevice({ hostname: 'ws1.corp.example' }) as Entity;

const step = (over: Partial<StepCommit> = {}): StepCommit => ({
  step: 'collect',
  startedAt: T0,
  durationMs: 10,
  result: 'collected',
  next: 'analyze',
  state: {},
  release: false,
  ...over,
});

describe.each(backends)('the investigation store (investigate/ports.ts) on %s', (dialect) => {
  let t: TestStore;
  beforeEach(async () => {
    t = await createTestStore(dialect);
  });
  afterEach(async () => {
    await t.cleanup();
  });

  /** Alerts on one device, correlated into one incident: the intake's input. */
  const correlated = async (refs: string[]) => {
    await writeAlerts(
      t.store.alerts,
      refs.map((ref, index) => ({
        draft: draftAlert({
          sourceRef: ref,
          createdAt: at(index).toISOString(),
          entities: [device],
        }),
        format: 'autoir',
      })),
      at(0),
    );
    await correlatePending(t.store, {}, () => at(10));
  };

  const start = (alertIds: readonly number[], incidentId: number | null = null) =>
    t.store.investigations.create(
      {
        incidentId,
        playbook: 'general',
        trigger: { kind: 'manual', target: device.key, by: 'user:kim' },
        status: 'queued',
        alertIds,
      },
      at(0),
    );

  it('hands correlated alerts over once: waiting, joined to the open investigation of their incident', async () => {
    await correlated(['a', 'b']);
    const waiting = await t.store.investigations.uninvestigatedAlerts(10);
    expect(waiting.map((alert) => alert.record.sourceRef)).toEqual(['a', 'b']);
    const incident = waiting[0]!.incidentId;
    expect(await t.store.investigations.openInvestigationOf(incident)).toBeUndefined();
    const id = await start([waiting[0]!.id], incident);
    expect(await t.store.investigations.uninvestigatedAlerts(10)).toHaveLength(1);
    const open = await t.store.investigations.openInvestigationOf(incident);
    expect(open?.id).toBe(id);
    await t.store.investigations.joinAlerts(open!.key, [waiting[1]!.id], at(1));
    expect(await t.store.investigations.uninvestigatedAlerts(10)).toEqual([]);
    expect((await t.store.investigations.alertsOf(open!.key)).map((alert) => alert.sourceRef)).toEqual([
      'a',
      'b',
    ]);
  });

  it('finds the open investigation holding an entity, and none once it has ended', async () => {
    const id = await start([]);
    const claimed = (await t.store.investigations.claim('w1', at(0), 60_000, 10))!;
    await t.store.investigations.commitStep(
      claimed.key,
      'w1',
      step({ evidence: [newEvidence(device, 'manual', 0)] }),
      at(1),
    );
    expect((await t.store.investigations.openInvestigationWith([device.key, 'ip:203.0.113.9']))?.id).toBe(id);
    await t.store.investigations.commitStep(
      claimed.key,
      'w1',
      step({
        step: 'conclude',
        next: 'done',
        event: { type: 'conclude', outcome: 'noThreatsFound' },
        release: true,
      }),
      at(2),
    );
    expect(await t.store.investigations.openInvestigationWith([device.key])).toBeUndefined();
  });

  it('keeps the aliases of merged evidence and removes the rows merged away, in the step that merged them', async () => {
    await start([]);
    const claimed = (await t.store.investigations.claim('w1', at(0), 60_000, 10))!;
    const byPid = createProcess({ device: 'ws1.corp.example', pid: 1988 }) as Entity;
    const byGuid = createProcess({
      device: 'ws1.corp.example',
      pid: 1988,
      guid: '81056205-5686-64dc-3b04-000000000800',
    }) as Entity;
    await t.store.investigations.commitStep(
      claimed.key,
      'w1',
      step({ evidence: [newEvidence(byPid, 'alert', 0), newEvidence(byGuid, 'alert', 0)] }),
      at(1),
    );
    const merged = { ...newEvidence(byGuid, 'alert', 0), aliases: [byPid.key] };
    await t.store.investigations.commitStep(
      claimed.key,
      'w1',
      step({ step: 'analyze', evidence: [merged], removedEvidence: [byPid.key] }),
      at(2),
    );
    const detail = await t.store.investigations.getByKey(claimed.key);
    expect(detail?.evidence.map((row) => [row.key, row.aliases])).toEqual([[byGuid.key, [byPid.key]]]);
  });

  it('lets a bounded number run at once, one claim each, and writes a step only for the worker holding it', async () => {
    const first = await start([]);
    await start([]);
    const claimed = await t.store.investigations.claim('w1', at(0), 60_000, 1);
    expect(claimed).toMatchObject({ id: first, status: 'running', startedAt: at(0).toISOString() });
    // One running at most: the second waits.
    expect(await t.store.investigations.claim('w2', at(0), 60_000, 1)).toBeUndefined();
    expect(await t.store.investigations.commitStep(claimed!.key, 'w2', step(), at(1))).toBe(false);
    expect(await t.store.investigations.commitStep(claimed!.key, 'w1', step(), at(1))).toBe(true);
    // Its lease runs out: another worker takes it over, and the first one's commit is refused.
    const taken = await t.store.investigations.claim('w2', at(5), 60_000, 1);
    expect(taken?.id).toBe(first);
    expect(await t.store.investigations.commitStep(claimed!.key, 'w1', step(), at(6))).toBe(false);
    const detail = await t.store.investigations.getByKey(claimed!.key);
    expect(detail?.log.map((entry) => [entry.step, entry.worker])).toEqual([['collect', 'w1']]);
  });

  it('waits for approval of a scope expansion, resumes when it is approved, and refuses approving nothing', async () => {
    const id = await start([]);
    const claimed = (await t.store.investigations.claim('w1', at(0), 60_000, 10))!;
    await t.store.investigations.commitStep(
      claimed.key,
      'w1',
      step({
        step: 'expand',
        next: 'expand',
        event: { type: 'awaitApproval' },
        statusReason: 'scope expansion waiting for approval',
        state: {
          pendingExpansions: [{ entityKey: 'file:sha256:aa', assets: ['device:b'], reason: 'seen there' }],
        },
        release: true,
      }),
      at(1),
    );
    expect((await t.store.investigations.get(id))?.status).toBe('pendingApproval');
    const resumed = await t.store.investigations.approveExpansions(id, 'user:kim', at(2));
    expect(resumed).toMatchObject({ status: 'running', step: 'expand', statusReason: null });
    expect(resumed.state.approvedExpansions).toEqual(['file:sha256:aa']);
    await expect(t.store.investigations.approveExpansions(id, 'user:kim', at(3))).rejects.toMatchObject({
      code: 'AUTOIR_E_CONFLICT',
    });
    const cancelled = await t.store.investigations.cancel(id, 'user:kim', 'test', at(4));
    expect(cancelled).toMatchObject({
      status: 'terminatedByUser',
      statusReason: 'cancelled by user:kim: test',
    });
  });

  it('resolves its alerts, except those an analyst set the status of', async () => {
    await correlated(['a', 'b']);
    const waiting = await t.store.investigations.uninvestigatedAlerts(10);
    const id = await start(
      waiting.map((alert) => alert.id),
      waiting[0]!.incidentId,
    );
    await t.store.alerts.setAlertStatus(waiting[1]!.record.id, 'inProgress', 'analyst:kim', at(1));
    const detail = (await t.store.investigations.get(id))!;
    expect(await t.store.investigations.resolveAlerts(detail.key, at(2))).toBe(1);
    expect((await t.store.alerts.getAlert(waiting[0]!.record.id))?.status).toBe('resolved');
    expect((await t.store.alerts.getAlert(waiting[1]!.record.id))?.status).toBe('inProgress');
  });

  it('keeps indicators: a source’s reference updates in place, only active ones are found, removed ones are gone', async () => {
    const [block] = await t.store.investigations.addIndicators(
      [{ entityKey: 'ip:203.0.113.9', action: 'block', title: 'C2', source: 'misp', sourceRef: 'e1/a1' }],
      'user:kim',
      at(0),
    );
    const [again] = await t.store.investigations.addIndicators(
      [
        {
          entityKey: 'ip:203.0.113.9',
          action: 'block',
          title: 'C2 (updated)',
          source: 'misp',
          sourceRef: 'e1/a1',
        },
      ],
      'user:kim',
      at(1),
    );
    expect(again?.id).toBe(block?.id);
    await t.store.investigations.addIndicators(
      [
        {
          entityKey: 'domain:old.example',
          action: 'block',
          source: 'manual',
          expiresAt: at(5).getTime(),
        },
      ],
      'user:kim',
      at(1),
    );
    const found = await t.store.investigations.indicatorsFor(
      ['ip:203.0.113.9', 'domain:old.example'],
      at(10),
    );
    expect(found.map((indicator) => [indicator.entityKey, indicator.title])).toEqual([
      ['ip:203.0.113.9', 'C2 (updated)'],
    ]);
    expect(
      (await t.store.investigations.listIndicators({ action: 'block' }, { limit: 10 })).items,
    ).toHaveLength(2);
    expect(await t.store.investigations.removeIndicator(block!.id)).toBe(true);
    expect(await t.store.investigations.removeIndicator(block!.id)).toBe(false);
  });
});
