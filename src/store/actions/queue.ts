/**
 * The executor's queue: claiming runnable actions, writing an attempt's result onto the state machine, results
 * posted back by a connector's system, and callbacks that never came.
 */
import { type Kysely } from 'kysely';
import { type ActionEvent } from '../../domain/action.js';
import { AutoirError } from '../../domain/errors.js';
import { writeAudit } from '../audit-store.js';
import { thisHostClaims, isDeadClaim } from '../claims.js';
import type { Database } from '../schema.js';
import type { ActionRecord } from '../../domain/action.js';
import type { ActionQueue } from '../../respond/ports.js';
import type { Atomically } from '../query-helpers.js';
import { type ActionChanges } from './changes.js';
import { toAction } from './rows.js';
import { attemptEvent } from '../../domain/action.js';

/** Results that connectors' systems post back. */
export interface ActionCallbacks {
  /** A result posted by the connector's system (`POST /api/v1/actions/:id/result`). */
  recordCallback(
    id: string,
    result: { status: 'succeeded' | 'failed'; message?: string; details?: Record<string, unknown> },
    by: string,
    now: Date,
  ): Promise<ActionRecord>;
}

export function queueOperations(
  db: Kysely<Database>,
  atomically: Atomically,
  changes: ActionChanges,
): Omit<ActionQueue, 'expire'> & ActionCallbacks {
  const { byKey, lockedByKey, requireKey, log, follow, move, moveAll, claimable, markUndone, isSqlite } =
    changes;
  return {
    async expireCallbacks(now) {
      const due = (executor: Kysely<Database>) =>
        executor
          .selectFrom('actions')
          .selectAll()
          .where('status', '=', 'running')
          .where('awaiting_callback', '=', 1)
          .where('lease_until', '<=', now.getTime());
      // Nothing due (most passes): no transaction.
      if (!(await due(db).limit(1).executeTakeFirst())) return [];
      return atomically(async (executor) => {
        const rows = await due(executor).limit(1000).execute();
        return moveAll(executor, rows, now, { type: 'timeOut' }, 'system', () => ({
          message: 'the connector accepted the action but posted no result in time',
          extra: { awaiting_callback: 0, lease_until: null, result_message: 'no result posted in time' },
        }));
      });
    },

    async claim(worker, now, leaseMs, limit) {
      // Nothing runnable (most passes): no transaction.
      const any = await db
        .selectFrom('actions')
        .select('id')
        .where(claimable(now.getTime()))
        .limit(1)
        .executeTakeFirst();
      if (!any) return [];
      return atomically(async (executor) => {
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
      });
    },

    finishAttempt: (key, worker, connector, result, now) =>
      atomically(async (executor) => {
        const row = await lockedByKey(executor, key);
        // Fenced: a worker whose claim was taken over, or whose action was cancelled or answered by callback,
        // writes nothing.
        if (!row || row.claimed_by !== worker || row.status !== 'running') return false;
        const time = now.getTime();
        const base = { claimed_by: null, lease_until: null, connector };
        const by = connector ?? worker;
        const event = attemptEvent(result.status);
        if (event === undefined) {
          // Accepted: still running, its result awaited by callback until the deadline (held as the lease).
          const accepted = result as Extract<typeof result, { status: 'accepted' }>;
          await log(
            executor,
            key,
            'running',
            'running',
            by,
            accepted.message ?? 'accepted: waiting for the result',
            now,
          );
          await executor
            .updateTable('actions')
            .set({
              ...base,
              awaiting_callback: 1,
              lease_until: accepted.deadline.getTime(),
              result_message: accepted.message ?? null,
              updated_at: time,
            })
            .where('id', '=', key)
            .execute();
        } else {
          // A finished attempt replaces the previous result's details; a retry keeps them.
          const finished =
            result.status === 'succeeded' || result.status === 'failed' || result.status === 'timedOut';
          const details = 'details' in result && result.details ? JSON.stringify(result.details) : null;
          await move(
            executor,
            row,
            [event],
            by,
            result.message ?? null,
            {
              ...base,
              result_message: result.message ?? null,
              ...(finished ? { result_details: details } : {}),
              ...('nextAttemptAt' in result ? { next_attempt_at: result.nextAttemptAt.getTime() } : {}),
              // Succeeded: reachable again; unreachable: since the first time it was.
              ...(result.status === 'succeeded' ? { unreachable_since: null } : {}),
              ...(result.status === 'pendingResource'
                ? { unreachable_since: row.unreachable_since ?? time }
                : {}),
            },
            now,
          );
          if (result.status === 'succeeded' && row.undo_of !== null)
            await markUndone(executor, Number(row.undo_of), key, now);
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

    async releaseDeadClaims(holder) {
      const rows = await db
        .selectFrom('actions')
        .select(['id', 'claimed_by'])
        .where('status', '=', 'running')
        .where('claimed_by', 'like', thisHostClaims)
        .execute();
      const dead = rows.filter(
        (row) => isDeadClaim(row.claimed_by) || (holder !== undefined && row.claimed_by === holder),
      );
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
  };
}
