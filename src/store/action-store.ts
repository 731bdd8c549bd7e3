/**
 * Remediation actions: the action center's queue and history, and the executor's work queue (DESIGN.md §2).
 *
 * - The same (type, target, device) is never in flight twice: the `in_flight` column holds that triple while the
 *   action is undecided or unfinished, under a unique index, so two planners or two analysts racing both see one
 *   action.
 * - Every status change writes an `action_log` entry (who or what, and the connector's message) and, for people's
 *   decisions, an audit entry — in the same transaction.
 * - An approval enqueues the action in the same transaction. The executor claims with a lease (`FOR UPDATE SKIP
 *   LOCKED` on PostgreSQL); its results are fenced by the claim, so a worker that lost it writes nothing.
 * - When an action of an investigation changes, the evidence's remediationStatus follows, and once nothing of the
 *   investigation is left undecided or unfinished, the investigation resumes to conclude.
 */
import { randomBytes } from 'node:crypto';
import { sql, type Kysely, type Selectable, type SelectQueryBuilder } from 'kysely';
import {
  isActionInFlight,
  transitionAction,
  type ActionEvent,
  type ActionStatus,
  type ActionType,
} from '../domain/action.js';
import { AutoirError } from '../domain/errors.js';
import { type InvestigationStatus } from '../domain/investigation.js';
import { writeAudit } from './audit-store.js';
import { thisHostClaims, isDeadClaim } from './claims.js';
import type { Database } from './schema.js';
import { parseActionId, parseInvestigationId, publicActionId, publicInvestigationId } from '../domain/ids.js';
import type { Page, PageRequest } from '../domain/page.js';
import type { ActionLogEntry, ActionRecord, ActionSource } from '../domain/action.js';
import type {
  ActionDecisions,
  ActionDraft,
  ActionNotices,
  ActionPlanning,
  ActionQueue,
  CreateResult,
} from '../respond/ports.js';
import type { Atomically } from './query-helpers.js';
import type { EngineState } from '../domain/investigation.js';
import { settleInvestigation } from '../domain/settlement.js';

export interface ActionFilter {
  readonly statuses?: readonly ActionStatus[];
  readonly types?: readonly ActionType[];
  readonly sources?: readonly ActionSource[];
  readonly investigationId?: string;
  readonly groupName?: string;
  readonly targetKey?: string;
  /** Created from (ISO 8601), inclusive. */
  readonly since?: string;
  readonly until?: string;
}

/**
 * Actions: the response stage's queue, decisions, planning and digests (respond/ports.ts), and what the API and
 * CLI read besides.
 */
export interface ActionStore extends ActionQueue, ActionDecisions, ActionPlanning, ActionNotices {
  getByKey(key: number): Promise<ActionRecord | undefined>;
  /** Newest first. */
  list(filter: ActionFilter, page: PageRequest): Promise<Page<ActionRecord>>;
  count(filter: ActionFilter): Promise<number>;
  history(id: string): Promise<ActionLogEntry[]>;
  /** A result posted by the connector's system (`POST /api/v1/actions/:id/result`). */
  recordCallback(
    id: string,
    result: { status: 'succeeded' | 'failed'; message?: string; details?: Record<string, unknown> },
    by: string,
    now: Date,
  ): Promise<ActionRecord>;
  /** For the dashboard: actions per status, and how long the pending ones have waited (now − created). */
  stats(now: Date): Promise<{
    byStatus: Record<string, number>;
    pending: number;
    oldestPendingAt: string | null;
    meanPendingWaitMs: number | null;
  }>;
  /** The latest time an action changed (ms), for live updates. */
  lastChange(): Promise<number>;
}

type ActionRow = Selectable<Database['actions']>;

const iso = (ms: number | null) => (ms === null ? null : new Date(Number(ms)).toISOString());

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
    decidedAt: iso(row.decided_at),
    decisionRule: row.decision_rule,
    comment: row.comment,
    undoOf: row.undo_of === null ? null : publicActionId(Number(row.undo_of)),
    undoneBy: row.undone_by === null ? null : publicActionId(Number(row.undone_by)),
    idempotencyKey: row.idempotency_key,
    connector: row.connector,
    attempts: Number(row.attempts),
    nextAttemptAt: iso(row.next_attempt_at),
    awaitingCallback: Number(row.awaiting_callback) === 1,
    unreachableSince: iso(row.unreachable_since),
    resultMessage: row.result_message,
    resultDetails:
      row.result_details === null ? null : (JSON.parse(row.result_details) as Record<string, unknown>),
    createdAt: iso(row.created_at) as string,
    updatedAt: iso(row.updated_at) as string,
    expiresAt: iso(row.expires_at),
    startedAt: iso(row.started_at),
    endedAt: iso(row.ended_at),
  };
}

const inFlightKey = (type: string, target: string, device: string | null) =>
  `${type}|${target}|${device ?? ''}`;

export function createActionStore(
  db: Kysely<Database>,
  atomically: Atomically,
  isSqlite: boolean,
): ActionStore {
  const byKey = (executor: Kysely<Database>, key: number) =>
    executor.selectFrom('actions').selectAll().where('id', '=', key).executeTakeFirst();

  /**
   * The row, locked until the transaction ends (PostgreSQL; SQLite runs one writer at a time): a decision, a
   * result and a callback on one action never both read it as it was before the other.
   */
  const lockedByKey = (executor: Kysely<Database>, key: number) => {
    const query = executor.selectFrom('actions').selectAll().where('id', '=', key);
    return (isSqlite ? query : query.forUpdate()).executeTakeFirst();
  };

  const requireKey = (id: string) => {
    const key = parseActionId(id);
    if (key === undefined)
      throw new AutoirError('AUTOIR_E_NOT_FOUND', `no action ${id}`, { details: { id } });
    return key;
  };

  const log = (
    executor: Kysely<Database>,
    key: number,
    from: ActionStatus | null,
    to: ActionStatus,
    by: string,
    message: string | null,
    now: Date,
  ) =>
    executor
      .insertInto('action_log')
      .values({ action_id: key, at: now.getTime(), from_status: from, to_status: to, by, message })
      .execute();

  /**
   * After actions changed: the remediation status of the evidence they serve, and the investigations waiting on
   * them — as the domain's rule settles them (domain/settlement.ts), written in the same transaction.
   */
  const follow = async (executor: Kysely<Database>, actionKeys: readonly number[], now: Date) => {
    if (actionKeys.length === 0) return;
    const linked = await executor
      .selectFrom('proposal_actions')
      .select('investigation_id')
      .distinct()
      .where('action_id', 'in', [...actionKeys])
      // In key order: investigations are locked one by one (followInvestigation), always in the same order.
      .orderBy('investigation_id')
      .execute();
    for (const { investigation_id: investigationKey } of linked)
      await followInvestigation(executor, Number(investigationKey), now);
  };

  /** One investigation's evidence and status, from its proposals and the actions carrying them out. */
  const followInvestigation = async (executor: Kysely<Database>, investigationKey: number, now: Date) => {
    // Lock the investigation before reading its actions: two actions finishing at once on PostgreSQL would each
    // see the other still running (write skew) and neither would resume it. Under the lock, the second reads
    // after the first committed. (SQLite runs one writer at a time.)
    if (!isSqlite)
      await executor
        .selectFrom('investigations')
        .select('id')
        .where('id', '=', investigationKey)
        .forUpdate()
        .execute();
    const rows = await executor
      .selectFrom('proposed_actions')
      .leftJoin('proposal_actions', 'proposal_actions.proposal_id', 'proposed_actions.id')
      .leftJoin('actions', 'actions.id', 'proposal_actions.action_id')
      .select([
        'proposed_actions.evidence_key',
        'proposed_actions.status as proposal_status',
        'actions.status',
      ])
      .where('proposed_actions.investigation_id', '=', investigationKey)
      .execute();
    const investigation = await executor
      .selectFrom('investigations')
      .select(['status', 'state', 'updated_at'])
      .where('id', '=', investigationKey)
      .executeTakeFirst();
    const settlement = settleInvestigation(
      {
        status: (investigation?.status ?? 'queued') as InvestigationStatus,
        state: investigation ? (JSON.parse(investigation.state) as EngineState) : {},
        updatedAt: Number(investigation?.updated_at ?? now.getTime()),
      },
      rows.map((row) => ({ evidenceKey: row.evidence_key, status: row.status ?? row.proposal_status })),
      now.getTime(),
    );
    for (const [evidenceKey, remediation] of settlement.remediation)
      await executor
        .updateTable('investigation_evidence')
        .set({ remediation_status: remediation })
        .where('investigation_id', '=', investigationKey)
        .where('entity_key', '=', evidenceKey)
        .execute();
    const change = investigation ? settlement.change : undefined;
    if (!change) return;
    await executor
      .updateTable('investigations')
      .set(
        change.kind === 'resume'
          ? {
              status: change.status,
              step: change.step,
              state: JSON.stringify(change.state),
              queued_at: now.getTime(),
              updated_at: now.getTime(),
            }
          : {
              status_reason: change.statusReason,
              ...(change.status
                ? { status: change.status, state: JSON.stringify(change.state), updated_at: now.getTime() }
                : {}),
            },
      )
      .where('id', '=', investigationKey)
      .execute();
  };

  /** Move one action by an event, with extra columns; logs it. Throws on an illegal transition. */
  const move = async (
    executor: Kysely<Database>,
    row: ActionRow,
    events: readonly ActionEvent[],
    by: string,
    message: string | null,
    extra: Partial<Omit<ActionRow, 'id'>>,
    now: Date,
  ): Promise<ActionStatus> => {
    let status = row.status as ActionStatus;
    for (const event of events) {
      const next = transitionAction(status, event);
      await log(executor, Number(row.id), status, next, by, message, now);
      status = next;
    }
    await executor
      .updateTable('actions')
      .set({
        status,
        in_flight: isActionInFlight(status) ? inFlightKey(row.type, row.target_key, row.device_key) : null,
        updated_at: now.getTime(),
        ...(isActionInFlight(status) || status === 'undone'
          ? {}
          : { ended_at: row.ended_at ?? now.getTime() }),
        ...extra,
      })
      .where('id', '=', row.id)
      .execute();
    return status;
  };

  const insert = async (executor: Kysely<Database>, draft: ActionDraft, now: Date): Promise<CreateResult> => {
    const time = now.getTime();
    const key = inFlightKey(draft.type, draft.targetKey, draft.deviceKey);
    const existing = await executor
      .selectFrom('actions')
      .selectAll()
      .where('in_flight', '=', key)
      .executeTakeFirst();
    if (existing) return { action: toAction(existing), created: false };
    const approve = draft.decision.outcome === 'approve';
    const status: ActionStatus = approve ? 'queued' : 'pendingApproval';
    const inserted = await executor
      .insertInto('actions')
      .values({
        type: draft.type,
        target_key: draft.targetKey,
        device_key: draft.deviceKey,
        group_kind: draft.group?.kind ?? null,
        group_name: draft.group?.name ?? null,
        investigation_id: draft.investigationKey,
        evidence_key: draft.evidenceKey,
        verdict: draft.verdict,
        source: draft.source,
        status,
        in_flight: key,
        parameters: JSON.stringify(draft.parameters),
        reasons: JSON.stringify(draft.reasons),
        requested_by: draft.requestedBy,
        decided_by: approve ? draft.decision.by : null,
        decided_at: approve ? time : null,
        decision_rule: draft.decision.rule,
        comment: draft.comment ?? null,
        undo_of: draft.undoOf ?? null,
        idempotency_key: `autoir-${randomBytes(16).toString('hex')}`,
        next_attempt_at: approve ? time : null,
        created_at: time,
        updated_at: time,
        expires_at: approve ? null : (draft.expiresAt?.getTime() ?? null),
      })
      // A planner on another worker may have inserted the same triple since the check: its action wins.
      .onConflict((conflict) => conflict.column('in_flight').doNothing())
      .returning('id')
      .executeTakeFirst();
    if (!inserted) {
      const winner = await executor
        .selectFrom('actions')
        .selectAll()
        .where('in_flight', '=', key)
        .executeTakeFirst();
      if (winner) return { action: toAction(winner), created: false };
      throw new AutoirError(
        'AUTOIR_E_CONFLICT',
        `an action ${draft.type} on ${draft.targetKey} is already in flight`,
      );
    }
    const id = Number(inserted.id);
    await log(executor, id, null, 'pendingApproval', draft.requestedBy, draft.reasons[0] ?? null, now);
    if (approve) {
      await log(executor, id, 'pendingApproval', 'approved', draft.decision.by, draft.decision.rule, now);
      await log(executor, id, 'approved', 'queued', draft.decision.by, null, now);
    } else if (draft.decision.rule) {
      await log(executor, id, 'pendingApproval', 'pendingApproval', 'policy', draft.decision.rule, now);
    }
    const row = (await byKey(executor, id))!;
    return { action: toAction(row), created: true };
  };

  /** Move every row by one event (each with its message and columns), then let investigations follow. */
  const moveAll = async (
    executor: Kysely<Database>,
    rows: readonly ActionRow[],
    now: Date,
    event: ActionEvent,
    by: string,
    each: (row: ActionRow) => { message: string; extra: Partial<Omit<ActionRow, 'id'>> },
  ): Promise<ActionRecord[]> => {
    for (const row of rows) {
      const { message, extra } = each(row);
      await move(executor, row, [event], by, message, extra, now);
    }
    return settle(executor, rows, now);
  };

  /** After a change to these actions: investigations follow; the actions as they are now. */
  const settle = async (executor: Kysely<Database>, rows: readonly ActionRow[], now: Date) => {
    const keys = rows.map((row) => Number(row.id));
    if (keys.length === 0) return [];
    await follow(executor, keys, now);
    const after = await executor
      .selectFrom('actions')
      .selectAll()
      .where('id', 'in', keys)
      .orderBy('id')
      .execute();
    return after.map(toAction);
  };

  const rowsFor = async (executor: Kysely<Database>, given: readonly string[]) => {
    // An id named twice is one action: deciding it twice would log and audit the change twice.
    const ids = [...new Set(given)];
    const keys = ids.map(requireKey);
    // Locked in id order (PostgreSQL), so two bulk decisions over overlapping actions cannot deadlock.
    const query = executor.selectFrom('actions').selectAll().where('id', 'in', keys).orderBy('id');
    const rows = await (isSqlite ? query : query.forUpdate()).execute();
    const found = new Map(rows.map((row) => [Number(row.id), row]));
    return keys.map((key, index) => {
      const row = found.get(key);
      if (!row)
        throw new AutoirError('AUTOIR_E_NOT_FOUND', `no action ${ids[index]}`, {
          details: { id: ids[index] },
        });
      return row;
    });
  };

  const claimable = (time: number) =>
    sql<boolean>`((status = 'queued' and (next_attempt_at is null or next_attempt_at <= ${time}))
      or (status = 'pendingResource' and next_attempt_at <= ${time})
      or (status = 'running' and awaiting_callback = 0 and (claimed_by is null or lease_until <= ${time})))`;

  const store: ActionStore = {
    create: (draft, now) =>
      atomically(async (executor) => {
        const result = await insert(executor, draft, now);
        if (result.created && draft.source !== 'investigation')
          await writeAudit(
            executor,
            {
              actor: draft.requestedBy,
              operation: draft.source === 'undo' ? 'action.undo' : 'action.create',
              target: `action:${result.action.id}`,
              after: { type: draft.type, targetKey: draft.targetKey, status: result.action.status },
            },
            now,
          );
        if (result.created && draft.undoOf) await follow(executor, [draft.undoOf], now);
        return result;
      }),

    async get(id) {
      const key = parseActionId(id);
      if (key === undefined) return undefined;
      const row = await byKey(db, key);
      return row ? toAction(row) : undefined;
    },

    async getByKey(key) {
      const row = await byKey(db, key);
      return row ? toAction(row) : undefined;
    },

    async list(filter, page) {
      let query = db.selectFrom('actions').selectAll();
      query = applyFilter(query, filter);
      const cursor = page.cursor ? parseActionId(page.cursor) : undefined;
      if (cursor !== undefined) query = query.where('id', '<', cursor);
      const rows = await query
        .orderBy('id', 'desc')
        .limit(page.limit + 1)
        .execute();
      const items = rows.slice(0, page.limit).map(toAction);
      const last = items[items.length - 1];
      return { items, nextCursor: rows.length > page.limit && last ? last.id : null };
    },

    async count(filter) {
      const row = await applyFilter(db.selectFrom('actions'), filter)
        .select((eb) => eb.fn.countAll<number>().as('n'))
        .executeTakeFirstOrThrow();
      return Number(row.n);
    },

    async history(id) {
      const key = requireKey(id);
      const rows = await db
        .selectFrom('action_log')
        .selectAll()
        .where('action_id', '=', key)
        .orderBy('id')
        .execute();
      return rows.map((row) => ({
        at: iso(row.at) as string,
        from: row.from_status as ActionStatus | null,
        to: row.to_status as ActionStatus,
        by: row.by,
        message: row.message,
      }));
    },

    decide: (ids, decision, by, comment, now) =>
      atomically(async (executor) => {
        const rows = await rowsFor(executor, ids);
        for (const row of rows)
          if (row.status !== 'pendingApproval')
            throw new AutoirError(
              'AUTOIR_E_ILLEGAL_TRANSITION',
              `${publicActionId(Number(row.id))} is ${row.status}, not pendingApproval: nothing was ${decision === 'approve' ? 'approved' : 'rejected'}`,
              { details: { id: publicActionId(Number(row.id)), status: row.status } },
            );
        const time = now.getTime();
        for (const row of rows) {
          const events: ActionEvent[] =
            decision === 'approve' ? [{ type: 'approve' }, { type: 'enqueue' }] : [{ type: 'reject' }];
          await move(
            executor,
            row,
            events,
            by,
            comment,
            {
              decided_by: by,
              decided_at: time,
              comment,
              ...(decision === 'approve' ? { next_attempt_at: time } : {}),
            },
            now,
          );
          await writeAudit(
            executor,
            {
              actor: by,
              operation: `action.${decision}`,
              target: `action:${publicActionId(Number(row.id))}`,
              before: { status: row.status },
              after: { status: decision === 'approve' ? 'queued' : 'rejected', comment },
            },
            now,
          );
        }
        return settle(executor, rows, now);
      }),

    cancel: (ids, by, comment, now) =>
      atomically(async (executor) => {
        const rows = await rowsFor(executor, ids);
        for (const row of rows)
          if (!isActionInFlight(row.status as ActionStatus))
            throw new AutoirError(
              'AUTOIR_E_ILLEGAL_TRANSITION',
              `${publicActionId(Number(row.id))} is ${row.status}: only undecided or unfinished actions can be cancelled`,
              { details: { id: publicActionId(Number(row.id)), status: row.status } },
            );
        for (const row of rows) {
          await move(
            executor,
            row,
            [{ type: 'cancel' }],
            by,
            comment,
            { comment, claimed_by: null, lease_until: null },
            now,
          );
          await writeAudit(
            executor,
            {
              actor: by,
              operation: 'action.cancel',
              target: `action:${publicActionId(Number(row.id))}`,
              before: { status: row.status },
              after: { status: 'cancelled', comment },
            },
            now,
          );
        }
        return settle(executor, rows, now);
      }),

    expire: (now) =>
      atomically(async (executor) => {
        const rows = await executor
          .selectFrom('actions')
          .selectAll()
          .where('status', '=', 'pendingApproval')
          .where('expires_at', '<=', now.getTime())
          .orderBy('id')
          .limit(1000)
          .execute();
        return moveAll(executor, rows, now, { type: 'expire' }, 'policy:expiry', (row) => ({
          message: `no decision by ${iso(row.expires_at)}: expired, counted as rejected`,
          extra: { decided_by: 'policy:expiry', decided_at: now.getTime() },
        }));
      }),

    expireCallbacks: (now) =>
      atomically(async (executor) => {
        const rows = await executor
          .selectFrom('actions')
          .selectAll()
          .where('status', '=', 'running')
          .where('awaiting_callback', '=', 1)
          .where('lease_until', '<=', now.getTime())
          .limit(1000)
          .execute();
        return moveAll(executor, rows, now, { type: 'timeOut' }, 'system', () => ({
          message: 'the connector accepted the action but posted no result in time',
          extra: { awaiting_callback: 0, lease_until: null, result_message: 'no result posted in time' },
        }));
      }),

    claim: (worker, now, leaseMs, limit) =>
      atomically(async (executor) => {
        const time = now.getTime();
        let query = executor
          .selectFrom('actions')
          .selectAll()
          .where(claimable(time))
          .orderBy('id')
          .limit(limit);
        if (!isSqlite) query = query.forUpdate().skipLocked();
        const rows = await query.execute();
        const claimed: ActionRecord[] = [];
        for (const row of rows) {
          const events: ActionEvent[] =
            row.status === 'queued'
              ? [{ type: 'start' }]
              : row.status === 'pendingResource'
                ? [{ type: 'retry' }, { type: 'start' }]
                : [];
          const attempts = Number(row.attempts) + 1;
          const message = `attempt ${attempts} by ${worker}`;
          if (events.length === 0)
            await log(
              executor,
              Number(row.id),
              'running',
              'running',
              worker,
              `${message} (the previous attempt's worker stopped)`,
              now,
            );
          await move(
            executor,
            row,
            events,
            worker,
            message,
            { claimed_by: worker, lease_until: time + leaseMs, attempts, started_at: row.started_at ?? time },
            now,
          );
          claimed.push(
            toAction({
              ...row,
              status: 'running',
              attempts,
              claimed_by: worker,
              started_at: row.started_at ?? time,
            }),
          );
        }
        if (claimed.length > 0)
          await follow(
            executor,
            claimed.map((action) => action.key),
            now,
          );
        return claimed;
      }),

    finishAttempt: (key, worker, connector, result, now) =>
      atomically(async (executor) => {
        const row = await lockedByKey(executor, key);
        // Fenced: a worker whose claim was taken over, or whose action was cancelled or answered by callback,
        // writes nothing.
        if (!row || row.claimed_by !== worker || row.status !== 'running') return false;
        const time = now.getTime();
        const base = { claimed_by: null, lease_until: null, connector };
        switch (result.status) {
          case 'succeeded':
            await move(
              executor,
              row,
              [{ type: 'succeed' }],
              connector ?? worker,
              result.message ?? null,
              {
                ...base,
                result_message: result.message ?? null,
                result_details: result.details ? JSON.stringify(result.details) : null,
                unreachable_since: null,
              },
              now,
            );
            if (row.undo_of !== null) await markUndone(executor, Number(row.undo_of), key, now);
            break;
          case 'failed':
          case 'timedOut':
            await move(
              executor,
              row,
              [{ type: result.status === 'failed' ? 'fail' : 'timeOut' }],
              connector ?? worker,
              result.message,
              {
                ...base,
                result_message: result.message,
                result_details: result.details ? JSON.stringify(result.details) : null,
              },
              now,
            );
            break;
          case 'retry':
            await move(
              executor,
              row,
              [{ type: 'retry' }],
              connector ?? worker,
              result.message,
              {
                ...base,
                result_message: result.message,
                next_attempt_at: result.nextAttemptAt.getTime(),
              },
              now,
            );
            break;
          case 'pendingResource':
            await move(
              executor,
              row,
              [{ type: 'awaitResource' }],
              connector ?? worker,
              result.message,
              {
                ...base,
                result_message: result.message,
                next_attempt_at: result.nextAttemptAt.getTime(),
                unreachable_since: row.unreachable_since ?? time,
              },
              now,
            );
            break;
          case 'accepted':
            await log(
              executor,
              key,
              'running',
              'running',
              connector ?? worker,
              result.message ?? 'accepted: waiting for the result',
              now,
            );
            await executor
              .updateTable('actions')
              .set({
                ...base,
                awaiting_callback: 1,
                lease_until: result.deadline.getTime(),
                result_message: result.message ?? null,
                updated_at: time,
              })
              .where('id', '=', key)
              .execute();
            break;
        }
        await follow(executor, [key], now);
        return true;
      }),

    recordCallback: (id, result, by, now) =>
      atomically(async (executor) => {
        const key = requireKey(id);
        const row = await lockedByKey(executor, key);
        if (!row) throw new AutoirError('AUTOIR_E_NOT_FOUND', `no action ${id}`, { details: { id } });
        if (row.status !== 'running')
          throw new AutoirError(
            'AUTOIR_E_ILLEGAL_TRANSITION',
            `${id} is ${row.status}, not running: its result was already recorded`,
            {
              details: { id, status: row.status },
            },
          );
        const success = result.status === 'succeeded';
        await move(
          executor,
          row,
          [{ type: success ? 'succeed' : 'fail' }],
          by,
          result.message ?? null,
          {
            claimed_by: null,
            lease_until: null,
            awaiting_callback: 0,
            result_message: result.message ?? null,
            result_details: result.details ? JSON.stringify(result.details) : null,
          },
          now,
        );
        if (success && row.undo_of !== null) await markUndone(executor, Number(row.undo_of), key, now);
        await writeAudit(
          executor,
          {
            actor: by,
            operation: 'action.result',
            target: `action:${id}`,
            before: { status: row.status },
            after: result,
          },
          now,
        );
        await follow(executor, [key], now);
        return toAction((await byKey(executor, key))!);
      }),

    async releaseDeadClaims() {
      const rows = await db
        .selectFrom('actions')
        .select(['id', 'claimed_by'])
        .where('status', '=', 'running')
        .where('claimed_by', 'like', thisHostClaims)
        .execute();
      const dead = rows.filter((row) => isDeadClaim(row.claimed_by));
      if (dead.length === 0) return 0;
      await db
        .updateTable('actions')
        .set({ claimed_by: null, lease_until: null })
        .where(
          'id',
          'in',
          dead.map((row) => row.id),
        )
        .where('status', '=', 'running')
        .execute();
      return dead.length;
    },

    async countAutomatic(type, since) {
      const row = await db
        .selectFrom('actions')
        .select((eb) => eb.fn.countAll<number>().as('n'))
        .where('type', '=', type)
        .where('decided_by', '=', 'policy')
        .where('decided_at', '>=', since.getTime())
        .executeTakeFirstOrThrow();
      return Number(row.n);
    },

    async stats(now) {
      const counted = await db
        .selectFrom('actions')
        .select(['status', (eb) => eb.fn.countAll<number>().as('n')])
        .groupBy('status')
        .execute();
      const byStatus = Object.fromEntries(counted.map((row) => [row.status, Number(row.n)]));
      const pending = await db
        .selectFrom('actions')
        .select([
          (eb) => eb.fn.min('created_at').as('oldest'),
          (eb) => eb.fn.avg<number>('created_at').as('mean'),
        ])
        .where('status', '=', 'pendingApproval')
        .executeTakeFirst();
      const count = byStatus.pendingApproval ?? 0;
      return {
        byStatus,
        pending: count,
        oldestPendingAt: count && pending?.oldest != null ? iso(Number(pending.oldest)) : null,
        meanPendingWaitMs:
          count && pending?.mean != null ? Math.round(now.getTime() - Number(pending.mean)) : null,
      };
    },

    async lastChange() {
      const row = await db
        .selectFrom('actions')
        .select((eb) => eb.fn.max('updated_at').as('at'))
        .executeTakeFirst();
      return Number(row?.at ?? 0);
    },

    async pendingUnnotified(limit) {
      const rows = await db
        .selectFrom('actions')
        .selectAll()
        .where('status', '=', 'pendingApproval')
        .where('notified_at', 'is', null)
        .orderBy('id')
        .limit(limit)
        .execute();
      return rows.map(toAction);
    },

    async markNotified(keys, now) {
      for (let start = 0; start < keys.length; start += 500)
        await db
          .updateTable('actions')
          .set({ notified_at: now.getTime() })
          .where('id', 'in', keys.slice(start, start + 500))
          .execute();
    },

    async pendingProposals(limit) {
      const rows = await db
        .selectFrom('proposed_actions')
        .leftJoin('investigation_evidence', (join) =>
          join
            .onRef('investigation_evidence.investigation_id', '=', 'proposed_actions.investigation_id')
            .onRef('investigation_evidence.entity_key', '=', 'proposed_actions.evidence_key'),
        )
        .select([
          'proposed_actions.id',
          'proposed_actions.investigation_id',
          'proposed_actions.type',
          'proposed_actions.target_key',
          'proposed_actions.evidence_key',
          'proposed_actions.reasons',
          'investigation_evidence.verdict',
          'investigation_evidence.entity',
        ])
        .where('proposed_actions.status', '=', 'proposed')
        .orderBy('proposed_actions.id')
        .limit(limit)
        .execute();
      return rows.map((row) => ({
        id: Number(row.id),
        investigationKey: Number(row.investigation_id),
        type: row.type,
        targetKey: row.target_key,
        evidenceKey: row.evidence_key,
        reasons: JSON.parse(row.reasons) as string[],
        verdict: row.verdict,
        entity: row.entity ? (JSON.parse(row.entity) as Record<string, unknown>) : null,
      }));
    },

    planProposals: (items, now) =>
      atomically(async (executor) => {
        const results: ActionRecord[][] = [];
        const touched = new Set<number>();
        for (const { proposalId, plan } of items) {
          const proposal = await executor
            .selectFrom('proposed_actions')
            .select(['status', 'investigation_id'])
            .where('id', '=', proposalId)
            .executeTakeFirst();
          // Planned by another worker meanwhile.
          if (!proposal || proposal.status !== 'proposed') {
            results.push([]);
            continue;
          }
          touched.add(Number(proposal.investigation_id));
          if ('skip' in plan) {
            await executor
              .updateTable('proposed_actions')
              .set({ status: 'skipped', decision_rule: plan.skip })
              .where('id', '=', proposalId)
              .execute();
            results.push([]);
            continue;
          }
          const actions: ActionRecord[] = [];
          for (const draft of plan.drafts) {
            const { action } = await insert(executor, draft, now);
            actions.push(action);
            await executor
              .insertInto('proposal_actions')
              .values({
                proposal_id: proposalId,
                action_id: action.key,
                investigation_id: Number(proposal.investigation_id),
              })
              .onConflict((conflict) => conflict.doNothing())
              .execute();
          }
          await executor
            .updateTable('proposed_actions')
            .set({ status: 'planned', decision_rule: plan.drafts[0]?.decision.rule ?? null })
            .where('id', '=', proposalId)
            .execute();
          results.push(actions);
        }
        // Each investigation follows once, after all of its proposals are planned.
        for (const key of [...touched].sort((a, b) => a - b)) await followInvestigation(executor, key, now);
        return results;
      }),
  };

  /** An undo succeeded: the action it undoes is `undone`. */
  const markUndone = async (executor: Kysely<Database>, originalKey: number, undoKey: number, now: Date) => {
    const original = await lockedByKey(executor, originalKey);
    if (!original || original.status !== 'succeeded') return;
    await move(
      executor,
      original,
      [{ type: 'undo' }],
      `action:${publicActionId(undoKey)}`,
      `undone by ${publicActionId(undoKey)}`,
      {
        undone_by: undoKey,
      },
      now,
    );
    await follow(executor, [originalKey], now);
  };

  return store;
}

function applyFilter<O>(
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
  if (filter.since) q = q.where('created_at', '>=', Date.parse(filter.since));
  if (filter.until) q = q.where('created_at', '<', Date.parse(filter.until));
  return q;
}
