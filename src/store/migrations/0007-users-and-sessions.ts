import { sql, type Kysely } from 'kysely';
import type { Migration } from 'kysely/migration';
import { withoutRowid } from './dialect.js';

/** Migration 0007_users_and_sessions. */
export const migration: Migration = {
  async up(db: Kysely<unknown>): Promise<void> {
    // Local accounts for the web UI. The password is an argon2id PHC string (api/passwords.ts), never returned.
    await db.schema
      .createTable('users')
      .addColumn('id', 'text', (column) => column.primaryKey())
      .addColumn('username', 'text', (column) => column.notNull().unique())
      .addColumn('password_hash', 'text', (column) => column.notNull())
      .addColumn('role', 'text', (column) => column.notNull())
      .addColumn('created_at', 'bigint', (column) => column.notNull())
      .addColumn('updated_at', 'bigint', (column) => column.notNull())
      .addColumn('disabled_at', 'bigint')
      .addColumn('last_login_at', 'bigint')
      .execute();
    // Signed-in browsers. The key is the sha256 of the cookie's 256-bit random id: a copy of this table does not
    // let anyone sign in. `principal` is `user:<name>` or `token:<name>`.
    await db.schema
      .createTable('sessions')
      .addColumn('id_hash', 'text', (column) => column.primaryKey())
      .addColumn('principal', 'text', (column) => column.notNull())
      .addColumn('role', 'text', (column) => column.notNull())
      .addColumn('csrf_token', 'text', (column) => column.notNull())
      .addColumn('created_at', 'bigint', (column) => column.notNull())
      .addColumn('expires_at', 'bigint', (column) => column.notNull())
      .addColumn('last_seen_at', 'bigint', (column) => column.notNull())
      .modifyEnd(withoutRowid(db))
      .execute();
    await db.schema.createIndex('sessions_principal_idx').on('sessions').column('principal').execute();
    // Failed sign-ins per user name, for brute-force damping: in the store, so that every API process on one
    // PostgreSQL sees the same count.
    await db.schema
      .createTable('sign_in_failures')
      .addColumn('username', 'text', (column) => column.primaryKey())
      .addColumn('failures', 'integer', (column) => column.notNull())
      .addColumn('window_start', 'bigint', (column) => column.notNull())
      .addColumn('locked_until', 'bigint')
      .modifyEnd(withoutRowid(db))
      .execute();
  },
  async down(db: Kysely<unknown>): Promise<void> {
    for (const table of ['sign_in_failures', 'sessions', 'users'])
      await sql`drop table if exists ${sql.table(table)}`.execute(db);
  },
};
