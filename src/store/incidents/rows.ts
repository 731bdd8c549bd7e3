/**
 * Incidents as stored: rows and their mapping, the aggregate automation keeps (summarised by the domain's rule,
 * domain/incident-summary.ts), list sorting and filtering, and correlation's bulk statements.
 */
import { type Insertable, type Kysely, type Updateable } from 'kysely';
import { severityRank, type Severity } from '../../domain/alert.js';
import type { Entity } from '../../domain/entity.js';
import { type IncidentClassification, type IncidentStatus } from '../../domain/incident.js';
import { BulkInsert, RowStatement, type RunMany } from '../bulk-insert.js';
import { countListed, listsDevice } from '../device-list.js';
import { type RowColumns } from '../row-table.js';
import { iso } from '../query-helpers.js';
import type { Database, IncidentsTable } from '../schema.js';
import { publicIncidentId } from '../../domain/ids.js';
import {
  summarizeIncident,
  type EntityCount,
  type IncidentAggregate,
} from '../../domain/incident-summary.js';
import type { CorrelationRow } from '../../correlate/ports.js';
import type { IncidentSummary } from '../../domain/incident.js';

export const rowColumns = ['id', 'created_at', 'title', 'severity', 'category', 'entities'] as const;

export function toRow(row: {
  id: number;
  created_at: number;
  title: string;
  severity: string;
  category: string | null;
  entities: string;
}): CorrelationRow {
  return {
    id: Number(row.id),
    time: Number(row.created_at),
    title: row.title,
    severity: row.severity as Severity,
    category: row.category,
    entities: JSON.parse(row.entities) as Entity[],
  };
}

/** What an incident holds so far, as stored (for adding alerts to it without reading them all back). */
export interface Aggregate {
  readonly lead_title: string;
  readonly lead_category: string | null;
  readonly severity: string;
  readonly alert_count: number;
  readonly first_activity_at: number;
  readonly last_activity_at: number;
  /** JSON `[{ type, key, alerts }]`. */
  readonly entities: string;
  /** JSON array of device keys, or MANY_DEVICES. */
  readonly devices: string;
}

/** The stored device list of an incident on more than MAX_TRACKED_DEVICES devices. */
export const MANY_DEVICES = '"many"';

/**
 * A stored incident's aggregate as the domain reads it. Its device list is read from the JSON text without parsing
 * where it can (a lookup, a count): a busy incident's list, unchanged by most alerts that join it, is not parsed,
 * sorted and written again.
 */
export function aggregateOf(row: Aggregate): IncidentAggregate {
  const devices = row.devices;
  return {
    leadTitle: row.lead_title,
    leadCategory: row.lead_category,
    severity: row.severity as Severity,
    alertCount: Number(row.alert_count),
    firstActivityAt: Number(row.first_activity_at),
    lastActivityAt: Number(row.last_activity_at),
    entities: JSON.parse(row.entities) as EntityCount[],
    devices:
      devices === MANY_DEVICES
        ? { many: true }
        : {
            many: false,
            get size() {
              return countListed(devices);
            },
            has: (key) => listsDevice(devices, key),
            keys: () => JSON.parse(devices) as string[],
          },
  };
}

/** The columns automation writes on an incident, from the summary of its parts and the alerts added. */
export function aggregate(parts: readonly Aggregate[], added: readonly CorrelationRow[]) {
  const summary = summarizeIncident(parts.map(aggregateOf), added);
  return {
    title: summary.title,
    lead_title: summary.leadTitle,
    lead_category: summary.leadCategory,
    severity: summary.severity,
    severity_rank: severityRank(summary.severity),
    alert_count: summary.alertCount,
    first_activity_at: summary.firstActivityAt,
    last_activity_at: summary.lastActivityAt,
    entities: JSON.stringify(summary.entities),
    devices:
      'unchanged' in summary.devices
        ? (parts[0] as Aggregate).devices
        : 'many' in summary.devices
          ? MANY_DEVICES
          : JSON.stringify(summary.devices.keys),
  };
}

export type IncidentRow = Database['incidents'] extends infer T ? Omit<T, 'id'> & { id: number } : never;

export function toSummary(row: IncidentRow): IncidentSummary {
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

export const CHUNK = 500;
/** Keys per timeline statement, and (alert, key) pairs per neighbour statement. */
export const TIMELINE_CHUNK = 5000;
/** A timeline request as a row: its position, key hash, span, the caller's mentions, whether to count prevalence. */
export const SPAN_COLUMNS: RowColumns = [
  ['i', 'int'],
  ['h', 'bigint'],
  ['lo', 'bigint'],
  ['hi', 'bigint'],
  ['n', 'bigint'],
  ['p', 'int'],
];
/** A neighbour to confirm: alert id, position of the pair, the key's marker in the alert's entities. */
export const PAIR_COLUMNS: RowColumns = [
  ['id', 'bigint'],
  ['i', 'int'],
  ['m', 'text'],
];
export const NEIGHBOUR_CHUNK = 5000;

/** The columns automation writes on an incident (`aggregate`), in order. */
export const aggregateColumns = [
  'title',
  'lead_title',
  'lead_category',
  'severity',
  'severity_rank',
  'alert_count',
  'first_activity_at',
  'last_activity_at',
  'entities',
  'devices',
] as const;

/** The columns a new incident starts with, beyond automation's and the alert it was created for. */
export const startColumns = [
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

export const newIncidentColumns = [...aggregateColumns, ...startColumns, 'origin_alert_id'] as const;

/** Correlation's bulk statements, compiled once per store. */
export interface IncidentStatements {
  readonly insertIncidents: BulkInsert;
  readonly insertLinks: BulkInsert;
  readonly insertMerges: BulkInsert;
  /** One row's statements: in-process row after row on SQLite, over arrays in one statement on PostgreSQL. */
  readonly updateAggregate: RowStatement;
  readonly assignAlert: RowStatement;
  readonly merging: {
    readonly moveAlerts: RowStatement;
    readonly redirect: RowStatement;
    readonly repoint: RowStatement;
  };
}

export const typed = (db: Kysely<never>) => db as unknown as Kysely<Database>;

/** `update incidents set <columns> where id = ?`, for many rows (RowStatement): values in column order, then id. */
export function updateIncident(columns: readonly string[], runMany: RunMany | undefined): RowStatement {
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

export function createIncidentStatements(runMany: RunMany | undefined): IncidentStatements {
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
  };
}
