/** Investigations as stored: rows and their mapping to the domain's records, evidence rows, indicators. */
import { type Selectable } from 'kysely';
import type { Entity, EntityRole, EntityType } from '../../domain/entity.js';
import type { Finding, RemediationStatus, Verdict } from '../../domain/evidence.js';
import type { Indicator } from '../../domain/indicator.js';
import { type InvestigationStatus } from '../../domain/investigation.js';
import { iso } from '../query-helpers.js';
import type { Database } from '../schema.js';
import { indicatorIds, publicIncidentId, publicInvestigationId } from '../../domain/ids.js';
import type { EngineState, InvestigationRecord, InvestigationTrigger } from '../../domain/investigation.js';
import type { Evidence, Relation } from '../../domain/evidence.js';

export type InvestigationRow = Selectable<Database['investigations']>;

export function toRecord(row: InvestigationRow, alertCount: number): InvestigationRecord {
  return {
    id: publicInvestigationId(Number(row.id)),
    key: Number(row.id),
    incidentId: row.incident_id === null ? null : publicIncidentId(Number(row.incident_id)),
    status: row.status as InvestigationStatus,
    statusReason: row.status_reason,
    playbook: row.playbook,
    trigger: JSON.parse(row.trigger) as InvestigationTrigger,
    step: row.step,
    state: JSON.parse(row.state) as EngineState,
    createdAt: iso(Number(row.created_at)),
    startedAt: row.started_at === null ? null : iso(Number(row.started_at)),
    endedAt: row.ended_at === null ? null : iso(Number(row.ended_at)),
    updatedAt: iso(Number(row.updated_at)),
    runMs: Number(row.run_ms),
    alertCount,
  };
}

export function toEvidence(row: Selectable<Database['investigation_evidence']>): Evidence {
  return {
    key: row.entity_key,
    aliases: JSON.parse(row.aliases) as string[],
    type: row.type as EntityType,
    entity: JSON.parse(row.entity) as Entity,
    origin: row.origin as Evidence['origin'],
    depth: Number(row.depth),
    analyzed: Number(row.analyzed) === 1,
    verdict: row.verdict as Verdict,
    score: Number(row.score),
    roles: JSON.parse(row.roles) as EntityRole[],
    remediationStatus: row.remediation_status as RemediationStatus,
    ownFindings: JSON.parse(row.own_findings) as Finding[],
    findings: JSON.parse(row.findings) as Finding[],
    relations: JSON.parse(row.relations) as Relation[],
  };
}

export function evidenceValues(investigationId: number, evidence: Evidence, now: number) {
  return {
    investigation_id: investigationId,
    entity_key: evidence.key,
    type: evidence.type,
    entity: JSON.stringify(evidence.entity),
    origin: evidence.origin,
    depth: evidence.depth,
    analyzed: evidence.analyzed ? 1 : 0,
    verdict: evidence.verdict,
    score: evidence.score,
    roles: JSON.stringify(evidence.roles),
    remediation_status: evidence.remediationStatus,
    own_findings: JSON.stringify(evidence.ownFindings),
    findings: JSON.stringify(evidence.findings),
    relations: JSON.stringify(evidence.relations),
    aliases: JSON.stringify(evidence.aliases),
    added_at: now,
  };
}

export function toIndicator(row: Selectable<Database['indicators']>): Indicator {
  const indicator: Record<string, unknown> = {
    id: indicatorIds.format(Number(row.id)),
    entityKey: row.entity_key,
    action: row.action,
    title: row.title ?? undefined,
    description: row.description ?? undefined,
    source: row.source,
    sourceRef: row.source_ref ?? undefined,
    severity: row.severity ?? undefined,
    expiresAt: row.expires_at === null ? undefined : iso(Number(row.expires_at)),
    createdAt: iso(Number(row.created_at)),
    createdBy: row.created_by,
  };
  for (const key of Object.keys(indicator)) if (indicator[key] === undefined) delete indicator[key];
  return indicator as unknown as Indicator;
}

export const RUNNABLE = ['queued', 'running'];
