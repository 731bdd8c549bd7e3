/**
 * Telemetry events: written in bulk by ingest, searched by investigations (EventQuery) and `autoir events search`.
 * Lookups by entity go through the hashed entity index (`event_entities`, as for alerts) and are confirmed against
 * the event's own keys, so a hash collision can never make an event name something it does not.
 */
import { sql, type ExpressionBuilder, type Kysely, type SelectQueryBuilder } from 'kysely';
import { type EventKind, type EventOutcome, indexedEventKey } from '../domain/event.js';
import { normalizeEntityKey } from '../domain/entity.js';
import { AutoirError } from '../domain/errors.js';
import { equivalentKeys, registerAliases } from './aliases.js';
import { BulkInsert, type RunMany } from './bulk-insert.js';
import { eventAt, eventWriteColumns, type PreparedEvent } from '../ingest/ports.js';
import { decodeCursor, encodeCursor, escapeLike, iso } from './query-helpers.js';
import type { Database, EventEntitiesTable, EventsTable } from './schema.js';
import { parseEventId, publicEventId } from '../domain/ids.js';
import { entityHash } from '../domain/entity-hash.js';
import type { Page } from '../domain/page.js';
import type { EventRecord } from '../domain/event.js';
import { epoch } from '../domain/time.js';
import type { EventWriteResult, PruneOptions } from '../ingest/ports.js';
import type { EventFilter, EventPageRequest } from '../investigate/ports.js';
import type { EventSearch } from '../investigate/ports.js';
import type { EventSink, StoredRawEvents } from '../ingest/ports.js';
import type { Atomically } from './query-helpers.js';
import { DAY_MS, dayOf } from './events/days.js';
import type { EventPartitions } from './events/partitions.js';

/** Public ids are `evt_<n>`; the store keys rows on the integer. */

export const EVENT_CHUNK = 200;
export const ENTITY_CHUNK = 2000;
const PRUNE_CHUNK = 2000;

export interface EventStatements {
  readonly insertEvents: BulkInsert;
  readonly insertEntityRows: BulkInsert;
}

/** The write format's columns (ingest/ports.ts), checked against this schema. */
const writeColumns: readonly (keyof EventsTable)[] = eventWriteColumns;

export function createEventStatements(runMany: RunMany | undefined): EventStatements {
  return {
    insertEvents: new BulkInsert(
      writeColumns,
      (db, rows) =>
        (db as unknown as Kysely<Database>)
          .insertInto('events')
          .values(rows as unknown as Omit<EventsTable, 'id'>[])
          .onConflict((conflict) => conflict.columns(['time', 'ref']).doNothing()),
      { runMany, chunk: EVENT_CHUNK, returning: ['id', 'time', 'ref'] },
    ),
    insertEntityRows: new BulkInsert(
      ['entity_hash', 'time', 'event_id'],
      (db, rows) =>
        (db as unknown as Kysely<Database>)
          .insertInto('event_entities')
          .values(rows as unknown as EventEntitiesTable[])
          .onConflict((conflict) => conflict.doNothing()),
      { runMany, chunk: ENTITY_CHUNK, inKeyOrder: true },
    ),
  };
}

export type EventRow = Omit<EventsTable, 'ref' | 'raw' | 'id'> & { id: number };

export const readColumns = [
  'id',
  ...eventWriteColumns.filter((column) => column !== 'ref' && column !== 'raw'),
] as const satisfies readonly (keyof EventsTable)[];

export function toEventRecord(row: EventRow): EventRecord {
  const record: Record<string, unknown> = {
    id: publicEventId(row.id),
    time: iso(row.time),
    ingestedAt: iso(row.ingested_at),
    format: row.format,
    source: row.source,
    code: row.code,
    kind: row.kind as EventKind,
    outcome: (row.outcome as EventOutcome | null) ?? undefined,
    deviceKey: row.device_key,
    userKey: row.user_key,
    processKey: row.process_key,
    parentProcessKey: row.parent_process_key,
    imagePath: row.image_path,
    commandLine: row.command_line,
    sha256: row.sha256,
    sha1: row.sha1,
    md5: row.md5,
    targetPath: row.target_path,
    targetProcessKey: row.target_process_key,
    targetUserKey: row.target_user_key,
    registryPath: row.registry_path,
    registryValue: row.registry_value,
    srcIp: row.src_ip,
    srcPort: row.src_port,
    dstIp: row.dst_ip,
    dstPort: row.dst_port,
    protocol: row.protocol,
    domain: row.domain,
    url: row.url,
    mailSender: row.mail_sender,
    mailRecipients: row.mail_recipients === null ? undefined : (JSON.parse(row.mail_recipients) as string[]),
    mailMessageId: row.mail_message_id,
    mailSubject: row.mail_subject,
    keys: JSON.parse(row.keys) as string[],
    details: row.details === null ? undefined : (JSON.parse(row.details) as Record<string, unknown>),
  };
  for (const key of Object.keys(record))
    if (record[key] === undefined || record[key] === null) delete record[key];
  return record as unknown as EventRecord;
}

/** A time window of event time, epoch ms: since inclusive, until exclusive. */
export interface TimeBounds {
  readonly since?: number;
  readonly until?: number;
}

/**
 * "This event names one of these keys": index candidates, confirmed against the event's keys. Devices are found by
 * their own column; keys the index leaves out (path-only files, registry keys) by the keys column alone. Candidates
 * are (time, id) pairs read from the index within the window, so that the index is read in the window's range only
 * (on PostgreSQL, in its days' partitions only), and each event is looked up by its day and id.
 */
export function eventNamesAny(
  eb: ExpressionBuilder<Database, 'events'>,
  keys: readonly string[],
  window: TimeBounds = {},
) {
  const marker = (key: string) =>
    eb('events.keys', 'like', sql<string>`${`%${escapeLike(JSON.stringify(key))}%`} escape '\\'`);
  return eb.or(
    keys.map((key) => {
      if (key.startsWith('device:')) return eb('events.device_key', '=', key);
      if (!indexedEventKey(key)) return marker(key);
      let candidates = eb
        .selectFrom('event_entities')
        .select(['event_entities.time', 'event_entities.event_id'])
        .where('event_entities.entity_hash', '=', entityHash(key));
      if (window.since !== undefined)
        candidates = candidates.where('event_entities.time', '>=', window.since);
      if (window.until !== undefined) candidates = candidates.where('event_entities.time', '<', window.until);
      return eb.and([
        eb(eb.refTuple('events.time', 'events.id'), 'in', candidates.$asTuple('time', 'event_id')),
        marker(key),
      ]);
    }),
  );
}

/** A filter with every entity key widened to the keys that name the same entity. */
export interface ResolvedFilter {
  readonly deviceKeys?: readonly string[];
  readonly entityKeySets: readonly (readonly string[])[];
  readonly kinds?: readonly EventKind[];
  readonly processKey?: string;
  readonly parentProcessKey?: string;
  readonly since?: number;
  readonly until?: number;
}

export async function resolveFilter(db: Kysely<Database>, filter: EventFilter): Promise<ResolvedFilter> {
  const entityKeys = [...(filter.entityKeys ?? [])];
  if (filter.userKey !== undefined) entityKeys.push(filter.userKey);
  return {
    deviceKeys:
      filter.deviceKey === undefined
        ? undefined
        : await equivalentKeys(db, normalizeEntityKey(withPrefix('device', filter.deviceKey))),
    entityKeySets: await Promise.all(entityKeys.map((key) => equivalentKeys(db, normalizeEntityKey(key)))),
    kinds: filter.kinds,
    processKey: filter.processKey === undefined ? undefined : normalizeEntityKey(filter.processKey),
    parentProcessKey:
      filter.parentProcessKey === undefined ? undefined : normalizeEntityKey(filter.parentProcessKey),
    since: filter.since === undefined ? undefined : epoch(filter.since, 'since'),
    until: filter.until === undefined ? undefined : epoch(filter.until, 'until'),
  };
}

export function withPrefix(type: string, key: string): string {
  return key.toLowerCase().startsWith(`${type.toLowerCase()}:`) ? key : `${type}:${key}`;
}

export function applyFilter<O>(
  query: SelectQueryBuilder<Database, 'events', O>,
  filter: ResolvedFilter,
): SelectQueryBuilder<Database, 'events', O> {
  let q = query;
  if (filter.deviceKeys) q = q.where('device_key', 'in', [...filter.deviceKeys]);
  for (const keys of filter.entityKeySets) q = q.where((eb) => eventNamesAny(eb, keys, filter));
  if (filter.kinds && filter.kinds.length > 0) q = q.where('kind', 'in', [...filter.kinds]);
  if (filter.processKey !== undefined) q = q.where('process_key', '=', filter.processKey);
  if (filter.parentProcessKey !== undefined) q = q.where('parent_process_key', '=', filter.parentProcessKey);
  if (filter.since !== undefined) q = q.where('time', '>=', filter.since);
  if (filter.until !== undefined) q = q.where('time', '<', filter.until);
  return q;
}

export async function search(
  db: Kysely<Database>,
  filter: ResolvedFilter,
  page: EventPageRequest,
): Promise<Page<EventRecord>> {
  const limit = Math.max(1, Math.min(page.limit, 10_000));
  const ascending = page.order === 'asc';
  let query = applyFilter(db.selectFrom('events').select(readColumns), filter);
  if (page.cursor !== undefined) {
    const [time, id] = decodeCursor(page.cursor);
    query = ascending
      ? query.where((eb) =>
          eb.or([eb('time', '>', time), eb.and([eb('time', '=', time), eb('id', '>', id)])]),
        )
      : query.where((eb) =>
          eb.or([eb('time', '<', time), eb.and([eb('time', '=', time), eb('id', '<', id)])]),
        );
  }
  const direction = ascending ? 'asc' : 'desc';
  const rows = await query
    .orderBy('time', direction)
    .orderBy('id', direction)
    .limit(limit + 1)
    .execute();
  const last = rows.length > limit ? rows[limit - 1] : undefined;
  return {
    items: rows.slice(0, limit).map(toEventRecord),
    nextCursor: last ? encodeCursor(last.time, last.id) : null,
  };
}

/**
 * `partitions`: PostgreSQL's week partitions (events/partitions.ts), made before a write that needs them and dropped
 * by `pruneEvents`; none on SQLite.
 */
export function createEventStore(
  db: Kysely<Database>,
  atomically: Atomically,
  statements: EventStatements,
  partitions?: EventPartitions,
): EventStore {
  const write = async (
    executor: Kysely<Database>,
    prepared: readonly PreparedEvent[],
    now: Date,
    known?: Set<string>,
  ) => {
    const { result, aliases } = await writeEvents(executor, statements, prepared, now, known);
    for (const pair of aliases) known?.add(pair);
    return result;
  };
  return {
    async insertPrepared(prepared, now, options) {
      if (prepared.length === 0) return { inserted: 0, duplicates: 0 };
      const known = options?.knownAliases;
      if (!partitions) return atomically((executor) => write(executor, prepared, now, known));
      const days = new Set<number>();
      for (const event of prepared) days.add(dayOf(event.values[eventAt.time] as number));
      await partitions.ensure(days);
      const ended = [...days].some((day) => (day + 1) * DAY_MS <= now.getTime());
      if (!ended)
        return atomically((executor) => write(executor, prepared, now, known)).catch((error: unknown) => {
          // Dropped by hand (today's days are never expired): the next write makes them again.
          if (isMissingPartition(error)) partitions.forget(days);
          throw error;
        });
      // A day that has ended may be dropped by the retention between the check and the write (this process knew
      // it from before; or made it just now, empty): the write is tried again, within a savepoint, after another.
      return atomically(async (executor) => {
        for (let attempt = 1; ; attempt++) {
          await sql`savepoint autoir_events`.execute(executor);
          try {
            const result = await write(executor, prepared, now, known);
            await sql`release savepoint autoir_events`.execute(executor);
            return result;
          } catch (error) {
            if (!isMissingPartition(error) || attempt >= 3) throw error;
            await sql`rollback to savepoint autoir_events`.execute(executor);
            partitions.forget(days);
            await partitions.ensure(days);
          }
        }
      });
    },

    async getEvent(id) {
      const key = parseEventId(id);
      if (key === undefined) return undefined;
      const row = await db.selectFrom('events').select(readColumns).where('id', '=', key).executeTakeFirst();
      return row ? toEventRecord(row) : undefined;
    },

    async getEventRaw(id) {
      const key = parseEventId(id);
      if (key === undefined) return undefined;
      const row = await db.selectFrom('events').select('raw').where('id', '=', key).executeTakeFirst();
      return row === undefined ? undefined : rawText(row.raw);
    },

    async searchEvents(filter, page) {
      return search(db, await resolveFilter(db, filter), page);
    },

    async countEvents(filter = {}) {
      const row = await applyFilter(
        db.selectFrom('events').select((eb) => eb.fn.countAll<number>().as('count')),
        await resolveFilter(db, filter),
      ).executeTakeFirstOrThrow();
      return Number(row.count);
    },

    async scanRaw(filter, page) {
      const limit = Math.max(1, Math.min(page.limit, 10_000));
      let query = db.selectFrom('events').select(['id', 'time', 'format', 'raw']);
      if (filter.formats && filter.formats.length > 0)
        query = query.where('format', 'in', [...filter.formats]);
      if (filter.since !== undefined) query = query.where('time', '>=', epoch(filter.since, 'since'));
      if (filter.until !== undefined) query = query.where('time', '<', epoch(filter.until, 'until'));
      if (page.cursor !== undefined) {
        const [time, id] = decodeCursor(page.cursor);
        query = query.where((eb) =>
          eb.or([eb('time', '>', time), eb.and([eb('time', '=', time), eb('id', '>', id)])]),
        );
      }
      const rows = await query
        .orderBy('time')
        .orderBy('id')
        .limit(limit + 1)
        .execute();
      const last = rows.length > limit ? rows[limit - 1] : undefined;
      return {
        items: rows.slice(0, limit).map((row) => ({
          id: publicEventId(row.id),
          time: iso(row.time),
          format: row.format,
          raw: rawText(row.raw),
        })),
        nextCursor: last ? encodeCursor(last.time, last.id) : null,
      };
    },

    async pruneEvents(before, options = {}) {
      const cutoff = before.getTime();
      const arrived = options.arrivedBefore?.getTime();
      if (!partitions) return deleteEvents(atomically, undefined, cutoff, arrived);
      const { deleted, ranges } = await partitions.dropExpired(
        db,
        atomically,
        cutoff,
        arrived,
        options.whole,
      );
      let total = deleted;
      for (const [from, to] of ranges) total += await deleteEvents(atomically, from, to, arrived);
      return total;
    },
  };
}

/** "No partition of relation … found for row" (23514): a day's partition is missing. */
function isMissingPartition(error: unknown): boolean {
  return (
    (error as { code?: string }).code === '23514' && /no partition/i.test((error as Error).message ?? '')
  );
}

/**
 * Delete the events of [from, to) (event time) — with `arrived`, those stored before it — with their index rows,
 * PRUNE_CHUNK events per transaction; returns how many.
 */
async function deleteEvents(
  atomically: Atomically,
  from: number | undefined,
  to: number,
  arrived: number | undefined,
): Promise<number> {
  let deleted = 0;
  // Rows older than the cutoff that arrived since are skipped by time: each chunk goes on from the last seen.
  let after: { time: number; id: number } | undefined;
  for (;;) {
    const removed = await atomically(async (executor) => {
      let query = executor
        .selectFrom('events')
        .select(['id', 'time', 'keys', 'ingested_at'])
        .where('time', '<', to);
      if (from !== undefined) query = query.where('time', '>=', from);
      if (after) {
        const { time, id } = after;
        query = query.where((eb) =>
          eb.or([eb('time', '>', time), eb.and([eb('time', '=', time), eb('id', '>', id)])]),
        );
      }
      const scanned = await query.orderBy('time').orderBy('id').limit(PRUNE_CHUNK).execute();
      const first = scanned[0];
      const last = scanned[scanned.length - 1];
      if (!first || !last) return { scanned: 0, deleted: 0 };
      after = { time: Number(last.time), id: Number(last.id) };
      const rows =
        arrived === undefined ? scanned : scanned.filter((row) => Number(row.ingested_at) < arrived);
      // The index rows of each event, by primary key: (hash of each indexed key, event time, event id).
      for (const row of rows) {
        const hashes = [
          ...new Set((JSON.parse(row.keys) as string[]).filter(indexedEventKey).map(entityHash)),
        ];
        if (hashes.length === 0) continue;
        await executor
          .deleteFrom('event_entities')
          .where('entity_hash', 'in', hashes)
          .where('time', '=', row.time)
          .where('event_id', '=', row.id)
          .execute();
      }
      if (rows.length === 0) return { scanned: scanned.length, deleted: 0 };
      // Counted as deleted by this statement: another process's retention running at once deletes the rest.
      const result = await executor
        .deleteFrom('events')
        .where('time', '>=', first.time)
        .where('time', '<=', last.time)
        .where(
          'id',
          'in',
          rows.map((row) => row.id),
        )
        .executeTakeFirst();
      return { scanned: scanned.length, deleted: Number(result.numDeletedRows) };
    });
    deleted += removed.deleted;
    if (removed.scanned < PRUNE_CHUNK) return deleted;
  }
}

/** Write the events; returns what was written, and the aliases registered (known once the write commits). */
async function writeEvents(
  db: Kysely<Database>,
  statements: EventStatements,
  prepared: readonly PreparedEvent[],
  now: Date,
  knownAliases?: ReadonlySet<string>,
): Promise<{ result: EventWriteResult; aliases: readonly string[] }> {
  const nowMs = now.getTime();
  const aliases = new Map<string, readonly [string, string]>();
  const rows: unknown[][] = [];
  for (const event of prepared) {
    event.values[eventAt.ingested_at] = nowMs;
    // A view from another thread arrives as a plain Uint8Array; drivers other than SQLite's want a Buffer.
    const raw = event.values[eventAt.raw];
    if (typeof raw === 'string') event.values[eventAt.raw] = Buffer.from(raw);
    else if (!Buffer.isBuffer(raw) && raw instanceof Uint8Array)
      event.values[eventAt.raw] = Buffer.from(raw.buffer, raw.byteOffset, raw.byteLength);
    rows.push(event.values);
    if (!event.aliases) continue;
    for (const [alias, key] of event.aliases) {
      const pair = `${alias}\u0000${key}`;
      if (!knownAliases?.has(pair)) aliases.set(pair, [alias, key]);
    }
  }
  if (aliases.size > 0) {
    // Two keys claiming one alias both go in: registerAliases marks the alias ambiguous.
    await registerAliases(db, [...aliases.values()], nowMs);
  }

  const result = await statements.insertEvents.runReturning(db as unknown as Kysely<never>, rows);
  let ids: (number | undefined)[];
  if ('rowids' in result) ids = result.rowids;
  else {
    const byRef = new Map<string, number>();
    for (const row of result.rows as { id: number; time: number; ref: number }[])
      byRef.set(`${row.time}:${row.ref}`, Number(row.id));
    // A record repeated inside one batch is inserted once: the first occurrence gets the id.
    ids = rows.map((values) => {
      const ref = `${values[eventAt.time] as number}:${values[eventAt.ref] as number}`;
      const id = byRef.get(ref);
      byRef.delete(ref);
      return id;
    });
  }
  if (ids.length !== rows.length)
    throw new AutoirError('AUTOIR_E_INTERNAL', 'event insert returned the wrong number of rows');

  const entityRows: unknown[] = [];
  let inserted = 0;
  ids.forEach((id, row) => {
    if (id === undefined) return;
    inserted++;
    const hashes = (prepared[row] as PreparedEvent).entityHashes;
    const time = (rows[row] as unknown[])[eventAt.time];
    for (let index = 0; index < hashes.length; index++) entityRows.push(hashes[index], time, id);
  });
  await statements.insertEntityRows.runFlat(db as unknown as Kysely<never>, entityRows);
  return { result: { inserted, duplicates: rows.length - inserted }, aliases: [...aliases.keys()] };
}

// -----------------------------------------------------------------------------------------------------------------
// EventQuery
// -----------------------------------------------------------------------------------------------------------------

/** The text of a stored raw record (a blob of UTF-8, or text stored by an earlier version). */
function rawText(value: unknown): string {
  if (typeof value === 'string') return value;
  if (value instanceof Uint8Array)
    return Buffer.from(value.buffer, value.byteOffset, value.byteLength).toString('utf8');
  return String(value);
}

/** Events: ingest's sink (ingest/ports.ts), and what the API, CLI and detection read. */
export interface EventStore extends EventSink, StoredRawEvents, EventSearch {
  getEvent(id: string): Promise<EventRecord | undefined>;
  getEventRaw(id: string): Promise<string | undefined>;
  countEvents(filter?: EventFilter): Promise<number>;
  /**
   * Delete events older than `before` (event time) — with `arrivedBefore`, only those also stored before it (the
   * retention: a historical dataset ingested now is kept as long as fresh telemetry); returns how many.
   */
  pruneEvents(before: Date, options?: PruneOptions): Promise<number>;
}
