/**
 * Investigations: what the engine needs to run them durably (claiming work with a lease, loading one, committing
 * a step all at once, fenced by the claim) and what analysts read and change. Every piece of an investigation's
 * state lives here, so a restarted process, or another worker, continues where the last one stopped.
 */
import { sql, SqliteAdapter, type Kysely, type Selectable, type Updateable } from 'kysely';
import type { Entity, EntityRole, EntityType } from '../domain/entity.js';
import { AutoirError } from '../domain/errors.js';
import type { Finding, RemediationStatus, Verdict } from '../domain/evidence.js';
import type { Indicator, IndicatorDraft } from '../domain/indicator.js';
import {
  isTerminalInvestigationStatus,
  transitionInvestigation,
  type InvestigationEvent,
  type InvestigationStatus,
} from '../domain/investigation.js';
import { alertColumns, toAlertRecord } from './alert-store.js';
import { thisHostClaims, isDeadClaim } from './claims.js';
import { decodeCursor, encodeCursor, iso } from './query-helpers.js';
import type { Database } from './schema.js';
import {
  indicatorIds,
  parseIncidentId,
  parseInvestigationId,
  proposalIds,
  publicActionId,
  publicAlertId,
  publicIncidentId,
  publicInvestigationId,
} from '../domain/ids.js';
import type { Page, PageRequest } from '../domain/page.js';
import type {
  EngineState,
  InvestigationDetail,
  InvestigationRecord,
  InvestigationTrigger,
} from '../domain/investigation.js';
import type { Evidence, Relation } from '../domain/evidence.js';
import { newEvidence } from '../domain/evidence.js';
import type { InvestigationIntake, InvestigationQueue } from '../investigate/ports.js';
import type { Atomically } from './query-helpers.js';
import {
  afterAlertsJoined,
  afterClaim,
  afterStep,
  cancellation,
  expansionsApproved,
} from '../domain/investigation-lifecycle.js';

/** Public ids of actions (action-store.ts): `act_<n>`. */

export interface InvestigationFilter {
  readonly statuses?: readonly InvestigationStatus[];
  readonly incidentId?: string;
  readonly playbook?: string;
}

export interface IndicatorFilter {
  readonly action?: 'allow' | 'block';
  readonly entityKey?: string;
  readonly source?: string;
}

/**
 * Investigations: the engine's queue (investigate/ports.ts), the intake of correlated alerts, and what the API and
 * CLI read and change.
 */
export interface InvestigationStore extends InvestigationQueue, InvestigationIntake {
  markInvestigated(alertIds: readonly number[]): Promise<void>;
  get(id: string): Promise<InvestigationDetail | undefined>;
  list(filter: InvestigationFilter, page: PageRequest): Promise<Page<InvestigationRecord>>;
  /** Cancel (terminatedByUser). */
  cancel(id: string, by: string, comment: string | undefined, now: Date): Promise<InvestigationDetail>;
  /** Approve the waiting scope expansions: the investigation resumes and adds the assets. */
  approveExpansions(id: string, by: string, now: Date): Promise<InvestigationDetail>;
  countRunnable(): Promise<number>;
  /**
   * For the dashboard: investigations per status, and the mean time from an investigation's first alert arriving
   * to its first verdicts (the end of its first `decide` step), over the latest `sample` investigations.
   */
  stats(sample?: number): Promise<{ byStatus: Record<string, number>; meanTimeToVerdictMs: number | null }>;
  /** The latest time an investigation changed (ms), for live updates. */
  lastChange(): Promise<number>;

  addIndicators(drafts: readonly IndicatorDraft[], by: string, now: Date): Promise<Indicator[]>;
  listIndicators(filter: IndicatorFilter, page: PageRequest): Promise<Page<Indicator>>;
  removeIndicator(id: string): Promise<boolean>;
}

type InvestigationRow = Selectable<Database['investigations']>;

function toRecord(row: InvestigationRow, alertCount: number): InvestigationRecord {
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

function toEvidence(row: Database['investigation_evidence']): Evidence {
  return {
    key: row.entity_key,
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

function evidenceValues(investigationId: number, evidence: Evidence, now: number) {
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
    added_at: now,
  };
}

function toIndicator(row: Selectable<Database['indicators']>): Indicator {
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

const RUNNABLE = ['queued', 'running'];

export function createInvestigationStore(db: Kysely<Database>, atomically: Atomically): InvestigationStore {
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
        if (!joined) return;
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
      }),

    async markInvestigated(alertIds) {
      if (alertIds.length === 0) return;
      await db
        .updateTable('alerts')
        .set({ investigated: 1 })
        .where('id', 'in', [...alertIds])
        .execute();
    },

    async releaseDeadClaims() {
      const rows = await db
        .selectFrom('investigations')
        .select(['id', 'claimed_by'])
        .where('claimed_by', 'like', thisHostClaims)
        .execute();
      const dead = rows.filter((row) => isDeadClaim(row.claimed_by));
      if (dead.length === 0) return 0;
      await db
        .updateTable('investigations')
        .set({ claimed_by: null, lease_until: null })
        .where(
          'id',
          'in',
          dead.map((row) => row.id),
        )
        .execute();
      return dead.length;
    },

    claim: (worker, now, leaseMs, maxRunning) =>
      atomically(async (executor) => {
        const time = now.getTime();
        await lockForClaim(executor);
        const held = await executor
          .selectFrom('investigations')
          .select((eb) => eb.fn.countAll<number>().as('n'))
          .where('status', 'in', RUNNABLE)
          .where('claimed_by', 'is not', null)
          .where('lease_until', '>', time)
          .executeTakeFirstOrThrow();
        if (Number(held.n) >= maxRunning) return undefined;
        let query = executor
          .selectFrom('investigations')
          .selectAll()
          .where('status', 'in', RUNNABLE)
          .where((eb) => eb.or([eb('claimed_by', 'is', null), eb('lease_until', '<=', time)]))
          .orderBy('id')
          .limit(1);
        if (!isSqlite) query = query.forUpdate().skipLocked();
        const row = await query.executeTakeFirst();
        if (!row) return undefined;
        const started = afterClaim(
          {
            status: row.status as InvestigationStatus,
            state: JSON.parse(row.state) as EngineState,
            startedAt: row.started_at === null ? null : Number(row.started_at),
            queuedAt: Number(row.queued_at),
          },
          time,
        );
        await executor
          .updateTable('investigations')
          .set({
            claimed_by: worker,
            lease_until: time + leaseMs,
            updated_at: time,
            ...(started
              ? {
                  status: started.status,
                  started_at: started.startedAt,
                  state: JSON.stringify(started.state),
                }
              : {}),
          })
          .where('id', '=', row.id)
          .execute();
        const claimed = await executor
          .selectFrom('investigations')
          .selectAll()
          .where('id', '=', row.id)
          .executeTakeFirstOrThrow();
        return toRecord(claimed as InvestigationRow, 0);
      }),

    commitStep: (key, worker, commit, now) =>
      atomically(async (executor) => {
        const time = now.getTime();
        const row = await executor
          .selectFrom('investigations')
          .select(['status', 'claimed_by', 'run_ms'])
          .where('id', '=', key)
          .executeTakeFirst();
        // Fenced: a worker whose claim was taken over (lease expired) writes nothing.
        if (!row || row.claimed_by !== worker) return false;
        const after = afterStep(row.status as InvestigationStatus, commit, time);
        await executor
          .insertInto('investigation_log')
          .values({
            investigation_id: key,
            step: commit.step,
            started_at: commit.startedAt,
            duration_ms: commit.durationMs,
            waited_ms: after.waitedMs,
            waited_as: after.waitedAs,
            result: commit.result,
            worker,
          })
          .execute();
        await executor
          .updateTable('investigations')
          .set({
            status: after.status,
            ...(commit.statusReason !== undefined ? { status_reason: commit.statusReason } : {}),
            step: commit.next,
            state: JSON.stringify(after.state),
            updated_at: time,
            run_ms: Number(row.run_ms) + commit.durationMs,
            ...(after.ended ? { ended_at: time } : {}),
            ...(after.claim === 'release'
              ? { claimed_by: null, lease_until: null }
              : { lease_until: after.claim.leaseUntil }),
          })
          .where('id', '=', key)
          .execute();
        // All of the step's evidence in one statement per 200 rows (one round trip, not one per row).
        // The last version of each piece of evidence (one statement may not touch a row twice).
        const latest = new Map((commit.evidence ?? []).map((evidence) => [evidence.key, evidence]));
        const rows = [...latest.values()].map((evidence) => evidenceValues(key, evidence, time));
        for (let start = 0; start < rows.length; start += 200)
          await executor
            .insertInto('investigation_evidence')
            .values(rows.slice(start, start + 200))
            .onConflict((conflict) =>
              conflict.columns(['investigation_id', 'entity_key']).doUpdateSet((eb) => ({
                type: eb.ref('excluded.type'),
                entity: eb.ref('excluded.entity'),
                origin: eb.ref('excluded.origin'),
                depth: eb.ref('excluded.depth'),
                analyzed: eb.ref('excluded.analyzed'),
                verdict: eb.ref('excluded.verdict'),
                score: eb.ref('excluded.score'),
                roles: eb.ref('excluded.roles'),
                remediation_status: eb.ref('excluded.remediation_status'),
                own_findings: eb.ref('excluded.own_findings'),
                findings: eb.ref('excluded.findings'),
                relations: eb.ref('excluded.relations'),
              })),
            )
            .execute();
        for (const action of commit.actions ?? [])
          await executor
            .insertInto('proposed_actions')
            .values({
              investigation_id: key,
              type: action.type,
              target_key: action.targetKey,
              evidence_key: action.evidenceKey,
              status: 'proposed',
              reasons: JSON.stringify(action.reasons),
              created_at: time,
            })
            .onConflict((conflict) =>
              conflict
                .columns(['investigation_id', 'type', 'target_key'])
                .doUpdateSet({ reasons: JSON.stringify(action.reasons) }),
            )
            .execute();
        return true;
      }),

    get: (id) => {
      const key = parseInvestigationId(id);
      return key === undefined ? Promise.resolve(undefined) : loadDetail(db, key);
    },

    getByKey: (key) => loadDetail(db, key),

    async alertsOf(key) {
      const rows = await db
        .selectFrom('alerts')
        .select(alertColumns)
        .where(
          'id',
          'in',
          db.selectFrom('investigation_alerts').select('alert_id').where('investigation_id', '=', key),
        )
        .orderBy('id')
        .execute();
      return rows.map((row) => toAlertRecord(row as Parameters<typeof toAlertRecord>[0]));
    },

    async list(filter, page) {
      const limit = Math.max(1, Math.min(page.limit, 1000));
      let query = db.selectFrom('investigations').selectAll();
      if (filter.statuses?.length) query = query.where('status', 'in', [...filter.statuses]);
      if (filter.playbook !== undefined) query = query.where('playbook', '=', filter.playbook);
      if (filter.incidentId !== undefined)
        query = query.where('incident_id', '=', parseIncidentId(filter.incidentId) ?? -1);
      if (page.cursor !== undefined) {
        const [, id] = decodeCursor(page.cursor);
        query = query.where('id', '<', id);
      }
      const rows = await query
        .orderBy('id', 'desc')
        .limit(limit + 1)
        .execute();
      const items = rows.slice(0, limit);
      const counts = await alertCounts(
        db,
        items.map((row) => Number(row.id)),
      );
      const last = items[items.length - 1];
      return {
        items: items.map((row) => toRecord(row as InvestigationRow, counts.get(Number(row.id)) ?? 0)),
        nextCursor: rows.length > limit && last ? encodeCursor(0, Number(last.id)) : null,
      };
    },

    cancel: async (id, by, comment, now) => {
      const key = requireKey(id);
      await atomically(async (executor) => {
        await move(executor, key, { type: 'cancel' }, now.getTime(), {
          status_reason: cancellation(by, comment),
          step: 'done',
        });
        await executor
          .insertInto('investigation_log')
          .values({
            investigation_id: key,
            step: 'cancel',
            started_at: now.getTime(),
            duration_ms: 0,
            waited_ms: 0,
            waited_as: null,
            result: cancellation(by, comment),
            worker: by,
          })
          .execute();
      });
      return (await loadDetail(db, key)) as InvestigationDetail;
    },

    approveExpansions: async (id, by, now) => {
      const key = requireKey(id);
      await atomically(async (executor) => {
        const row = await executor
          .selectFrom('investigations')
          .select(['status', 'state'])
          .where('id', '=', key)
          .executeTakeFirst();
        if (!row) throw new AutoirError('AUTOIR_E_NOT_FOUND', `no investigation ${id}`);
        const time = now.getTime();
        const { step, state, approved } = expansionsApproved(
          id,
          row.status as InvestigationStatus,
          JSON.parse(row.state) as EngineState,
          time,
        );
        await move(executor, key, { type: 'resume' }, time, {
          step,
          queued_at: time,
          status_reason: null,
          state: JSON.stringify(state),
        });
        await executor
          .insertInto('investigation_log')
          .values({
            investigation_id: key,
            step: 'approveExpansion',
            started_at: time,
            duration_ms: 0,
            waited_ms: 0,
            waited_as: null,
            result: `${by} approved adding ${approved.join(', ')}`,
            worker: by,
          })
          .execute();
      });
      return (await loadDetail(db, key)) as InvestigationDetail;
    },

    async resolveAlerts(key, now) {
      const result = await db
        .updateTable('alerts')
        .set({ status: 'resolved', status_by: 'automation', updated_at: now.getTime() })
        .where(
          'id',
          'in',
          db.selectFrom('investigation_alerts').select('alert_id').where('investigation_id', '=', key),
        )
        .where((eb) => eb.or([eb('status_by', 'is', null), eb('status_by', '=', 'automation')]))
        .executeTakeFirst();
      return Number(result.numUpdatedRows);
    },

    async stats(sample = 1000) {
      const counted = await db
        .selectFrom('investigations')
        .select(['status', (eb) => eb.fn.countAll<number>().as('n')])
        .groupBy('status')
        .execute();
      const byStatus = Object.fromEntries(counted.map((row) => [row.status, Number(row.n)]));
      const latest = await db
        .selectFrom('investigations')
        .select('id')
        .orderBy('id', 'desc')
        .limit(sample)
        .execute();
      if (latest.length === 0) return { byStatus, meanTimeToVerdictMs: null };
      const ids = latest.map((row) => Number(row.id));
      const [verdicts, arrivals] = await Promise.all([
        db
          .selectFrom('investigation_log')
          .select(['investigation_id', (eb) => eb.fn.min(sql<number>`started_at + duration_ms`).as('at')])
          .where('investigation_id', 'in', ids)
          .where('step', '=', 'decide')
          .groupBy('investigation_id')
          .execute(),
        db
          .selectFrom('investigation_alerts')
          .innerJoin('alerts', 'alerts.id', 'investigation_alerts.alert_id')
          .select(['investigation_alerts.investigation_id', (eb) => eb.fn.min('alerts.ingested_at').as('at')])
          .where('investigation_alerts.investigation_id', 'in', ids)
          .groupBy('investigation_alerts.investigation_id')
          .execute(),
      ]);
      const arrived = new Map(arrivals.map((row) => [Number(row.investigation_id), Number(row.at)]));
      const waits = verdicts
        .map((row) => Number(row.at) - (arrived.get(Number(row.investigation_id)) ?? Number.NaN))
        .filter((wait) => Number.isFinite(wait) && wait >= 0);
      return {
        byStatus,
        meanTimeToVerdictMs: waits.length
          ? Math.round(waits.reduce((a, b) => a + b, 0) / waits.length)
          : null,
      };
    },

    async lastChange() {
      const row = await db
        .selectFrom('investigations')
        .select((eb) => eb.fn.max('updated_at').as('at'))
        .executeTakeFirst();
      return Number(row?.at ?? 0);
    },

    async countRunnable() {
      const row = await db
        .selectFrom('investigations')
        .select((eb) => eb.fn.countAll<number>().as('n'))
        .where('status', 'in', RUNNABLE)
        .executeTakeFirstOrThrow();
      return Number(row.n);
    },

    addIndicators: (drafts, by, now) =>
      atomically(async (executor) => {
        const time = now.getTime();
        const stored: Indicator[] = [];
        for (const draft of drafts) {
          const values = {
            entity_key: draft.entityKey,
            action: draft.action,
            title: draft.title ?? null,
            description: draft.description ?? null,
            source: draft.source,
            source_ref: draft.sourceRef ?? null,
            severity: draft.severity ?? null,
            expires_at: draft.expiresAt ?? null,
            created_at: time,
            created_by: by,
          };
          const row =
            draft.sourceRef === undefined
              ? await executor
                  .insertInto('indicators')
                  .values(values)
                  .returningAll()
                  .executeTakeFirstOrThrow()
              : await executor
                  .insertInto('indicators')
                  .values(values)
                  .onConflict((conflict) =>
                    conflict.columns(['source', 'source_ref']).doUpdateSet({
                      entity_key: values.entity_key,
                      action: values.action,
                      title: values.title,
                      description: values.description,
                      severity: values.severity,
                      expires_at: values.expires_at,
                    }),
                  )
                  .returningAll()
                  .executeTakeFirstOrThrow();
          stored.push(toIndicator(row));
        }
        return stored;
      }),

    async listIndicators(filter, page) {
      const limit = Math.max(1, Math.min(page.limit, 1000));
      let query = db.selectFrom('indicators').selectAll();
      if (filter.action) query = query.where('action', '=', filter.action);
      if (filter.entityKey) query = query.where('entity_key', '=', filter.entityKey);
      if (filter.source) query = query.where('source', '=', filter.source);
      if (page.cursor !== undefined) query = query.where('id', '<', decodeCursor(page.cursor)[1]);
      const rows = await query
        .orderBy('id', 'desc')
        .limit(limit + 1)
        .execute();
      const items = rows.slice(0, limit);
      const last = items[items.length - 1];
      return {
        items: items.map((row) => toIndicator(row)),
        nextCursor: rows.length > limit && last ? encodeCursor(0, Number(last.id)) : null,
      };
    },

    async indicatorsFor(keys, now) {
      if (keys.length === 0) return [];
      const rows = await db
        .selectFrom('indicators')
        .selectAll()
        .where('entity_key', 'in', [...new Set(keys)])
        .where((eb) => eb.or([eb('expires_at', 'is', null), eb('expires_at', '>', now.getTime())]))
        .orderBy('id')
        .execute();
      return rows.map((row) => toIndicator(row));
    },

    async removeIndicator(id) {
      const key = indicatorIds.parse(id);
      if (key === undefined) return false;
      const result = await db.deleteFrom('indicators').where('id', '=', key).executeTakeFirst();
      return Number(result.numDeletedRows) > 0;
    },
  };
}
