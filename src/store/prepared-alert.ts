/**
 * An alert turned into what the store writes: its row, the hashes of its entity index, and the aliases it teaches
 * or may need. Preparing is pure (no I/O), so it can run where the alert was parsed — in an ingest worker thread —
 * leaving the thread that owns the database connection only the writing.
 */
import { severityRank } from '../domain/alert.js';
import { entityAliases, type Entity } from '../domain/entity.js';
import { badInput } from '../domain/errors.js';
import { deviceHashOf, entityHash } from './entity-index.js';
import type { AlertInput } from './ports.js';
import type { AlertsTable } from './schema.js';

/** The columns an alert is written with, in order; `values` of a prepared alert follow it. */
export const alertWriteColumns = [
  'source',
  'source_ref',
  'title',
  'description',
  'severity',
  'severity_rank',
  'category',
  'detector',
  'mitre_techniques',
  'created_at',
  'first_activity_at',
  'last_activity_at',
  'ingested_at',
  'updated_at',
  'incident_id',
  'entities',
  'raw',
  'format',
  'event_count',
] as const satisfies readonly (keyof AlertsTable)[];

type Column = (typeof alertWriteColumns)[number];

/** Position of each column in `values`. */
export const at = Object.fromEntries(alertWriteColumns.map((column, index) => [column, index])) as Record<
  Column,
  number
>;

export interface PreparedAlert {
  /**
   * Column values in `alertWriteColumns` order (a flat array crosses threads much faster than an object);
   * `ingested_at` and `updated_at` are filled in when written.
   */
  readonly values: unknown[];
  /** `entityHash` of each entity key, in entity order. */
  readonly entityHashes: ArrayLike<number>;
  /** `deviceHashOf` the entities: the device the alert counts for in the entity index. */
  readonly deviceHash: number;
  /** Aliases this alert's entities establish: [alias key, entity key]. Absent when none. */
  readonly aliases?: readonly (readonly [string, string])[];
  /** Alias keys that, if known, would change this alert's entities (bare host names, UPNs, SIDs). Absent when none. */
  readonly lookups?: readonly string[];
}

export function prepareAlert({ draft, raw, format }: AlertInput): PreparedAlert {
  const aliases: [string, string][] = [];
  for (const entity of draft.entities) {
    if (entity.type === 'device' || entity.type === 'user')
      for (const alias of entityAliases(entity)) aliases.push([alias, entity.key]);
  }
  const row: Record<Column, unknown> = {
    source: draft.source,
    source_ref: draft.sourceRef,
    title: draft.title,
    description: draft.description ?? null,
    severity: draft.severity,
    severity_rank: severityRank(draft.severity),
    category: draft.category ?? null,
    detector: draft.detector ?? null,
    mitre_techniques: JSON.stringify(draft.mitreTechniques),
    created_at: epoch(draft.createdAt, 'createdAt'),
    first_activity_at:
      draft.firstActivityAt === undefined ? null : epoch(draft.firstActivityAt, 'firstActivityAt'),
    last_activity_at:
      draft.lastActivityAt === undefined ? null : epoch(draft.lastActivityAt, 'lastActivityAt'),
    ingested_at: 0,
    updated_at: 0,
    incident_id: null,
    entities: JSON.stringify(draft.entities),
    raw: raw ?? null,
    format,
    event_count: draft.eventCount ?? 1,
  };
  const lookups = aliasLookups(draft.entities);
  // Kept small: prepared alerts cross from parse workers to the writing thread, and every field costs there.
  return {
    values: alertWriteColumns.map((column) => row[column]),
    entityHashes: Float64Array.from(draft.entities, (entity) => entityHash(entity.key)),
    deviceHash: deviceHashOf(draft.entities),
    ...(aliases.length > 0 ? { aliases } : {}),
    ...(lookups.length > 0 ? { lookups } : {}),
  };
}

/** The alias keys worth looking up for these entities: bare host names, UPNs and SIDs. */
export function aliasLookups(entities: readonly Entity[]): string[] {
  const keys = new Set<string>();
  for (const entity of entities) {
    switch (entity.type) {
      case 'device':
        if (!entity.fqdn) keys.add(entity.key);
        break;
      case 'user':
        if (!(entity.name && entity.domain)) keys.add(entity.key);
        break;
      case 'process':
        if (!entity.device.includes('.')) keys.add(`device:${entity.device}`);
        if (entity.userKey) keys.add(entity.userKey);
        break;
      case 'file':
      case 'registryKey':
      case 'registryValue':
      case 'service':
      case 'scheduledTask':
        if (entity.device && !entity.device.includes('.')) keys.add(`device:${entity.device}`);
        break;
      default:
        break;
    }
  }
  return [...keys];
}

/** Epoch milliseconds of an ISO 8601 time; a bad one is a user error naming the field. */
export function epoch(value: string, field: string): number {
  const ms = Date.parse(value);
  if (!Number.isFinite(ms))
    throw badInput(`${field} is not a date-time: ${JSON.stringify(value)}`, { field });
  return ms;
}
