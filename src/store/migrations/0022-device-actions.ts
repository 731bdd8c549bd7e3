import type { Kysely } from 'kysely';
import type { Migration } from 'kysely/migration';

/** Migration 0022_device_actions: a device's actions (its page in the UI, `GET /api/v1/actions?device=…`). */
export const migration: Migration = {
  async up(db: Kysely<unknown>): Promise<void> {
    await db.schema.createIndex('actions_device_idx').on('actions').columns(['device_key', 'id']).execute();
  },
  async down(db: Kysely<unknown>): Promise<void> {
    await db.schema.dropIndex('actions_device_idx').execute();
  },
};
