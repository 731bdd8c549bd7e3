/**
 * Incidents: what correlation needs from storage (pending alerts, the alerts around them, applying a plan of
 * creations, merges, assignments and links in one transaction) and what analysts read and change.
 */
import {
  sql,
  SqliteAdapter,
  type Insertable,
  type Kysely,
  type RawBuilder,
  type SelectQueryBuilder,
  type Updateable,
} from 'kysely';
import { severities, severityRank, type Severity } from '../domain/alert.js';
import type { Entity } from '../domain/entity.js';
import { AutoirError, badInput } from '../domain/errors.js';
import {
  incidentClassifications,
  type IncidentClassification,
  type IncidentStatus,
} from '../domain/incident.js';
import { BulkInsert, RowStatement, type RunMany } from './bulk-insert.js';
import { countListed, listsDevice } from './device-list.js';
import { bumpCorrelationGeneration, keyMarker } from './entity-index.js';
import { unnestRowTable, type RowColumns, type RowTable } from './row-table.js';
import { iso } from './query-helpers.js';
import type { Database, IncidentsTable } from './schema.js';
import { parseIncidentId, publicAlertId, publicIncidentId } from '../domain/ids.js';
import { entityHash } from '../domain/entity-hash.js';
import type { Page, PageRequest } from '../domain/page.js';
import type { CorrelationIncidents, CorrelationPlan, CorrelationRow } from '../correlate/ports.js';
import type { IncidentDetail, IncidentPatch, IncidentSummary } from '../domain/incident.js';

/** `lastActivity` (the default), `firstActivity`, `created`, `severity`, `alerts` — each descending. */
export type IncidentSort = 'lastActivity' | 'firstActivity' | 'created' | 'severity' | 'alerts';

export interface IncidentFilter {
  readonly statuses?: readonly IncidentStatus[];
  readonly minSeverity?: Severity;
  readonly severities?: readonly Severity[];
  readonly sort?: IncidentSort;
  readonly assignee?: string;
  readonly tag?: string;
  readonly since?: string;
  readonly until?: string;
  /** Incidents naming this entity key among their main entities. */
  readonly entityKey?: string;
}

/** Incidents: correlation's operations (correlate/ports.ts), and what the API and CLI read and change. */
export interface IncidentStore extends CorrelationIncidents {
  countPending(): Promise<number>;
  listIncidents(filter: IncidentFilter, page: PageRequest): Promise<Page<IncidentSummary>>;
  /** How many incidents match, in all and per severity. */
  countIncidents(
    filter: IncidentFilter,
  ): Promise<{ total: number; bySeverity: Partial<Record<Severity, number>> }>;
  getIncident(id: string): Promise<IncidentDetail | undefined>;
  updateIncident(id: string, patch: IncidentPatch, now: Date): Promise<IncidentDetail>;
  addComment(id: string, author: string, text: string, now: Date): Promise<IncidentDetail>;
}

type Atomically = <T>(work: (executor: Kysely<Database>) => Promise<T>) => Promise<T>;

const rowColumns = ['id', 'created_at', 'title', 'severity', 'entities'] as const;

function toRow(row: {
  id: number;
  created_at: number;
  title: string;
  severity: string;
  entities: string;
}): CorrelationRow {
  return {
    id: Number(row.id),
    time: Number(row.created_at),
    title: row.title,
    severity: row.severity as Severity,
    entities: JSON.parse(row.entities) as Entity[],
  };
}

/** What an incident holds so far, as stored (for adding alerts to it without reading them all back). */
interface Aggregate {
  readonly lead_title: string;
  readonly severity: string;
  readonly alert_count: number;
  readonly first_activity_at: number;
  readonly last_activity_at: number;
  /** JSON `[{ type, key, alerts }]`. */
  readonly entities: string;
  /** JSON array of device keys, or MANY_DEVICES. */
  readonly devices: string;
}

const ENTITY_ORDER = ['device', 'user', 'mailbox', 'file', 'process', 'ip', 'domain', 'url'];
const ENTITY_RANK = new Map(ENTITY_ORDER.map((type, rank) => [type, rank]));
/**
 * Devices an incident keeps a list of (for its title); beyond, it is "on more than" that many, and the list (read and
 * written with every alert added) is no longer kept.
 */
const MAX_TRACKED_DEVICES = 1000;
/** The stored device list of an incident on more than MAX_TRACKED_DEVICES devices. */
const MANY_DEVICES = '"many"';
/** Main entities kept per incident. */
const MAX_SUMMARY_ENTITIES = 50;

interface SummaryEntry {
  readonly type: string;
  readonly key: string;
  alerts: number;
  /** Of its type, in ENTITY_ORDER. */
  readonly rank: number;
}

/** The MAX_SUMMARY_ENTITIES named by most alerts (then by type, then key). */
function mainEntities(entries: SummaryEntry[]): SummaryEntry[] {
  let candidates = entries;
  if (entries.length > MAX_SUMMARY_ENTITIES) {
    // Only those counted at least as often as the last place can make it: an incident adding thousands of alerts
    // at once sorts a handful, not all their entities.
    const ascending = new Float64Array(entries.length);
    entries.forEach((entry, index) => (ascending[index] = entry.alerts));
    ascending.sort();
    const floor = ascending[ascending.length - MAX_SUMMARY_ENTITIES] as number;
    candidates = entries.filter((entry) => entry.alerts >= floor);
  }
  return candidates
    .sort((a, b) => b.alerts - a.alerts || a.rank - b.rank || (a.key < b.key ? -1 : a.key > b.key ? 1 : 0))
    .slice(0, MAX_SUMMARY_ENTITIES);
}

/**
 * Title, severity, activity and main entities of an incident: those of the incidents it is made of (stored
 * aggregates, merged) and of the alerts added to it. Counts of main entities are kept for the top
 * MAX_SUMMARY_ENTITIES of each part, so those of a very varied incident are a close lower bound.
 */
function aggregate(parts: readonly Aggregate[], added: readonly CorrelationRow[]) {
  let lead: { title: string; rank: number; time: number } | undefined;
  const consider = (title: string, severity: string, time: number) => {
    const rank = severityRank(severity as Severity);
    if (!lead || rank > lead.rank || (rank === lead.rank && time < lead.time)) lead = { title, rank, time };
  };
  const counts = new Map<string, SummaryEntry>();
  const count = (type: string, key: string, alerts: number) => {
    const entry = counts.get(key);
    if (entry) entry.alerts += alerts;
    else counts.set(key, { type, key, alerts, rank: ENTITY_RANK.get(type) ?? 0 });
  };
  const devices = new Set<string>();
  let manyDevices = false;
  // The stored list kept as it is when the incident is one part and the alerts added name no device it lacks (most
  // updates of a busy incident): not parsed, sorted and written back.
  const only = parts.length === 1 ? (parts[0] as Aggregate) : undefined;
  const kept =
    only !== undefined &&
    only.devices !== MANY_DEVICES &&
    added.every((alert) =>
      alert.entities.every((entity) => entity.type !== 'device' || listsDevice(only.devices, entity.key)),
    )
      ? only.devices
      : undefined;
  let alertCount = 0;
  let first = Number.POSITIVE_INFINITY;
  let last = Number.NEGATIVE_INFINITY;
  for (const part of parts) {
    consider(part.lead_title, part.severity, part.first_activity_at);
    alertCount += Number(part.alert_count);
    first = Math.min(first, Number(part.first_activity_at));
    last = Math.max(last, Number(part.last_activity_at));
    for (const entity of JSON.parse(part.entities) as { type: string; key: string; alerts: number }[])
      count(entity.type, entity.key, entity.alerts);
    if (part.devices === MANY_DEVICES) manyDevices = true;
    else if (!manyDevices && kept === undefined)
      for (const device of JSON.parse(part.devices) as string[]) devices.add(device);
  }
  for (const alert of added) {
    consider(alert.title, alert.severity, alert.time);
    alertCount++;
    first = Math.min(first, alert.time);
    last = Math.max(last, alert.time);
    const seen = new Set<string>();
    for (const entity of alert.entities) {
      if (seen.has(entity.key) || !ENTITY_RANK.has(entity.type)) continue;
      seen.add(entity.key);
      count(entity.type, entity.key, 1);
      if (entity.type === 'device' && !manyDevices && kept === undefined) devices.add(entity.key);
    }
  }
  const top = lead as { title: string; rank: number };
  const entities = mainEntities([...counts.values()]);
  if (devices.size > MAX_TRACKED_DEVICES) manyDevices = true;
  const deviceCount = kept === undefined ? devices.size : countListed(kept);
  const sole =
    deviceCount !== 1 ? undefined : kept === undefined ? [...devices][0] : (JSON.parse(kept) as string[])[0];
  const where = manyDevices
    ? ` on more than ${MAX_TRACKED_DEVICES} devices`
    : sole !== undefined
      ? ` on ${sole.slice('device:'.length)}`
      : deviceCount > 1
        ? ` on ${deviceCount} devices`
        : '';
  const others = alertCount - 1;
  const title = `${others > 0 ? `'${top.title}' and ${others} other alert${others === 1 ? '' : 's'}` : top.title}${where}`;
  const severity = severities[top.rank] as Severity;
  return {
    title: title.length > 300 ? `${title.slice(0, 299)}…` : title,
    lead_title: top.title,
    severity,
    severity_rank: top.rank,
    alert_count: alertCount,
    first_activity_at: first,
    last_activity_at: last,
    entities: JSON.stringify(entities.map(({ type, key, alerts }) => ({ type, key, alerts }))),
    devices: kept ?? (manyDevices ? MANY_DEVICES : JSON.stringify([...devices].sort())),
  };
}

type IncidentRow = Database['incidents'] extends infer T ? Omit<T, 'id'> & { id: number } : never;

function toSummary(row: IncidentRow): IncidentSummary {
  return {
    id: publicIncidentId(Number(row.id)),
    title: row.title,
    severity: row.severity as Severity,
    status: row.status as IncidentStatus,
    classification: row.classification as IncidentClassification,
    determination: row.determination,
    assignedTo: row.assignee,
    tags: JSON.parse(row.tags) as string[],
    alertCount: Number(row.alert_count),
    firstActivityAt: iso(Number(row.first_activity_at)),
    lastActivityAt: iso(Number(row.last_activity_at)),
    redirectedTo: row.redirect_to === null ? null : publicIncidentId(Number(row.redirect_to)),
    entities: JSON.parse(row.entities) as { type: string; key: string; alerts: number }[],
    createdAt: iso(Number(row.created_at)),
    updatedAt: iso(Number(row.updated_at)),
  };
}

const CHUNK = 500;
/** Keys per timeline statement, and (alert, key) pairs per neighbour statement. */
const TIMELINE_CHUNK = 5000;
/** A timeline request as a row: its position, key hash, span, the caller's mentions, whether to count prevalence. */
const SPAN_COLUMNS: RowColumns = [
  ['i', 'int'],
  ['h', 'bigint'],
  ['lo', 'bigint'],
  ['hi', 'bigint'],
  ['n', 'bigint'],
  ['p', 'int'],
];
/** A neighbour to confirm: alert id, position of the pair, the key's marker in the alert's entities. */
const PAIR_COLUMNS: RowColumns = [
  ['id', 'bigint'],
  ['i', 'int'],
  ['m', 'text'],
];
const NEIGHBOUR_CHUNK = 5000;

/** How incident lists sort (newest or most severe first); the last key is the id, so the order is total. */
const sortKeys = {
  lastActivity: ['last_activity_at', 'id'],
  firstActivity: ['first_activity_at', 'id'],
  created: ['created_at', 'id'],
  severity: ['severity_rank', 'last_activity_at', 'id'],
  alerts: ['alert_count', 'last_activity_at', 'id'],
} as const satisfies Record<IncidentSort, readonly (keyof IncidentsTable)[]>;

function decodeSortCursor(cursor: string, length: number): number[] {
  try {
    const value: unknown = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
    if (Array.isArray(value) && value.length === length && value.every((item) => typeof item === 'number'))
      return value as number[];
  } catch {
    // fall through to the error below
  }
  throw badInput('cursor is not one this server handed out (for this sort)', { field: 'cursor' });
}

/** The filter's conditions on an incidents query. */
function filtered<O>(
  query: SelectQueryBuilder<Database, 'incidents', O>,
  filter: IncidentFilter,
): SelectQueryBuilder<Database, 'incidents', O> {
  let q = query.where('status', 'in', [...(filter.statuses ?? ['active', 'resolved'])]);
  if (filter.minSeverity !== undefined) q = q.where('severity_rank', '>=', severityRank(filter.minSeverity));
  if (filter.severities?.length) q = q.where('severity', 'in', [...filter.severities]);
  if (filter.assignee !== undefined) q = q.where('assignee', '=', filter.assignee);
  if (filter.tag !== undefined)
    q = q.where('tags', 'like', `%${JSON.stringify(filter.tag).replace(/[\\%_]/g, (c) => `\\${c}`)}%`);
  if (filter.since !== undefined) q = q.where('last_activity_at', '>=', Date.parse(filter.since));
  if (filter.until !== undefined) q = q.where('first_activity_at', '<', Date.parse(filter.until));
  if (filter.entityKey !== undefined)
    q = q.where('entities', 'like', `%"key":${JSON.stringify(filter.entityKey)}%`);
  return q;
}

/** The columns automation writes on an incident (`aggregate`), in order. */
const aggregateColumns = [
  'title',
  'lead_title',
  'severity',
  'severity_rank',
  'alert_count',
  'first_activity_at',
  'last_activity_at',
  'entities',
  'devices',
] as const;

/** The columns a new incident starts with, beyond automation's and the alert it was created for. */
const startColumns = [
  'status',
  'redirect_to',
  'classification',
  'determination',
  'assignee',
  'tags',
  'created_at',
  'updated_at',
  'analyst_updated_at',
] as const;

const newIncidentColumns = [...aggregateColumns, ...startColumns, 'origin_alert_id'] as const;

/** Correlation's bulk statements, compiled once per store. */
interface IncidentStatements {
  readonly insertIncidents: BulkInsert;
  readonly insertLinks: BulkInsert;
  readonly insertMerges: BulkInsert;
  /** SQLite: one row's statements run in-process (PostgreSQL keeps multi-row statements). */
  readonly updateAggregate?: RowStatement;
  readonly assignAlert?: RowStatement;
  readonly merging?: {
    readonly moveAlerts: RowStatement;
    readonly redirect: RowStatement;
    readonly repoint: RowStatement;
  };
}

const typed = (db: Kysely<never>) => db as unknown as Kysely<Database>;

/** `update incidents set <columns> where id = ?`, run in-process for many rows: values in column order, then id. */
function updateIncident(columns: readonly string[], runMany: RunMany): RowStatement {
  return new RowStatement(
    [...columns, 'id'],
    (db, row) => {
      const { id, ...set } = row;
      return typed(db)
        .updateTable('incidents')
        .set(set as Updateable<IncidentsTable>)
        .where('id', '=', id as number);
    },
    runMany,
  );
}

function createIncidentStatements(runMany: RunMany | undefined): IncidentStatements {
  return {
    insertIncidents: new BulkInsert(
      newIncidentColumns,
      (db, rows) =>
        typed(db)
          .insertInto('incidents')
          .values(rows as unknown as Insertable<IncidentsTable>[]),
      { runMany, chunk: 100, returning: ['id', 'origin_alert_id'] },
    ),
    insertLinks: new BulkInsert(
      ['alert_id', 'other_alert_id', 'entity_key', 'created_at'],
      (db, rows) =>
        typed(db)
          .insertInto('incident_links')
          .values(rows as unknown as Insertable<Database['incident_links']>[])
          .onConflict((conflict) => conflict.doNothing()),
      { runMany, chunk: 500 },
    ),
    insertMerges: new BulkInsert(
      ['from_id', 'to_id', 'merged_at', 'alert_id', 'entity_key'],
      (db, rows) =>
        typed(db)
          .insertInto('incident_merges')
          .values(rows as unknown as Insertable<Database['incident_merges']>[]),
      { runMany, chunk: 500 },
    ),
    ...(runMany
      ? {
          merging: {
            moveAlerts: new RowStatement(
              ['to', 'from'],
              (db, row) =>
                typed(db)
                  .updateTable('alerts')
                  .set({ incident_id: row.to as string })
                  .where('incident_id', '=', row.from as string),
              runMany,
            ),
            redirect: updateIncident(['status', 'redirect_to', 'alert_count', 'updated_at'], runMany),
            // Incidents merged into the merged one before now point at the target directly.
            repoint: new RowStatement(
              ['to', 'from'],
              (db, row) =>
                typed(db)
                  .updateTable('incidents')
                  .set({ redirect_to: row.to as number })
                  .where('redirect_to', '=', row.from as number),
              runMany,
            ),
          },
          updateAggregate: updateIncident([...aggregateColumns, 'updated_at'], runMany),
          assignAlert: new RowStatement(
            ['incident_id', 'id'],
            (db, row) =>
              typed(db)
                .updateTable('alerts')
                .set({ incident_id: row.incident_id as string })
                .where('id', '=', row.id as number),
            runMany,
          ),
        }
      : {}),
  };
}

export function createIncidentStore(
  db: Kysely<Database>,
  atomically: Atomically,
  runMany?: RunMany,
  rowTable: RowTable = unnestRowTable,
): IncidentStore {
  const statements = createIncidentStatements(runMany);
  const detail = async (executor: Kysely<Database>, id: number): Promise<IncidentDetail | undefined> => {
    const row = await executor.selectFrom('incidents').selectAll().where('id', '=', id).executeTakeFirst();
    if (!row) return undefined;
    const alertRows = await executor
      .selectFrom('alerts')
      .select(['id'])
      .where('incident_id', '=', publicIncidentId(id))
      .orderBy('created_at')
      .orderBy('id')
      .execute();
    const alertIds = alertRows.map((alert) => Number(alert.id));
    const links: { alert_id: number; other_alert_id: number; entity_key: string }[] = [];
    for (let start = 0; start < alertIds.length; start += CHUNK)
      links.push(
        ...(await executor
          .selectFrom('incident_links')
          .select(['alert_id', 'other_alert_id', 'entity_key'])
          .where('alert_id', 'in', alertIds.slice(start, start + CHUNK))
          .execute()),
      );
    const merges = await executor
      .selectFrom('incident_merges')
      .selectAll()
      .where('to_id', '=', id)
      .orderBy('merged_at')
      .execute();
    const comments = await executor
      .selectFrom('incident_comments')
      .selectAll()
      .where('incident_id', '=', id)
      .orderBy('id')
      .execute();
    return {
      ...toSummary(row as IncidentRow),
      alertIds: alertIds.map(publicAlertId),
      links: links
        .sort(
          (a, b) =>
            Number(a.alert_id) - Number(b.alert_id) || Number(a.other_alert_id) - Number(b.other_alert_id),
        )
        .map((link) => ({
          alertId: publicAlertId(Number(link.alert_id)),
          otherAlertId: publicAlertId(Number(link.other_alert_id)),
          entityKey: link.entity_key,
        })),
      merges: merges.map((merge) => ({
        from: publicIncidentId(Number(merge.from_id)),
        at: iso(Number(merge.merged_at)),
        alertId: merge.alert_id === null ? null : publicAlertId(Number(merge.alert_id)),
        entityKey: merge.entity_key,
      })),
      comments: comments.map((comment) => ({
        author: comment.author,
        text: comment.text,
        createdAt: iso(Number(comment.created_at)),
      })),
    };
  };

  const requireId = (id: string) => {
    const key = parseIncidentId(id);
    if (key === undefined) throw new AutoirError('AUTOIR_E_NOT_FOUND', `no incident ${id}`);
    return key;
  };

  return {
    async lockForCorrelation() {
      if (db.getExecutor().adapter instanceof SqliteAdapter) {
        // A no-op write: SQLite takes its write lock now, so what this transaction reads is what it writes over.
        await sql`update incidents set id = id where id = -1`.execute(db);
        return;
      }
      await sql`select pg_advisory_xact_lock(727001)`.execute(db);
    },

    async pendingAlerts(limit) {
      const rows = await db
        .selectFrom('alerts')
        .select(rowColumns)
        .where('incident_id', 'is', null)
        .orderBy('created_at')
        .orderBy('id')
        .limit(limit)
        .execute();
      return rows.map(toRow);
    },

    async correlationGeneration() {
      const row = await db
        .selectFrom('correlation_state')
        .select('generation')
        .where('id', '=', 1)
        .executeTakeFirstOrThrow();
      return Number(row.generation);
    },

    async timelineRows(from, after, limit) {
      const rows = await sql<{
        entity_hash: number | string;
        at: number | string;
        alert_id: number | string;
        device_hash: number | string;
      }>`select entity_hash, at, alert_id, device_hash from alert_entities
        where at >= ${from}${after ? sql` and (entity_hash, at, alert_id) > (${after.hash}, ${after.at}, ${after.alertId})` : sql``}
        order by entity_hash, at, alert_id limit ${limit}`.execute(db);
      return rows.rows.map((row) => ({
        hash: Number(row.entity_hash),
        at: Number(row.at),
        alertId: Number(row.alert_id),
        device: Number(row.device_hash),
      }));
    },

    async countPending() {
      const row = await db
        .selectFrom('alerts')
        .select((eb) => eb.fn.countAll<number>().as('count'))
        .where('incident_id', 'is', null)
        .executeTakeFirstOrThrow();
      return Number(row.count);
    },

    async keyTimelines(requests, limits) {
      const { windowMs, maxAlerts, maxDevices } = limits;
      // Spans are known by their position in the request, in SQL and back: no maps keyed by hashes. Two keys of
      // one hash (a collision) are each read with the other's rows: counts can only err upwards (weaker), and the
      // caller confirms every neighbour against its entities.
      const spans = requests.map((request) => ({
        hash: entityHash(request.key),
        from: request.from,
        to: request.to,
        mentions: request.mentions,
        prevalence: request.prevalence,
        alerts: request.mentions,
        devices: 0,
        neighbours: [] as { alertId: number; time: number }[],
      }));
      // Spans as a table `k(i, h, lo, hi, n, p)` (store/row-table.ts).
      const withSpans = <T>(indexes: readonly number[], use: (table: RawBuilder<unknown>) => Promise<T>) =>
        rowTable.withRows(
          SPAN_COLUMNS,
          indexes.map((index) => {
            const span = spans[index] as (typeof spans)[number];
            return [index, span.hash, span.from, span.to, span.mentions, span.prevalence ? 1 : 0];
          }),
          use,
        );
      // At most maxAlerts + 1 rows of a key are read to count it: a busy key costs no more than that.
      const windowRows = (columns: ReturnType<typeof sql>) =>
        sql`select ${columns} from alert_entities e where e.entity_hash = k.h and e.at >= k.lo - ${windowMs} and e.at <= k.hi + ${windowMs} limit ${maxAlerts + 1}`;
      const parseTimed = (text: string | null) => {
        if (text === null) return undefined;
        const comma = text.indexOf(',');
        return { alertId: Number(text.slice(comma + 1)), time: Number(text.slice(0, comma)) };
      };
      // Keys in the order of their hash: the seeks of a chunk walk the index forwards (pages once in cache). Sorted
      // as numbers, without a comparator: each key's hash with its low bits replaced by its position (still below
      // 2^53, so exact), the order of the high bits being order enough.
      const scale = 2 ** Math.ceil(Math.log2(spans.length + 1));
      const sorted = Float64Array.from(
        spans,
        (span, index) => Math.floor(span.hash / scale) * scale + index,
      ).sort();
      const all = Array.from(sorted, (value) => value % scale);
      for (let start = 0; start < all.length; start += TIMELINE_CHUNK) {
        const chunk = all.slice(start, start + TIMELINE_CHUNK);
        const most = Math.max(...chunk.map((index) => spans[index]?.mentions ?? 0));
        // Most keys of a batch are named by nobody else in the window (a process, a rare file): a probe per key
        // — more alerts in the window than the caller's own? (counting stops there) — and only those that pass are
        // read further. The keys' table is built once (materialized): each of its columns is read by several
        // subqueries.
        const summary = await withSpans(chunk, (table) =>
          sql<{
            i: number | string;
            alerts: number | string;
            inside: number | string;
            before_row: string | null;
            after_row: string | null;
          }>`with k as materialized (${table})
          select k.i as i,
            case when k.p = 1 then (select count(*) from (${windowRows(sql`1`)}) w) else k.n end as alerts,
            (select count(*) from alert_entities e where e.entity_hash = k.h and e.at >= k.lo and e.at <= k.hi) as inside,
            (select e.at || ',' || e.alert_id from alert_entities e where e.entity_hash = k.h and e.at < k.lo
              and e.at >= k.lo - ${windowMs} order by e.at desc, e.alert_id desc limit 1) as before_row,
            (select e.at || ',' || e.alert_id from alert_entities e where e.entity_hash = k.h and e.at > k.hi
              and e.at <= k.hi + ${windowMs} order by e.at, e.alert_id limit 1) as after_row
          from k
          where (select count(*) from (select 1 from alert_entities e where e.entity_hash = k.h
            and e.at >= k.lo - ${windowMs} and e.at <= k.hi + ${windowMs} limit ${most + 1}) w) > k.n`.execute(
            db,
          ),
        );
        // Alerts inside a span other than the caller's (late ones): read only where there are some.
        const crowded: number[] = [];
        for (const row of summary.rows) {
          const index = Number(row.i);
          const span = spans[index] as (typeof spans)[number];
          span.alerts = Number(row.alerts);
          const before = parseTimed(row.before_row);
          if (before) span.neighbours.push(before);
          const after = parseTimed(row.after_row);
          if (after) span.neighbours.push(after);
          if (Number(row.inside) > span.mentions) crowded.push(index);
        }
        if (crowded.length > 0) {
          const inside = await withSpans(crowded, (table) =>
            sql<{ i: number | string; at: number | string; alert_id: number | string }>`
              with k as (${table})
              select k.i as i, e.at as at, e.alert_id as alert_id
              from k join alert_entities e on e.entity_hash = k.h and e.at >= k.lo and e.at <= k.hi`.execute(
              db,
            ),
          );
          for (const row of inside.rows)
            spans[Number(row.i)]?.neighbours.push({ alertId: Number(row.alert_id), time: Number(row.at) });
        }
        // Devices only where there could be too many (more alerts than devices allowed), and only until there
        // are too many: the count stops at maxDevices + 1.
        const busy = chunk.filter((index) => {
          const span = spans[index] as (typeof spans)[number];
          return span.prevalence && span.alerts > maxDevices && span.alerts <= maxAlerts;
        });
        if (busy.length > 0) {
          const devices = await withSpans(busy, (table) =>
            sql<{ i: number | string; devices: number | string }>`
              with k as (${table})
              select k.i as i, (select count(*) from (select distinct w.device_hash from (${windowRows(
                sql`e.device_hash`,
              )}) w limit ${maxDevices + 1}) d) as devices from k`.execute(db),
          );
          for (const row of devices.rows) {
            const span = spans[Number(row.i)];
            if (span) span.devices = Number(row.devices);
          }
        }
      }
      return spans.map(({ alerts, devices, neighbours }) => ({ alerts, devices, neighbours }));
    },

    async neighbourAlerts(found) {
      const sqlite = db.getExecutor().adapter instanceof SqliteAdapter;
      // In the order of the alerts' ids: the lookups walk the table forwards.
      const pairs = [...found]
        .sort((a, b) => a[0] - b[0])
        .flatMap(([id, keys]) => keys.map((key) => [id, key, keyMarker(key)] as const));
      const byId = new Map<number, { time: number; incident: string; keys: string[] }>();
      for (let start = 0; start < pairs.length; start += NEIGHBOUR_CHUNK) {
        const chunk = pairs.slice(start, start + NEIGHBOUR_CHUNK);
        // Each (alert, key) pair confirmed where it is stored: the alert's entities hold the key's marker.
        const rows = await rowTable.withRows(
          PAIR_COLUMNS,
          chunk.map(([id, , marker], index) => [id, index, marker]),
          (table) =>
            sql<{
              id: number | string;
              i: number | string;
              created_at: number | string;
              incident_id: string;
            }>`with n as (${table})
              select n.id as id, n.i as i, a.created_at as created_at, a.incident_id as incident_id
              from n join alerts a on a.id = n.id
              where a.incident_id is not null and ${sqlite ? sql`instr(a.entities, n.m)` : sql`strpos(a.entities, n.m)`} > 0`.execute(
              db,
            ),
        );
        for (const row of rows.rows) {
          const id = Number(row.id);
          const key = chunk[Number(row.i)]?.[1] as string;
          const entry = byId.get(id);
          if (entry) entry.keys.push(key);
          else byId.set(id, { time: Number(row.created_at), incident: row.incident_id, keys: [key] });
        }
      }
      const incidents = [
        ...new Set([...byId.values()].flatMap(({ incident }) => parseIncidentId(incident) ?? [])),
      ];
      const sizes = new Map<number, number>();
      for (let start = 0; start < incidents.length; start += CHUNK)
        for (const row of await db
          .selectFrom('incidents')
          .select(['id', 'alert_count'])
          .where('id', 'in', incidents.slice(start, start + CHUNK))
          .execute())
          sizes.set(Number(row.id), Number(row.alert_count));
      return [...byId].flatMap(([id, { time, incident, keys }]) => {
        const incidentId = parseIncidentId(incident);
        return incidentId === undefined
          ? []
          : [{ id, time, incidentId, incidentAlerts: sizes.get(incidentId) ?? 0, keys }];
      });
    },

    apply: (plan, now) =>
      atomically(async (executor) => {
        const nowMs = now.getTime();
        let created = 0;
        let merged = 0;
        let assigned = 0;
        const assignments: [number, string][] = [];
        // What the incidents of this step hold so far (targets and those merged into them).
        const ids = [
          ...new Set(
            plan.groups.flatMap((group) => [
              ...(group.target === null ? [] : [group.target]),
              ...group.merged.map((merge) => merge.id),
            ]),
          ),
        ];
        const stored = new Map<number, Aggregate>();
        for (let begin = 0; begin < ids.length; begin += CHUNK) {
          const rows = await executor
            .selectFrom('incidents')
            .select([
              'id',
              'lead_title',
              'severity',
              'alert_count',
              'first_activity_at',
              'last_activity_at',
              'entities',
              'devices',
            ])
            .where('id', 'in', ids.slice(begin, begin + CHUNK))
            .execute();
          for (const row of rows) stored.set(Number(row.id), row);
        }
        const partsOf = (group: CorrelationPlan['groups'][number]) =>
          [...(group.target === null ? [] : [group.target]), ...group.merged.map((merge) => merge.id)]
            .map((id) => stored.get(id))
            .filter((part): part is Aggregate => part !== undefined);

        // New incidents first, in a few statements; each is known by the alert it was created for.
        const created_ids = new Map<number, number>();
        const fresh = plan.groups.filter((group) => group.target === null);
        if (fresh.length > 0) {
          // Rows built column by column (an object spread per incident costs more than its aggregate).
          const start: Record<(typeof startColumns)[number], unknown> = {
            status: 'active',
            redirect_to: null,
            classification: 'unknown',
            determination: null,
            assignee: null,
            tags: '[]',
            created_at: nowMs,
            updated_at: nowMs,
            analyst_updated_at: null,
          };
          const startValues = startColumns.map((column) => start[column]);
          const rows = fresh.map((group) => {
            const values = aggregate([], group.added);
            return [
              ...aggregateColumns.map((column) => values[column]),
              ...startValues,
              group.assign[0] as number,
            ];
          });
          const inserted = await statements.insertIncidents.runReturning(
            executor as unknown as Kysely<never>,
            rows,
          );
          if ('rowids' in inserted)
            inserted.rowids.forEach((id, index) =>
              created_ids.set(fresh[index]?.assign[0] as number, id as number),
            );
          else
            for (const row of inserted.rows as { id: number; origin_alert_id: number }[])
              created_ids.set(Number(row.origin_alert_id), Number(row.id));
          created += fresh.length;
        }
        const updates: unknown[][] = [];
        const merges: { id: number; target: number; alertId: number | null; entityKey: string | null }[] = [];
        const incidents: { id: number; alerts: number }[] = [];
        for (const group of plan.groups) {
          let target = group.target;
          if (target === null) {
            target = created_ids.get(group.assign[0] as number) as number;
            incidents.push({ id: target, alerts: group.assign.length });
          } else {
            // Automation's fields only: status, classification and the rest stay the analyst's.
            const values = aggregate(partsOf(group), group.added);
            incidents.push({ id: target, alerts: values.alert_count });
            if (statements.updateAggregate)
              updates.push([...aggregateColumns.map((column) => values[column]), nowMs, target]);
            else
              await executor
                .updateTable('incidents')
                .set({ ...values, updated_at: nowMs })
                .where('id', '=', target)
                .execute();
          }
          for (const merge of group.merged) merges.push({ ...merge, target });
          for (const id of group.assign) assignments.push([id, publicIncidentId(target)]);
        }
        // Each merged incident: its alerts move to the target, it redirects there (and so do the incidents merged
        // into it before), and the merge is recorded.
        const merging = statements.merging;
        if (merging) {
          const bulk = executor as unknown as Kysely<never>;
          const from = (merge: (typeof merges)[number]) => publicIncidentId(merge.id);
          const to = (merge: (typeof merges)[number]) => publicIncidentId(merge.target);
          await merging.moveAlerts.run(
            bulk,
            merges.map((merge) => [to(merge), from(merge)]),
          );
          await merging.redirect.run(
            bulk,
            merges.map((merge) => ['redirected', merge.target, 0, nowMs, merge.id]),
          );
          await merging.repoint.run(
            bulk,
            merges.map((merge) => [merge.target, merge.id]),
          );
        } else {
          for (const merge of merges) {
            await executor
              .updateTable('alerts')
              .set({ incident_id: publicIncidentId(merge.target) })
              .where('incident_id', '=', publicIncidentId(merge.id))
              .execute();
            await executor
              .updateTable('incidents')
              .set({ status: 'redirected', redirect_to: merge.target, alert_count: 0, updated_at: nowMs })
              .where('id', '=', merge.id)
              .execute();
            await executor
              .updateTable('incidents')
              .set({ redirect_to: merge.target })
              .where('redirect_to', '=', merge.id)
              .execute();
          }
        }
        await statements.insertMerges.runFlat(
          executor as unknown as Kysely<never>,
          merges.flatMap((merge) => [merge.id, merge.target, nowMs, merge.alertId, merge.entityKey]),
        );
        merged = merges.length;
        // Rows updated in the order of their ids: each statement's seek lands next to the previous one.
        if (statements.updateAggregate)
          await statements.updateAggregate.run(
            executor as unknown as Kysely<never>,
            updates.sort((a, b) => (a.at(-1) as number) - (b.at(-1) as number)),
          );
        assignments.sort((a, b) => a[0] - b[0]);
        if (statements.assignAlert) {
          await statements.assignAlert.run(
            executor as unknown as Kysely<never>,
            assignments.map(([id, incident]) => [incident, id]),
          );
          assigned = assignments.length;
        }
        // Assignments in few statements: `case id when … then …` over a chunk of alerts.
        for (let start = 0; start < (statements.assignAlert ? 0 : assignments.length); start += CHUNK) {
          const chunk = assignments.slice(start, start + CHUNK);
          await executor
            .updateTable('alerts')
            .set({
              incident_id: sql<string>`case id ${sql.join(
                chunk.map(([id, incident]) => sql`when ${id} then ${incident}`),
                sql` `,
              )} end`,
            })
            .where(
              'id',
              'in',
              chunk.map(([id]) => id),
            )
            .execute();
          assigned += chunk.length;
        }
        await statements.insertLinks.runFlat(
          executor as unknown as Kysely<never>,
          plan.links.flatMap((link) => [link.alertId, link.otherAlertId, link.entityKey, nowMs]),
        );
        await bumpCorrelationGeneration(executor as unknown as Kysely<never>);
        return { created, merged, assigned, incidents };
      }),

    async listIncidents(filter, page) {
      const limit = Math.max(1, Math.min(page.limit, 1000));
      const sort = filter.sort ?? 'lastActivity';
      const keys = sortKeys[sort];
      let query = filtered(db.selectFrom('incidents').selectAll(), filter);
      if (page.cursor !== undefined) {
        const values = decodeSortCursor(page.cursor, keys.length);
        // Rows after the cursor in (k1 desc, k2 desc, …): k1 < v1, or k1 = v1 and k2 < v2, and so on.
        query = query.where((eb) =>
          eb.or(
            keys.map((key, index) =>
              eb.and([
                ...keys.slice(0, index).map((before, j) => eb(before, '=', values[j] as number)),
                eb(key, '<', values[index] as number),
              ]),
            ),
          ),
        );
      }
      for (const key of keys) query = query.orderBy(key, 'desc');
      const rows = await query.limit(limit + 1).execute();
      const last = rows.length > limit ? rows[limit - 1] : undefined;
      return {
        items: rows.slice(0, limit).map((row) => toSummary(row as IncidentRow)),
        nextCursor: last
          ? Buffer.from(JSON.stringify(keys.map((key) => Number(last[key])))).toString('base64url')
          : null,
      };
    },

    async countIncidents(filter) {
      const counted = await filtered(db.selectFrom('incidents'), filter)
        .select(['severity', (eb) => eb.fn.countAll<number>().as('n')])
        .groupBy('severity')
        .execute();
      const bySeverity: Partial<Record<Severity, number>> = {};
      let total = 0;
      for (const row of counted) {
        bySeverity[row.severity as Severity] = Number(row.n);
        total += Number(row.n);
      }
      return { total, bySeverity };
    },

    async getIncident(id) {
      const key = parseIncidentId(id);
      return key === undefined ? undefined : detail(db, key);
    },

    updateIncident: (id, patch, now) =>
      atomically(async (executor) => {
        const key = requireId(id);
        const row = await executor
          .selectFrom('incidents')
          .select(['status'])
          .where('id', '=', key)
          .executeTakeFirst();
        if (!row) throw new AutoirError('AUTOIR_E_NOT_FOUND', `no incident ${id}`);
        if (row.status === 'redirected')
          throw new AutoirError(
            'AUTOIR_E_CONFLICT',
            `incident ${id} was merged into another: change that one`,
          );
        if (patch.status !== undefined && !['active', 'resolved'].includes(patch.status))
          throw badInput(`status: expected active or resolved, got ${JSON.stringify(patch.status)}`, {
            field: 'status',
          });
        if (
          patch.classification !== undefined &&
          !(incidentClassifications as readonly string[]).includes(patch.classification)
        )
          throw badInput(`classification: expected one of ${incidentClassifications.join(', ')}`, {
            field: 'classification',
          });
        const set: Record<string, unknown> = { analyst_updated_at: now.getTime(), updated_at: now.getTime() };
        if (patch.status !== undefined) set.status = patch.status;
        if (patch.classification !== undefined) set.classification = patch.classification;
        if (patch.determination !== undefined) set.determination = patch.determination;
        if (patch.assignedTo !== undefined) set.assignee = patch.assignedTo;
        if (patch.tags !== undefined) set.tags = JSON.stringify([...new Set(patch.tags)].sort());
        await executor.updateTable('incidents').set(set).where('id', '=', key).execute();
        return (await detail(executor, key)) as IncidentDetail;
      }),

    addComment: (id, author, text, now) =>
      atomically(async (executor) => {
        const key = requireId(id);
        if (text.trim() === '') throw badInput('text: a comment needs text', { field: 'text' });
        const exists = await executor
          .selectFrom('incidents')
          .select('id')
          .where('id', '=', key)
          .executeTakeFirst();
        if (!exists) throw new AutoirError('AUTOIR_E_NOT_FOUND', `no incident ${id}`);
        await executor
          .insertInto('incident_comments')
          .values({ incident_id: key, author, text, created_at: now.getTime() })
          .execute();
        return (await detail(executor, key)) as IncidentDetail;
      }),
  };
}
