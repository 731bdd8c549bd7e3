import { sql, type Kysely } from 'kysely';
import type { Migration } from 'kysely/migration';

/** Migration 0014_evidence_aliases. */
export const migration: Migration = {
  async up(db: Kysely<unknown>): Promise<void> {
    // JSON array: the other keys of the same real-world thing merged into this evidence (domain/same-thing.ts).
    await db.schema
      .alterTable('investigation_evidence')
      .addColumn('aliases', 'text', (column) => column.notNull().defaultTo(sql`'[]'`))
      .execute();
  },
  async down(db: Kysely<unknown>): Promise<void> {
    await db.schema.alterTable('investigation_evidence').dropColumn('aliases').execute();
  },
};
