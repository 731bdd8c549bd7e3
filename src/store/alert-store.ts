/**
 * Alerts and their entity index, written once in Kysely for SQLite and PostgreSQL.
 */
import { sql, type ExpressionBuilder, type Kysely, type Selectable, type SelectQueryBuilder } from 'kysely';
import { severityRank, type Severity } from '../domain/alert.js';
import { resolveEntity, uniqueEntities, type Entity } from '../domain/entity.js';
import { AutoirError } from '../domain/errors.js';
import { loadAliases, registerAliases } from './aliases.js';
import { BulkInsert, type RunMany } from './bulk-insert.js';
import { bumpCorrelationGeneration, keyMarker } from './entity-index.js';
import { alertAt as at, alertWriteColumns, type PreparedAlert } from '../ingest/ports.js';
import { decodeCursor, encodeCursor, escapeLike, iso } from './query-helpers.js';
import type { AlertEntitiesTable, AlertsTable, Database } from './schema.js';
import { parseAlertId, publicAlertId } from '../domain/ids.js';
import { deviceHashOf, entityHash } from '../domain/entity-hash.js';
import type { Page } from '../domain/page.js';
import type { AlertRecord, AlertWriteResult } from '../domain/alert.js';
import { epoch } from '../domain/time.js';
import type { AlertSink } from '../ingest/ports.js';
import type { AlertStatus } from '../domain/alert.js';
import type { PageRequest } from '../domain/page.js';
import type { Atomically } from './query-helpers.js';

/** Rows per multi-row statement on PostgreSQL: well under its 65,535 bound parameters. */
const ALERT_CHUNK = 500;
const ENTITY_CHUNK = 5000;
const LOOKUP_CHUNK = 500;

type NewAlertRow = Omit<AlertsTable, 'id' | 'investigated' | 'status' | 'status_by'>;

type AlertKey = number;

/** The bulk statements of a store, compiled once and shared by its transactions. */
export interface AlertStatements {
  readonly upsertAlerts: BulkInsert;
  readonly insertEntityRows: BulkInsert;
}

/** The write format's columns (ingest/ports.ts), checked against this schema. */
const writeColumns: readonly (keyof AlertsTable)[] = alertWriteColumns;

export function createAlertStatements(runMany: RunMany | undefined): AlertStatements {
  return {
    upsertAlerts: new BulkInsert(
      writeColumns,
      (db, rows) =>
        (db as unknown as Kysely<Database>)
          .insertInto('alerts')
          .values(rows as unknown as NewAlertRow[])
          .onConflict((conflict) =>
            conflict.columns(['source', 'source_ref']).doUpdateSet((eb) => ({
              title: eb.ref('excluded.title'),
              description: eb.ref('excluded.description'),
              severity: eb.ref('excluded.severity'),
              severity_rank: eb.ref('excluded.severity_rank'),
              category: eb.ref('excluded.category'),
              detector: eb.ref('excluded.detector'),
              mitre_techniques: eb.ref('excluded.mitre_techniques'),
              created_at: eb.ref('excluded.created_at'),
              first_activity_at: eb.ref('excluded.first_activity_at'),
              last_activity_at: eb.ref('excluded.last_activity_at'),
              updated_at: eb.ref('excluded.updated_at'),
              entities: eb.ref('excluded.entities'),
              raw: eb.ref('excluded.raw'),
              format: eb.ref('excluded.format'),
              // A detection run that sees more of the same window raises the count; one that sees less (or the
              // same events again) does not lower it.
              event_count: sql<number>`case when alerts.event_count > excluded.event_count then alerts.event_count else excluded.event_count end`,
            })),
          ),
      { runMany, chunk: ALERT_CHUNK, upsert: true, returning: ['id', 'source', 'source_ref'] },
    ),
    insertEntityRows: new BulkInsert(
      ['entity_hash', 'at', 'alert_id', 'device_hash'],
      (db, rows) =>
        (db as unknown as Kysely<Database>)
          .insertInto('alert_entities')
          .values(rows as unknown as AlertEntitiesTable[])
          .onConflict((conflict) => conflict.doNothing()),
      { runMany, chunk: ENTITY_CHUNK, inKeyOrder: true },
    ),
  };
}

export function createAlertStore(
  db: Kysely<Database>,
  atomically: Atomically,
  statements: AlertStatements,
): AlertStore {
  return {
    upsertPrepared: (prepared, now) =>
      prepared.length === 0
        ? Promise.resolve([])
        : atomically((executor) => writePrepared(executor, statements, prepared, now)),

    async getAlert(id) {
      const key = parseAlertId(id);
      if (key === undefined) return undefined;
      const row = await db.selectFrom('alerts').select(alertColumns).where('id', '=', key).executeTakeFirst();
      return row ? toAlertRecord(row) : undefined;
    },

    async setAlertStatus(id, status, by, now) {
      const key = parseAlertId(id);
      const result =
        key === undefined
          ? undefined
          : await db
              .updateTable('alerts')
              .set({ status, status_by: by, updated_at: now.getTime() })
              .where('id', '=', key)
              .executeTakeFirst();
      if (!result || Number(result.numUpdatedRows) === 0)
        throw new AutoirError('AUTOIR_E_ALERT_NOT_FOUND', `no alert ${id}`);
      return (await this.getAlert(id)) as AlertRecord;
    },

    async setAlertStatuses(ids, status, by, now) {
      const keys = [...new Set(ids)].map((id) => [id, parseAlertId(id)] as const);
      const known = keys.flatMap(([, key]) => (key === undefined ? [] : [key]));
      return atomically(async (executor) => {
        const found = new Set<number>();
        for (let start = 0; start < known.length; start += 500) {
          const rows = await executor
            .selectFrom('alerts')
            .select('id')
            .where('id', 'in', known.slice(start, start + 500))
            .execute();
          for (const row of rows) found.add(Number(row.id));
        }
        // In the order given.
        const missing = keys.filter(([, key]) => key === undefined || !found.has(key)).map(([id]) => id);
        if (missing.length > 0)
          throw new AutoirError(
            'AUTOIR_E_ALERT_NOT_FOUND',
            `no alert ${missing.slice(0, 10).join(', ')}${missing.length > 10 ? ` and ${missing.length - 10} more` : ''}`,
          );
        let updated = 0;
        for (let start = 0; start < known.length; start += 500) {
          const result = await executor
            .updateTable('alerts')
            .set({ status, status_by: by, updated_at: now.getTime() })
            .where('id', 'in', known.slice(start, start + 500))
            .executeTakeFirst();
          updated += Number(result.numUpdatedRows);
        }
        return updated;
      });
    },

    async getAlertRaw(id) {
      const key = parseAlertId(id);
      if (key === undefined) return undefined;
      const row = await db.selectFrom('alerts').select('raw').where('id', '=', key).executeTakeFirst();
      return row?.raw ?? undefined;
    },

    async listAlerts(filter, page) {
      const limit = Math.max(1, Math.min(page.limit, 1000));
      let query = applyAlertFilter(db.selectFrom('alerts').select(alertColumns), filter);
      if (page.cursor !== undefined) {
        const [time, id] = decodeCursor(page.cursor);
        query = query.where((eb) =>
          eb.or([eb('created_at', '<', time), eb.and([eb('created_at', '=', time), eb('id', '<', id)])]),
        );
      }
      const rows = await query
        .orderBy('created_at', 'desc')
        .orderBy('id', 'desc')
        .limit(limit + 1)
        .execute();
      const last = rows.length > limit ? rows[limit - 1] : undefined;
      return {
        items: rows.slice(0, limit).map(toAlertRecord),
        nextCursor: last ? encodeCursor(last.created_at, last.id) : null,
      } satisfies Page<AlertRecord>;
    },

    async detectorCounts(prefix) {
      const rows = await db
        .selectFrom('alerts')
        .select([
          'detector',
          (eb) => eb.fn.countAll<number>().as('n'),
          (eb) => eb.fn.max('created_at').as('last'),
        ])
        .where('detector', 'like', sql<string>`${`${escapeLike(prefix)}%`} escape '\\'`)
        .groupBy('detector')
        .execute();
      return new Map(
        rows.map((row) => [row.detector as string, { alerts: Number(row.n), lastAt: iso(Number(row.last)) }]),
      );
    },

    async countAlerts(filter = {}) {
      const row = await applyAlertFilter(
        db.selectFrom('alerts').select((eb) => eb.fn.countAll<number>().as('count')),
        filter,
      ).executeTakeFirstOrThrow();
      return Number(row.count);
    },
  };
}

/** What a read shows: every written column but the rank (derived from severity) and the raw record (on request). */
export type ReadColumn =
  'id' | 'status' | 'status_by' | Exclude<(typeof alertWriteColumns)[number], 'severity_rank' | 'raw'>;
export const alertColumns: readonly ReadColumn[] = [
  'id',
  ...alertWriteColumns.filter(
    (column): column is Exclude<ReadColumn, 'id' | 'status' | 'status_by'> =>
      column !== 'severity_rank' && column !== 'raw',
  ),
  'status',
  'status_by',
];

export type AlertRow = Omit<Selectable<Pick<AlertsTable, (typeof alertColumns)[number]>>, 'id'> & {
  id: AlertKey;
};

export function toAlertRecord(row: AlertRow): AlertRecord {
  const record: Record<string, unknown> = {
    id: publicAlertId(row.id),
    source: row.source,
    sourceRef: row.source_ref,
    title: row.title,
    description: row.description ?? undefined,
    severity: row.severity as Severity,
    category: row.category ?? undefined,
    detector: row.detector ?? undefined,
    mitreTechniques: JSON.parse(row.mitre_techniques) as string[],
    createdAt: iso(row.created_at),
    firstActivityAt: row.first_activity_at === null ? undefined : iso(row.first_activity_at),
    lastActivityAt: row.last_activity_at === null ? undefined : iso(row.last_activity_at),
    incidentId: row.incident_id,
    entities: JSON.parse(row.entities) as Entity[],
    ingestedAt: iso(row.ingested_at),
    updatedAt: iso(row.updated_at),
    format: row.format,
    eventCount: row.event_count,
    status: row.status,
    statusSetBy: row.status_by ?? undefined,
  };
  for (const key of Object.keys(record)) if (record[key] === undefined) delete record[key];
  return record as unknown as AlertRecord;
}

/**
 * "This alert names that entity": a candidate from the hashed entity index, confirmed against the alert's own
 * entities. For use in any query over `alerts`.
 */
export function alertNamesEntity(eb: ExpressionBuilder<Database, 'alerts'>, entityKey: string) {
  return eb.and([
    eb(
      'alerts.id',
      'in',
      eb
        .selectFrom('alert_entities')
        .select('alert_entities.alert_id')
        .where('alert_entities.entity_hash', '=', entityHash(entityKey)),
    ),
    eb('alerts.entities', 'like', sql<string>`${`%${escapeLike(keyMarker(entityKey))}%`} escape '\\'`),
  ]);
}

function applyAlertFilter<O>(
  query: SelectQueryBuilder<Database, 'alerts', O>,
  filter: AlertFilter,
): SelectQueryBuilder<Database, 'alerts', O> {
  let q = query;
  if (filter.severities && filter.severities.length > 0)
    q = q.where('severity', 'in', [...filter.severities]);
  if (filter.minSeverity !== undefined) q = q.where('severity_rank', '>=', severityRank(filter.minSeverity));
  if (filter.sources && filter.sources.length > 0) q = q.where('source', 'in', [...filter.sources]);
  if (filter.categories && filter.categories.length > 0)
    q = q.where('category', 'in', [...filter.categories]);
  if (filter.detector !== undefined) q = q.where('detector', '=', filter.detector);
  if (filter.statuses && filter.statuses.length > 0) q = q.where('status', 'in', [...filter.statuses]);
  if (filter.mitreTechnique !== undefined) {
    // Stored as a JSON array of normalised ids: `"T1003` also matches `"T1003.001"`.
    q = q.where(
      'mitre_techniques',
      'like',
      sql<string>`${`%"${escapeLike(filter.mitreTechnique)}%`} escape '\\'`,
    );
  }
  if (filter.incidentId === null) q = q.where('incident_id', 'is', null);
  else if (filter.incidentId !== undefined) q = q.where('incident_id', '=', filter.incidentId);
  if (filter.since !== undefined) q = q.where('created_at', '>=', epoch(filter.since, 'since'));
  if (filter.until !== undefined) q = q.where('created_at', '<', epoch(filter.until, 'until'));
  if (filter.text !== undefined && filter.text !== '') {
    q = q.where(
      sql<string>`lower(title)`,
      'like',
      sql<string>`${`%${escapeLike(filter.text.toLowerCase())}%`} escape '\\'`,
    );
  }
  const entityKey = filter.entityKey;
  if (entityKey !== undefined) q = q.where((eb) => alertNamesEntity(eb, entityKey));
  return q;
}

async function writePrepared(
  db: Kysely<Database>,
  statements: AlertStatements,
  prepared: readonly PreparedAlert[],
  now: Date,
): Promise<AlertWriteResult[]> {
  const nowMs = now.getTime();
  const refOf = (alert: PreparedAlert) =>
    refKey(alert.values[at.source] as string, alert.values[at.source_ref] as string);

  // 1. One row per (source, sourceRef): a batch that repeats an alert keeps its last version.
  const lastIndexByRef = new Map<string, number>();
  prepared.forEach((alert, index) => lastIndexByRef.set(refOf(alert), index));

  // 2. Learn the aliases of this batch (an FQDN names its short host name; an account its UPN and SID), then
  //    resolve the entities of alerts that name something only by such an alias.
  await registerAliases(
    db,
    prepared.flatMap((alert) => alert.aliases ?? []),
    nowMs,
  );
  const aliases = await loadAliases(db, [...new Set(prepared.flatMap((alert) => alert.lookups ?? []))]);

  const refs: string[] = [];
  const rows: unknown[][] = [];
  const hashesOfRow: ArrayLike<number>[] = [];
  const deviceOfRow: number[] = [];
  // In key order, so that concurrent writers (PostgreSQL) take row locks in the same order and cannot deadlock.
  const ordered = [...lastIndexByRef].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  for (const [ref, index] of ordered) {
    const alert = prepared[index] as PreparedAlert;
    // The prepared alert is ours (a copy from the parser's thread, or made for this call): fill it in place.
    const values = alert.values;
    values[at.ingested_at] = nowMs;
    values[at.updated_at] = nowMs;
    let hashes = alert.entityHashes;
    let device = alert.deviceHash;
    if (alert.lookups?.some((key) => aliases.get(key))) {
      const resolved = uniqueEntities(
        (JSON.parse(values[at.entities] as string) as Entity[]).map((entity) =>
          resolveEntity(entity, (key) => aliases.get(key) ?? undefined),
        ),
      );
      values[at.entities] = JSON.stringify(resolved);
      hashes = resolved.map((entity) => entityHash(entity.key));
      device = deviceHashOf(resolved);
    }
    refs.push(ref);
    rows.push(values);
    hashesOfRow.push(hashes);
    deviceOfRow.push(device);
  }

  // 3. Alerts stored before keep their id and incident; their entity index is replaced below.
  const previous = await existingAlerts(
    db,
    rows.map((values) => [values[at.source] as string, values[at.source_ref] as string]),
  );
  const ids = await upsertRows(db, statements, refs, rows, previous);

  // 4. The entity index. (If another process stored the same alert at the same moment, both index it: the rows
  //    of both versions stay, and every lookup is confirmed against the stored entities anyway.)
  for (const { id, at: time, entityKeys } of previous.values()) {
    const hashes = [...new Set(entityKeys.map(entityHash))];
    for (let start = 0; start < hashes.length; start += LOOKUP_CHUNK) {
      await db
        .deleteFrom('alert_entities')
        .where('entity_hash', 'in', hashes.slice(start, start + LOOKUP_CHUNK))
        .where('at', '=', time)
        .where('alert_id', '=', id)
        .execute();
    }
  }
  if (previous.size > 0) await bumpCorrelationGeneration(db as unknown as Kysely<never>);
  const entityRows: unknown[] = [];
  hashesOfRow.forEach((hashes, row) => {
    const time = rows[row]?.[at.created_at];
    for (let index = 0; index < hashes.length; index++)
      entityRows.push(hashes[index], time, ids[row], deviceOfRow[row]);
  });
  await statements.insertEntityRows.runFlat(db as unknown as Kysely<never>, entityRows);

  // 5. Per input, in input order: a repeat inside the batch counts as an update of the first.
  const idByRef = new Map(refs.map((ref, row) => [ref, ids[row] as number]));
  const seen = new Set<string>();
  return prepared.map((alert) => {
    const ref = refOf(alert);
    const created = !previous.has(ref) && !seen.has(ref);
    seen.add(ref);
    return { id: publicAlertId(idByRef.get(ref) as number), status: created ? 'created' : 'updated' };
  });
}

/** Upsert alert rows and return their ids, in row order. */
async function upsertRows(
  db: Kysely<Database>,
  statements: AlertStatements,
  refs: readonly string[],
  rows: readonly unknown[][],
  previous: ReadonlyMap<string, { id: number }>,
): Promise<number[]> {
  const result = await statements.upsertAlerts.runReturning(db as unknown as Kysely<never>, rows);
  if ('rows' in result) {
    const byRef = new Map<string, number>();
    for (const row of result.rows as { id: number; source: string; source_ref: string }[])
      byRef.set(refKey(row.source, row.source_ref), Number(row.id));
    return refs.map((ref) => {
      const id = byRef.get(ref);
      if (id === undefined)
        throw new AutoirError('AUTOIR_E_INTERNAL', `alert ${ref} was not returned by the upsert`);
      return id;
    });
  }
  // SQLite reports the rowids it inserted; a row that updated an alert stored before has the id found before
  // the write, or (stored by another process meanwhile) is looked up.
  const ids = result.rowids.map((id, row) => id ?? previous.get(refs[row] as string)?.id);
  const missing = ids.flatMap((id, row) => (id === undefined ? [row] : []));
  if (missing.length > 0) {
    const found = await existingAlerts(
      db,
      missing.map((row) => [rows[row]?.[at.source] as string, rows[row]?.[at.source_ref] as string]),
    );
    for (const row of missing) ids[row] = found.get(refs[row] as string)?.id;
  }
  return ids.map((id, row) => {
    if (id === undefined)
      throw new AutoirError('AUTOIR_E_INTERNAL', `alert ${refs[row]} was not found after the upsert`);
    return id;
  });
}

/** The stored alerts among these rows' (source, sourceRef), with the keys of the entities they were indexed by. */
async function existingAlerts(
  db: Kysely<Database>,
  keys: readonly (readonly [source: string, sourceRef: string])[],
): Promise<Map<string, { id: number; at: number; entityKeys: string[] }>> {
  const refsBySource = new Map<string, string[]>();
  for (const [source, sourceRef] of keys) {
    const refs = refsBySource.get(source);
    if (refs) refs.push(sourceRef);
    else refsBySource.set(source, [sourceRef]);
  }
  const found = new Map<string, { id: number; at: number; entityKeys: string[] }>();
  for (const [source, refs] of refsBySource) {
    for (let start = 0; start < refs.length; start += LOOKUP_CHUNK) {
      const existing = await db
        .selectFrom('alerts')
        .select(['id', 'source_ref', 'created_at', 'entities'])
        .where('source', '=', source)
        .where('source_ref', 'in', refs.slice(start, start + LOOKUP_CHUNK))
        .execute();
      for (const row of existing) {
        found.set(refKey(source, row.source_ref), {
          id: Number(row.id),
          at: Number(row.created_at),
          entityKeys: (JSON.parse(row.entities) as Entity[]).map((entity) => entity.key),
        });
      }
    }
  }
  return found;
}

function refKey(source: string, sourceRef: string): string {
  return `${source}\u0000${sourceRef}`;
}

export interface AlertFilter {
  readonly severities?: readonly Severity[];
  readonly minSeverity?: Severity;
  readonly sources?: readonly string[];
  readonly categories?: readonly string[];
  readonly detector?: string;
  /** Matches the technique and its sub-techniques: `T1003` matches `T1003.001`. */
  readonly mitreTechnique?: string;
  /** Alerts naming this entity key. */
  readonly entityKey?: string;
  /** An incident id, or `null` for alerts not yet in an incident. */
  readonly incidentId?: string | null;
  /** Alert time (`createdAt`) from, inclusive (ISO 8601). */
  readonly since?: string;
  /** Alert time until, exclusive (ISO 8601). */
  readonly until?: string;
  /** Case-insensitive substring of the title. */
  readonly text?: string;
  /** Only alerts in one of these statuses. */
  readonly statuses?: readonly AlertStatus[];
}

/** Alerts: ingest's sink (ingest/ports.ts), and what the API, CLI and investigations read and change. */
export interface AlertStore extends AlertSink {
  getAlert(id: string): Promise<AlertRecord | undefined>;
  /**
   * Set an alert's status, recording who set it (`analyst:<name>`, or `automation`). Automation never changes a
   * status an analyst set.
   */
  setAlertStatus(id: string, status: AlertStatus, by: string, now: Date): Promise<AlertRecord>;
  /**
   * Set the status of several alerts at once, as `setAlertStatus` does each: all or none — an id that names no
   * alert changes nothing (`AUTOIR_E_ALERT_NOT_FOUND` naming the ids). The number of alerts set.
   */
  setAlertStatuses(ids: readonly string[], status: AlertStatus, by: string, now: Date): Promise<number>;
  /** The record the alert was parsed from, as it arrived. */
  getAlertRaw(id: string): Promise<string | undefined>;
  /** Newest first (alert time, then id). */
  listAlerts(filter: AlertFilter, page: PageRequest): Promise<Page<AlertRecord>>;
  countAlerts(filter?: AlertFilter): Promise<number>;
  /** Alerts per detector whose name starts with `prefix` (`sigma:`: per rule), with the latest alert time. */
  detectorCounts(prefix: string): Promise<Map<string, { readonly alerts: number; readonly lastAt: string }>>;
}
