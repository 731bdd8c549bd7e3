/**
 * Migration 0021 on both backends: events and their index rows stored before it are all there after it, the index
 * rows with their event's time; on PostgreSQL in one partition per day, ids going on from the last one handed out.
 */
import { sql, type Kysely } from 'kysely';
import { describe, expect, it } from 'vitest';
import { backends, createTestStore } from '../../../test/helpers/stores.js';
import { entityHash } from '../../domain/entity-hash.js';
import { EventRefs, prepareEvent } from '../../ingest/prepare-event.js';
import { createPostgresKysely } from '../postgres.js';
import type { Database } from '../schema.js';
import { createSqliteKysely } from '../sqlite.js';
import { migration } from './0021-event-partitions.js';

const old = [
  { time: '2020-03-01T10:00:00.000Z', ip: '10.9.0.1' },
  { time: '2020-03-01T23:59:59.999Z', ip: '10.9.0.1' },
  { time: '2026-01-05T08:00:00.000Z', ip: '10.9.0.2' },
  { time: '2026-01-06T08:00:00.000Z', ip: '10.9.0.1' },
];

describe.each(backends)('migration 0021 (events by day) on %s', (dialect) => {
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
      expect(await t.store.events.getEvent('evt_3')).toMatchObject({ time: '2026-01-05T08:00:00.000Z' });

      const event = prepareEvent(
        {
          time: Date.parse('2026-01-07T00:00:00Z'),
          format: 'test',
          source: 'test/conn',
          code: 'conn',
          kind: 'networkConnection',
          keys: ['ip:10.9.0.3'],
        },
        '{"new":1}',
        new EventRefs(),
      );
      expect(await t.store.events.insertPrepared([event], new Date('2026-01-07T01:00:00Z'))).toEqual({
        inserted: 1,
        duplicates: 0,
      });
      const [fresh] = (await t.store.events.searchEvents({ entityKeys: ['ip:10.9.0.3'] }, { limit: 1 }))
        .items;
      if (dialect === 'postgres') {
        expect(fresh?.id).toBe('evt_5');
        const partitions = await sql<{ name: string }>`
          select c.relname as name from pg_inherits i join pg_class c on c.oid = i.inhrelid
          where i.inhparent = to_regclass('events') order by 1`.execute(db);
        expect(partitions.rows.map((row) => row.name)).toEqual([
          'events_p20200301',
          'events_p20260105',
          'events_p20260107',
        ]);
      } else expect(fresh?.id).toMatch(/^evt_\d+$/);
    } finally {
      await db.destroy();
      await t.cleanup();
    }
  });
});
