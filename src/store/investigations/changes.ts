/**
 * What the investigation store's operations share inside a transaction: the claim lock, alert counts, an
 * investigation read whole, and moving one along the state machine.
 */
import { sql, SqliteAdapter, type Kysely, type Updateable } from 'kysely';
import { AutoirError } from '../../domain/errors.js';
import {
  isTerminalInvestigationStatus,
  transitionInvestigation,
  type InvestigationEvent,
  type InvestigationStatus,
} from '../../domain/investigation.js';
import { iso } from '../query-helpers.js';
import type { Database } from '../schema.js';
import {
  parseInvestigationId,
  proposalIds,
  publicActionId,
  publicAlertId,
  publicInvestigationId,
} from '../../domain/ids.js';
import type { InvestigationDetail } from '../../domain/investigation.js';
import type { InvestigationRow } from './rows.js';
import { toEvidence, toRecord } from './rows.js';

export function investigationChanges(db: Kysely<Database>) {
  const isSqlite = db.getExecutor().adapter instanceof SqliteAdapter;

  /** Serialise claims: the running count and the row claimed are decided together. */
  const lockForClaim = async (executor: Kysely<Database>) => {
    if (isSqlite) await sql`update investigations set id = id where id = -1`.execute(executor);
    else await sql`select pg_advisory_xact_lock(727002)`.execute(executor);
  };

  const alertCounts = async (executor: Kysely<Database>, ids: readonly number[]) => {
    const counts = new Map<number, number>();
    if (ids.length === 0) return counts;
    const rows = await executor
      .selectFrom('investigation_alerts')
      .select(['investigation_id', (eb) => eb.fn.countAll<number>().as('n')])
      .where('investigation_id', 'in', [...ids])
      .groupBy('investigation_id')
      .execute();
    for (const row of rows) counts.set(Number(row.investigation_id), Number(row.n));
    return counts;
  };

  const loadDetail = async (executor: Kysely<Database>, key: number) => {
    const row = await executor
      .selectFrom('investigations')
      .selectAll()
      .where('id', '=', key)
      .executeTakeFirst();
    if (!row) return undefined;
    const [alerts, evidence, actions, log] = await Promise.all([
      executor
        .selectFrom('investigation_alerts')
        .select('alert_id')
        .where('investigation_id', '=', key)
        .orderBy('alert_id')
        .execute(),
      executor
        .selectFrom('investigation_evidence')
        .selectAll()
        .where('investigation_id', '=', key)
        .orderBy('added_at')
        .orderBy('entity_key')
        .execute(),
      executor
        .selectFrom('proposed_actions')
        .leftJoin('proposal_actions', 'proposal_actions.proposal_id', 'proposed_actions.id')
        .leftJoin('actions', 'actions.id', 'proposal_actions.action_id')
        .selectAll('proposed_actions')
        .select([
          'proposal_actions.action_id',
          'actions.status as action_status',
          'actions.decision_rule as action_rule',
          'actions.device_key',
        ])
        .where('proposed_actions.investigation_id', '=', key)
        .orderBy('proposed_actions.id')
        .orderBy('proposal_actions.action_id')
        .execute(),
      executor
        .selectFrom('investigation_log')
        .selectAll()
        .where('investigation_id', '=', key)
        .orderBy('id')
        .execute(),
    ]);
    const detail: InvestigationDetail = {
      ...toRecord(row as InvestigationRow, alerts.length),
      alertIds: alerts.map((alert) => publicAlertId(Number(alert.alert_id))),
      evidence: evidence.map(toEvidence),
      actions: actions.map((action) => ({
        id:
          action.action_id !== null
            ? publicActionId(Number(action.action_id))
            : proposalIds.format(Number(action.id)),
        proposalId: proposalIds.format(Number(action.id)),
        actionId: action.action_id !== null ? publicActionId(Number(action.action_id)) : null,
        type: action.type,
        targetKey: action.target_key,
        deviceKey: action.device_key ?? null,
        evidenceKey: action.evidence_key,
        status: action.action_status ?? action.status,
        decisionRule: action.action_rule ?? action.decision_rule,
        reasons: JSON.parse(action.reasons) as string[],
      })),
      log: log.map((entry) => ({
        step: entry.step,
        startedAt: iso(Number(entry.started_at)),
        durationMs: Number(entry.duration_ms),
        result: entry.result,
        waitedMs: Number(entry.waited_ms),
        waitedAs: entry.waited_as,
        worker: entry.worker,
      })),
    };
    return detail;
  };

  const requireKey = (id: string) => {
    const key = parseInvestigationId(id);
    if (key === undefined)
      throw new AutoirError('AUTOIR_E_NOT_FOUND', `no investigation ${id}`, { details: { id } });
    return key;
  };

  /** Move an investigation by a status event, with the extra columns given. */
  const move = async (
    executor: Kysely<Database>,
    key: number,
    event: InvestigationEvent,
    now: number,
    extra: Updateable<Database['investigations']> = {},
  ) => {
    const row = await executor
      .selectFrom('investigations')
      .selectAll()
      .where('id', '=', key)
      .executeTakeFirst();
    if (!row) throw new AutoirError('AUTOIR_E_NOT_FOUND', `no investigation ${publicInvestigationId(key)}`);
    const status = transitionInvestigation(row.status as InvestigationStatus, event);
    await executor
      .updateTable('investigations')
      .set({
        status,
        updated_at: now,
        ...(isTerminalInvestigationStatus(status)
          ? { ended_at: now, claimed_by: null, lease_until: null }
          : {}),
        ...extra,
      })
      .where('id', '=', key)
      .execute();
    return status;
  };

  return { isSqlite, lockForClaim, alertCounts, loadDetail, requireKey, move };
}

export type InvestigationChanges = ReturnType<typeof investigationChanges>;
