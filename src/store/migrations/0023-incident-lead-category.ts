import type { Kysely } from 'kysely';
import type { Migration } from 'kysely/migration';

/**
 * Migration 0023_incident_lead_category: the category of the alert leading an incident's title, so that among
 * alerts of one severity the one that says most (credential theft before a cleared log) leads, across merges too.
 * Incidents stored before keep theirs until an alert joins.
 */
export const migration: Migration = {
  async up(db: Kysely<unknown>): Promise<void> {
    await db.schema.alterTable('incidents').addColumn('lead_category', 'text').execute();
  },
  async down(db: Kysely<unknown>): Promise<void> {
    await db.schema.alterTable('incidents').dropColumn('lead_category').execute();
  },
};
