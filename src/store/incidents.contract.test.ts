/**
 * Incidents through the store, on SQLite and PostgreSQL: alerts become incidents as they arrive; a bridging alert
 * merges two incidents (the smaller redirected, the merge recorded); the window expires; analyst fields survive
 * automation; links explain every join.
 */
import fc from 'fast-check';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { backends, createTestStore, type TestStore } from '../../test/helpers/stores.js';
import { draftAlert } from '../../test/helpers/alerts.js';
import { correlatePending } from '../correlate/correlator.js';
import { openStore } from './open-store.js';
import { correlate } from '../correlate/correlate.js';
import { type Entity } from '../domain/entity.js';
import { parseAlertId, publicIncidentId } from '../domain/ids.js';
import { writeAlerts } from '../ingest/prepare-alert.js';
import { createDevice, createFile, createIp, createUser } from '../domain/entity-builders.js';
import { timelineMemory } from '../correlate/timeline-memory.js';

const now = () => new Date('2024-06-01T00:00:00.000Z');
const device = (name: string) => createDevice({ hostname: name }) as Entity;
const user = (name: string) => createUser({ name }) as Entity;
const file = (digit: string) =>
  createFile({ sha256: digit.repeat(64), path: `C:\\Users\\x\\${digit}.exe` }) as Entity;
const at = (hours: number) => new Date(Date.UTC(2024, 4, 1) + hours * 3_600_000).toISOString();

describe.each(backends)('incidents on %s', (dialect) => {
  let t: TestStore;
  const add = async (
    ref: string,
    hours: number,
    entities: Entity[],
    severity: 'low' | 'medium' | 'high' = 'medium',
  ) => {
    const [result] = await writeAlerts(
      t.store.alerts,
      [
        {
          draft: draftAlert({
            sourceRef: ref,
            createdAt: at(hours),
            entities,
            severity,
            title: `Alert ${ref}`,
          }),
          format: 'autoir',
        },
      ],
      now(),
    );
    return result!.id;
  };
  beforeEach(async () => {
    t = await createTestStore(dialect);
  });
  afterEach(async () => {
    await t.cleanup();
  });

  it('puts every alert in exactly one incident, joining those that share a strong entity', async () => {
    const a1 = await add('a1', 0, [device('ws1.corp.example'), user('CORP\\alice')], 'high');
    const a2 = await add('a2', 1, [device('ws1.corp.example')]);
    const b1 = await add('b1', 1, [device('ws2.corp.example')]);
    const summary = await correlatePending(t.store, {}, now);
    expect(summary).toEqual({
      alerts: 3,
      incidentsCreated: 2,
      incidentsMerged: 0,
      created: ['inc_1', 'inc_2'],
    });
    expect(await t.store.incidents.countPending()).toBe(0);
    const list = (await t.store.incidents.listIncidents({}, { limit: 10 })).items;
    expect(list).toHaveLength(2);
    const ws1 = list.find((incident) => incident.alertCount === 2)!;
    const detail = (await t.store.incidents.getIncident(ws1.id))!;
    expect(detail.alertIds).toEqual([a1, a2]);
    expect(detail).toMatchObject({
      severity: 'high',
      status: 'active',
      title: "'Alert a1' and 1 other alert on ws1.corp.example",
      links: [{ alertId: a2, otherAlertId: a1, entityKey: 'device:ws1.corp.example' }],
    });
    expect(detail.entities[0]).toEqual({ type: 'device', key: 'device:ws1.corp.example', alerts: 2 });
    const other = (await t.store.alerts.getAlert(b1))!;
    expect(other.incidentId).not.toBe(ws1.id);
  });

  it('merges two incidents through an alert that bridges them: the smaller is redirected, the merge recorded', async () => {
    await add('a1', 0, [device('ws1.corp.example')]);
    await add('a2', 1, [device('ws1.corp.example')]);
    await add('b1', 2, [device('ws2.corp.example')]);
    await correlatePending(t.store, {}, now);
    const before = (await t.store.incidents.listIncidents({}, { limit: 10 })).items;
    const big = before.find((incident) => incident.alertCount === 2)!;
    const small = before.find((incident) => incident.alertCount === 1)!;
    const bridge = await add('x', 3, [device('ws2.corp.example'), file('e'), device('ws1.corp.example')]);
    expect(await correlatePending(t.store, {}, now)).toEqual({
      alerts: 1,
      incidentsCreated: 0,
      incidentsMerged: 1,
      created: [],
    });
    const merged = (await t.store.incidents.getIncident(big.id))!;
    expect(merged.alertCount).toBe(4);
    expect(merged.merges).toEqual([
      {
        from: small.id,
        at: now().toISOString(),
        alertId: expect.any(String),
        entityKey: expect.stringMatching(/^device:/),
      },
    ]);
    expect(merged.links.some((link) => link.alertId === bridge)).toBe(true);
    const redirected = (await t.store.incidents.getIncident(small.id))!;
    expect(redirected).toMatchObject({ status: 'redirected', redirectedTo: big.id, alertCount: 0 });
    expect(
      (await t.store.incidents.listIncidents({}, { limit: 10 })).items.map((incident) => incident.id),
    ).toEqual([big.id]);
  });

  it('lets the window expire, and never links on weak entities', async () => {
    await add('a1', 0, [device('ws1.corp.example'), user('NT AUTHORITY\\SYSTEM')]);
    await add('a2', 30, [device('ws1.corp.example')]);
    await add('b1', 0, [device('ws2.corp.example'), user('NT AUTHORITY\\SYSTEM')]);
    await correlatePending(t.store, {}, now);
    expect((await t.store.incidents.listIncidents({}, { limit: 10 })).items).toHaveLength(3);
  });

  it('correlates from timelines in memory while alone, and from the store after anyone else changed them', async () => {
    // Steps of any size load the timelines here (by default only steps of 1,000 alerts or more do).
    const memory = timelineMemory(t.store, { minimumLoadStep: 1 });
    const incidentOf = async (id: string) => (await t.store.alerts.getAlert(id))!.incidentId;
    // The first step reads the store (it knows nothing of who else correlates); the second loads the timelines.
    const a1 = await add('a1', 0, [device('ws1.corp.example'), user('CORP\\alice')]);
    await correlatePending(t.store, {}, now);
    await add('a2', 1, [device('ws1.corp.example')]);
    await correlatePending(t.store, {}, now);
    expect(memory.stats).toEqual({ answered: 1, loads: 1, dropped: 0 });
    expect(memory.rows).toBe(3);
    // An alert stored again names one more entity: the timelines held no longer match the index.
    await add('a1', 0, [device('ws1.corp.example'), user('CORP\\alice'), file('f')]);
    const a3 = await add('a3', 2, [file('f')]);
    await correlatePending(t.store, {}, now);
    expect(memory.stats).toEqual({ answered: 1, loads: 1, dropped: 1 });
    expect(await incidentOf(a3)).toBe(await incidentOf(a1));
    // Loaded again after two steps alone (the wait doubles each time they were found out of date).
    await add('a4', 3, [device('ws1.corp.example')]);
    await correlatePending(t.store, {}, now);
    await add('a5', 4, [device('ws1.corp.example')]);
    await correlatePending(t.store, {}, now);
    expect(memory.stats).toEqual({ answered: 2, loads: 2, dropped: 1 });
    // Another process correlates an alert; the next step here must see it.
    const other = await openStore(t.config);
    let b1: string;
    try {
      const [written] = await writeAlerts(
        other.alerts,
        [
          {
            draft: draftAlert({ sourceRef: 'b1', createdAt: at(5), entities: [file('b')] }),
            format: 'autoir',
          },
        ],
        now(),
      );
      b1 = written!.id;
      await correlatePending(other, {}, now);
    } finally {
      await other.close();
    }
    const a6 = await add('a6', 6, [file('b'), device('ws9.corp.example')]);
    await correlatePending(t.store, {}, now);
    expect(memory.stats).toEqual({ answered: 2, loads: 2, dropped: 2 });
    expect(await incidentOf(a6)).toBe(await incidentOf(b1));
  });

  it('knows, in memory, the incidents of the alerts it holds through merges, as the store does', async () => {
    const memory = timelineMemory(t.store, { minimumLoadStep: 1 });
    const ws1 = device('ws1.corp.example');
    const ws2 = device('ws2.corp.example');
    // a1 is put in an incident before the memory exists; b1 by the step that loads it.
    const a1 = await add('a1', 0, [ws1]);
    await correlatePending(t.store, {}, now);
    const b1 = await add('b1', 1, [ws2]);
    await correlatePending(t.store, {}, now);
    // a2 finds a1, whose incident memory learns from the store; x bridges both incidents (b1's merged into a1's);
    // c1 finds x on ws2, and memory answers its incident (a1's, through the merge) and its size.
    const a2 = await add('a2', 2, [ws1]);
    await correlatePending(t.store, {}, now);
    const x = await add('x', 3, [ws1, ws2]);
    await correlatePending(t.store, {}, now);
    const c1 = await add('c1', 4, [ws2]);
    await correlatePending(t.store, {}, now);
    expect(memory.stats).toMatchObject({ loads: 1, dropped: 0 });
    const incident = (await t.store.alerts.getAlert(a1))!.incidentId!;
    expect((await t.store.incidents.getIncident(incident))?.alertCount).toBe(5);
    for (const id of [a1, b1, a2, x, c1]) {
      expect((await t.store.alerts.getAlert(id))!.incidentId).toBe(incident);
      const known = memory.incidentOf(parseAlertId(id) as number);
      expect(known && { id: publicIncidentId(known.id), alerts: known.alerts }).toEqual({
        id: incident,
        alerts: 5,
      });
    }
  });

  it('lets two correlators run at once without putting an alert in two incidents', async () => {
    for (let index = 0; index < 30; index++)
      await add(`c${index}`, index % 5, [device(`ws${index % 4}.corp.example`), user(`CORP\\u${index % 7}`)]);
    const [one, two] = await Promise.all([
      correlatePending(t.store, {}, now, 7),
      correlatePending(t.store, {}, now, 7),
    ]);
    expect(one.alerts + two.alerts).toBe(30);
    const incidents = (await t.store.incidents.listIncidents({}, { limit: 100 })).items;
    expect(incidents.reduce((sum, incident) => sum + incident.alertCount, 0)).toBe(30);
    const members = (
      await Promise.all(
        incidents.map(async (incident) => (await t.store.incidents.getIncident(incident.id))!.alertIds),
      )
    ).flat();
    expect(new Set(members).size).toBe(30);
  });

  it('keeps what analysts set when automation updates the incident, and takes comments', async () => {
    await add('a1', 0, [device('ws1.corp.example')]);
    await correlatePending(t.store, {}, now);
    const [incident] = (await t.store.incidents.listIncidents({}, { limit: 1 })).items;
    const updated = await t.store.incidents.updateIncident(
      incident!.id,
      {
        status: 'resolved',
        classification: 'truePositive',
        determination: 'malware',
        assignedTo: 'alice',
        tags: ['lsass', 'apt'],
      },
      now(),
    );
    expect(updated).toMatchObject({
      status: 'resolved',
      classification: 'truePositive',
      tags: ['apt', 'lsass'],
    });
    await add('a2', 1, [device('ws1.corp.example')], 'high');
    await correlatePending(t.store, {}, now);
    const after = (await t.store.incidents.getIncident(incident!.id))!;
    expect(after).toMatchObject({
      alertCount: 2,
      severity: 'high',
      status: 'resolved',
      classification: 'truePositive',
      determination: 'malware',
      assignedTo: 'alice',
      tags: ['apt', 'lsass'],
    });
    const commented = await t.store.incidents.addComment(
      incident!.id,
      'alice',
      'Payload quarantined.',
      now(),
    );
    expect(commented.comments).toEqual([
      { author: 'alice', text: 'Payload quarantined.', createdAt: now().toISOString() },
    ]);
    await expect(t.store.incidents.updateIncident('inc_999', { status: 'resolved' }, now())).rejects.toThrow(
      /no incident inc_999/,
    );
    expect(
      (
        await t.store.incidents.listIncidents(
          { statuses: ['resolved'], assignee: 'alice', tag: 'apt' },
          { limit: 5 },
        )
      ).items,
    ).toHaveLength(1);
    expect(
      (await t.store.incidents.listIncidents({ statuses: ['active'] }, { limit: 5 })).items,
    ).toHaveLength(0);
  });
  it('groups alerts as the function over the whole set does, whatever order and batches they arrive in', async () => {
    // Without prevalence in play (thresholds above the set's size), the store's incidents are the groups of
    // `correlate` over all the alerts: late alerts find the incidents made before them, bridges merge. Each run
    // has entities and a source of its own, so runs share the store without meeting.
    const options = { maxDevices: 100, maxAlerts: 100 };
    let run = 0;
    const sample = fc.record({
      alerts: fc.array(
        fc.record({
          hours: fc.integer({ min: 0, max: 96 }),
          entities: fc.uniqueArray(fc.integer({ min: 0, max: 11 }), { maxLength: 3 }),
        }),
        { minLength: 1, maxLength: 25 },
      ),
      order: fc.func(fc.integer()),
      chunk: fc.integer({ min: 1, max: 8 }),
      batch: fc.integer({ min: 1, max: 6 }),
      // Which arrivals a second process (another store on the same database) correlates: each process holds
      // timelines in memory, which the other's steps put out of date.
      elsewhere: fc.array(fc.boolean(), { maxLength: 25 }),
    });
    const second = await openStore(t.config);
    // Alerts whose incident a process's memory knew (and was checked against the store).
    let knownIncidents = 0;
    for (const store of [t.store, second]) timelineMemory(store, { minimumLoadStep: 1 });
    try {
      await fc.assert(
        fc.asyncProperty(sample, async ({ alerts, order, chunk, batch, elsewhere }) => {
          run++;
          const source = `run${run}`;
          const pool: Entity[] = [
            ...['a', 'b', 'c', 'd'].map((host) => device(`${source}${host}.corp.example`)),
            ...['alice', 'bob', 'carol'].map((name) => user(`CORP\\${source}${name}`)),
            ...['1', '2', '3'].map(
              (digit) =>
                createFile({ sha256: `${run.toString(16).padStart(4, '0')}${digit.repeat(60)}` }) as Entity,
            ),
            createIp({ address: `203.0.${run % 250}.9` }) as Entity,
            createIp({ address: '127.0.0.1' }) as Entity,
          ];
          const set = alerts.map((alert, index) => ({
            ref: `${source}-${index + 1}`,
            hours: alert.hours,
            entities: alert.entities.map((position) => pool[position] as Entity),
          }));
          const arrival = [...set].sort((a, b) => order(a.ref) - order(b.ref) || a.ref.localeCompare(b.ref));
          for (let start = 0; start < arrival.length; start += chunk) {
            await writeAlerts(
              t.store.alerts,
              arrival.slice(start, start + chunk).map((alert) => ({
                draft: draftAlert({
                  source,
                  sourceRef: alert.ref,
                  createdAt: at(alert.hours),
                  entities: alert.entities,
                }),
                format: 'autoir',
              })),
              now(),
            );
            await correlatePending(elsewhere[start / chunk] ? second : t.store, options, now, batch);
          }
          const stored = (await t.store.alerts.listAlerts({ sources: [source] }, { limit: 100 })).items;
          const byIncident = new Map<string, string[]>();
          for (const alert of stored) {
            expect(alert.incidentId).toEqual(expect.stringMatching(/^inc_/));
            byIncident.set(alert.incidentId!, [
              ...(byIncident.get(alert.incidentId!) ?? []),
              alert.sourceRef,
            ]);
          }
          const expected = correlate(
            set.map((alert) => ({
              id: alert.ref,
              time: Date.parse(at(alert.hours)),
              entities: alert.entities,
            })),
            options,
          ).groups;
          const normal = (groups: Iterable<readonly string[]>) =>
            [...groups].map((group) => [...group].sort()).sort((a, b) => a[0]!.localeCompare(b[0]!));
          expect(normal(byIncident.values())).toEqual(normal(expected));
          // What a process's memory knows of an alert's incident, and that incident's size, is what the store
          // holds — while its memory is current (the other process has not correlated since).
          for (const store of [t.store, second]) {
            const memory = timelineMemory(store);
            if (!memory.current(await store.incidents.correlationGeneration())) continue;
            for (const alert of stored) {
              const known = memory.incidentOf(parseAlertId(alert.id) as number);
              if (!known) continue;
              knownIncidents++;
              expect(publicIncidentId(known.id)).toBe(alert.incidentId);
              expect(known.alerts).toBe((await store.incidents.getIncident(alert.incidentId!))?.alertCount);
            }
          }
        }),
        { numRuns: dialect === 'sqlite' ? 60 : 20 },
      );
    } finally {
      await second.close();
    }
    expect(knownIncidents).toBeGreaterThan(0);
    // Both processes answered steps from timelines in memory, and found them out of date after the other's.
    expect(timelineMemory(t.store).stats.answered).toBeGreaterThan(0);
    expect(timelineMemory(second).stats.answered).toBeGreaterThan(0);
    expect(timelineMemory(t.store).stats.dropped).toBeGreaterThan(0);
  });
});
