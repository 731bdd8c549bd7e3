/**
 * How actions change, inside the caller's transaction: locked reads, moves along the state machine (each logged),
 * creation under the in-flight rule, and what follows for the investigations they serve (domain/settlement.ts).
 */
import { randomBytes } from 'node:crypto';
import { sql, type Insertable, type Kysely, type Updateable } from 'kysely';
import {
  isActionInFlight,
  transitionAction,
  type ActionEvent,
  type ActionStatus,
} from '../../domain/action.js';
import { AutoirError } from '../../domain/errors.js';
import { type InvestigationStatus } from '../../domain/investigation.js';
import type { Database } from '../schema.js';
import { parseActionId, publicActionId } from '../../domain/ids.js';
import type { ActionRecord } from '../../domain/action.js';
import type { ActionDraft, CreateResult } from '../../respond/ports.js';
import type { EngineState } from '../../domain/investigation.js';
import { settleInvestigation } from '../../domain/settlement.js';
import { BulkInsert, RowStatement, type RunMany } from '../bulk-insert.js';
import type { ActionRow } from './rows.js';
import { inFlightKey, toAction } from './rows.js';
import { newAction } from '../../domain/action.js';

/** Rows per statement when many actions move at once. */
const MOVE_CHUNK = 200;
/** Actions per insert statement (about 25 parameters each). */
const INSERT_CHUNK = 100;

export function actionChanges(db: Kysely<Database>, isSqlite: boolean, runMany?: RunMany) {
  /**
   * `update actions set <columns>, in_flight = ? where id = ?` for many rows (RowStatement: row after row in-process,
   * or one statement over arrays), one per set of columns a move writes.
   */
  const updateStatements = new Map<string, RowStatement>();
  const updateFor = (columns: readonly string[]): RowStatement => {
    const key = columns.join(',');
    let statement = updateStatements.get(key);
    if (statement === undefined) {
      statement = new RowStatement(
        [...columns, 'in_flight', 'id'],
        (builder, row) => {
          const { id, ...set } = row;
          return (builder as unknown as Kysely<Database>)
            .updateTable('actions')
            .set(set as Updateable<Database['actions']>)
            .where('id', '=', id as number);
        },
        runMany,
      );
      updateStatements.set(key, statement);
    }
    return statement;
  };

  /** Log rows of many actions at once: one statement over arrays (PostgreSQL), or row after row in-process. */
  const insertLog = new BulkInsert(
    ['action_id', 'at', 'from_status', 'to_status', 'by', 'message'],
    (builder, rows) =>
      (builder as unknown as Kysely<Database>)
        .insertInto('action_log')
        .values(rows as unknown as Insertable<Database['action_log']>[]),
    { runMany, chunk: 2000 },
  );

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
    // One update per remediation status (few), not per piece of evidence.
    const keysByStatus = new Map<string, string[]>();
    for (const [evidenceKey, remediation] of settlement.remediation)
      keysByStatus.set(remediation, [...(keysByStatus.get(remediation) ?? []), evidenceKey]);
    for (const [remediation, keys] of keysByStatus)
      for (let start = 0; start < keys.length; start += MOVE_CHUNK)
        await executor
          .updateTable('investigation_evidence')
          .set({ remediation_status: remediation })
          .where('investigation_id', '=', investigationKey)
          .where('entity_key', 'in', keys.slice(start, start + MOVE_CHUNK))
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
  ): Promise<ActionStatus> =>
    (await moveMany(executor, [{ row, events, message, extra }], by, now))[0] as ActionStatus;

  /**
   * Move many actions, each by its events with its message and columns, in a few statements: the log rows in one
   * insert, and one update for the rows that take the same columns (their in-flight keys by `case id`). Throws on
   * an illegal transition before anything is written. Returns each one's new status.
   */
  const moveMany = async (
    executor: Kysely<Database>,
    moves: readonly {
      readonly row: ActionRow;
      readonly events: readonly ActionEvent[];
      readonly message: string | null;
      readonly extra: Partial<Omit<ActionRow, 'id'>>;
    }[],
    by: string,
    now: Date,
  ): Promise<ActionStatus[]> => {
    const time = now.getTime();
    const logRows: Insertable<Database['action_log']>[] = [];
    const statuses: ActionStatus[] = [];
    // Rows taking the same columns but their in-flight key, grouped (by the columns as JSON).
    const updates = new Map<
      string,
      { set: Partial<Omit<ActionRow, 'id'>>; inFlight: [number, string | null][] }
    >();
    for (const { row, events, message, extra } of moves) {
      let status = row.status as ActionStatus;
      for (const event of events) {
        const next = transitionAction(status, event);
        logRows.push({
          action_id: Number(row.id),
          at: time,
          from_status: status,
          to_status: next,
          by,
          message,
        });
        status = next;
      }
      statuses.push(status);
      const set = {
        status,
        updated_at: time,
        ...(isActionInFlight(status) || status === 'undone' ? {} : { ended_at: row.ended_at ?? time }),
        ...extra,
      };
      const group = JSON.stringify(set);
      const update = updates.get(group) ?? { set, inFlight: [] as [number, string | null][] };
      update.inFlight.push([
        Number(row.id),
        isActionInFlight(status) ? inFlightKey(row.type, row.target_key, row.device_key) : null,
      ]);
      updates.set(group, update);
    }
    await insertLog.runFlat(
      executor as unknown as Kysely<never>,
      logRows.flatMap((row) => [row.action_id, row.at, row.from_status, row.to_status, row.by, row.message]),
    );
    for (const { set, inFlight } of updates.values()) {
      const columns = Object.keys(set).filter((column) => column !== 'in_flight' && column !== 'id');
      const values = columns.map((column) => (set as Record<string, unknown>)[column]);
      await updateFor(columns).run(
        executor as unknown as Kysely<never>,
        inFlight.map(([id, key]) => [...values, key, id]),
      );
    }
    return statuses;
  };

  /**
   * Create actions, in one statement per chunk: each draft whose type, target and device is already in flight (or
   * inserted by a planner on another worker meanwhile, or named twice here) gets that action instead, not created.
   */
  const insertMany = async (
    executor: Kysely<Database>,
    drafts: readonly ActionDraft[],
    now: Date,
  ): Promise<CreateResult[]> => {
    const time = now.getTime();
    const rows = drafts.map((draft) => {
      const start = newAction({ ...draft, expiresAt: draft.expiresAt?.getTime() ?? null }, time);
      const row = {
        type: draft.type,
        target_key: draft.targetKey,
        device_key: draft.deviceKey,
        group_kind: draft.group?.kind ?? null,
        group_name: draft.group?.name ?? null,
        investigation_id: draft.investigationKey,
        evidence_key: draft.evidenceKey,
        verdict: draft.verdict,
        source: draft.source,
        status: start.status,
        in_flight: inFlightKey(draft.type, draft.targetKey, draft.deviceKey),
        parameters: JSON.stringify(draft.parameters),
        reasons: JSON.stringify(draft.reasons),
        requested_by: draft.requestedBy,
        decided_by: start.decidedBy,
        decided_at: start.decidedAt,
        decision_rule: draft.decision.rule,
        comment: draft.comment ?? null,
        undo_of: draft.undoOf ?? null,
        idempotency_key: `autoir-${randomBytes(16).toString('hex')}`,
        next_attempt_at: start.nextAttemptAt,
        created_at: time,
        updated_at: time,
        expires_at: start.expiresAt,
        shadow_outcome: draft.shadow?.outcome ?? null,
        shadow_rule: draft.shadow?.rule ?? null,
        shadow_level: draft.shadow?.level ?? null,
      };
      return { row, history: start.history };
    });
    const inserted = new Map<string, ActionRow>();
    for (let start = 0; start < rows.length; start += INSERT_CHUNK)
      for (const row of await executor
        .insertInto('actions')
        .values(rows.slice(start, start + INSERT_CHUNK).map(({ row }) => row))
        .onConflict((conflict) => conflict.column('in_flight').doNothing())
        .returningAll()
        .execute())
        inserted.set(row.in_flight as string, row as ActionRow);
    const createdKeys = new Set(inserted.keys());
    // The winners of drafts that inserted nothing, in one read.
    const missing = [...new Set(rows.map(({ row }) => row.in_flight).filter((key) => !inserted.has(key)))];
    for (let start = 0; start < missing.length; start += INSERT_CHUNK)
      for (const winner of await executor
        .selectFrom('actions')
        .selectAll()
        .where('in_flight', 'in', missing.slice(start, start + INSERT_CHUNK))
        .execute())
        inserted.set(winner.in_flight as string, winner as ActionRow);
    const logRows: unknown[] = [];
    const results = rows.map(({ row, history }) => {
      const stored = inserted.get(row.in_flight);
      if (!stored)
        throw new AutoirError(
          'AUTOIR_E_CONFLICT',
          `an action ${row.type} on ${row.target_key} is already in flight`,
        );
      // Created by this call: by the first draft that named its key (its history is the one logged).
      const created = createdKeys.delete(row.in_flight);
      if (created)
        for (const step of history)
          logRows.push(Number(stored.id), time, step.from, step.to, step.by, step.message);
      return { action: toAction(stored), created };
    });
    await insertLog.runFlat(executor as unknown as Kysely<never>, logRows);
    return results;
  };

  const insert = async (executor: Kysely<Database>, draft: ActionDraft, now: Date): Promise<CreateResult> =>
    (await insertMany(executor, [draft], now))[0] as CreateResult;

  /** Move every row by one event (each with its message and columns), then let investigations follow. */
  const moveAll = async (
    executor: Kysely<Database>,
    rows: readonly ActionRow[],
    now: Date,
    event: ActionEvent,
    by: string,
    each: (row: ActionRow) => { message: string; extra: Partial<Omit<ActionRow, 'id'>> },
  ): Promise<ActionRecord[]> => {
    await moveMany(
      executor,
      rows.map((row) => ({ row, events: [event], ...each(row) })),
      by,
      now,
    );
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
  return {
    isSqlite,
    followInvestigation,
    byKey,
    lockedByKey,
    requireKey,
    log,
    follow,
    move,
    moveMany,
    insert,
    insertMany,
    moveAll,
    settle,
    rowsFor,
    claimable,
    markUndone,
  };
}

export type ActionChanges = ReturnType<typeof actionChanges>;
