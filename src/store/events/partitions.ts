/**
 * PostgreSQL's partitions of `events` and `event_entities`, a UTC week each (events/days.ts): made when a write
 * needs them, dropped whole by the retention.
 *
 * Making one: `create table … (like parent)` then `alter table parent attach partition …`, which takes SHARE
 * UPDATE EXCLUSIVE on the parent — reads and writes of other days go on meanwhile — where `create table … partition
 * of` would take ACCESS EXCLUSIVE and wait for every transaction using the table (an ingest window of this very
 * process among them). It runs in a short transaction of its own, on a connection of its own (a window holding a
 * pooled connection while it waits for another could empty the pool), one at a time across processes (an advisory
 * lock), after which the days are known to this process and cost nothing again.
 *
 * Dropping one: a partition wholly before the cutoff, none of whose rows arrived since `arrivedBefore`, is dropped
 * with its `event_entities` twin — a catalog change, where deleting its rows would rewrite it. The retention keeps
 * the partition the cutoff falls in whole until the cutoff has passed it: events are kept at least the retention
 * and at most a week longer (TimescaleDB drops its 7-day chunks the same way); an explicit prune deletes exactly.
 * Dropping a partition takes ACCESS EXCLUSIVE on the parent: it is asked for with a short lock timeout (a long
 * search holds it back, and everything queued behind it waits), tried again a few times, and otherwise left to the
 * next pass.
 */
import { sql, type Kysely } from 'kysely';
import type { Database } from '../schema.js';
import {
  DAY_MS,
  WEEK_MS,
  dayOf,
  partitionedTables,
  partitionName,
  twinOf,
  weekOf,
  type PartitionedTable,
} from './days.js';
import type { Atomically } from '../query-helpers.js';

/** The first key of the advisory lock that serialises making partitions (the second: the schema's hash). */
const CREATE_LOCK = 0x61690021;
/** How long a drop waits for the tables, each try; and how many tries a pass makes. */
const DROP_LOCK_TIMEOUT = '1s';
const DROP_TRIES = 3;
/**
 * Partitions made, or dropped, per transaction: each new or dropped table and index is locked until the transaction
 * ends, and the server's lock table has room for some thousands (max_locks_per_transaction).
 */
const CREATE_BATCH = 32;
const DROP_BATCH = 16;

export interface EventPartitions {
  /** Make sure both tables have a partition for each of these days. */
  ensure(days: Iterable<number>): Promise<void>;
  /** Forget these days (a write found one gone): the next `ensure` looks again. */
  forget(days: Iterable<number>): void;
  /**
   * Drop the partitions wholly before `cutoff` that hold nothing arrived at or after `arrivedBefore` (all of them
   * without it); returns how many events they held, and the time ranges whose rows are left to delete one by one:
   * partitions wholly before the cutoff that hold recent arrivals (a historical dataset stored lately), and — unless
   * `whole` — the part of the cutoff's own week before it. One that could not be dropped (the tables stayed busy) is
   * in neither: the next pass tries again.
   */
  dropExpired(
    db: Kysely<Database>,
    atomically: Atomically,
    cutoff: number,
    arrivedBefore: number | undefined,
    whole?: boolean,
  ): Promise<{ deleted: number; ranges: [number, number][] }>;
  close(): Promise<void>;
}

interface Partition {
  readonly name: string;
  readonly from: number;
  readonly to: number;
}

/** `open` gives the connection partitions are made on, when first needed (closed with the store). */
export function createEventPartitions(open: () => Promise<Kysely<Database>>): EventPartitions {
  const known = new Set<number>();
  let connection: Promise<Kysely<Database>> | undefined;
  let queue: Promise<unknown> = Promise.resolve();

  const create = async (days: readonly number[]): Promise<void> => {
    const db = await (connection ??= open());
    for (let start = 0; start < days.length; start += CREATE_BATCH) {
      const batch = days.slice(start, start + CREATE_BATCH).filter((day) => !known.has(day));
      if (batch.length === 0) continue;
      const held = await db.transaction().execute(async (trx) => {
        await sql`select pg_advisory_xact_lock(${sql.lit(CREATE_LOCK)}, hashtext(current_schema()))`.execute(
          trx,
        );
        let partitions: Partition[] = [];
        for (const table of partitionedTables) {
          partitions = await listPartitions(trx, table);
          for (const day of batch) {
            const range = partitionFor(day, partitions);
            // Another process made it meanwhile; or a day, month or year partition made before holds the day.
            if (range === undefined) continue;
            const name = partitionName(table, range.from);
            await sql`create table if not exists ${sql.table(name)} (like ${sql.table(table)})`.execute(trx);
            await sql`alter table ${sql.table(table)} attach partition ${sql.table(name)}
                      for values from (${sql.lit(range.from)}) to (${sql.lit(range.to)})`.execute(trx);
            partitions.push({ name, ...range });
          }
        }
        return partitions;
      });
      // Once committed, every day the partitions hold is known, not only those asked for.
      for (const partition of held)
        for (let day = dayOf(partition.from); day < dayOf(partition.to); day++) known.add(day);
    }
  };

  return {
    async ensure(days) {
      const missing = [...days].filter((day) => !known.has(day));
      if (missing.length === 0) return;
      // One at a time in this process: a second caller for the same day finds it known when its turn comes.
      const run = queue.then(() => create(missing));
      queue = run.catch(() => undefined);
      await run;
    },

    forget(days) {
      for (const day of days) known.delete(day);
    },

    async dropExpired(db, atomically, cutoff, arrivedBefore, whole = false) {
      const ranges: [number, number][] = [];
      const expired: (Partition & { readonly events: number })[] = [];
      for (const partition of await listPartitions(db, 'events')) {
        if (partition.from >= cutoff) continue;
        if (partition.to > cutoff) {
          // With `whole` (the retention), the week the cutoff falls in waits until the cutoff has passed it, rather
          // than having its rows deleted one by one as the cutoff moves through it (which every row then would be).
          if (!whole) ranges.push([partition.from, cutoff]);
          continue;
        }
        // Another process's retention may drop the day meanwhile: then it is theirs to count.
        const looked = await unlessDropped(async () => {
          if (arrivedBefore !== undefined && (await arrivedSince(db, partition.name, arrivedBefore, true)))
            return 'recent';
          // Counted before the drop, not under its lock: a row written to a day this old meanwhile arrived after
          // `arrivedBefore` (and keeps the day) — or, without it, is dropped uncounted.
          const count = await sql<{
            n: number;
          }>`select count(*) as n from ${sql.table(partition.name)}`.execute(db);
          return Number(count.rows[0]?.n ?? 0);
        });
        if (looked === 'recent') ranges.push([partition.from, partition.to]);
        else if (looked !== undefined) expired.push({ ...partition, events: looked });
      }
      let deleted = 0;
      for (let start = 0; start < expired.length; start += DROP_BATCH) {
        const batch = expired.slice(start, start + DROP_BATCH);
        const outcome = await dropBatch(atomically, batch, arrivedBefore);
        if (!outcome) continue;
        for (const partition of batch) {
          if (outcome.kept.has(partition.name)) ranges.push([partition.from, partition.to]);
          if (!outcome.dropped.has(partition.name)) continue;
          deleted += partition.events;
          for (let day = dayOf(partition.from); day < dayOf(partition.to); day++) known.delete(day);
        }
      }
      ranges.sort((a, b) => a[0] - b[0]);
      return { deleted, ranges };
    },

    async close() {
      const db = await connection?.catch(() => undefined);
      connection = undefined;
      await db?.destroy();
    },
  };
}

/**
 * The range a new partition holding this day takes: its UTC week, Monday to Monday (events/days.ts), narrowed to
 * what no partition holds yet (days made by an earlier version, a month or year of migration 0021, or a week that
 * began elsewhere); undefined when a partition holds the day already.
 */
export function partitionFor(
  day: number,
  existing: readonly { readonly from: number; readonly to: number }[],
): { from: number; to: number } | undefined {
  const dayFrom = day * DAY_MS;
  const dayTo = dayFrom + DAY_MS;
  let from = weekOf(day) * DAY_MS;
  let to = from + WEEK_MS;
  for (const partition of existing) {
    if (partition.from <= dayFrom && partition.to >= dayTo) return undefined;
    if (partition.to <= dayFrom) from = Math.max(from, partition.to);
    else if (partition.from >= dayTo) to = Math.min(to, partition.from);
  }
  return { from, to };
}

/** Drop these partitions and their twins in one transaction; undefined when the tables stayed busy. */
async function dropBatch(
  atomically: Atomically,
  batch: readonly Partition[],
  arrivedBefore: number | undefined,
): Promise<{ kept: Set<string>; dropped: Set<string> } | undefined> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await atomically(async (trx) => {
        await sql`set local lock_timeout = ${sql.lit(DROP_LOCK_TIMEOUT)}`.execute(trx);
        // Both parents, in the order writes take them, before anything else: nothing is held while waiting.
        await sql`lock table events, event_entities in access exclusive mode`.execute(trx);
        const kept = new Set<string>();
        const dropped = new Set<string>();
        for (const partition of batch) {
          const exists = await sql<{ found: boolean }>`
            select to_regclass(${partition.name}) is not null as found`.execute(trx);
          if (exists.rows[0]?.found !== true) continue; // dropped by another process's retention meanwhile
          // Exact now: no write is in flight. A day that received something since it was looked at stays.
          if (
            arrivedBefore !== undefined &&
            (await arrivedSince(trx, partition.name, arrivedBefore, false))
          ) {
            kept.add(partition.name);
            continue;
          }
          await sql`drop table ${sql.table(partition.name)}`.execute(trx);
          await sql`drop table if exists ${sql.table(twinOf(partition.name))}`.execute(trx);
          dropped.add(partition.name);
        }
        return { kept, dropped };
      });
    } catch (error) {
      // 55P03 lock_not_available: the lock timeout ended the wait.
      if ((error as { code?: string }).code !== '55P03') throw error;
      if (attempt >= DROP_TRIES) return undefined;
      await new Promise((resolve) => setTimeout(resolve, 250 * attempt));
    }
  }
}

/** What `look` finds; undefined when its table is gone (42P01 undefined_table). */
async function unlessDropped<T>(look: () => Promise<T>): Promise<T | undefined> {
  try {
    return await look();
  } catch (error) {
    if ((error as { code?: string }).code === '42P01') return undefined;
    throw error;
  }
}

/** The partitions of one of the tables, oldest first, with their bounds. */
async function listPartitions(db: Kysely<Database>, table: PartitionedTable): Promise<Partition[]> {
  const result = await sql<{ name: string; bound: string }>`
    select c.relname as name, pg_get_expr(c.relpartbound, c.oid) as bound
    from pg_inherits i join pg_class c on c.oid = i.inhrelid
    where i.inhparent = to_regclass(${table})`.execute(db);
  const partitions: Partition[] = [];
  for (const row of result.rows) {
    const bounds = /FROM \('?(-?\d+)'?\) TO \('?(-?\d+)'?\)/i.exec(row.bound);
    if (bounds) partitions.push({ name: row.name, from: Number(bounds[1]), to: Number(bounds[2]) });
  }
  return partitions.sort((a, b) => a.from - b.from);
}

/**
 * Whether a row of this partition arrived at or after `arrivedBefore`: read through the BRIN index on
 * `ingested_at` (rows are appended as they arrive, so only the page ranges written since can match). With
 * `summarize`, the ranges added since the last vacuum are summarised first, so that the check under the drop's
 * lock reads only what was written in between.
 */
async function arrivedSince(
  db: Kysely<Database>,
  partition: string,
  arrivedBefore: number,
  summarize: boolean,
): Promise<boolean> {
  if (summarize)
    // A help, not a need (vacuum summarises too): it fails when another process drops the day meanwhile, and the
    // query below then finds the table gone. (Retention runs outside a transaction, which a failure would end.)
    await sql`select brin_summarize_new_values(i.indexrelid)
              from pg_index i join pg_class c on c.oid = i.indexrelid join pg_am a on a.oid = c.relam
              where i.indrelid = to_regclass(${partition}) and a.amname = 'brin'`
      .execute(db)
      .catch(() => undefined);
  const result = await sql<{ found: boolean }>`
    select exists (select 1 from ${sql.table(partition)} where ingested_at >= ${arrivedBefore}) as found`.execute(
    db,
  );
  return result.rows[0]?.found === true;
}
