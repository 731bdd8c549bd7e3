/**
 * Once per test run: find a PostgreSQL server for the store tests. `AUTOIR_TEST_DATABASE_URL` when given (CI
 * gives 127.0.0.1:5432/test); otherwise a throwaway cluster. Every test store then lives in a schema of its own.
 */
import { execFileSync } from 'node:child_process';
import path from 'node:path';
import pg from 'pg';
import type { TestProject } from 'vitest/node';
import { startThrowawayCluster, type Cluster } from './postgres-cluster.js';

declare module 'vitest' {
  export interface ProvidedContext {
    postgresUrl: string;
  }
}

let cluster: Cluster | undefined;

const root = path.resolve(import.meta.dirname, '../..');

export async function setup(project: TestProject): Promise<void> {
  // End-to-end tests run the built command, as a user would: build it first.
  try {
    execFileSync(path.join(root, 'node_modules/.bin/tsc'), ['-p', path.join(root, 'tsconfig.build.json')], {
      stdio: 'pipe',
    });
    // The web UI too: the browser tests load it from `autoir serve`.
    execFileSync(
      path.join(root, 'node_modules/.bin/vite'),
      ['build', '--config', path.join(root, 'web/vite.config.ts'), '--logLevel', 'error'],
      { stdio: 'pipe' },
    );
  } catch (error) {
    throw new Error(
      `the build failed, so the end-to-end tests cannot run:\n${(error as { stdout?: Buffer }).stdout?.toString() ?? ''}`,
    );
  }

  let url = process.env.AUTOIR_TEST_DATABASE_URL?.trim();
  if (!url) {
    cluster = await startThrowawayCluster();
    url = cluster.url;
  }
  const client = new pg.Client({ connectionString: url });
  try {
    await client.connect();
    await client.query('select 1');
  } catch (error) {
    throw new Error(
      `PostgreSQL at ${url.replace(/:[^:@/]*@/, ':***@')} does not answer (${(error as Error).message}). Start it ` +
        '(here: pg_ctlcluster --skip-systemctl-redirect $(ls /etc/postgresql) main start) or unset ' +
        'AUTOIR_TEST_DATABASE_URL to let the tests start a throwaway cluster.',
    );
  } finally {
    await client.end().catch(() => undefined);
  }
  project.provide('postgresUrl', url);
}

export function teardown(): void {
  cluster?.stop();
  cluster = undefined;
}
