import { sql, type Kysely } from 'kysely';
import type { Migration } from 'kysely/migration';

/** Migration 0012_connector_origin. */
export const migration: Migration = {
  async up(db: Kysely<unknown>): Promise<void> {
    // Where a stored connector was defined: `host` (the CLI run on the server) or `api`. A kind that runs programs
    // on the server runs only when defined on the host. Rows from before are judged by who last wrote them, as the
    // audit log says (`cli:<user>` and `system:…` are the host; anything else, or nothing, the API).
    await db.schema
      .alterTable('connectors')
      .addColumn('defined_on', 'text', (column) => column.notNull().defaultTo('api'))
      .execute();
    const lastWriter = sql`(
      select actor from audit_log where target = 'connector:' || connectors.name order by id desc limit 1
    )`;
    await sql`
      update connectors set defined_on = 'host' where ${lastWriter} like 'cli:%' or ${lastWriter} like 'system:%'
    `.execute(db);
  },
  async down(db: Kysely<unknown>): Promise<void> {
    await db.schema.alterTable('connectors').dropColumn('defined_on').execute();
  },
};
