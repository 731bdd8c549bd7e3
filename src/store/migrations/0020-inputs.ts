import type { Kysely } from 'kysely';
import type { Migration } from 'kysely/migration';

/**
 * Migration 0020_inputs: the configured inputs' state as the process running each reports it (every few seconds),
 * and which process holds each — an input runs in one process of a deployment at a time; another takes it over
 * when the holder stops reporting.
 */
export const migration: Migration = {
  async up(db: Kysely<unknown>): Promise<void> {
    await db.schema
      .createTable('inputs')
      .addColumn('name', 'text', (column) => column.primaryKey())
      .addColumn('kind', 'text', (column) => column.notNull())
      .addColumn('owner', 'text')
      .addColumn('state', 'text', (column) => column.notNull())
      .addColumn('detail', 'text')
      .addColumn('stats', 'text', (column) => column.notNull())
      .addColumn('started_at', 'bigint')
      .addColumn('heartbeat_at', 'bigint', (column) => column.notNull())
      .execute();
  },
  async down(db: Kysely<unknown>): Promise<void> {
    await db.schema.dropTable('inputs').execute();
  },
};
