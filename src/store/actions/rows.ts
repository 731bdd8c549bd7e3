/** Actions as stored: rows and their mapping, the in-flight key, and list filters. */
import type { AutomationLevel } from '../../domain/policy.js';
import { type Selectable, type SelectQueryBuilder } from 'kysely';
import { type ActionStatus, type ActionType } from '../../domain/action.js';
import type { Database } from '../schema.js';
import { parseInvestigationId, publicActionId, publicInvestigationId } from '../../domain/ids.js';
import type { ActionRecord, ActionSource } from '../../domain/action.js';

import { isoOrNull } from '../query-helpers.js';

export type ActionRow = Selectable<Database['actions']>;

export function toAction(row: ActionRow): ActionRecord {
  return {
    id: publicActionId(Number(row.id)),
    key: Number(row.id),
    type: row.type as ActionType,
    targetKey: row.target_key,
    deviceKey: row.device_key,
    group: row.group_kind && row.group_name ? { kind: row.group_kind, name: row.group_name } : null,
    investigationId:
      row.investigation_id === null ? null : publicInvestigationId(Number(row.investigation_id)),
    evidenceKey: row.evidence_key,
    verdict: row.verdict,
    source: row.source as ActionSource,
    status: row.status as ActionStatus,
    parameters: JSON.parse(row.parameters) as Record<string, unknown>,
    reasons: JSON.parse(row.reasons) as string[],
    requestedBy: row.requested_by,
    decidedBy: row.decided_by,
    decidedAt: isoOrNull(row.decided_at),
    decisionRule: row.decision_rule,
    comment: row.comment,
    undoOf: row.undo_of === null ? null : publicActionId(Number(row.undo_of)),
    undoneBy: row.undone_by === null ? null : publicActionId(Number(row.undone_by)),
    idempotencyKey: row.idempotency_key,
    connector: row.connector,
    attempts: Number(row.attempts),
    nextAttemptAt: isoOrNull(row.next_attempt_at),
    awaitingCallback: Number(row.awaiting_callback) === 1,
    unreachableSince: isoOrNull(row.unreachable_since),
    resultMessage: row.result_message,
    resultDetails:
      row.result_details === null ? null : (JSON.parse(row.result_details) as Record<string, unknown>),
    createdAt: isoOrNull(row.created_at) as string,
    updatedAt: isoOrNull(row.updated_at) as string,
    expiresAt: isoOrNull(row.expires_at),
    startedAt: isoOrNull(row.started_at),
    endedAt: isoOrNull(row.ended_at),
    shadow:
      row.shadow_outcome === null
        ? null
        : {
            level: row.shadow_level as AutomationLevel,
            outcome: row.shadow_outcome as 'approve' | 'wait',
            rule: row.shadow_rule ?? '',
          },
  };
}

export const inFlightKey = (type: string, target: string, device: string | null) =>
  `${type}|${target}|${device ?? ''}`;

export function applyFilter<O>(
  query: SelectQueryBuilder<Database, 'actions', O>,
  filter: ActionFilter,
): SelectQueryBuilder<Database, 'actions', O> {
  let q = query;
  if (filter.statuses?.length) q = q.where('status', 'in', [...filter.statuses]);
  if (filter.types?.length) q = q.where('type', 'in', [...filter.types]);
  if (filter.sources?.length) q = q.where('source', 'in', [...filter.sources]);
  if (filter.investigationId)
    q = q.where('investigation_id', '=', parseInvestigationId(filter.investigationId) ?? -1);
  if (filter.groupName) q = q.where('group_name', '=', filter.groupName);
  if (filter.targetKey) q = q.where('target_key', '=', filter.targetKey);
  if (filter.deviceKey) q = q.where('device_key', '=', filter.deviceKey);
  if (filter.since) q = q.where('created_at', '>=', Date.parse(filter.since));
  if (filter.until) q = q.where('created_at', '<', Date.parse(filter.until));
  return q;
}

export interface ActionFilter {
  readonly statuses?: readonly ActionStatus[];
  readonly types?: readonly ActionType[];
  readonly sources?: readonly ActionSource[];
  readonly investigationId?: string;
  readonly groupName?: string;
  readonly targetKey?: string;
  /** Actions on this device (its own, or on something on it: a process, a file). */
  readonly deviceKey?: string;
  /** Created from (ISO 8601), inclusive. */
  readonly since?: string;
  readonly until?: string;
}
