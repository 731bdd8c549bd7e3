/**
 * Incidents: what correlation needs from storage (pending alerts, the alerts around them, applying a plan of
 * creations, merges, assignments and links in one transaction) and what analysts read and change.
 */
import {
  sql,
  SqliteAdapter,
  type Insertable,
  type Kysely,
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
import { publicAlertId } from './alert-store.js';
import { BulkInsert, RowStatement, type RunMany } from './bulk-insert.js';
import { entityHash } from './entity-index.js';
import { integerIds } from './ids.js';
import type { Page, PageRequest } from './ports.js';
import { iso } from './query-helpers.js';
import type { Database, IncidentsTable } from './schema.js';

const incIds = integerIds('inc');
/** Public ids are `inc_<n>`; the store keys rows on the integer. */
export const publicIncidentId = incIds.format;
export const parseIncidentId = incIds.parse;

/** An alert as correlation sees it. */
export interface CorrelationRow {
  readonly id: number;
  readonly time: number;
  readonly title: string;
  readonly severity: Severity;
  readonly incidentId: number | null;
  readonly entities: readonly Entity[];
}

/** What one correlation step changes. */
export interface CorrelationPlan {
  readonly groups: readonly {
    /** The incident the group keeps (the one with most of its alerts), or none: create one. */
    readonly target: number | null;
    /** Incidents merged into the target. */
    readonly merged: readonly {
      readonly id: number;
      readonly alertId: number | null;
      readonly entityKey: string | null;
    }[];
    /** Alerts not yet in an incident that join it. */
    readonly assign: readonly number[];
    /** The alerts that join (`assign`), as rows: the incident's title, severity and activity take them in. */
    readonly added: readonly CorrelationRow[];
  }[];
  readonly links: readonly {
    readonly alertId: number;
    readonly otherAlertId: number;
    readonly entityKey: string;
  }[];
}

export interface TimelineRequest {
  readonly key: string;
  readonly from: number;
  readonly to: number;
  /** Count the distinct devices too (prevalence of an entity other than a device). */
  readonly devices: boolean;
  /** The caller's alerts naming the key inside the span (those it knows of already). */
  readonly mentions: number;
}

export interface KeyTimeline {
  /** Alerts naming the key within the window of the span, up to `maxAlerts + 1`. */
  readonly alerts: number;
  /** Distinct devices those alerts count for (0 unless asked for and there are more alerts than `maxDevices`). */
  readonly devices: number;
  /** Alert ids next to and inside the span on the key's timeline, with their times. */
  readonly neighbours: readonly { readonly alertId: number; readonly time: number }[];
}

export interface NeighbourAlert {
  readonly id: number;
  readonly time: number;
  readonly incidentId: number | null;
  /** Alerts in that incident (0 without one). */
  readonly incidentAlerts: number;
  /** The alert's entities as stored: JSON text, to be searched with `keyMarker` rather than parsed. */
  readonly entities: string;
}

export interface IncidentSummary {
  readonly id: string;
  readonly title: string;
  readonly severity: Severity;
  readonly status: IncidentStatus;
  readonly classification: IncidentClassification;
  readonly determination: string | null;
  readonly assignedTo: string | null;
  readonly tags: readonly string[];
  readonly alertCount: number;
  readonly firstActivityAt: string;
  readonly lastActivityAt: string;
  readonly redirectedTo: string | null;
  readonly entities: readonly { readonly type: string; readonly key: string; readonly alerts: number }[];
  readonly createdAt: string;
  readonly updatedAt: string;
}

export interface IncidentDetail extends IncidentSummary {
  readonly alertIds: readonly string[];
  readonly links: readonly {
    readonly alertId: string;
    readonly otherAlertId: string;
    readonly entityKey: string;
  }[];
  readonly merges: readonly {
    readonly from: string;
    readonly at: string;
    readonly alertId: string | null;
    readonly entityKey: string | null;
  }[];
  readonly comments: readonly {
    readonly author: string;
    readonly text: string;
    readonly createdAt: string;
  }[];
}

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

export interface IncidentPatch {
  readonly status?: 'active' | 'resolved';
  readonly classification?: IncidentClassification;
  readonly determination?: string | null;
  readonly assignedTo?: string | null;
  readonly tags?: readonly string[];
}

export interface IncidentStore {
  /**
   * Within a transaction: wait for, then hold until it ends, the right to correlate (PostgreSQL: an advisory lock;
   * SQLite: the database's write lock, taken now rather than at the first write).
   */
  lockForCorrelation(): Promise<void>;
  pendingAlerts(limit: number): Promise<CorrelationRow[]>;
  /**
   * For each key, its timeline around `[from, to]` read from the entity index: how many alerts name it within
   * `windowMs` of that span (counted up to `maxAlerts + 1`), with `devices` on how many distinct devices (counted
   * where there are more than `maxDevices` alerts, else 0), and the alerts on it next to the span — the last
   * before `from` and the first after `to` within the window — and every alert inside the span. Found by the
   * key's hash: a caller confirms a neighbour against its entities (`neighbourAlerts`).
   */
  keyTimelines(
    requests: readonly TimelineRequest[],
    limits: { readonly windowMs: number; readonly maxAlerts: number; readonly maxDevices: number },
  ): Promise<Map<string, KeyTimeline>>;
  /** These alerts as correlation sees a neighbour: time, incident (and its size), and entities as stored (JSON). */
  neighbourAlerts(ids: readonly number[]): Promise<NeighbourAlert[]>;
  apply(plan: CorrelationPlan, now: Date): Promise<{ created: number; merged: number; assigned: number }>;
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

const rowColumns = ['id', 'created_at', 'title', 'severity', 'incident_id', 'entities'] as const;

function toRow(row: {
  id: number;
  created_at: number;
  title: string;
  severity: string;
  incident_id: string | null;
  entities: string;
}): CorrelationRow {
  return {
    id: Number(row.id),
    time: Number(row.created_at),
    title: row.title,
    severity: row.severity as Severity,
    incidentId: row.incident_id === null ? null : (parseIncidentId(row.incident_id) ?? null),
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
  /** JSON array of device keys. */
  readonly devices: string;
}

const ENTITY_ORDER = ['device', 'user', 'mailbox', 'file', 'process', 'ip', 'domain', 'url'];
const ENTITY_RANK = new Map(ENTITY_ORDER.map((type, rank) => [type, rank]));
/** Main entities kept per incident. */
const MAX_SUMMARY_ENTITIES = 50;

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
  const counts = new Map<string, { type: string; key: string; alerts: number }>();
  const devices = new Set<string>();
  let alertCount = 0;
  let first = Number.POSITIVE_INFINITY;
  let last = Number.NEGATIVE_INFINITY;
  for (const part of parts) {
    consider(part.lead_title, part.severity, part.first_activity_at);
    alertCount += Number(part.alert_count);
    first = Math.min(first, Number(part.first_activity_at));
    last = Math.max(last, Number(part.last_activity_at));
    for (const entity of JSON.parse(part.entities) as { type: string; key: string; alerts: number }[]) {
      const entry = counts.get(entity.key) ?? { type: entity.type, key: entity.key, alerts: 0 };
      entry.alerts += entity.alerts;
      counts.set(entity.key, entry);
    }
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
      const entry = counts.get(entity.key) ?? { type: entity.type, key: entity.key, alerts: 0 };
      entry.alerts++;
      counts.set(entity.key, entry);
      if (entity.type === 'device') devices.add(entity.key);
    }
  }
  const top = lead as { title: string; rank: number };
  const entities = [...counts.values()]
    .sort(
      (a, b) =>
        b.alerts - a.alerts ||
        (ENTITY_RANK.get(a.type) ?? 0) - (ENTITY_RANK.get(b.type) ?? 0) ||
        (a.key < b.key ? -1 : a.key > b.key ? 1 : 0),
    )
    .slice(0, MAX_SUMMARY_ENTITIES);
  const where =
    devices.size === 1
      ? ` on ${[...devices][0]!.slice('device:'.length)}`
      : devices.size > 1
        ? ` on ${devices.size} devices`
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
    entities: JSON.stringify(entities),
    devices: JSON.stringify([...devices].sort()),
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
/** Keys per timeline statement, and per probe. */
const TIMELINE_CHUNK = 1000;
const PROBE_CHUNK = 5000;

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

const newIncidentColumns = [
  ...aggregateColumns,
  'status',
  'redirect_to',
  'classification',
  'determination',
  'assignee',
  'tags',
  'created_at',
  'updated_at',
  'analyst_updated_at',
  'origin_alert_id',
] as const;

/** Correlation's bulk statements, compiled once per store. */
interface IncidentStatements {
  readonly insertIncidents: BulkInsert;
  readonly insertLinks: BulkInsert;
  /** SQLite: one row's statements run in-process (PostgreSQL keeps multi-row statements). */
  readonly updateAggregate?: RowStatement;
  readonly assignAlert?: RowStatement;
}

function createIncidentStatements(runMany: RunMany | undefined): IncidentStatements {
  const typed = (db: Kysely<never>) => db as unknown as Kysely<Database>;
  return {
    insertIncidents: new BulkInsert(
      newIncidentColumns,
      (db, rows) =>
        typed(db)
          .insertInto('incidents')
          .values(rows as unknown as Insertable<IncidentsTable>[])
          .returning(['id', 'origin_alert_id']),
      { runMany, chunk: 100 },
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
    ...(runMany
      ? {
          updateAggregate: new RowStatement(
            [...aggregateColumns, 'updated_at', 'id'],
            (db, row) => {
              const { id, ...set } = row;
              return typed(db)
                .updateTable('incidents')
                .set(set as Updateable<IncidentsTable>)
                .where('id', '=', id as number);
            },
            runMany,
          ),
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
      // Keys by hash: two keys of one hash (a collision) share the hash's rows, confirmed later by the caller.
      const byHash = new Map<
        number,
        { keys: string[]; from: number; to: number; devices: boolean; mentions: number }
      >();
      for (const request of requests) {
        const hash = entityHash(request.key);
        const entry = byHash.get(hash);
        if (!entry)
          byHash.set(hash, {
            keys: [request.key],
            from: request.from,
            to: request.to,
            devices: request.devices,
            mentions: request.mentions,
          });
        else {
          entry.keys.push(request.key);
          entry.from = Math.min(entry.from, request.from);
          entry.to = Math.max(entry.to, request.to);
          entry.devices ||= request.devices;
          entry.mentions += request.mentions;
        }
      }
      const spans = [...byHash].map(([hash, entry]) => ({
        hash,
        ...entry,
        alerts: 0,
        devices: 0,
        countDevices: entry.devices,
        neighbours: [] as { alertId: number; time: number }[],
      }));
      const byHashRow = new Map(spans.map((span) => [span.hash, span]));
      const sqlite = db.getExecutor().adapter instanceof SqliteAdapter;
      // The spans as a table `k(h, lo, hi, n)`: JSON on SQLite, arrays on PostgreSQL.
      const table = (chunk: readonly (typeof spans)[number][]) =>
        sqlite
          ? sql`select value ->> 0 as h, value ->> 1 as lo, value ->> 2 as hi, value ->> 3 as n from json_each(${JSON.stringify(
              chunk.map((span) => [span.hash, span.from, span.to, span.mentions]),
            )})`
          : sql`select * from unnest(${chunk.map((span) => span.hash)}::bigint[], ${chunk.map(
              (span) => span.from,
            )}::bigint[], ${chunk.map((span) => span.to)}::bigint[], ${chunk.map(
              (span) => span.mentions,
            )}::bigint[]) as k(h, lo, hi, n)`;
      // Most keys of a batch are named by nobody else in the window (a process, a rare file): one probe per key
      // finds those that are — more alerts in the window than the caller's own — and only those are read further.
      const named: (typeof spans)[number][] = [];
      for (let start = 0; start < spans.length; start += PROBE_CHUNK) {
        const chunk = spans.slice(start, start + PROBE_CHUNK);
        const probed = await sql<{ h: number | string }>`with k as (${table(chunk)})
          select k.h as h from k
          where (select count(*) from (select 1 from alert_entities e where e.entity_hash = k.h
            and e.at >= k.lo - ${windowMs} and e.at <= k.hi + ${windowMs} limit ${
              Math.max(...chunk.map((span) => span.mentions)) + 1
            }) w) > k.n`.execute(db);
        for (const row of probed.rows) {
          const span = byHashRow.get(Number(row.h));
          if (span) named.push(span);
        }
      }
      // At most maxAlerts + 1 rows of a key are read to count it: a busy key costs no more than that.
      const windowRows = (columns: ReturnType<typeof sql>) =>
        sql`select ${columns} from alert_entities e where e.entity_hash = k.h and e.at >= k.lo - ${windowMs} and e.at <= k.hi + ${windowMs} limit ${maxAlerts + 1}`;
      const parseTimed = (text: string | null) => {
        if (text === null) return undefined;
        const [time, id] = text.split(',');
        return { alertId: Number(id), time: Number(time) };
      };
      for (let start = 0; start < named.length; start += TIMELINE_CHUNK) {
        const chunk = named.slice(start, start + TIMELINE_CHUNK);
        const k = table(chunk);
        const summary = await sql<{
          h: number | string;
          alerts: number | string;
          before_row: string | null;
          after_row: string | null;
        }>`with k as (${k})
          select k.h as h,
            (select count(*) from (${windowRows(sql`1`)}) w) as alerts,
            (select e.at || ',' || e.alert_id from alert_entities e where e.entity_hash = k.h and e.at < k.lo
              and e.at >= k.lo - ${windowMs} order by e.at desc, e.alert_id desc limit 1) as before_row,
            (select e.at || ',' || e.alert_id from alert_entities e where e.entity_hash = k.h and e.at > k.hi
              and e.at <= k.hi + ${windowMs} order by e.at, e.alert_id limit 1) as after_row
          from k`.execute(db);
        for (const row of summary.rows) {
          const span = byHashRow.get(Number(row.h));
          if (!span) continue;
          span.alerts = Number(row.alerts);
          for (const next of [parseTimed(row.before_row), parseTimed(row.after_row)])
            if (next) span.neighbours.push(next);
        }
        const inside = await sql<{ h: number | string; at: number | string; alert_id: number | string }>`
          with k as (${k})
          select k.h as h, e.at as at, e.alert_id as alert_id
          from k join alert_entities e on e.entity_hash = k.h and e.at >= k.lo and e.at <= k.hi`.execute(db);
        for (const row of inside.rows)
          byHashRow
            .get(Number(row.h))
            ?.neighbours.push({ alertId: Number(row.alert_id), time: Number(row.at) });
        // Devices only where there could be too many: more alerts than devices allowed.
        const busy = chunk.filter((span) => span.countDevices && span.alerts > maxDevices);
        if (busy.length > 0) {
          const devices = await sql<{ h: number | string; devices: number | string }>`
            with k as (${table(busy)})
            select k.h as h, (select count(distinct w.device_hash) from (${windowRows(
              sql`e.device_hash`,
            )}) w) as devices from k`.execute(db);
          for (const row of devices.rows) {
            const span = byHashRow.get(Number(row.h));
            if (span) span.devices = Number(row.devices);
          }
        }
      }
      const out = new Map<string, KeyTimeline>();
      for (const span of spans) {
        // A key nobody else names: only the caller's alerts are on it.
        const timeline = {
          alerts: span.alerts || span.mentions,
          devices: span.devices,
          neighbours: span.neighbours,
        };
        for (const key of span.keys) out.set(key, timeline);
      }
      return out;
    },

    async neighbourAlerts(ids) {
      const out: NeighbourAlert[] = [];
      for (let start = 0; start < ids.length; start += CHUNK) {
        const rows = await db
          .selectFrom('alerts')
          .select(['id', 'created_at', 'incident_id', 'entities'])
          .where('id', 'in', ids.slice(start, start + CHUNK))
          .execute();
        const incidents = [
          ...new Set(
            rows.flatMap((row) => {
              const id = row.incident_id === null ? undefined : parseIncidentId(row.incident_id);
              return id === undefined ? [] : [id];
            }),
          ),
        ];
        const sizes = new Map<number, number>();
        if (incidents.length > 0)
          for (const row of await db
            .selectFrom('incidents')
            .select(['id', 'alert_count'])
            .where('id', 'in', incidents)
            .execute())
            sizes.set(Number(row.id), Number(row.alert_count));
        for (const row of rows) {
          const incidentId = row.incident_id === null ? null : (parseIncidentId(row.incident_id) ?? null);
          out.push({
            id: Number(row.id),
            time: Number(row.created_at),
            incidentId,
            incidentAlerts: incidentId === null ? 0 : (sizes.get(incidentId) ?? 0),
            entities: row.entities,
          });
        }
      }
      return out;
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
          const rows = fresh.map((group) => {
            const values: Record<(typeof newIncidentColumns)[number], unknown> = {
              ...aggregate([], group.added),
              status: 'active',
              redirect_to: null,
              classification: 'unknown',
              determination: null,
              assignee: null,
              tags: '[]',
              created_at: nowMs,
              updated_at: nowMs,
              analyst_updated_at: null,
              origin_alert_id: group.assign[0] as number,
            };
            return newIncidentColumns.map((column) => values[column]);
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
        for (const group of plan.groups) {
          let target = group.target;
          if (target === null) {
            target = created_ids.get(group.assign[0] as number) as number;
          } else {
            // Automation's fields only: status, classification and the rest stay the analyst's.
            const values = aggregate(partsOf(group), group.added);
            if (statements.updateAggregate)
              updates.push([...aggregateColumns.map((column) => values[column]), nowMs, target]);
            else
              await executor
                .updateTable('incidents')
                .set({ ...values, updated_at: nowMs })
                .where('id', '=', target)
                .execute();
          }
          for (const merge of group.merged) {
            await executor
              .updateTable('alerts')
              .set({ incident_id: publicIncidentId(target) })
              .where('incident_id', '=', publicIncidentId(merge.id))
              .execute();
            await executor
              .updateTable('incidents')
              .set({ status: 'redirected', redirect_to: target, alert_count: 0, updated_at: nowMs })
              .where('id', '=', merge.id)
              .execute();
            // Incidents merged into this one before now point at the target directly.
            await executor
              .updateTable('incidents')
              .set({ redirect_to: target })
              .where('redirect_to', '=', merge.id)
              .execute();
            await executor
              .insertInto('incident_merges')
              .values({
                from_id: merge.id,
                to_id: target,
                merged_at: nowMs,
                alert_id: merge.alertId,
                entity_key: merge.entityKey,
              })
              .execute();
            merged++;
          }
          for (const id of group.assign) assignments.push([id, publicIncidentId(target)]);
        }
        if (statements.updateAggregate)
          await statements.updateAggregate.run(executor as unknown as Kysely<never>, updates);
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
        return { created, merged, assigned };
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
