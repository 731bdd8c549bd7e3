/**
 * Migration 0021 on both backends: events and their index rows stored before it are all there after it, the index
 * rows with their event's time; on PostgreSQL in one partition per week, ids going on from the last one handed out.
 */
import { sql, type Kysely } from 'kysely';
import { describe, expect, it } from 'vitest';
import { backends, createTestStore } from '../../../test/helpers/stores.js';
import { entityHash } from '../../domain/entity-hash.js';
import { EventRefs, prepareEvent } from '../../ingest/prepare-event.js';
import { createPostgresKysely } from '../postgres.js';
import type { Database } from '../schema.js';
import { createSqliteKysely } from '../sqlite.js';
import { partitionName, weekOf } from '../events/days.js';
import { migration, rangesFor } from './0021-event-partitions.js';

const DAY = 86_400_000;
const day = (offset: number) => new Date((Math.floor(Date.now() / DAY) + offset) * DAY);
const yesterday = new Date(day(-1).getTime() + 8 * 3_600_000).toISOString();
const old = [
  { time: '2020-03-01T10:00:00.000Z', ip: '10.9.0.1' },
  { time: '2020-03-01T23:59:59.999Z', ip: '10.9.0.1' },
  { time: yesterday, ip: '10.9.0.2' },
  { time: '2021-06-01T00:00:00.000Z', ip: '10.9.0.1' },
];

describe('the partitions migration 0021 makes for existing data', () => {
  it('makes weeks of the last two months, months of the two years before, years before that', () => {
    const at = (time: string) => Date.parse(time) / DAY;
    const ranges = rangesFor(
      [
        '2026-12-07',
        '2026-11-01',
        '2026-10-31',
        '2026-10-01',
        '2024-11-01',
        '2024-10-31',
        '2024-10-01',
        '1601-01-01',
      ].map((time) => at(`${time}T00:00:00Z`)),
      Date.parse('2026-12-07T09:00:00Z'),
    );
    expect(
      ranges.map((range) => [partitionName('events', range.from, range.span), range.to - range.from]),
    ).toEqual([
      ['events_p1601', 365 * DAY],
      ['events_p2024', 305 * DAY], // up to 1 November, where months begin
      ['events_p202411', 30 * DAY],
      ['events_p202610', 31 * DAY],
      ['events_p20261101', DAY], // a Sunday: the rest of the week before the first of the months
      ['events_p20261207', 7 * DAY], // a Monday
    ]);
  });
});

describe.each(backends)('migration 0021 (events by week) on %s', (dialect) => {
  it('keeps every event and index row, the index rows with their event time', async () => {
    const t = await createTestStore(dialect);
    const config = t.config;
    const db: Kysely<Database> =
      config.kind === 'sqlite'
        ? createSqliteKysely({ dataDir: config.dataDir }).db
        : await createPostgresKysely(config);
    try {
      await migration.down!(db as Kysely<unknown>);
      // Rows as the previous schema held them: the index without time.
      for (const [ref, event] of old.entries()) {
        const keys = ['device:h1', `ip:${event.ip}`];
        const inserted = await sql<{ id: number }>`
          insert into events (ref, time, ingested_at, format, source, code, kind, device_key, dst_ip, keys, raw)
          values (${ref + 1}, ${Date.parse(event.time)}, 1, 'test', 'test/conn', 'conn', 'networkConnection',
                  'device:h1', ${event.ip}, ${JSON.stringify(keys)}, ${Buffer.from(JSON.stringify(event))})
          returning id`.execute(db);
        const id = Number(inserted.rows[0]?.id);
        await sql`insert into event_entities (entity_hash, event_id)
                  values (${entityHash(`ip:${event.ip}`)}, ${id})`.execute(db);
      }
      // The last event handed out was deleted since (its id must not come back on PostgreSQL).
      await sql`delete from event_entities where event_id = (select max(id) from events)`.execute(db);
      await sql`delete from events where id = (select max(id) from events)`.execute(db);

      await migration.up(db as Kysely<unknown>);

      const rows = await sql<{ time: number; event_time: number }>`
        select ee.time, e.time as event_time from event_entities ee join events e on e.id = ee.event_id`.execute(
        db,
      );
      expect(rows.rows).toHaveLength(3);
      for (const row of rows.rows) expect(Number(row.time)).toBe(Number(row.event_time));
      expect(await t.store.events.countEvents()).toBe(3);
      const found = await t.store.events.searchEvents(
        { entityKeys: ['ip:10.9.0.1'], since: '2020-03-01T00:00:00Z', until: '2020-03-02T00:00:00Z' },
        { limit: 10, order: 'asc' },
      );
      expect(found.items.map((event) => [event.id, event.time])).toEqual([
        ['evt_1', '2020-03-01T10:00:00.000Z'],
        ['evt_2', '2020-03-01T23:59:59.999Z'],
      ]);
      expect(await t.store.events.getEvent('evt_3')).toMatchObject({ time: yesterday });

      const write = (time: number, ip: string) =>
        t.store.events.insertPrepared(
          [
            prepareEvent(
              {
                time,
                format: 'test',
                source: 'test/conn',
                code: 'conn',
                kind: 'networkConnection',
                keys: [`ip:${ip}`],
              },
              JSON.stringify({ time, ip }),
              new EventRefs(),
            ),
          ],
          new Date(),
        );
      expect(await write(day(0).getTime(), '10.9.0.3')).toEqual({ inserted: 1, duplicates: 0 });
      // A replay of 2020: into the year the migration made.
      expect(await write(Date.parse('2020-05-05T05:00:00Z'), '10.9.0.4')).toEqual({
        inserted: 1,
        duplicates: 0,
      });
      const [fresh] = (await t.store.events.searchEvents({ entityKeys: ['ip:10.9.0.3'] }, { limit: 1 }))
        .items;
      if (dialect === 'sqlite') expect(fresh?.id).toMatch(/^evt_\d+$/);
      else {
        expect(fresh?.id).toBe('evt_5');
        const partitions = async () =>
          (
            await sql<{ name: string }>`
              select c.relname as name from pg_inherits i join pg_class c on c.oid = i.inhrelid
              where i.inhparent in (to_regclass('events'), to_regclass('event_entities')) order by 1`.execute(
              db,
            )
          ).rows.map((row) => row.name);
        // Yesterday's week (made by the migration) and today's (the same, or made by the write).
        const recent = [
          ...new Set(
            [day(-1), day(0)].map((date) =>
              partitionName('events', weekOf(date.getTime() / DAY) * DAY).slice('events'.length),
            ),
          ),
        ];
        expect(await partitions()).toEqual([
          'event_entities_p2020',
          ...recent.map((suffix) => `event_entities${suffix}`),
          'events_p2020',
          ...recent.map((suffix) => `events${suffix}`),
        ]);
        // The year goes whole once all of it has expired.
        expect(await t.store.events.pruneEvents(new Date('2021-01-01T00:00:00Z'))).toBe(3);
        expect((await partitions()).filter((name) => name.endsWith('_p2020'))).toEqual([]);
      }
      expect(await t.store.events.countEvents({ entityKeys: ['ip:10.9.0.4'] })).toBe(
        dialect === 'sqlite' ? 1 : 0,
      );
    } finally {
      await db.destroy();
      await t.cleanup();
    }
  });
});
