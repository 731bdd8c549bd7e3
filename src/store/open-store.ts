/**
 * Opening the store: SQLite in the data directory by default, PostgreSQL when a URL is given. Migrations run
 * every time (they are idempotent), so a new version upgrades the schema on its first start.
 */
import { sql, type Kysely } from 'kysely';
import { Migrator } from 'kysely/migration';
import { AutoirError } from '../domain/errors.js';
import type { RunMany } from './bulk-insert.js';
import type { RowTable } from './row-table.js';
import { createKyselyStore } from './kysely-store.js';
import { migrationProvider } from './migrations.js';
import type { Store } from './ports.js';
import { createPostgresKysely } from './postgres.js';
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
    await migrate(db, config.kind === 'postgres' ? await postgresSchema(db, config.schema) : undefined);
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
  return createKyselyStore(db, { dialect: config.kind, location, runMany, rowTable });
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
  const { error, results } = await migrator.migrateToLatest();
  if (error) {
    const failed = results?.find((result) => result.status === 'Error');
    throw new Error(
      `migration ${failed?.migrationName ?? '?'} failed: ${(error as Error).message ?? String(error)}`,
    );
  }
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
