/**
 * The action center's decisions on actions: creating one (the same type, target and device is never in flight
 * twice), approving or rejecting, cancelling, and expiring what waited too long — all or none, each audited.
 */
import { type Kysely } from 'kysely';
import { isActionInFlight, type ActionEvent, type ActionStatus } from '../../domain/action.js';
import { AutoirError } from '../../domain/errors.js';
import { writeAudit } from '../audit-store.js';
import type { Database } from '../schema.js';
import { publicActionId } from '../../domain/ids.js';
import type { ActionDecisions, ActionQueue } from '../../respond/ports.js';
import type { Atomically } from '../query-helpers.js';
import { type ActionChanges } from './changes.js';
import { isoOrNull } from '../query-helpers.js';

export function decisionOperations(
  db: Kysely<Database>,
  atomically: Atomically,
  changes: ActionChanges,
): Pick<ActionDecisions, 'create' | 'decide' | 'cancel'> & Pick<ActionQueue, 'expire'> {
  const { follow, move, moveMany, insert, moveAll, settle, rowsFor } = changes;
  return {
    create: (draft, now) =>
      atomically(async (executor) => {
        const result = await insert(executor, draft, now);
        if (result.created && draft.source !== 'investigation')
          await writeAudit(
            executor,
            {
              actor: draft.requestedBy,
              operation: draft.override
                ? 'action.override'
                : draft.source === 'undo'
                  ? 'action.undo'
                  : 'action.create',
              target: `action:${result.action.id}`,
              after: {
                type: draft.type,
                targetKey: draft.targetKey,
                status: result.action.status,
                ...(draft.override ? { override: draft.override } : {}),
              },
            },
            now,
          );
        if (result.created && draft.undoOf) await follow(executor, [draft.undoOf], now);
        return result;
      }),

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
        const events: ActionEvent[] =
          decision === 'approve' ? [{ type: 'approve' }, { type: 'enqueue' }] : [{ type: 'reject' }];
        await moveMany(
          executor,
          rows.map((row) => ({
            row,
            events,
            message: comment,
            extra: {
              decided_by: by,
              decided_at: time,
              comment,
              ...(decision === 'approve' ? { next_attempt_at: time } : {}),
            },
          })),
          by,
          now,
        );
        await writeAudit(
          executor,
          rows.map((row) => ({
            actor: by,
            operation: `action.${decision}`,
            target: `action:${publicActionId(Number(row.id))}`,
            before: { status: row.status },
            after: { status: decision === 'approve' ? 'queued' : 'rejected', comment },
          })),
          now,
        );
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

    async expire(now) {
      const due = (executor: Kysely<Database>) =>
        executor
          .selectFrom('actions')
          .selectAll()
          .where('status', '=', 'pendingApproval')
          .where('expires_at', '<=', now.getTime());
      // Nothing due (most passes): no transaction.
      if (!(await due(db).limit(1).executeTakeFirst())) return [];
      return atomically(async (executor) => {
        const rows = await due(executor).orderBy('id').limit(1000).execute();
        return moveAll(executor, rows, now, { type: 'expire' }, 'policy:expiry', (row) => ({
          message: `no decision by ${isoOrNull(row.expires_at)}: expired, counted as rejected`,
          extra: { decided_by: 'policy:expiry', decided_at: now.getTime() },
        }));
      });
    },
  };
}
