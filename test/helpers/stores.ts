/**
 * Fresh stores for tests, on both backends: SQLite in a temporary directory, PostgreSQL in a schema of its own
 * (dropped afterwards), so parallel runs and parallel test files never see each other's rows.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { inject } from 'vitest';
import { openStore, type StoreConfig } from '../../src/store/open-store.js';
import type { Store, StoreDialect } from '../../src/store/ports.js';

export const backends: readonly StoreDialect[] = ['sqlite', 'postgres'];

export interface TestStore {
  readonly store: Store;
  readonly config: StoreConfig;
  /** Environment variables that point a child `autoir` process at the same store. */
  readonly env: Record<string, string>;
  /** `--data` argument for a child process (SQLite only). */
  readonly dataDir: string | undefined;
  cleanup(): Promise<void>;
}

export async function createTestStore(dialect: StoreDialect): Promise<TestStore> {
  if (dialect === 'sqlite') {
    const dataDir = mkdtempSync(path.join(os.tmpdir(), 'autoir-test-'));
    const config: StoreConfig = { kind: 'sqlite', dataDir };
    const store = await openStore(config);
    return {
      store,
      config,
      env: { AUTOIR_DATA: dataDir },
      dataDir,
      async cleanup() {
        await store.close();
        rmSync(dataDir, { recursive: true, force: true });
      },
    };
  }
  const url = inject('postgresUrl');
  const schema = `autoir_test_${process.pid}_${randomBytes(5).toString('hex')}`;
  const config: StoreConfig = { kind: 'postgres', url, schema, maxConnections: 4 };
  const store = await openStore(config);
  return {
    store,
    config,
    env: { AUTOIR_DATABASE_URL: url, AUTOIR_DATABASE_SCHEMA: schema },
    dataDir: undefined,
    async cleanup() {
      await store.close();
      const client = new pg.Client({ connectionString: url });
      await client.connect();
      try {
        await client.query(`drop schema if exists "${schema}" cascade`);
      } finally {
        await client.end();
      }
    },
  };
}
