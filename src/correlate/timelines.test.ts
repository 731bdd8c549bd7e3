/**
 * Timelines held in memory answer as the store's entity index does (on SQLite and PostgreSQL): the same counts,
 * devices and neighbours for any span, whether the rows were loaded from the store or added from the alerts a step
 * correlates; and they say when a question reaches back beyond what they hold.
 */
import fc from 'fast-check';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { backends, createTestStore, type TestStore } from '../../test/helpers/stores.js';
import { draftAlert } from '../../test/helpers/alerts.js';
import { type Entity } from '../domain/entity.js';
import { checkHash, Timelines, type HeldTimeline } from './timelines.js';
import type { KeyTimeline, TimelineRequest } from './ports.js';
import { writeAlerts } from '../ingest/prepare-alert.js';
import { createDevice, createFile, createUser } from '../domain/entity-builders.js';
import { loadTimelines } from './timeline-memory.js';

/** A seeded generator (mulberry32): the same sample every run. */
function seeded(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let value = Math.imul(state ^ (state >>> 15), state | 1);
    value ^= value + Math.imul(value ^ (value >>> 7), value | 61);
    return ((value ^ (value >>> 14)) >>> 0) / 4294967296;
  };
}

const HOUR = 3_600_000;
const START = Date.UTC(2024, 4, 1);
const limits = { windowMs: 6 * HOUR, maxAlerts: 12, maxDevices: 3 };

/** Neighbours in a fixed order (the store returns them in no particular one), as the store tells them. */
const normal = (timeline: KeyTimeline) => ({
  ...timeline,
  neighbours: timeline.neighbours
    .map(({ alertId, time }) => ({ alertId, time }))
    .sort((a, b) => a.time - b.time || a.alertId - b.alertId),
});
/** Whether memory confirmed each neighbour as naming the key (in the order of `normal`). */
const confirmations = (timeline: HeldTimeline) =>
  [...timeline.neighbours]
    .sort((a, b) => a.time - b.time || a.alertId - b.alertId)
    .map((neighbour) => neighbour.confirmed);

describe.each(backends)('timelines in memory on %s', (dialect) => {
  let t: TestStore;
  beforeEach(async () => {
    t = await createTestStore(dialect);
  });
  afterEach(async () => {
    await t.cleanup();
  });

  it('answer every timeline question as the store does, loaded or added alert by alert', async () => {
    const random = seeded(5);
    const pool: Entity[] = [
      ...Array.from(
        { length: 6 },
        (_, index) => createDevice({ hostname: `ws${index}.corp.example` }) as Entity,
      ),
      ...Array.from({ length: 5 }, (_, index) => createUser({ name: `CORP\\u${index}` }) as Entity),
      ...Array.from(
        { length: 5 },
        (_, index) => createFile({ sha256: String(index + 1).repeat(64) }) as Entity,
      ),
    ];
    // 300 alerts over five days, each naming one to four entities of the pool (a device most of the time).
    const drafts = Array.from({ length: 300 }, (_, index) => {
      const entities = new Set<Entity>();
      if (random() < 0.8) entities.add(pool[Math.floor(random() * 6)] as Entity);
      const extra = 1 + Math.floor(random() * 3);
      for (let count = 0; count < extra; count++)
        entities.add(pool[6 + Math.floor(random() * (pool.length - 6))] as Entity);
      return draftAlert({
        sourceRef: `t${index}`,
        createdAt: new Date(START + Math.floor(random() * 120 * HOUR)).toISOString(),
        entities: [...entities],
      });
    });
    await writeAlerts(
      t.store.alerts,
      drafts.map((draft) => ({ draft, format: 'autoir' })),
      new Date(),
    );

    // Loaded from the store; and built from the alerts as correlation reads them (rows, hashes, devices its own).
    const loaded = await loadTimelines(t.store, START - 24 * HOUR);
    const added = new Timelines(START - 24 * HOUR);
    added.addAlerts(await t.store.incidents.pendingAlerts(1000));
    expect(loaded.rows).toBeGreaterThan(300);
    expect(added.rows).toBe(loaded.rows);

    const requests: TimelineRequest[] = Array.from({ length: 400 }, () => {
      const from = START + Math.floor(random() * 130 * HOUR) - 5 * HOUR;
      return {
        key: (pool[Math.floor(random() * pool.length)] as Entity).key,
        from,
        to: from + Math.floor(random() * 8 * HOUR),
        mentions: Math.floor(random() * 3),
        prevalence: random() < 0.7,
      };
    });
    const expected = await t.store.incidents.keyTimelines(requests, limits);
    const shapes = { capped: 0, devices: 0, neighbours: 0, inside: 0 };
    requests.forEach((request, index) => {
      const want = normal(expected[index] as KeyTimeline);
      expect(loaded.covers(request, limits.windowMs)).toBe(true);
      const fromLoaded = loaded.timeline(request, limits);
      const fromAdded = added.timeline(request, limits);
      expect(normal(fromLoaded)).toEqual(want);
      expect(normal(fromAdded)).toEqual(want);
      // Rows read from the index hold no key: their neighbours are for the store to confirm. Rows added from the
      // alerts hold their keys' checks: every neighbour there names the key (no two keys here share a hash).
      expect(confirmations(fromLoaded).every((confirmed) => !confirmed)).toBe(true);
      expect(confirmations(fromAdded).every((confirmed) => confirmed)).toBe(true);
      if (want.alerts > limits.maxAlerts) shapes.capped++;
      if (want.devices > 0) shapes.devices++;
      if (want.neighbours.length > 0) shapes.neighbours++;
      if (want.neighbours.length > 2) shapes.inside++;
    });
    // The sample reaches every branch: counts capped, devices counted, neighbours next to and inside spans.
    expect(Object.values(shapes).every((count) => count > 0)).toBe(true);
  });

  it('say when a question reaches back beyond what they hold, and let old rows go', async () => {
    const ws = createDevice({ hostname: 'ws1.corp.example' }) as Entity;
    await writeAlerts(
      t.store.alerts,
      [0, 10, 20, 30].map((hours) => ({
        draft: draftAlert({
          sourceRef: `h${hours}`,
          createdAt: new Date(START + hours * HOUR).toISOString(),
          entities: [ws],
        }),
        format: 'autoir',
      })),
      new Date(),
    );
    const timelines = await loadTimelines(t.store, START + 5 * HOUR);
    expect(timelines.rows).toBe(3);
    const at = (hours: number): TimelineRequest => ({
      key: ws.key,
      from: START + hours * HOUR,
      to: START + hours * HOUR,
      mentions: 0,
      prevalence: false,
    });
    expect(timelines.covers(at(8), limits.windowMs)).toBe(false);
    expect(timelines.covers(at(12), limits.windowMs)).toBe(true);
    expect(normal(timelines.timeline(at(15), limits)).neighbours.map((row) => row.time)).toEqual([
      START + 10 * HOUR,
      START + 20 * HOUR,
    ]);
    timelines.letGo(START + 15 * HOUR);
    expect(timelines.covers(at(18), limits.windowMs)).toBe(false);
    expect(normal(timelines.timeline(at(25), limits)).neighbours.map((row) => row.time)).toEqual([
      START + 20 * HOUR,
      START + 30 * HOUR,
    ]);
    expect(timelines.rows).toBe(2);
  });
});

describe('timelines in memory', () => {
  /**
   * The answer by brute force: every row of the key's hash, in order, looked at. Two keys share each made-up hash
   * (`variant` 0 and 1, as in a collision): counted together, and a neighbour of the other key is left out where
   * its row's check says so.
   */
  const keyOf = (hash: number, variant = 0) => `user:h${hash}${variant === 1 ? "'" : ''}`;
  type Row = { hash: number; at: number; alert: number; device: number; checks: Set<number> };
  /** A row's check as memory keeps it: the one known, none (-1), or ambiguous (-2) when two differ. */
  const checkOf = (row: Row) => (row.checks.size === 0 ? -1 : row.checks.size > 1 ? -2 : [...row.checks][0]);
  function scan(rows: readonly Row[], request: TimelineRequest, hash: number): HeldTimeline {
    const { windowMs, maxAlerts, maxDevices } = limits;
    const check = checkHash(request.key);
    const mine = rows.filter((row) => row.hash === hash).sort((a, b) => a.at - b.at || a.alert - b.alert);
    const window = mine.filter((row) => row.at >= request.from - windowMs && row.at <= request.to + windowMs);
    const mentions = request.mentions;
    if (window.length <= mentions) return { alerts: mentions, devices: 0, neighbours: [] };
    const alerts = request.prevalence ? Math.min(window.length, maxAlerts + 1) : mentions;
    const before = window.filter((row) => row.at < request.from).at(-1);
    const after = window.find((row) => row.at > request.to);
    const inside = window.filter((row) => row.at >= request.from && row.at <= request.to);
    const neighbours = [...(before ? [before] : []), ...(after ? [after] : [])];
    if (inside.length > mentions) neighbours.push(...inside);
    const named = neighbours.filter((row) => checkOf(row) === check || (checkOf(row) as number) < 0);
    const devices =
      request.prevalence && alerts > maxDevices && alerts <= maxAlerts
        ? Math.min(new Set(window.map((row) => row.device)).size, maxDevices + 1)
        : 0;
    return {
      alerts,
      devices,
      neighbours: named.map((row) => ({
        alertId: row.alert,
        time: row.at,
        confirmed: checkOf(row) === check,
      })),
    };
  }

  it('answer as a scan of every row does, whatever order rows come in, repeated or let go', () => {
    // Key hashes made up so that some share the top bits the rows are found by, and some do not.
    const keys = [0, 1, 2, 2 ** 33, 2 ** 33 + 7, 2 ** 52 + 3];
    const row = fc.record({
      key: fc.integer({ min: 0, max: keys.length - 1 }),
      hours: fc.integer({ min: 0, max: 60 }),
      alert: fc.integer({ min: 1, max: 200 }),
      device: fc.integer({ min: 1, max: 5 }),
      // Added with no check (as loaded from the store), or with the check of one of the hash's two keys.
      check: fc.integer({ min: 0, max: 2 }),
    });
    const step = fc.record({
      rows: fc.array(row, { maxLength: 80 }),
      // Rows added before (this step or earlier), added again with a check (an alert stored again; two keys of one
      // hash in one alert): one row, its check the one known or, when two differ, none.
      again: fc.array(fc.record({ pick: fc.nat(), check: fc.integer({ min: 0, max: 2 }) }), {
        maxLength: 20,
      }),
      letGo: fc.option(fc.integer({ min: 0, max: 40 }), { nil: undefined }),
      questions: fc.array(
        fc.record({
          key: fc.integer({ min: 0, max: keys.length - 1 }),
          variant: fc.integer({ min: 0, max: 1 }),
          hours: fc.integer({ min: 0, max: 70 }),
          length: fc.integer({ min: 0, max: 10 }),
          mentions: fc.integer({ min: 0, max: 2 }),
          prevalence: fc.boolean(),
        }),
        { maxLength: 10 },
      ),
    });
    fc.assert(
      fc.property(fc.array(step, { minLength: 1, maxLength: 8 }), (steps) => {
        const timelines = new Timelines(START);
        const all: Row[] = [];
        let floor = START;
        const history: (typeof row extends fc.Arbitrary<infer T> ? T : never)[] = [];
        for (const { rows, again, letGo, questions } of steps) {
          history.push(...rows);
          const repeats =
            history.length === 0
              ? []
              : again.map(({ pick, check }) => ({ ...history[pick % history.length]!, check }));
          for (const added of [...rows, ...repeats]) {
            const hash = keys[added.key] as number;
            const at = START + added.hours * HOUR;
            // The alert's device is a function of the alert, as in the index.
            const device = added.alert % 5;
            const check = added.check === 0 ? undefined : checkHash(keyOf(hash, added.check - 1));
            timelines.add(hash, at, added.alert, device, check);
            if (at < floor) continue;
            const held = all.find((row) => row.hash === hash && row.at === at && row.alert === added.alert);
            const row = held ?? { hash, at, alert: added.alert, device, checks: new Set<number>() };
            if (!held) all.push(row);
            if (check !== undefined) row.checks.add(check);
          }
          if (letGo !== undefined && START + letGo * HOUR > floor) {
            floor = START + letGo * HOUR;
            timelines.letGo(floor);
            all.splice(0, all.length, ...all.filter((held) => held.at >= floor));
          }
          for (const question of questions) {
            const request: TimelineRequest = {
              key: keyOf(keys[question.key] as number, question.variant),
              from: START + question.hours * HOUR,
              to: START + (question.hours + question.length) * HOUR,
              mentions: question.mentions,
              prevalence: question.prevalence,
            };
            expect(timelines.covers(request, limits.windowMs)).toBe(request.from - limits.windowMs >= floor);
            if (!timelines.covers(request, limits.windowMs)) continue;
            const hash = keys[question.key] as number;
            const answer = timelines.timeline(request, limits, hash);
            const expected = scan(all, request, hash);
            expect(normal(answer)).toEqual(normal(expected));
            expect(confirmations(answer)).toEqual(confirmations(expected));
          }
          expect(timelines.rows).toBe(all.length);
        }
      }),
      { numRuns: 300 },
    );
  });
});
