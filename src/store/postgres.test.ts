import { sql } from 'kysely';
import { describe, expect, inject, it } from 'vitest';
import { createPostgresKysely } from './postgres.js';

describe('PostgreSQL connections', () => {
  it('prepare each statement with parameters once by name, and plan each run for its own parameters', async () => {
    const db = await createPostgresKysely({ url: inject('postgresUrl'), maxConnections: 1 });
    try {
      // A plan made once for any parameters took seconds for an entity named by a million events (docs/benchmarks.md).
      const mode = await sql<{ plan_cache_mode: string }>`show plan_cache_mode`.execute(db);
      expect(mode.rows[0]?.plan_cache_mode).toBe('force_custom_plan');
      await db.connection().execute(async (connection) => {
        for (const value of [1, 2, 3]) await sql`select ${value}::int + 40 as answer`.execute(connection);
        const prepared = await sql<{
          name: string;
          count: number;
        }>`select name, count(*) over ()::int as count
          from pg_prepared_statements where statement = 'select $1::int + 40 as answer'`.execute(connection);
        expect(prepared.rows).toHaveLength(1);
        expect(prepared.rows[0]?.name).toMatch(/^autoir_\d+$/);
      });
    } finally {
      await db.destroy();
    }
  });

  it("compress large values with LZ4 where the server has it (Debian's does)", async () => {
    const db = await createPostgresKysely({ url: inject('postgresUrl'), maxConnections: 1 });
    try {
      const methods = await sql<{ lz4: boolean }>`
        select 'lz4' = any(enumvals) as lz4 from pg_settings where name = 'default_toast_compression'`.execute(
        db,
      );
      // CI's server is Debian's PostgreSQL, built with LZ4: the test must not pass by finding it absent.
      expect(methods.rows[0]?.lz4).toBe(true);
      await db.connection().execute(async (connection) => {
        await sql`create temporary table big (raw bytea)`.execute(connection);
        await sql`insert into big values (${Buffer.from('{"event":"x"} '.repeat(400))})`.execute(connection);
        const stored = await sql<{
          method: string;
        }>`select pg_column_compression(raw) as method from big`.execute(connection);
        expect(stored.rows[0]?.method).toBe('lz4');
      });
    } finally {
      await db.destroy();
    }
  });
});
