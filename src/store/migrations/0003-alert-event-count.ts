import { type Kysely } from 'kysely';
import type { Migration } from 'kysely/migration';

/** Migration 0003_alert_event_count. */
export const migration: Migration = {
  async up(db: Kysely<unknown>): Promise<void> {
    await db.schema
      .alterTable('alerts')
      .addColumn('event_count', 'integer', (column) => column.notNull().defaultTo(1))
      .execute();
  },
  async down(db: Kysely<unknown>): Promise<void> {
    await db.schema.alterTable('alerts').dropColumn('event_count').execute();
  },
};
