/**
 * What happens to an investigation between its steps, as the store records it: alerts joining it, a worker claiming
 * it, a step committing, an analyst approving its scope expansions or cancelling it. Each rule says what the
 * investigation becomes; the store writes that in the same transaction.
 *
 * An investigation remembers what it last waited as, and since when (`state.waiting`), so that the log can say how
 * long each step waited before it ran, and as what (queued, pendingApproval, pendingResource).
 */
import { AutoirError } from './errors.js';
import {
  isTerminalInvestigationStatus,
  transitionInvestigation,
  type EngineState,
  type InvestigationEvent,
  type InvestigationStatus,
} from './investigation.js';

/** A claim's lease when a step does not say (a step that takes longer renews it as it commits). */
export const DEFAULT_LEASE_MS = 60_000;

const isWaiting = (status: InvestigationStatus) =>
  status === 'pendingApproval' || status === 'pendingResource';

/**
 * Alerts joined an open investigation: it re-evaluates from its first step with what they add (evidence already
 * judged is kept). One waiting for approval or a resource resumes and is queued again. A finished one is left as
 * it is (the alerts stay attached to it).
 */
export function afterAlertsJoined(
  status: InvestigationStatus,
  state: EngineState,
  now: number,
):
  | {
      readonly status: InvestigationStatus;
      readonly step: 'collect';
      readonly state: EngineState;
      readonly requeue: boolean;
    }
  | undefined {
  if (isTerminalInvestigationStatus(status)) return undefined;
  const waiting = isWaiting(status);
  return {
    status: waiting ? transitionInvestigation(status, { type: 'resume' }) : status,
    step: 'collect',
    state: { ...state, waiting: waiting ? { as: status, since: now } : state.waiting },
    requeue: waiting,
  };
}

/** A worker claimed the investigation: a queued one starts (its start time kept from the first start). */
export function afterClaim(
  investigation: {
    readonly status: InvestigationStatus;
    readonly state: EngineState;
    readonly startedAt: number | null;
    readonly queuedAt: number;
  },
  now: number,
):
  | { readonly status: InvestigationStatus; readonly startedAt: number; readonly state: EngineState }
  | undefined {
  if (investigation.status !== 'queued') return undefined;
  return {
    status: transitionInvestigation('queued', { type: 'start' }),
    startedAt: investigation.startedAt ?? now,
    state: { ...investigation.state, waiting: { as: 'queued', since: investigation.queuedAt } },
  };
}

/** A step committed: the status its event leads to, its log's waiting time, and what becomes of the claim. */
export function afterStep(
  status: InvestigationStatus,
  step: {
    readonly event?: InvestigationEvent;
    readonly state: EngineState;
    readonly startedAt: number;
    readonly release: boolean;
    readonly leaseMs?: number;
  },
  now: number,
): {
  readonly status: InvestigationStatus;
  readonly ended: boolean;
  readonly state: EngineState;
  readonly waitedMs: number;
  readonly waitedAs: string | null;
  /** Released (it waits or ended), or renewed until this time. */
  readonly claim: 'release' | { readonly leaseUntil: number };
} {
  const next = step.event ? transitionInvestigation(status, step.event) : status;
  const ended = isTerminalInvestigationStatus(next);
  const { waiting, ...state } = step.state;
  return {
    status: next,
    ended,
    state: isWaiting(next) ? { ...state, waiting: { as: next, since: now } } : state,
    waitedMs: waiting ? Math.max(0, step.startedAt - waiting.since) : 0,
    waitedAs: waiting?.as ?? null,
    claim: step.release || ended ? 'release' : { leaseUntil: now + (step.leaseMs ?? DEFAULT_LEASE_MS) },
  };
}

/**
 * An analyst approved the scope expansions waiting: the investigation resumes at its expand step with them added
 * to what was approved before. Only an investigation waiting for that approval can be approved
 * (`AUTOIR_E_CONFLICT` otherwise).
 */
export function expansionsApproved(
  id: string,
  status: InvestigationStatus,
  state: EngineState,
  now: number,
): {
  readonly status: InvestigationStatus;
  readonly step: 'expand';
  readonly state: EngineState;
  readonly approved: readonly string[];
} {
  if (!state.pendingExpansions?.length || status !== 'pendingApproval')
    throw new AutoirError('AUTOIR_E_CONFLICT', `investigation ${id} has no scope expansion waiting`);
  const approved = [...(state.approvedExpansions ?? []), ...state.pendingExpansions.map((p) => p.entityKey)];
  return {
    status: transitionInvestigation(status, { type: 'resume' }),
    step: 'expand',
    approved,
    state: {
      ...state,
      pendingExpansions: [],
      approvedExpansions: approved,
      waiting: { as: 'pendingApproval', since: state.waiting?.since ?? now },
    },
  };
}

/** Why an investigation was cancelled, as its status reason and log say. */
export function cancellation(by: string, comment: string | undefined): string {
  return `cancelled by ${by}${comment ? `: ${comment}` : ''}`;
}
