import { sql, type Kysely } from 'kysely';
import type { Migration } from 'kysely/migration';
import { deviceHashOf, entityHash } from '../../domain/entity-hash.js';
import { withoutRowid } from './dialect.js';

/** Migration 0009_alert_entity_timelines. */
export const migration: Migration = {
  async up(db: Kysely<unknown>): Promise<void> {
    // The entity index ordered by time within an entity, with the alert's device: correlation reads an entity's
    // timeline around new alerts (the alerts next to them, and how many alerts and devices name it in the
    // window) from the index alone, without reading the alerts behind it.
    await db.schema
      .createTable('alert_entities_new')
      .addColumn('entity_hash', 'bigint', (column) => column.notNull())
      .addColumn('at', 'bigint', (column) => column.notNull())
      .addColumn('alert_id', 'bigint', (column) => column.notNull())
      .addColumn('device_hash', 'bigint', (column) => column.notNull())
      .addPrimaryKeyConstraint('alert_entities_timeline_pk', ['entity_hash', 'at', 'alert_id', 'device_hash'])
      .modifyEnd(withoutRowid(db))
      .execute();
    const typed = db as unknown as Kysely<{
      alerts: { id: number; created_at: number; entities: string };
      alert_entities_new: { entity_hash: number; at: number; alert_id: number; device_hash: number };
    }>;
    for (let after = 0; ;) {
      const rows = await typed
        .selectFrom('alerts')
        .select(['id', 'created_at', 'entities'])
        .where('id', '>', after)
        .orderBy('id')
        .limit(2000)
        .execute();
      if (rows.length === 0) break;
      const values = rows.flatMap((row) => {
        const entities = JSON.parse(row.entities) as { key: string; type: string }[];
        const device = deviceHashOf(entities);
        return [...new Set(entities.map((entity) => entityHash(entity.key)))].map((hash) => ({
          entity_hash: hash,
          at: Number(row.created_at),
          alert_id: Number(row.id),
          device_hash: device,
        }));
      });
      for (let start = 0; start < values.length; start += 2000)
        await typed
          .insertInto('alert_entities_new')
          .values(values.slice(start, start + 2000))
          .onConflict((conflict) => conflict.doNothing())
          .execute();
      after = Number(rows[rows.length - 1]?.id);
    }
    await db.schema.dropTable('alert_entities').execute();
    await db.schema.alterTable('alert_entities_new').renameTo('alert_entities').execute();
    // A merge re-points the incidents merged into the one it redirects: found by index, not by a scan.
    await db.schema
      .createIndex('incidents_redirect_idx')
      .on('incidents')
      .column('redirect_to')
      .where(sql.ref('redirect_to'), 'is not', null)
      .execute();
  },
  async down(db: Kysely<unknown>): Promise<void> {
    await sql`drop index if exists incidents_redirect_idx`.execute(db);
    await db.schema
      .createTable('alert_entities_old')
      .addColumn('entity_hash', 'bigint', (column) => column.notNull())
      .addColumn('alert_id', 'bigint', (column) => column.notNull())
      .addPrimaryKeyConstraint('alert_entities_pk', ['entity_hash', 'alert_id'])
      .modifyEnd(withoutRowid(db))
      .execute();
    await sql`insert into alert_entities_old (entity_hash, alert_id) select distinct entity_hash, alert_id from alert_entities`.execute(
      db,
    );
    await db.schema.dropTable('alert_entities').execute();
    await db.schema.alterTable('alert_entities_old').renameTo('alert_entities').execute();
  },
};
