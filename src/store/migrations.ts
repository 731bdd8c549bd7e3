/**
 * Schema migrations, in order. They run on every start (`migrateToLatest` is idempotent) and never change once
 * released: a change to the schema is a new migration at the end of the list.
 */
import { sql, type Kysely, type Migration, type MigrationProvider } from 'kysely';

export const migrations: Record<string, Migration> = {
  '0001_alerts_and_tokens': {
    async up(db: Kysely<unknown>): Promise<void> {
      await db.schema
        .createTable('alerts')
        .addColumn('id', 'text', (column) => column.primaryKey())
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
      await db.schema
        .createIndex('alerts_created_at_idx')
        .on('alerts')
        .columns(['created_at', 'id'])
        .execute();
      await db.schema.createIndex('alerts_incident_idx').on('alerts').column('incident_id').execute();

      await db.schema
        .createTable('alert_entities')
        .addColumn('alert_id', 'text', (column) =>
          column.notNull().references('alerts.id').onDelete('cascade'),
        )
        .addColumn('entity_key', 'text', (column) => column.notNull())
        .addColumn('entity_type', 'text', (column) => column.notNull())
        .addPrimaryKeyConstraint('alert_entities_pk', ['alert_id', 'entity_key'])
        .execute();
      await db.schema
        .createIndex('alert_entities_key_idx')
        .on('alert_entities')
        .columns(['entity_key', 'alert_id'])
        .execute();

      await db.schema
        .createTable('entity_aliases')
        .addColumn('alias_key', 'text', (column) => column.primaryKey())
        .addColumn('entity_key', 'text')
        .addColumn('updated_at', 'bigint', (column) => column.notNull())
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
  },
};

export const migrationProvider: MigrationProvider = {
  getMigrations: () => Promise.resolve(migrations),
};
