/**
 * Opening the store: SQLite in the data directory by default, PostgreSQL when a URL is given. Migrations run
 * every time (they are idempotent), so a new version upgrades the schema on its first start.
 */
import { readFileSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { sql, type Kysely } from 'kysely';
import { Migrator } from 'kysely/migration';
import { AutoirError } from '../domain/errors.js';
import type { RunMany } from './bulk-insert.js';
import type { RowTable } from './row-table.js';
import { isAlive } from './claims.js';
import { createKyselyStore } from './kysely-store.js';
import { migrationProvider } from './migrations.js';
import type { ConnectionStats, Store } from './ports.js';
import { createPostgresKysely, poolStats } from './postgres.js';
import type { Database } from './schema.js';
import { createSqliteKysely } from './sqlite.js';

export type StoreConfig =
  | { readonly kind: 'sqlite'; readonly dataDir: string }
  | {
      readonly kind: 'postgres';
      readonly url: string;
      readonly schema?: string;
      readonly maxConnections?: number;
    };

export async function openStore(config: StoreConfig): Promise<Store> {
  let db: Kysely<Database>;
  let location: string;
  let runMany: RunMany | undefined;
  let rowTable: RowTable | undefined;
  try {
    if (config.kind === 'sqlite') {
      const opened = createSqliteKysely({ dataDir: config.dataDir });
      db = opened.db;
      location = opened.file;
      runMany = opened.runMany;
      rowTable = opened.rowTable;
    } else {
      db = await createPostgresKysely(config);
      location = redactUrl(config.url) + (config.schema ? ` (schema ${config.schema})` : '');
    }
  } catch (error) {
    throw new AutoirError(
      'AUTOIR_E_STORE_UNAVAILABLE',
      `cannot open the store: ${(error as Error).message}`,
      { cause: error },
    );
  }
  try {
    if (config.kind === 'postgres') await migrate(db, await postgresSchema(db, config.schema));
    else if (location === ':memory:') await migrate(db);
    // Kysely takes no lock on SQLite: processes opening one data directory at once take turns through a lock file.
    else await withLockFile(path.join(config.dataDir, MIGRATION_LOCK), () => migrate(db));
  } catch (error) {
    await db.destroy().catch(() => undefined);
    throw new AutoirError(
      'AUTOIR_E_STORE_UNAVAILABLE',
      `cannot open the store at ${location}: ${(error as Error).message}`,
      {
        cause: error,
      },
    );
  }
  const pooled = db;
  return createKyselyStore(db, {
    dialect: config.kind,
    location,
    runMany,
    rowTable,
    ...(config.kind === 'postgres'
      ? {
          connections: () => poolStats(pooled) as ConnectionStats,
          partitionConnection: () => createPostgresKysely({ ...config, maxConnections: 1 }),
        }
      : {}),
  });
}

const MIGRATION_LOCK = 'migrate.lock';

/**
 * Run `work` holding `file`, made with O_EXCL (the one that makes it holds it; the others wait and try again). A
 * lock whose process is gone (killed mid-migration) is taken over; after 60 s of waiting, an error.
 */
export async function withLockFile<T>(file: string, work: () => Promise<T>, timeoutMs = 60_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    try {
      writeFileSync(file, String(process.pid), { flag: 'wx', mode: 0o600 });
      break;
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
      let holder: number;
      try {
        holder = Number(readFileSync(file, 'utf8').trim() || NaN);
      } catch (again) {
        if ((again as NodeJS.ErrnoException).code === 'ENOENT') continue; // released meanwhile
        throw again;
      }
      if (Number.isInteger(holder) && !isAlive(holder)) {
        rmSync(file, { force: true });
        continue;
      }
      if (Date.now() > deadline)
        throw new Error(`${file}: held by process ${holder} for more than ${timeoutMs / 1000} s`);
      await new Promise((resolve) => setTimeout(resolve, 25 + Math.random() * 50));
    }
  }
  try {
    return await work();
  } finally {
    rmSync(file, { force: true });
  }
}

/** The schema autoir's tables live in: the configured one, else the connection's current schema. */
async function postgresSchema(db: Kysely<Database>, configured: string | undefined): Promise<string> {
  if (configured) return configured;
  const result = await sql<{ schema: string }>`select current_schema() as schema`.execute(db);
  return result.rows[0]?.schema ?? 'public';
}

/**
 * Run the migrations. On PostgreSQL `schema` names where the migration bookkeeping lives: without it Kysely takes
 * bookkeeping tables of any schema in the database for its own, and a second autoir schema could not be created.
 */
export async function migrate(db: Kysely<Database>, schema?: string): Promise<void> {
  const migrator = new Migrator({
    db,
    provider: migrationProvider,
    ...(schema ? { migrationTableSchema: schema } : {}),
  });
  let { error, results } = await migrator.migrateToLatest();
  // Kysely looks for its bookkeeping tables by reading every table of the database; a schema another process drops
  // or a table of it dropped meanwhile (another autoir's, a test's) fails that read with "schema … does not exist" or
  // "relation schema.table does not exist". It is not ours: again.
  for (let attempt = 0; error && attempt < 5 && droppedMeanwhile(error, schema); attempt++) {
    await new Promise((resolve) => setTimeout(resolve, 50 * (attempt + 1)));
    ({ error, results } = await migrator.migrateToLatest());
  }
  if (error) {
    const failed = results?.find((result) => result.status === 'Error');
    throw new Error(
      `migration ${failed?.migrationName ?? '?'} failed: ${(error as Error).message ?? String(error)}`,
    );
  }
}

/** Whether `error` says another schema than `ours` vanished while the database's tables were being read. */
function droppedMeanwhile(error: unknown, ours: string | undefined): boolean {
  const message = (error as Error).message ?? '';
  const vanished =
    /schema "([^"]+)" does not exist/.exec(message)?.[1] ??
    // A table (a day's partition, another's bookkeeping table) of another schema, dropped between the listing and
    // the reading of its columns.
    /relation "([^".]+)\.[^"]+" does not exist/.exec(message)?.[1];
  return vanished !== undefined && vanished !== ours;
}

/** A connection URL without its password, for messages and logs. */
export function redactUrl(url: string): string {
  try {
    const parsed = new URL(url);
    if (parsed.password) parsed.password = '***';
    return parsed.toString();
  } catch {
    return '(unparseable URL)';
  }
}
