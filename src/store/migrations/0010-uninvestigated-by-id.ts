import { sql, type Kysely } from 'kysely';
import type { Migration } from 'kysely/migration';

/** Migration 0010_uninvestigated_by_id. */
export const migration: Migration = {
  async up(db: Kysely<unknown>): Promise<void> {
    // Alerts correlated and not yet investigated, oldest first (the trigger's order), keyed by id alone: putting
    // an alert in an incident appends an entry, and a merge (which changes the incident) leaves it alone — keyed
    // by incident, each of those moved an entry across the index.
    await sql`drop index if exists alerts_uninvestigated_idx`.execute(db);
    await db.schema
      .createIndex('alerts_uninvestigated_idx')
      .on('alerts')
      .column('id')
      .where(sql<boolean>`investigated = 0 and incident_id is not null`)
      .execute();
  },
  async down(db: Kysely<unknown>): Promise<void> {
    await sql`drop index if exists alerts_uninvestigated_idx`.execute(db);
    await db.schema
      .createIndex('alerts_uninvestigated_idx')
      .on('alerts')
      .columns(['incident_id', 'id'])
      .where(sql.ref('investigated'), '=', 0)
      .execute();
  },
};
