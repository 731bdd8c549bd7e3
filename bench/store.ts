/**
 * A fresh store for a benchmark: SQLite in a directory of the run, or PostgreSQL in a schema of its own
 * (AUTOIR_BENCH_DATABASE_URL, AUTOIR_TEST_DATABASE_URL, or the local server), dropped when closed.
 */
import { randomBytes } from 'node:crypto';
import path from 'node:path';
import { openStore, type StoreConfig } from '../src/store/open-store.js';
import type { Store } from '../src/store/ports.js';

export interface BenchStore {
  readonly store: Store;
  /** How other processes reach the same store (`AUTOIR_DATABASE_URL` and `_SCHEMA`; `AUTOIR_DATA`). */
  readonly env: Record<string, string>;
  /** Close the store, and drop its PostgreSQL schema. */
  close(): Promise<void>;
}

export async function openBenchStore(backend: 'sqlite' | 'postgres', dir: string): Promise<BenchStore> {
  if (backend === 'sqlite') {
    const dataDir = path.join(dir, 'data');
    const store = await openStore({ kind: 'sqlite', dataDir });
    return { store, env: { AUTOIR_DATA: dataDir }, close: () => store.close() };
  }
  const url =
    process.env.AUTOIR_BENCH_DATABASE_URL ??
    process.env.AUTOIR_TEST_DATABASE_URL ??
    'postgres://postgres@127.0.0.1:5432/test';
  const schema = `autoir_bench_${randomBytes(4).toString('hex')}`;
  const config: StoreConfig = { kind: 'postgres', url, schema };
  const store = await openStore(config);
  return {
    store,
    env: { AUTOIR_DATABASE_URL: url, AUTOIR_DATABASE_SCHEMA: schema },
    async close() {
      await store.close();
      if (process.env.AUTOIR_BENCH_KEEP === '1') {
        process.stderr.write(`kept schema ${schema}\n`);
        return;
      }
      const pg = (await import('pg')).default;
      const client = new pg.Client({ connectionString: url });
      await client.connect();
      try {
        await client.query(`drop schema "${schema}" cascade`);
      } finally {
        await client.end();
      }
    },
  };
}
