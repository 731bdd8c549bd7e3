/**
 * Remediation actions and their state machine (docs/response.md):
 *
 *   pendingApproval → approved → queued → running → succeeded | failed | timedOut | cancelled
 *   pendingApproval → rejected | expired;   succeeded → undone
 *   running → queued (a retryable failure, with backoff);  running ⇄ pendingResource (target unreachable)
 *
 * An action decided by policy starts `approved`; one that needs an analyst starts `pendingApproval`.
 */
import { entityTypeOfKey, type EntityType } from './entity.js';
import { AutoirError } from './errors.js';
import { specialAddress } from './net.js';

export const actionTypes = [
  'isolateDevice',
  'releaseDevice',
  'quarantineFile',
  'restoreFile',
  'killProcess',
  'removePersistence',
  'restorePersistence',
  'collectInvestigationPackage',
  'runAntivirusScan',
  'restrictAppExecution',
  'softDeleteEmail',
  'restoreEmail',
  'blockSender',
  'unblockSender',
  'blockUrl',
  'unblockUrl',
  'removeInboxRule',
  'disableUser',
  'enableUser',
  'resetPassword',
  'revokeSessions',
  'removePrivilegedGroups',
  'restorePrivilegedGroups',
  'blockIp',
  'unblockIp',
] as const;
export type ActionType = (typeof actionTypes)[number];

/** The action that undoes each undoable action type. */
export const undoOf: Partial<Record<ActionType, ActionType>> = {
  isolateDevice: 'releaseDevice',
  quarantineFile: 'restoreFile',
  removePersistence: 'restorePersistence',
  softDeleteEmail: 'restoreEmail',
  blockSender: 'unblockSender',
  disableUser: 'enableUser',
  removePrivilegedGroups: 'restorePrivilegedGroups',
  blockIp: 'unblockIp',
  blockUrl: 'unblockUrl',
};

export const actionStatuses = [
  'pendingApproval',
  'approved',
  'queued',
  'running',
  'pendingResource',
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
  /** The target cannot be reached: the action waits, and is retried until its time runs out. */
  | { readonly type: 'awaitResource' }
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
  fail: { running: 'failed', pendingResource: 'failed' },
  timeOut: { running: 'timedOut' },
  retry: { running: 'queued', pendingResource: 'queued' },
  awaitResource: { running: 'pendingResource' },
  cancel: {
    pendingApproval: 'cancelled',
    approved: 'cancelled',
    queued: 'cancelled',
    running: 'cancelled',
    pendingResource: 'cancelled',
  },
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
  return (
    status === 'pendingApproval' ||
    status === 'approved' ||
    status === 'queued' ||
    status === 'running' ||
    status === 'pendingResource'
  );
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

/** What an action type acts on, and how the automation policy judges it. */
export interface ActionSpec {
  /** Entity types its target may be. */
  readonly targets: readonly EntityType[];
  /**
   * Whose group's automation level decides it: a device's (runs on a device), a mailbox's, a user's, or
   * `organization` (a block at the proxy or firewall: judged by the default device group).
   */
  readonly scope: 'device' | 'mailbox' | 'user' | 'organization';
  /** Acts on a file or an executable, so `semiCore` / `semiNonTemp` judge it by the file's folder. */
  readonly onFile: boolean;
  /** An e-mail action: waits for approval unless the mailbox group's level is `full`. */
  readonly email: boolean;
  /** What a person reads in the action center. */
  readonly title: string;
  /** Only reads the target (collects evidence): runs at any automation level but `none`. */
  readonly collects?: true;
}

const device = ['device'] as const;
/** Autostart entries: Windows registry run keys, services and tasks; Linux units, cron and profile files. */
const persistenceTargets = ['registryKey', 'registryValue', 'service', 'scheduledTask', 'file'] as const;
export const actionCatalog: Readonly<Record<ActionType, ActionSpec>> = {
  isolateDevice: { targets: device, scope: 'device', onFile: false, email: false, title: 'Isolate device' },
  releaseDevice: {
    targets: device,
    scope: 'device',
    onFile: false,
    email: false,
    title: 'Release device from isolation',
  },
  quarantineFile: {
    targets: ['file'],
    scope: 'device',
    onFile: true,
    email: false,
    title: 'Quarantine file',
  },
  restoreFile: {
    targets: ['file'],
    scope: 'device',
    onFile: true,
    email: false,
    title: 'Restore file from quarantine',
  },
  killProcess: { targets: ['process'], scope: 'device', onFile: true, email: false, title: 'Stop process' },
  removePersistence: {
    targets: persistenceTargets,
    scope: 'device',
    onFile: true,
    email: false,
    title: 'Remove persistence',
  },
  restorePersistence: {
    targets: persistenceTargets,
    scope: 'device',
    onFile: true,
    email: false,
    title: 'Restore removed persistence',
  },
  collectInvestigationPackage: {
    targets: device,
    scope: 'device',
    onFile: false,
    email: false,
    title: 'Collect investigation package',
    collects: true,
  },
  runAntivirusScan: {
    targets: device,
    scope: 'device',
    onFile: false,
    email: false,
    title: 'Run antivirus scan',
  },
  restrictAppExecution: {
    targets: device,
    scope: 'device',
    onFile: false,
    email: false,
    title: 'Restrict app execution',
  },
  softDeleteEmail: {
    targets: ['mailMessage', 'mailCluster'],
    scope: 'mailbox',
    onFile: false,
    email: true,
    title: 'Soft delete e-mail',
  },
  restoreEmail: {
    targets: ['mailMessage', 'mailCluster'],
    scope: 'mailbox',
    onFile: false,
    email: true,
    title: 'Restore e-mail',
  },
  blockSender: {
    targets: ['mailbox', 'domain'],
    scope: 'mailbox',
    onFile: false,
    email: true,
    title: 'Block sender',
  },
  unblockSender: {
    targets: ['mailbox', 'domain'],
    scope: 'mailbox',
    onFile: false,
    email: true,
    title: 'Unblock sender',
  },
  blockUrl: {
    targets: ['url', 'domain'],
    scope: 'organization',
    onFile: false,
    email: false,
    title: 'Block URL',
  },
  unblockUrl: {
    targets: ['url', 'domain'],
    scope: 'organization',
    onFile: false,
    email: false,
    title: 'Unblock URL',
  },
  removeInboxRule: {
    targets: ['mailbox'],
    scope: 'mailbox',
    onFile: false,
    email: true,
    title: 'Remove inbox rules',
  },
  disableUser: { targets: ['user'], scope: 'user', onFile: false, email: false, title: 'Disable user' },
  enableUser: { targets: ['user'], scope: 'user', onFile: false, email: false, title: 'Enable user' },
  resetPassword: { targets: ['user'], scope: 'user', onFile: false, email: false, title: 'Reset password' },
  revokeSessions: {
    targets: ['user'],
    scope: 'user',
    onFile: false,
    email: false,
    title: 'Revoke sessions',
  },
  removePrivilegedGroups: {
    targets: ['user'],
    scope: 'user',
    onFile: false,
    email: false,
    title: 'Remove from privileged groups',
  },
  restorePrivilegedGroups: {
    targets: ['user'],
    scope: 'user',
    onFile: false,
    email: false,
    title: 'Restore privileged group memberships',
  },
  blockIp: { targets: ['ip'], scope: 'organization', onFile: false, email: false, title: 'Block IP address' },
  unblockIp: {
    targets: ['ip'],
    scope: 'organization',
    onFile: false,
    email: false,
    title: 'Unblock IP address',
  },
};

export function isActionType(value: unknown): value is ActionType {
  return typeof value === 'string' && (actionTypes as readonly string[]).includes(value);
}

/**
 * Why `type` cannot act on `targetKey` (on `deviceKey`), or `undefined` when it can. Pure: it checks the shape of
 * the target, not whether the target exists.
 */
export function actionTargetProblem(
  type: ActionType,
  targetKey: string,
  deviceKey: string | null,
): string | undefined {
  const spec = actionCatalog[type];
  const targetType = entityTypeOfKey(targetKey);
  if (!targetType)
    return `${targetKey} is not an entity key (expected type:value, e.g. device:host.example.com)`;
  if (!spec.targets.includes(targetType))
    return `${type} acts on ${spec.targets.join(' or ')}, not on ${targetType} (${targetKey})`;
  if (deviceKey !== null && entityTypeOfKey(deviceKey) !== 'device')
    return `the device ${deviceKey} is not a device key (device:<name>)`;
  if ((type === 'quarantineFile' || type === 'restoreFile') && deviceKey === null)
    return `${type} needs the device the file is on`;
  if (type === 'blockIp') {
    const special = specialAddress(targetKey.slice('ip:'.length));
    if (special) return `${targetKey} is ${special}: blocking it would cut off no attacker, only ourselves`;
  }
  return undefined;
}

export type ActionSource = 'investigation' | 'analyst' | 'undo';

export interface ActionRecord {
  readonly id: string;
  readonly key: number;
  readonly type: ActionType;
  readonly targetKey: string;
  readonly deviceKey: string | null;
  /** The group whose automation level judged it. */
  readonly group: { readonly kind: string; readonly name: string } | null;
  readonly investigationId: string | null;
  readonly evidenceKey: string | null;
  /** The verdict of the evidence it remediates, when it came from an investigation. */
  readonly verdict: string | null;
  readonly source: ActionSource;
  readonly status: ActionStatus;
  readonly parameters: Readonly<Record<string, unknown>>;
  readonly reasons: readonly string[];
  /** Who asked for it: `investigation:inv_3`, `token:<name>`, `user:<name>`, `cli:<user>`. */
  readonly requestedBy: string;
  /** `token:<name>` / `user:<name>` / `cli:<user>` for a person, `policy` for automation, `policy:expiry` for an expiry. */
  readonly decidedBy: string | null;
  readonly decidedAt: string | null;
  /** The policy rule that made the decision (or sent it for approval). */
  readonly decisionRule: string | null;
  readonly comment: string | null;
  readonly undoOf: string | null;
  readonly undoneBy: string | null;
  readonly idempotencyKey: string;
  readonly connector: string | null;
  readonly attempts: number;
  readonly nextAttemptAt: string | null;
  readonly awaitingCallback: boolean;
  readonly unreachableSince: string | null;
  readonly resultMessage: string | null;
  readonly resultDetails: Readonly<Record<string, unknown>> | null;
  readonly createdAt: string;
  readonly updatedAt: string;
  readonly expiresAt: string | null;
  readonly startedAt: string | null;
  readonly endedAt: string | null;
  /**
   * A group in shadow (domain/policy.ts): what its shadow level would have done — `approve`: run at once — and the
   * rule; the action itself waited for an analyst. Null outside shadow.
   */
  readonly shadow: {
    readonly level: string;
    readonly outcome: 'approve' | 'wait';
    readonly rule: string;
  } | null;
}

export interface ActionLogEntry {
  readonly at: string;
  readonly from: ActionStatus | null;
  readonly to: ActionStatus;
  readonly by: string;
  readonly message: string | null;
}

/** A step of an action's history. */
export interface ActionStep {
  readonly from: ActionStatus | null;
  readonly to: ActionStatus;
  readonly by: string;
  readonly message: string | null;
}

/**
 * How a new action starts. Approved when it is asked for (by policy, or by the person asking): queued at once, due
 * now, never expiring. Otherwise it waits for approval until it expires. Its history says who asked and who decided.
 */
export function newAction(
  request: {
    readonly requestedBy: string;
    readonly reasons: readonly string[];
    readonly decision: {
      readonly outcome: 'approve' | 'wait';
      readonly by: string;
      readonly rule: string | null;
    };
    readonly expiresAt: number | null;
  },
  now: number,
): {
  readonly status: ActionStatus;
  readonly decidedBy: string | null;
  readonly decidedAt: number | null;
  readonly nextAttemptAt: number | null;
  readonly expiresAt: number | null;
  readonly history: readonly ActionStep[];
} {
  const { decision } = request;
  const asked: ActionStep = {
    from: null,
    to: 'pendingApproval',
    by: request.requestedBy,
    message: request.reasons[0] ?? null,
  };
  if (decision.outcome === 'approve')
    return {
      status: transitionAction(transitionAction('pendingApproval', { type: 'approve' }), { type: 'enqueue' }),
      decidedBy: decision.by,
      decidedAt: now,
      nextAttemptAt: now,
      expiresAt: null,
      history: [
        asked,
        { from: 'pendingApproval', to: 'approved', by: decision.by, message: decision.rule },
        { from: 'approved', to: 'queued', by: decision.by, message: null },
      ],
    };
  return {
    status: 'pendingApproval',
    decidedBy: null,
    decidedAt: null,
    nextAttemptAt: null,
    expiresAt: request.expiresAt,
    history: decision.rule
      ? [asked, { from: 'pendingApproval', to: 'pendingApproval', by: 'policy', message: decision.rule }]
      : [asked],
  };
}

/** What an attempt came to, as the executor says it. */
export type AttemptStatus = 'succeeded' | 'failed' | 'timedOut' | 'retry' | 'pendingResource' | 'accepted';

/**
 * The event an attempt's outcome moves a running action by: none for `accepted` — it stays running, its result
 * awaited by callback until a deadline.
 */
export function attemptEvent(status: AttemptStatus): ActionEvent | undefined {
  switch (status) {
    case 'succeeded':
      return { type: 'succeed' };
    case 'failed':
      return { type: 'fail' };
    case 'timedOut':
      return { type: 'timeOut' };
    case 'retry':
      return { type: 'retry' };
    case 'pendingResource':
      return { type: 'awaitResource' };
    case 'accepted':
      return undefined;
  }
}
