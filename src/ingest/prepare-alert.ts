/**
 * An alert turned into what the store writes: its row, the hashes of its entity index, and the aliases it teaches
 * or may need. Preparing is pure (no I/O), so it can run where the alert was parsed — in an ingest worker thread —
 * leaving the thread that owns the database connection only the writing.
 */
import { severityRank } from '../domain/alert.js';
import { entityAliases, type Entity } from '../domain/entity.js';
import { deviceHashOf, entityHash } from '../domain/entity-hash.js';
import type { AlertInput, AlertWriteResult } from '../domain/alert.js';
import { alertWriteColumns, type AlertSink, type PreparedAlert } from './ports.js';
import { epoch } from '../domain/time.js';

export function prepareAlert({ draft, raw, format }: AlertInput): PreparedAlert {
  const aliases: [string, string][] = [];
  for (const entity of draft.entities) {
    if (entity.type === 'device' || entity.type === 'user')
      for (const alias of entityAliases(entity)) aliases.push([alias, entity.key]);
  }
  const row: Record<(typeof alertWriteColumns)[number], unknown> = {
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

/** Prepare alerts and write them, all or nothing: for alerts that arrive one batch at a time (the API, detection). */
export function writeAlerts(
  sink: AlertSink,
  inputs: readonly AlertInput[],
  now: Date,
): Promise<AlertWriteResult[]> {
  return inputs.length === 0 ? Promise.resolve([]) : sink.upsertPrepared(inputs.map(prepareAlert), now);
}
