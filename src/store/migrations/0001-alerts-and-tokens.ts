import { sql, type Kysely } from 'kysely';
import type { Migration } from 'kysely/migration';
import { isSqlite, withoutRowid } from './dialect.js';

/** Migration 0001_alerts_and_tokens. */
export const migration: Migration = {
  async up(db: Kysely<unknown>): Promise<void> {
    await db.schema
      .createTable('alerts')
      // SQLite: the rowid itself. PostgreSQL: an identity column.
      .addColumn('id', isSqlite(db) ? 'integer' : 'bigint', (column) =>
        isSqlite(db) ? column.primaryKey() : column.primaryKey().generatedByDefaultAsIdentity(),
      )
      .addColumn('source', 'text', (column) => column.notNull())
      .addColumn('source_ref', 'text', (column) => column.notNull())
      .addColumn('title', 'text', (column) => column.notNull())
      .addColumn('description', 'text')
      .addColumn('severity', 'text', (column) => column.notNull())
      .addColumn('severity_rank', 'integer', (column) => column.notNull())
      .addColumn('category', 'text')
      .addColumn('detector', 'text')
      .addColumn('mitre_techniques', 'text', (column) => column.notNull())
      .addColumn('created_at', 'bigint', (column) => column.notNull())
      .addColumn('first_activity_at', 'bigint')
      .addColumn('last_activity_at', 'bigint')
      .addColumn('ingested_at', 'bigint', (column) => column.notNull())
      .addColumn('updated_at', 'bigint', (column) => column.notNull())
      .addColumn('incident_id', 'text')
      .addColumn('entities', 'text', (column) => column.notNull())
      .addColumn('raw', 'text')
      .addColumn('format', 'text', (column) => column.notNull())
      .addUniqueConstraint('alerts_source_ref_unique', ['source', 'source_ref'])
      .execute();
    await db.schema.createIndex('alerts_created_at_idx').on('alerts').columns(['created_at', 'id']).execute();
    // Partial: alerts arrive without an incident, and should not pay for an index entry until they join one.
    await db.schema
      .createIndex('alerts_incident_idx')
      .on('alerts')
      .column('incident_id')
      .where(sql.ref('incident_id'), 'is not', null)
      .execute();

    // The entity index (store/entity-index.ts), clustered on (entity_hash, alert_id): "which alerts name this
    // entity" is one range scan. The other direction is the alert's own entities column.
    await db.schema
      .createTable('alert_entities')
      .addColumn('entity_hash', 'bigint', (column) => column.notNull())
      .addColumn('alert_id', 'bigint', (column) => column.notNull())
      .addPrimaryKeyConstraint('alert_entities_pk', ['entity_hash', 'alert_id'])
      .modifyEnd(withoutRowid(db))
      .execute();

    await db.schema
      .createTable('entity_aliases')
      .addColumn('alias_key', 'text', (column) => column.primaryKey())
      .addColumn('entity_key', 'text')
      .addColumn('updated_at', 'bigint', (column) => column.notNull())
      .modifyEnd(withoutRowid(db))
      .execute();

    await db.schema
      .createTable('api_tokens')
      .addColumn('id', 'text', (column) => column.primaryKey())
      .addColumn('name', 'text', (column) => column.notNull().unique())
      .addColumn('role', 'text', (column) => column.notNull())
      .addColumn('token_hash', 'text', (column) => column.notNull().unique())
      .addColumn('created_at', 'bigint', (column) => column.notNull())
      .addColumn('last_used_at', 'bigint')
      .addColumn('revoked_at', 'bigint')
      .execute();
  },
  async down(db: Kysely<unknown>): Promise<void> {
    for (const table of ['api_tokens', 'entity_aliases', 'alert_entities', 'alerts']) {
      await sql`drop table if exists ${sql.table(table)}`.execute(db);
    }
  },
};
