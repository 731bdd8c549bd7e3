import { sql, type Kysely } from 'kysely';
import type { Migration } from 'kysely/migration';
import { isSqlite, withoutRowid } from './dialect.js';

/** Migration 0004_incidents. */
export const migration: Migration = {
  async up(db: Kysely<unknown>): Promise<void> {
    const id = (table: ReturnType<Kysely<unknown>['schema']['createTable']>) =>
      table.addColumn('id', isSqlite(db) ? 'integer' : 'bigint', (column) =>
        isSqlite(db) ? column.primaryKey() : column.primaryKey().generatedByDefaultAsIdentity(),
      );
    await id(db.schema.createTable('incidents'))
      .addColumn('title', 'text', (column) => column.notNull())
      .addColumn('severity', 'text', (column) => column.notNull())
      .addColumn('severity_rank', 'integer', (column) => column.notNull())
      .addColumn('status', 'text', (column) => column.notNull())
      .addColumn('redirect_to', 'bigint')
      .addColumn('classification', 'text', (column) => column.notNull())
      .addColumn('determination', 'text')
      .addColumn('assignee', 'text')
      .addColumn('tags', 'text', (column) => column.notNull())
      .addColumn('alert_count', 'integer', (column) => column.notNull())
      .addColumn('first_activity_at', 'bigint', (column) => column.notNull())
      .addColumn('last_activity_at', 'bigint', (column) => column.notNull())
      .addColumn('entities', 'text', (column) => column.notNull())
      .addColumn('created_at', 'bigint', (column) => column.notNull())
      .addColumn('updated_at', 'bigint', (column) => column.notNull())
      .addColumn('analyst_updated_at', 'bigint')
      .addColumn('origin_alert_id', 'bigint', (column) => column.notNull())
      .addColumn('lead_title', 'text', (column) => column.notNull())
      .addColumn('devices', 'text', (column) => column.notNull())
      .execute();
    // Alerts waiting for correlation, oldest first: a partial index, empty when correlation has caught up.
    await db.schema
      .createIndex('alerts_pending_idx')
      .on('alerts')
      .columns(['created_at', 'id'])
      .where(sql.ref('incident_id'), 'is', null)
      .execute();
    await db.schema
      .createIndex('incidents_activity_idx')
      .on('incidents')
      .columns(['last_activity_at', 'id'])
      .execute();
    await db.schema
      .createTable('incident_links')
      .addColumn('alert_id', 'bigint', (column) => column.notNull())
      .addColumn('other_alert_id', 'bigint', (column) => column.notNull())
      .addColumn('entity_key', 'text', (column) => column.notNull())
      .addColumn('created_at', 'bigint', (column) => column.notNull())
      .addPrimaryKeyConstraint('incident_links_pk', ['alert_id', 'other_alert_id'])
      .modifyEnd(withoutRowid(db))
      .execute();
    await db.schema
      .createIndex('incident_links_other_idx')
      .on('incident_links')
      .column('other_alert_id')
      .execute();
    await db.schema
      .createTable('incident_merges')
      .addColumn('from_id', 'bigint', (column) => column.notNull())
      .addColumn('to_id', 'bigint', (column) => column.notNull())
      .addColumn('merged_at', 'bigint', (column) => column.notNull())
      .addColumn('alert_id', 'bigint')
      .addColumn('entity_key', 'text')
      .execute();
    await db.schema.createIndex('incident_merges_to_idx').on('incident_merges').column('to_id').execute();
    await id(db.schema.createTable('incident_comments'))
      .addColumn('incident_id', 'bigint', (column) => column.notNull())
      .addColumn('author', 'text', (column) => column.notNull())
      .addColumn('text', 'text', (column) => column.notNull())
      .addColumn('created_at', 'bigint', (column) => column.notNull())
      .execute();
    await db.schema
      .createIndex('incident_comments_incident_idx')
      .on('incident_comments')
      .columns(['incident_id', 'id'])
      .execute();
  },
  async down(db: Kysely<unknown>): Promise<void> {
    for (const table of ['incident_comments', 'incident_merges', 'incident_links', 'incidents']) {
      await sql`drop table if exists ${sql.table(table)}`.execute(db);
    }
  },
};
