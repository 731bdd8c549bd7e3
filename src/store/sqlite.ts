/**
 * SQLite, the embedded default: one file in the data directory, WAL, `synchronous=FULL` so an acknowledged write
 * is on disk. Everything else about storage is dialect-agnostic (store/kysely-store.ts).
 */
import { chmodSync, closeSync, mkdirSync, openSync, statSync } from 'node:fs';
import path from 'node:path';
import BetterSqlite3 from 'better-sqlite3';
import {
  CompiledQuery,
  Kysely,
  SqliteDialect,
  type DatabaseConnection,
  type Dialect,
  type Driver,
  type SqliteDatabase,
  type SqliteStatement,
} from 'kysely';
import type { FlatRows, RunMany, Values } from './bulk-insert.js';
import { MAX_ROW_WIDTH, registryRowTable, rowFunctionName, type RowTable } from './row-table.js';
import type { Database } from './schema.js';
import { storableValues, textSafe } from './text.js';

export const SQLITE_FILE_NAME = 'autoir.db';

/**
 * better-sqlite3 behind Kysely's `SqliteDatabase` port, with a statement cache: Kysely prepares a statement for
 * every query, and preparing costs more than running a small insert. The cache keeps the most recently used
 * statements by SQL text.
 */
function withStatementCache(db: BetterSqlite3.Database, capacity = 256): SqliteDatabase {
  const cache = new Map<string, SqliteStatement>();
  return {
    close: () => db.close(),
    prepare(sqlText: string): SqliteStatement {
      const cached = cache.get(sqlText);
      if (cached) {
        // Re-insert to keep the map in least-recently-used order.
        cache.delete(sqlText);
        cache.set(sqlText, cached);
        return cached;
      }
      const statement = db.prepare(sqlText) as unknown as SqliteStatement;
      cache.set(sqlText, statement);
      if (cache.size > capacity) cache.delete(cache.keys().next().value as string);
      return statement;
    },
  };
}

/**
 * The data directory readable by its owner only (0700), the database 0600 — created so, and tightened when an
 * earlier release (or a loose umask) left them readable by others. SQLite creates the `-wal` and `-shm` files with
 * the database file's permissions.
 */
function keepPrivate(dataDir: string, file: string): void {
  mkdirSync(dataDir, { recursive: true, mode: 0o700 });
  closeSync(openSync(file, 'a', 0o600));
  const uid = process.getuid?.();
  for (const [target, mode] of [
    [dataDir, 0o700],
    [file, 0o600],
    [`${file}-wal`, 0o600],
    [`${file}-shm`, 0o600],
  ] as const) {
    try {
      const stats = statSync(target);
      // Only what this user owns: a directory shared on purpose by someone else is theirs to set.
      if ((stats.mode & 0o077) !== 0 && (uid === undefined || stats.uid === uid)) chmodSync(target, mode);
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
    }
  }
}

/**
 * Transactions that take the write lock when they begin (`BEGIN IMMEDIATE`). A deferred transaction that reads and
 * then writes while another process (the CLI beside `autoir serve`) has written since cannot wait for the lock — it
 * fails at once with "database is locked"; an immediate one waits (busy_timeout) and then sees the latest data.
 */
function immediate(dialect: Dialect): Dialect {
  return {
    createDriver: () => {
      const driver = dialect.createDriver();
      return new Proxy(driver, {
        get(target, property, receiver) {
          if (property === 'beginTransaction')
            return async (connection: DatabaseConnection) => {
              await connection.executeQuery(CompiledQuery.raw('begin immediate'));
            };
          const value = Reflect.get(target, property, receiver) as unknown;
          return typeof value === 'function'
            ? (value as (...args: unknown[]) => unknown).bind(target)
            : value;
        },
      }) as Driver;
    },
    createQueryCompiler: () => dialect.createQueryCompiler(),
    createAdapter: () => dialect.createAdapter(),
    createIntrospector: (db) => dialect.createIntrospector(db),
  };
}

export interface SqliteOptions {
  /** Directory holding `autoir.db`; created when missing. `:memory:` for a throwaway in-memory store. */
  readonly dataDir: string;
}

export function createSqliteKysely(options: SqliteOptions): {
  db: Kysely<Database>;
  file: string;
  runMany: RunMany;
  rowTable: RowTable;
} {
  const file = options.dataDir === ':memory:' ? ':memory:' : path.join(options.dataDir, SQLITE_FILE_NAME);
  if (file !== ':memory:') keepPrivate(options.dataDir, file);
  const raw = new BetterSqlite3(file);
  // 16 KiB pages for a new database: event rows of 1–3 KiB pack several to a page instead of one to a 4 KiB page
  // with the rest wasted (ingest writes about a third fewer bytes). No effect on an existing database.
  raw.pragma('page_size = 16384');
  raw.pragma('journal_mode = WAL');
  raw.pragma('synchronous = FULL');
  raw.pragma('foreign_keys = ON');
  raw.pragma('busy_timeout = 10000');
  raw.pragma('cache_size = -131072');
  // Checkpoint every 64 MiB of WAL rather than every 4 MiB: index pages touched by many commits are copied back
  // once, not each time. The WAL is truncated back to 64 MiB after a checkpoint.
  raw.pragma('wal_autocheckpoint = 16384');
  raw.pragma('journal_size_limit = 67108864');
  raw.pragma('mmap_size = 268435456');
  raw.pragma('temp_store = memory');
  const database = withStatementCache(raw);
  const db = new Kysely<Database>({ dialect: textSafe(immediate(new SqliteDialect({ database }))) });
  // Bulk inserts run on the same connection, inside whatever transaction Kysely has open on it.
  const lastRowid = raw.prepare('select last_insert_rowid() as id').pluck();
  const runMany: RunMany = (sqlText, rows, rowids) => {
    const statement = database.prepare(sqlText) as unknown as BetterSqlite3.Statement;
    const out: (number | undefined)[] = [];
    if (!Array.isArray(rows)) {
      const { flat, width } = rows as FlatRows;
      const parameters: unknown[] = new Array(width);
      for (let start = 0; start < flat.length; start += width) {
        for (let column = 0; column < width; column++) parameters[column] = flat[start + column];
        statement.run(storableValues(parameters));
      }
      return out;
    }
    const parameterRows = rows as readonly Values[];
    if (!rowids) {
      for (const parameters of parameterRows) statement.run(storableValues(parameters));
      return out;
    }
    if (rowids === 'insert') {
      for (const parameters of parameterRows) {
        const result = statement.run(storableValues(parameters));
        out.push(result.changes > 0 ? Number(result.lastInsertRowid) : undefined);
      }
      return out;
    }
    // An upsert that updates leaves last_insert_rowid unchanged: a row whose rowid did not move inserted nothing.
    let previous = Number(lastRowid.get());
    for (const parameters of parameterRows) {
      const rowid = Number(statement.run(storableValues(parameters)).lastInsertRowid);
      out.push(rowid !== previous ? rowid : undefined);
      previous = rowid;
    }
    return out;
  };
  // Rows in memory as a table (store/row-table.ts): one table-valued function per row width.
  const rows = registryRowTable();
  for (let width = 1; width <= MAX_ROW_WIDTH; width++)
    raw.table(rowFunctionName(width), {
      columns: Array.from({ length: width }, (_, column) => `c${column}`),
      parameters: ['source'],
      *rows(source: unknown) {
        for (const row of rows.rowsOf(Number(source))) yield storableValues(row) as unknown[];
      },
    });
  return { db, file, runMany, rowTable: rows.table };
}
