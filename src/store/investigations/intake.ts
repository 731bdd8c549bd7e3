/**
 * Correlated alerts handed to investigations (investigate/ports.ts `InvestigationIntake`): the alerts waiting, the
 * open investigation they join, new investigations.
 */
import { sql, type Kysely } from 'kysely';
import { type InvestigationStatus } from '../../domain/investigation.js';
import { alertColumns, toAlertRecord } from '../alert-store.js';
import type { Database } from '../schema.js';
import { parseActionId, parseIncidentId, publicIncidentId, publicInvestigationId } from '../../domain/ids.js';
import type { EngineState } from '../../domain/investigation.js';
import { newEvidence } from '../../domain/evidence.js';
import type { InvestigationIntake } from '../../investigate/ports.js';
import type { Atomically } from '../query-helpers.js';
import { afterAlertsJoined } from '../../domain/investigation-lifecycle.js';
import type { InvestigationRow } from './rows.js';
import { evidenceValues, toRecord } from './rows.js';

/**
 * Something new about an open investigation (alerts joined, telemetry arrived): it re-evaluates from its first
 * step, and one waiting is queued again (domain/investigation-lifecycle.ts). `false` for a finished one.
 */
async function reevaluate(executor: Kysely<Database>, key: number, time: number): Promise<boolean> {
  const row = await executor
    .selectFrom('investigations')
    .select(['status', 'state'])
    .where('id', '=', key)
    .executeTakeFirstOrThrow();
  const joined = afterAlertsJoined(
    row.status as InvestigationStatus,
    JSON.parse(row.state) as EngineState,
    time,
  );
  if (!joined) return false;
  await executor
    .updateTable('investigations')
    .set({
      step: joined.step,
      status: joined.status,
      state: JSON.stringify(joined.state),
      updated_at: time,
      ...(joined.requeue ? { queued_at: time } : {}),
    })
    .where('id', '=', key)
    .execute();
  return true;
}

export function intakeOperations(
  db: Kysely<Database>,
  atomically: Atomically,
): InvestigationIntake & { markInvestigated(alertIds: readonly number[]): Promise<void> } {
  return {
    async uninvestigatedAlerts(limit) {
      const rows = await db
        .selectFrom('alerts')
        .select(alertColumns)
        .where('investigated', '=', 0)
        .where('incident_id', 'is not', null)
        .orderBy('id')
        .limit(limit)
        .execute();
      return rows.map((row) => ({
        id: Number(row.id),
        incidentId: parseIncidentId(row.incident_id as string) as number,
        record: toAlertRecord(row as Parameters<typeof toAlertRecord>[0]),
      }));
    },

    async openInvestigationOf(incidentId) {
      const row = await db
        .selectFrom('investigations')
        .selectAll()
        .where('incident_id', '=', incidentId)
        .where('ended_at', 'is', null)
        .orderBy('id', 'desc')
        .executeTakeFirst();
      return row ? toRecord(row as InvestigationRow, 0) : undefined;
    },

    async openInvestigationWith(entityKeys) {
      if (entityKeys.length === 0) return undefined;
      const row = await db
        .selectFrom('investigations')
        .selectAll()
        .where('ended_at', 'is', null)
        .where(
          'id',
          'in',
          db
            .selectFrom('investigation_evidence')
            .select('investigation_id')
            .where('entity_key', 'in', [...new Set(entityKeys)].slice(0, 500)),
        )
        .orderBy('id')
        .executeTakeFirst();
      return row ? toRecord(row as InvestigationRow, 0) : undefined;
    },

    create: (input, now) =>
      atomically(async (executor) => {
        const time = now.getTime();
        const ended = input.status === 'unsupportedAlertType';
        const inserted = await executor
          .insertInto('investigations')
          .values({
            incident_id: input.incidentId,
            status: input.status,
            status_reason: input.statusReason ?? null,
            playbook: input.playbook,
            trigger: JSON.stringify(input.trigger),
            step: ended ? 'done' : 'collect',
            state: '{}',
            created_at: time,
            queued_at: time,
            started_at: null,
            ended_at: ended ? time : null,
            updated_at: time,
            claimed_by: null,
            lease_until: null,
            run_ms: 0,
          })
          .returning('id')
          .executeTakeFirstOrThrow();
        const key = Number(inserted.id);
        if (input.alertIds.length > 0) {
          await executor
            .insertInto('investigation_alerts')
            .values(
              input.alertIds.map((alertId) => ({ investigation_id: key, alert_id: alertId, added_at: time })),
            )
            .onConflict((conflict) => conflict.doNothing())
            .execute();
          await executor
            .updateTable('alerts')
            .set({ investigated: 1 })
            .where('id', 'in', [...input.alertIds])
            .execute();
        }
        if (input.includeIncidentAlerts && input.incidentId !== null) {
          await executor
            .insertInto('investigation_alerts')
            .columns(['investigation_id', 'alert_id', 'added_at'])
            .expression((eb) =>
              eb
                .selectFrom('alerts')
                .select([sql.lit(key).as('investigation_id'), 'id', sql.lit(time).as('added_at')])
                .where('incident_id', '=', publicIncidentId(input.incidentId as number)),
            )
            .onConflict((conflict) => conflict.doNothing())
            .execute();
        }
        for (const entity of input.evidence ?? [])
          await executor
            .insertInto('investigation_evidence')
            .values(evidenceValues(key, newEvidence(entity, 'manual', 0), time))
            .onConflict((conflict) => conflict.doNothing())
            .execute();
        return publicInvestigationId(key);
      }),

    joinAlerts: (key, alertIds, now) =>
      atomically(async (executor) => {
        const time = now.getTime();
        if (alertIds.length === 0) return;
        await executor
          .insertInto('investigation_alerts')
          .values(alertIds.map((alertId) => ({ investigation_id: key, alert_id: alertId, added_at: time })))
          .onConflict((conflict) => conflict.doNothing())
          .execute();
        await executor
          .updateTable('alerts')
          .set({ investigated: 1 })
          .where('id', 'in', [...alertIds])
          .execute();
        await reevaluate(executor, key, time);
      }),

    reanalyze: (actionId, entityKeys, now) =>
      atomically(async (executor) => {
        const actionKey = parseActionId(actionId);
        if (actionKey === undefined || entityKeys.length === 0) return [];
        const time = now.getTime();
        const linked = await executor
          .selectFrom('proposal_actions')
          .select('investigation_id')
          .distinct()
          .where('action_id', '=', actionKey)
          .orderBy('investigation_id')
          .execute();
        const reopened: string[] = [];
        for (const { investigation_id: key } of linked) {
          // The same rule as alerts joining: re-evaluate from the first step; a finished one stays as it is.
          if (!(await reevaluate(executor, Number(key), time))) continue;
          await executor
            .updateTable('investigation_evidence')
            .set({ analyzed: 0 })
            .where('investigation_id', '=', key)
            .where('entity_key', 'in', [...entityKeys])
            .execute();
          reopened.push(publicInvestigationId(Number(key)));
        }
        return reopened;
      }),

    async markInvestigated(alertIds) {
      if (alertIds.length === 0) return;
      await db
        .updateTable('alerts')
        .set({ investigated: 1 })
        .where('id', 'in', [...alertIds])
        .execute();
    },
  };
}
