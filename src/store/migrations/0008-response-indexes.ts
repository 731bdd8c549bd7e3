import { sql, type Kysely } from 'kysely';
import type { Migration } from 'kysely/migration';

/** Migration 0008_response_indexes. */
export const migration: Migration = {
  async up(db: Kysely<unknown>): Promise<void> {
    // Every worker pass asks for proposals not yet planned: only those rows are indexed.
    await db.schema
      .createIndex('proposed_actions_pending_idx')
      .on('proposed_actions')
      .column('id')
      .where(sql.ref('status'), '=', 'proposed')
      .execute();
    // Live updates ask every second for the latest change (max(updated_at)): an index answers from its end.
    await db.schema
      .createIndex('investigations_updated_idx')
      .on('investigations')
      .column('updated_at')
      .execute();
    await db.schema.createIndex('actions_updated_idx').on('actions').column('updated_at').execute();
  },
  async down(db: Kysely<unknown>): Promise<void> {
    for (const index of ['actions_updated_idx', 'investigations_updated_idx', 'proposed_actions_pending_idx'])
      await sql`drop index if exists ${sql.raw(index)}`.execute(db);
  },
};
