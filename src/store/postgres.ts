/**
 * PostgreSQL, for scale-out: many API and worker processes on one database. Optionally confined to one schema
 * (`search_path`), which is also how test runs keep out of each other's way.
 */
import { Kysely, PostgresDialect } from 'kysely';
import pg from 'pg';
import type { ConnectionStats } from './ports.js';
import type { Database } from './schema.js';
import { textSafe } from './text.js';

export interface PostgresOptions {
  readonly url: string;
  /** Schema for every table; created when missing. Default: the connection's search_path (`public`). */
  readonly schema?: string;
  readonly maxConnections?: number;
}

const INT8_OID = 20;

/** Our bigints are epoch milliseconds and counts: they fit in a double, so read them as numbers. */
const types = {
  getTypeParser(oid: number, format?: 'text' | 'binary') {
    if (oid === INT8_OID && format !== 'binary') return (value: string) => Number(value);
    return pg.types.getTypeParser(oid, format);
  },
} as pg.CustomTypesConfig;

export function isValidSchemaName(schema: string): boolean {
  return /^[a-z_][a-z0-9_]{0,62}$/.test(schema);
}

const pools = new WeakMap<object, pg.Pool>();

/** The state of the connection pool behind a Kysely made by {@link createPostgresKysely}. */
export function poolStats(db: object): ConnectionStats | undefined {
  const pool = pools.get(db);
  return pool
    ? {
        total: pool.totalCount,
        idle: pool.idleCount,
        waiting: pool.waitingCount,
        max: pool.options.max ?? 10,
      }
    : undefined;
}

export async function createPostgresKysely(options: PostgresOptions): Promise<Kysely<Database>> {
  if (options.schema !== undefined && !isValidSchemaName(options.schema)) {
    throw new Error(
      `invalid PostgreSQL schema name ${JSON.stringify(options.schema)}: use lower-case letters, digits and _`,
    );
  }
  // Create the schema first, on a connection of its own, so that the pool can put it on its search_path; and ask
  // the server which compression it can give large values.
  let lz4 = false;
  const client = new pg.Client({ connectionString: options.url });
  await client.connect();
  try {
    if (options.schema) await client.query(`create schema if not exists "${options.schema}"`);
    const found = await client.query<{ lz4: boolean }>(
      `select 'lz4' = any(enumvals) as lz4 from pg_settings where name = 'default_toast_compression'`,
    );
    lz4 = found.rows[0]?.lz4 === true;
  } finally {
    await client.end();
  }
  // No parallel query: autoir's statements are short index lookups, and starting parallel workers for one costs
  // more (milliseconds each) than the lookup itself.
  // Plans made for each run's parameters (the named statements below are parsed once, never planned once): a plan
  // made for any entity would be made for the average one, and an entity named by a million events (a busy device)
  // then takes seconds where its own plan takes a millisecond.
  const settings = ['-c max_parallel_workers_per_gather=0', '-c plan_cache_mode=force_custom_plan'];
  // Large values (an event's raw record of 2 KiB and more) compressed with LZ4 where the server has it: an event
  // stored in 18 µs of the server's time rather than 29 with its default (pglz), in as much space.
  if (lz4) settings.push('-c default_toast_compression=lz4');
  if (options.schema) settings.push(`-c search_path=${options.schema}`);
  const pool = new pg.Pool({
    connectionString: options.url,
    max: options.maxConnections ?? 10,
    types,
    options: settings.join(' '),
  });
  // A connection the server closes (a restart, a failover, an idle timeout) fails what runs on it, and is dropped
  // from the pool, which opens another when one is needed. Its error event, unheard, would end the process: heard
  // here for idle connections (the pool's) and for those in use (each client's; the query in flight fails).
  pool.on('error', () => undefined);
  pool.on('connect', (client) => {
    client.on('error', () => undefined);
    prepareStatements(client);
  });
  const db = new Kysely<Database>({ dialect: textSafe(new PostgresDialect({ pool })) });
  pools.set(db, pool);
  return db;
}

/** Statements given a name, process-wide; beyond this many distinct texts, the rest run unnamed. */
const MAX_NAMED_STATEMENTS = 2000;
/**
 * Statements without parameters (transaction control, DDL) run as they are; those with many (long IN lists) vary
 * too much to be worth a server-side statement each.
 */
const MAX_NAMED_PARAMETERS = 32;
const statementNames = new Map<string, string>();

/**
 * Every statement a connection runs with its parameters becomes a named prepared statement: PostgreSQL parses and
 * analyses it once per connection, where an unnamed one is parsed at every run (each run is still planned for its
 * parameters: `plan_cache_mode`, above). The driver remembers which names each connection has prepared; a
 * connection opened anew prepares them again.
 */
function prepareStatements(client: pg.PoolClient): void {
  const query = client.query.bind(client) as (...args: unknown[]) => unknown;
  (client as { query: unknown }).query = (text: unknown, values?: unknown, callback?: unknown) => {
    if (
      typeof text !== 'string' ||
      !Array.isArray(values) ||
      values.length === 0 ||
      values.length > MAX_NAMED_PARAMETERS
    )
      return callback === undefined ? query(text, values) : query(text, values, callback);
    let name = statementNames.get(text);
    if (name === undefined && statementNames.size < MAX_NAMED_STATEMENTS) {
      name = `autoir_${statementNames.size}`;
      statementNames.set(text, name);
    }
    const config = name === undefined ? { text, values } : { name, text, values };
    return callback === undefined ? query(config) : query(config, callback);
  };
}
