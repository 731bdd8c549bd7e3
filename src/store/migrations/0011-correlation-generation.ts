import { sql, type Kysely } from 'kysely';
import type { Migration } from 'kysely/migration';

/** Migration 0011_correlation_generation. */
export const migration: Migration = {
  async up(db: Kysely<unknown>): Promise<void> {
    // One row: a counter bumped by every write that changes the entity index rows of alerts in incidents (a
    // correlation step, an alert stored again). A correlating process that holds those timelines in memory knows
    // from it whether anyone else changed them since its last step.
    await db.schema
      .createTable('correlation_state')
      .addColumn('id', 'integer', (column) => column.primaryKey())
      .addColumn('generation', 'bigint', (column) => column.notNull())
      .execute();
    await sql`insert into correlation_state (id, generation) values (1, 0)`.execute(db);
  },
  async down(db: Kysely<unknown>): Promise<void> {
    await db.schema.dropTable('correlation_state').execute();
  },
};
