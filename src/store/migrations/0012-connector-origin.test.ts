/**
 * Migration 0012 on both backends: connectors stored before it are judged by who last wrote them, as the audit log
 * says — the CLI (`cli:…`) or autoir itself (`system:…`) is the host; a token, a user or nobody known is the API.
 */
import { sql, type Kysely } from 'kysely';
import { describe, expect, it } from 'vitest';
import { backends, createTestStore } from '../../../test/helpers/stores.js';
import { createPostgresKysely } from '../postgres.js';
import type { Database } from '../schema.js';
import { createSqliteKysely } from '../sqlite.js';
import { migration } from './0012-connector-origin.js';

describe.each(backends)('migration 0012 (where a connector was defined) on %s', (dialect) => {
  it('marks connectors last written by the CLI or autoir as defined on the host, the others through the API', async () => {
    const t = await createTestStore(dialect);
    const config = t.config;
    const db: Kysely<Database> =
      config.kind === 'sqlite'
        ? createSqliteKysely({ dataDir: config.dataDir }).db
        : await createPostgresKysely(config);
    try {
      await migration.down!(db as Kysely<unknown>);
      const writers: Record<string, string[]> = {
        fromcli: ['token:root', 'cli:alice'],
        demo: ['system:demo'],
        fromapi: ['cli:alice', 'user:bob'],
        unknown: [],
      };
      for (const [name, actors] of Object.entries(writers)) {
        await sql`insert into connectors (name, config, created_at, updated_at)
                  values (${name}, ${JSON.stringify({ name, kind: 'command' })}, 1, 1)`.execute(db);
        for (const actor of actors)
          await sql`insert into audit_log (at, actor, operation, target)
                    values (1, ${actor}, 'connector.update', ${`connector:${name}`})`.execute(db);
      }
      await migration.up(db as Kysely<unknown>);
      const rows = await t.store.policy.listConnectors();
      expect(Object.fromEntries(rows.map((row) => [row.name, row.definedOn]))).toEqual({
        fromcli: 'host',
        demo: 'host',
        fromapi: 'api',
        unknown: 'api',
      });
    } finally {
      await db.destroy();
      await t.cleanup();
    }
  });
});
