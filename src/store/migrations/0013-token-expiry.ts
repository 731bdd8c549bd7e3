import type { Kysely } from 'kysely';
import type { Migration } from 'kysely/migration';

/** Migration 0013_token_expiry. */
export const migration: Migration = {
  async up(db: Kysely<unknown>): Promise<void> {
    // When an API token stops working (epoch ms); null for a token that lives until it is revoked.
    await db.schema.alterTable('api_tokens').addColumn('expires_at', 'bigint').execute();
  },
  async down(db: Kysely<unknown>): Promise<void> {
    await db.schema.alterTable('api_tokens').dropColumn('expires_at').execute();
  },
};
