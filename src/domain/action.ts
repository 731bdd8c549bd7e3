/**
 * Remediation actions and their state machine (DESIGN.md §1–2):
 *
 *   pendingApproval → approved → queued → running → succeeded | failed | timedOut | cancelled
 *   pendingApproval → rejected | expired;   succeeded → undone
 *
 * An action decided by policy starts `approved`; one that needs an analyst starts `pendingApproval`.
 */
import { AutoirError } from './errors.js';

export const actionTypes = [
  'isolateDevice',
  'releaseDevice',
  'quarantineFile',
  'restoreFile',
  'killProcess',
  'removePersistence',
  'collectInvestigationPackage',
  'runAntivirusScan',
  'restrictAppExecution',
  'softDeleteEmail',
  'restoreEmail',
  'blockSender',
  'blockUrl',
  'removeInboxRule',
  'disableUser',
  'enableUser',
  'resetPassword',
  'revokeSessions',
  'blockIp',
] as const;
export type ActionType = (typeof actionTypes)[number];

/** The action that undoes each undoable action type. */
export const undoOf: Partial<Record<ActionType, ActionType>> = {
  isolateDevice: 'releaseDevice',
  quarantineFile: 'restoreFile',
  softDeleteEmail: 'restoreEmail',
  disableUser: 'enableUser',
};

export const actionStatuses = [
  'pendingApproval',
  'approved',
  'queued',
  'running',
  'succeeded',
  'failed',
  'timedOut',
  'cancelled',
  'rejected',
  'expired',
  'undone',
] as const;
export type ActionStatus = (typeof actionStatuses)[number];

export type ActionEvent =
  | { readonly type: 'approve' }
  | { readonly type: 'reject' }
  /** Pending longer than the approval window (7 days by default): counts as rejected. */
  | { readonly type: 'expire' }
  /** The approved action was handed to the executor queue. */
  | { readonly type: 'enqueue' }
  /** The executor claimed it and called the connector. */
  | { readonly type: 'start' }
  | { readonly type: 'succeed' }
  | { readonly type: 'fail' }
  | { readonly type: 'timeOut' }
  /** A retryable failure: back to the queue with backoff. */
  | { readonly type: 'retry' }
  | { readonly type: 'cancel' }
  /** Its undo action succeeded. */
  | { readonly type: 'undo' };

const transitions: Readonly<Record<ActionEvent['type'], Partial<Record<ActionStatus, ActionStatus>>>> = {
  approve: { pendingApproval: 'approved' },
  reject: { pendingApproval: 'rejected' },
  expire: { pendingApproval: 'expired' },
  enqueue: { approved: 'queued' },
  start: { queued: 'running' },
  succeed: { running: 'succeeded' },
  fail: { running: 'failed' },
  timeOut: { running: 'timedOut' },
  retry: { running: 'queued' },
  cancel: { pendingApproval: 'cancelled', approved: 'cancelled', queued: 'cancelled', running: 'cancelled' },
  undo: { succeeded: 'undone' },
};

/** Statuses that no event leaves, except `succeeded`, which an undo can still follow. */
export const finalActionStatuses: readonly ActionStatus[] = [
  'succeeded',
  'failed',
  'timedOut',
  'cancelled',
  'rejected',
  'expired',
  'undone',
];

/** In flight: the same (type, target) may not have two actions in these statuses at once. */
export function isActionInFlight(status: ActionStatus): boolean {
  return status === 'pendingApproval' || status === 'approved' || status === 'queued' || status === 'running';
}

export function nextActionStatus(status: ActionStatus, event: ActionEvent): ActionStatus | undefined {
  return transitions[event.type][status];
}

/** Like {@link nextActionStatus}, but an illegal transition throws `AUTOIR_E_ILLEGAL_TRANSITION`. */
export function transitionAction(status: ActionStatus, event: ActionEvent): ActionStatus {
  const next = nextActionStatus(status, event);
  if (next === undefined) {
    throw new AutoirError('AUTOIR_E_ILLEGAL_TRANSITION', `an action that is ${status} cannot ${event.type}`, {
      details: { status, event: event.type },
    });
  }
  return next;
}

/** An action as the action center shows it (DESIGN.md §5 shape). */
export interface Action {
  readonly id: string;
  readonly type: ActionType;
  readonly targetKey: string;
  readonly investigationId: string | null;
  readonly status: ActionStatus;
  /** `user:<name>` / `token:<name>` for an analyst, `policy:<rule>` for automation. */
  readonly decidedBy: string | null;
  readonly decidedAt: string | null;
  readonly comment: string | null;
  /** For an undo action, the id of the action it undoes. */
  readonly undoOf: string | null;
}
