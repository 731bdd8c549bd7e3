/**
 * Remediation actions: the action center's queue and history, and the executor's work queue (the state machine of domain/action.ts).
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
import { type Kysely } from 'kysely';
import type { Database } from './schema.js';
import type { ActionDecisions, ActionNotices, ActionPlanning, ActionQueue } from '../respond/ports.js';
import type { Atomically } from './query-helpers.js';
import type { ActionCallbacks } from './actions/queue.js';
import type { ActionReads } from './actions/read.js';
import { actionChanges } from './actions/changes.js';
import { decisionOperations } from './actions/decisions.js';
import { proposalOperations } from './actions/proposals.js';
import { queueOperations } from './actions/queue.js';
import { readOperations } from './actions/read.js';
import type { ActionFilter } from './actions/rows.js';
import type { RunMany } from './bulk-insert.js';

/**
 * Actions: the response stage's queue, decisions, planning and digests (respond/ports.ts), and what the API and
 * CLI read besides.
 */
export interface ActionStore
  extends ActionQueue, ActionDecisions, ActionPlanning, ActionNotices, ActionReads, ActionCallbacks {
  count(filter: ActionFilter): Promise<number>;
}

export function createActionStore(
  db: Kysely<Database>,
  atomically: Atomically,
  isSqlite: boolean,
  runMany?: RunMany,
): ActionStore {
  const changes = actionChanges(db, isSqlite, runMany);
  return {
    ...decisionOperations(db, atomically, changes),
    ...queueOperations(db, atomically, changes),
    ...readOperations(db, changes),
    ...proposalOperations(db, atomically, changes),
  };
}
