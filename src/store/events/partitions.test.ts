/**
 * Events by week of event time: on PostgreSQL a partition per UTC week (Monday to Monday), made when a write needs
 * it and dropped whole by the retention; on both stores, writes of any day, lookups by entity within a window and by id, and the
 * retention's rule (time and arrival both older).
 */
import { CompiledQuery, sql, type Kysely } from 'kysely';
import { afterEach, describe, expect, it } from 'vitest';
import { backends, createTestStore, type TestStore } from '../../../test/helpers/stores.js';
import { EventRefs, prepareEvent } from '../../ingest/prepare-event.js';
import type { PreparedEvent } from '../../ingest/ports.js';
import { openStore } from '../open-store.js';
import type { Store } from '../ports.js';
import { createPostgresKysely } from '../postgres.js';
import type { Database } from '../schema.js';
import { partitionFor } from './partitions.js';
import { sightingsQuery } from './query.js';

/** A connection from `host` to `ip` at `time`, arriving `n`-th (distinct records for distinct n). */
function connection(time: string, ip: string, n = 0, host = 'h1'): PreparedEvent {
  return prepareEvent(
    {
      time: Date.parse(time),
      format: 'test',
      source: 'test/conn',
      code: 'conn',
      kind: 'networkConnection',
      deviceKey: `device:${host}`,
      dstIp: ip,
      keys: [`device:${host}`, `ip:${ip}`],
    },
    JSON.stringify({ time, ip, n, host }),
    new EventRefs(),
  );
}

function write(store: Store, events: readonly PreparedEvent[], now: string) {
  return store.transaction((tx) => tx.events.insertPrepared(events, new Date(now)));
}

/** The partitions of `events` and `event_entities` in the store's schema, by name. */
async function partitions(db: Kysely<Database>): Promise<string[]> {
  const result = await sql<{ name: string }>`
    select c.relname as name from pg_inherits i join pg_class c on c.oid = i.inhrelid
    where i.inhparent in (to_regclass('events'), to_regclass('event_entities')) order by 1`.execute(db);
  return result.rows.map((row) => row.name);
}

const stores: TestStore[] = [];
const extra: { close(): Promise<void> }[] = [];
async function testStore(dialect: 'sqlite' | 'postgres'): Promise<TestStore> {
  const t = await createTestStore(dialect);
  stores.push(t);
  return t;
}
/** Another process on the same store: a pool and a partition cache of its own. */
async function sameStore(t: TestStore): Promise<Store> {
  const store = await openStore(t.config);
  extra.push(store);
  return store;
}
async function catalog(t: TestStore): Promise<Kysely<Database>> {
  if (t.config.kind !== 'postgres') throw new Error('PostgreSQL only');
  const db = await createPostgresKysely(t.config);
  extra.push({ close: () => db.destroy() });
  return db;
}
afterEach(async () => {
  for (const item of extra.splice(0)) await item.close();
  for (const t of stores.splice(0)) await t.cleanup();
});

describe.each(backends)('events by week on %s', (dialect) => {
  it('stores events of new days and of a historical dataset, found by entity within a window and by id', async () => {
    const t = await testStore(dialect);
    const events = [
      connection('2020-03-01T23:59:59.999Z', '10.0.0.1'),
      connection('2020-03-02T00:00:00.000Z', '10.0.0.1'),
      connection('2026-01-01T08:00:00.000Z', '10.0.0.1'),
      connection('2026-01-01T09:00:00.000Z', '10.0.0.2'),
    ];
    expect(await write(t.store, events, '2026-01-01T12:00:00Z')).toEqual({ inserted: 4, duplicates: 0 });
    // The same again: nothing new, on every day.
    const again = ['2020-03-01T23:59:59.999Z', '2020-03-02T00:00:00.000Z'].map((time) =>
      connection(time, '10.0.0.1'),
    );
    expect(await write(t.store, again, '2026-01-01T12:00:00Z')).toEqual({ inserted: 0, duplicates: 2 });

    const inMarch = await t.store.events.searchEvents(
      { entityKeys: ['ip:10.0.0.1'], since: '2020-03-01T00:00:00Z', until: '2020-03-02T00:00:00Z' },
      { limit: 10 },
    );
    expect(inMarch.items.map((event) => event.time)).toEqual(['2020-03-01T23:59:59.999Z']);
    const all = await t.store.events.searchEvents(
      { entityKeys: ['ip:10.0.0.1'] },
      { limit: 10, order: 'asc' },
    );
    expect(all.items.map((event) => event.time)).toEqual([
      '2020-03-01T23:59:59.999Z',
      '2020-03-02T00:00:00.000Z',
      '2026-01-01T08:00:00.000Z',
    ]);
    for (const event of all.items) {
      expect(await t.store.events.getEvent(event.id)).toMatchObject({ id: event.id, time: event.time });
      expect(JSON.parse((await t.store.events.getEventRaw(event.id))!)).toMatchObject({ ip: '10.0.0.1' });
    }
    expect(
      await t.store.eventQuery.devicesContacting('10.0.0.2', {
        since: '2026-01-01T00:00:00Z',
        until: '2026-01-02T00:00:00Z',
      }),
    ).toEqual([expect.objectContaining({ deviceKey: 'device:h1', events: 1 })]);

    if (dialect === 'postgres')
      // 1 March 2020 a Sunday, 2 March a Monday; 1 January 2026 a Thursday.
      expect(await partitions(await catalog(t))).toEqual([
        'event_entities_p20200224',
        'event_entities_p20200302',
        'event_entities_p20251229',
        'events_p20200224',
        'events_p20200302',
        'events_p20251229',
      ]);
  });

  it('retention removes expired weeks and keeps what arrived within them, and a week can be written again', async () => {
    const t = await testStore(dialect);
    const other = await sameStore(t);
    // 1 January: arrived that day (expired). 2 January (the same week): two arrived that day, one arrived on 28
    // February (a replay), which keeps the week: its older arrivals are deleted one by one. 20 February: within the
    // retention.
    await write(
      t.store,
      [1, 2, 3].map((n) => connection('2026-01-01T10:00:00Z', '10.0.1.1', n)),
      '2026-01-01T11:00Z',
    );
    await write(
      t.store,
      [1, 2].map((n) => connection('2026-01-02T10:00:00Z', '10.0.1.2', n)),
      '2026-01-02T11:00Z',
    );
    // The other process writes 2 January on 28 February (and so knows that day).
    await write(other, [connection('2026-01-02T10:00:00Z', '10.0.1.2', 9)], '2026-02-28T00:00Z');
    await write(t.store, [connection('2026-02-20T10:00:00Z', '10.0.1.3')], '2026-02-20T11:00Z');
    await write(other, [connection('2026-01-01T12:00:00Z', '10.0.1.1', 8)], '2026-01-01T12:30Z');

    const cutoff = new Date('2026-01-30T00:00:00Z');
    expect(await t.store.events.pruneEvents(cutoff, { arrivedBefore: cutoff })).toBe(6);
    expect(await t.store.events.countEvents()).toBe(2);
    expect(await t.store.events.countEvents({ entityKeys: ['ip:10.0.1.1'] })).toBe(0);
    const kept = await t.store.events.searchEvents({ entityKeys: ['ip:10.0.1.2'] }, { limit: 10 });
    expect(kept.items.map((event) => event.ingestedAt)).toEqual(['2026-02-28T00:00:00.000Z']);
    if (dialect === 'postgres') {
      const db = await catalog(t);
      expect(await partitions(db)).toEqual([
        'event_entities_p20251229',
        'event_entities_p20260216',
        'events_p20251229',
        'events_p20260216',
      ]);
      // The index rows went with their events: one left in that week, the kept event's own.
      const entities = await sql<{ n: number }>`select count(*) as n from event_entities_p20251229`.execute(
        db,
      );
      expect(Number(entities.rows[0]?.n)).toBe(1);
    }
    // A process that knew 1 January from before writes it again (a replay), in a transaction with other writes.
    await other.transaction(async (tx) => {
      await tx.events.insertPrepared(
        [connection('2026-02-20T11:00:00Z', '10.0.1.3')],
        new Date('2026-03-01Z'),
      );
      await tx.events.insertPrepared(
        [connection('2026-01-01T10:00:00Z', '10.0.1.1', 1)],
        new Date('2026-03-01Z'),
      );
    });
    expect(await t.store.events.countEvents({ entityKeys: ['ip:10.0.1.1'] })).toBe(1);
    // Without an arrival bound (`autoir events prune`), everything before the cutoff goes, whenever it came.
    expect(await t.store.events.pruneEvents(cutoff)).toBe(2);
    expect(await t.store.events.countEvents()).toBe(2);
  });
});

describe('the partition a new day goes to', () => {
  const day = (date: string) => Date.parse(`${date}T00:00:00Z`) / 86_400_000;
  const range = (from: string, to: string) => ({
    from: Date.parse(`${from}T00:00:00Z`),
    to: Date.parse(`${to}T00:00:00Z`),
  });
  it('is its UTC week, Monday to Monday, leaving out the days partitions made before hold', () => {
    expect(partitionFor(day('2026-01-07'), [])).toEqual(range('2026-01-05', '2026-01-12'));
    expect(partitionFor(day('2026-01-05'), [])).toEqual(range('2026-01-05', '2026-01-12'));
    expect(partitionFor(day('2026-01-04'), [])).toEqual(range('2025-12-29', '2026-01-05'));
    expect(partitionFor(day('1969-12-31'), [])).toEqual(range('1969-12-29', '1970-01-05'));
    // A day partition of an earlier version on Tuesday 6 January: the week around it.
    const tuesday = [range('2026-01-06', '2026-01-07')];
    expect(partitionFor(day('2026-01-05'), tuesday)).toEqual(range('2026-01-05', '2026-01-06'));
    expect(partitionFor(day('2026-01-09'), tuesday)).toEqual(range('2026-01-07', '2026-01-12'));
    expect(partitionFor(day('2026-01-06'), tuesday)).toBeUndefined();
    // A month of migration 0021 ending on Saturday 31 January.
    const january = [range('2026-01-01', '2026-02-01')];
    expect(partitionFor(day('2026-01-31'), january)).toBeUndefined();
    expect(partitionFor(day('2026-02-01'), january)).toEqual(range('2026-02-01', '2026-02-02'));
  });
});

// (Two SQLite stores in one process cannot run at once: each waits for the other's lock on the one thread.)
describe('retention by two processes at once on postgres', () => {
  it('removes every expired event once, and counts each once', async () => {
    const t = await testStore('postgres');
    const other = await sameStore(t);
    for (const day of ['01', '02', '03', '04', '05', '06'])
      await write(
        t.store,
        [1, 2, 3].map((n) => connection(`2026-01-${day}T10:00:00Z`, '10.0.5.1', n)),
        `2026-01-${day}T11:00Z`,
      );
    // 1–4 January in the week of 29 December, wholly before the cutoff: dropped. 5 January (a Monday) begins the
    // week the cutoff falls in: kept whole until the cutoff has passed it.
    const cutoff = new Date('2026-01-05T12:00:00Z');
    const counts = await Promise.all(
      [t.store, other].map((store) =>
        store.events.pruneEvents(cutoff, { arrivedBefore: cutoff, whole: true }),
      ),
    );
    expect(counts[0]! + counts[1]!).toBe(12);
    expect(await t.store.events.countEvents()).toBe(6);
    expect(await partitions(await catalog(t))).toEqual(['event_entities_p20260105', 'events_p20260105']);
    // An explicit prune (`autoir events prune`) deletes exactly: 5 January's rows, one by one.
    const exact = await Promise.all(
      [t.store, other].map((store) => store.events.pruneEvents(cutoff, { arrivedBefore: cutoff })),
    );
    expect(exact[0]! + exact[1]!).toBe(3);
    expect(await t.store.events.countEvents()).toBe(3);
  });
});

describe('events by week on postgres', () => {
  it('lets several processes write the same new weeks at once, each within a transaction', async () => {
    const t = await testStore('postgres');
    const processes = [t.store, await sameStore(t), await sameStore(t)];
    await write(t.store, [connection('2026-01-01T00:00:00Z', '10.0.2.1')], '2026-01-01T01:00Z');
    // 1 February a Sunday: three weeks, two of them new.
    const days = Array.from(
      { length: 10 },
      (_, day) => `2026-02-${String(day + 1).padStart(2, '0')}T12:00:00Z`,
    );
    await Promise.all(
      processes.map((store, index) =>
        store.transaction(async (tx) => {
          // The transaction writes to the table first (as an ingest window does), then needs the new days.
          await tx.events.insertPrepared(
            [connection('2026-01-01T06:00:00Z', '10.0.2.1', 100 + index)],
            new Date('2026-02-09Z'),
          );
          for (const order of [days, [...days].reverse()])
            await tx.events.insertPrepared(
              order.map((time) => connection(time, '10.0.2.2', index % 2)),
              new Date('2026-02-01T00:00Z'),
            );
        }),
      ),
    );
    // Two distinct records per day (n = 0 and 1), each stored once, whoever wrote it first.
    expect(await t.store.events.countEvents({ entityKeys: ['ip:10.0.2.2'] })).toBe(20);
    expect(await t.store.events.countEvents({ entityKeys: ['ip:10.0.2.1'] })).toBe(4);
    expect(await partitions(await catalog(t))).toEqual([
      'event_entities_p20251229',
      'event_entities_p20260126',
      'event_entities_p20260202',
      'event_entities_p20260209',
      'events_p20251229',
      'events_p20260126',
      'events_p20260202',
      'events_p20260209',
    ]);
  });

  it('leaves an expired week to the next pass while the table stays busy, without failing', async () => {
    const t = await testStore('postgres');
    const reader = await sameStore(t);
    await write(t.store, [connection('2026-01-01T10:00:00Z', '10.0.3.1')], '2026-01-01T11:00Z');
    let release!: () => void;
    const released = new Promise<void>((resolve) => (release = resolve));
    let reading!: () => void;
    const read = new Promise<void>((resolve) => (reading = resolve));
    // A long search: its transaction holds the events table until it ends.
    const search = reader.transaction(async (tx) => {
      await tx.events.countEvents();
      reading();
      await released;
    });
    await read;
    const cutoff = new Date('2026-02-01T00:00:00Z');
    const started = Date.now();
    expect(await t.store.events.pruneEvents(cutoff, { arrivedBefore: cutoff })).toBe(0);
    expect(Date.now() - started).toBeLessThan(10_000);
    expect(await partitions(await catalog(t))).toContain('events_p20251229');
    release();
    await search;
    expect(await t.store.events.pruneEvents(cutoff, { arrivedBefore: cutoff })).toBe(1);
    expect(await partitions(await catalog(t))).toEqual([]);
  });

  it('reads an entity within a window from its week only: an index-only scan of its entity index', async () => {
    const t = await testStore('postgres');
    const db = await catalog(t);
    // 1–3 January in the week of 29 December; 6 January in the next.
    const events = ['2026-01-01', '2026-01-02', '2026-01-03', '2026-01-06'].flatMap((day) => [
      connection(`${day}T10:00:00Z`, '10.0.4.1', 0, 'h1'),
      connection(`${day}T11:00:00Z`, '10.0.4.1', 0, 'h2'),
    ]);
    await write(t.store, events, '2026-01-04T00:00Z');
    // Many other entities on every day, so that the planner chooses as it would on a real store.
    for (const day of ['2026-01-01', '2026-01-02', '2026-01-03', '2026-01-06'])
      await sql`insert into event_entities (entity_hash, time, event_id)
                select g % 5000, ${Date.parse(`${day}T00:00:00Z`)}::bigint + g * 2000, -g
                from generate_series(1, 40000) g`.execute(db);
    // What autovacuum does: each week's tables vacuumed and analysed (never the partitioned parents).
    for (const day of ['20251229', '20260105'])
      for (const table of ['events', 'event_entities'])
        await sql`vacuum (analyze) ${sql.table(`${table}_p${day}`)}`.execute(db);

    const window = { since: '2026-01-02T09:00:00.000Z', until: '2026-01-02T12:00:00.000Z' };
    const query = sightingsQuery(db, ['ip:10.0.4.1'], window).compile();
    const explained = await db.executeQuery<{ 'QUERY PLAN': unknown }>(
      CompiledQuery.raw(`explain (format json) ${query.sql}`, [...query.parameters]),
    );
    const scans: { relation: string; type: string }[] = [];
    const walk = (node: Record<string, unknown>) => {
      if (typeof node['Relation Name'] === 'string')
        scans.push({ relation: node['Relation Name'], type: node['Node Type'] as string });
      for (const child of (node.Plans as Record<string, unknown>[] | undefined) ?? []) walk(child);
    };
    const plan = explained.rows[0]?.['QUERY PLAN'] as { Plan: Record<string, unknown> }[];
    walk(plan[0]!.Plan);
    expect(scans.map((scan) => scan.relation).sort()).toEqual([
      'event_entities_p20251229',
      'events_p20251229',
    ]);
    expect(scans.find((scan) => scan.relation === 'event_entities_p20251229')?.type).toBe('Index Only Scan');

    expect(await t.store.eventQuery.devicesContacting('10.0.4.1', window)).toEqual([
      expect.objectContaining({ deviceKey: 'device:h1', events: 1, firstSeen: '2026-01-02T10:00:00.000Z' }),
      expect.objectContaining({ deviceKey: 'device:h2', events: 1, firstSeen: '2026-01-02T11:00:00.000Z' }),
    ]);
  });
});
