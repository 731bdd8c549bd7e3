/**
 * The investigation state machine (docs/investigations.md; Microsoft's states):
 *
 *   queued → running → (pendingApproval | pendingResource)* → terminal
 *
 * Transitions are named events; {@link nextInvestigationStatus} is the only place that knows which are legal.
 */
import { AutoirError } from './errors.js';
import type { Evidence } from './evidence.js';

export const investigationOutcomes = [
  'remediated',
  'partiallyRemediated',
  'noThreatsFound',
  'benign',
  'partiallyInvestigated',
] as const;
export type InvestigationOutcome = (typeof investigationOutcomes)[number];

export const terminalInvestigationStatuses = [
  ...investigationOutcomes,
  'failed',
  'terminatedByUser',
  'terminatedBySystem',
  'unsupportedAlertType',
] as const;

export const investigationStatuses = [
  'queued',
  'running',
  'pendingApproval',
  'pendingResource',
  ...terminalInvestigationStatuses,
] as const;
export type InvestigationStatus = (typeof investigationStatuses)[number];

export type InvestigationEvent =
  /** A worker claimed the queued investigation. */
  | { readonly type: 'start' }
  /** No playbook covers the alert that triggered it. */
  | { readonly type: 'markUnsupported' }
  /** Proposed actions wait for an analyst. */
  | { readonly type: 'awaitApproval' }
  /** A target (device, mailbox) cannot be reached; the investigation waits for it. */
  | { readonly type: 'awaitResource' }
  /** What it waited for arrived (approval decided, resource back, a new alert joined). */
  | { readonly type: 'resume' }
  /** Every step ran and every proposed action is done, rejected or expired. */
  | { readonly type: 'conclude'; readonly outcome: InvestigationOutcome }
  | { readonly type: 'fail'; readonly reason: string }
  /** An analyst cancelled it. */
  | { readonly type: 'cancel' }
  /** A cap (entities, actions, run time) or a resource timeout ended it. */
  | { readonly type: 'terminate'; readonly reason: string };

export function isTerminalInvestigationStatus(status: InvestigationStatus): boolean {
  return (terminalInvestigationStatuses as readonly string[]).includes(status);
}

/** The status after `event`, or `undefined` when the event is not legal in `status`. */
export function nextInvestigationStatus(
  status: InvestigationStatus,
  event: InvestigationEvent,
): InvestigationStatus | undefined {
  if (isTerminalInvestigationStatus(status)) return undefined;
  switch (event.type) {
    case 'start':
      return status === 'queued' ? 'running' : undefined;
    case 'markUnsupported':
      return status === 'queued' ? 'unsupportedAlertType' : undefined;
    case 'awaitApproval':
      return status === 'running' || status === 'pendingResource' ? 'pendingApproval' : undefined;
    case 'awaitResource':
      return status === 'running' || status === 'pendingApproval' ? 'pendingResource' : undefined;
    case 'resume':
      return status === 'pendingApproval' || status === 'pendingResource' ? 'running' : undefined;
    case 'conclude':
      return status === 'running' ? event.outcome : undefined;
    case 'fail':
      return status === 'queued' ? undefined : 'failed';
    case 'cancel':
      return 'terminatedByUser';
    case 'terminate':
      return 'terminatedBySystem';
  }
}

/** Like {@link nextInvestigationStatus}, but an illegal transition throws `AUTOIR_E_ILLEGAL_TRANSITION`. */
export function transitionInvestigation(
  status: InvestigationStatus,
  event: InvestigationEvent,
): InvestigationStatus {
  const next = nextInvestigationStatus(status, event);
  if (next === undefined) {
    throw new AutoirError(
      'AUTOIR_E_ILLEGAL_TRANSITION',
      `an investigation that is ${status} cannot ${event.type}`,
      { details: { status, event: event.type } },
    );
  }
  return next;
}

/** What started an investigation. */
export type InvestigationTrigger =
  | { readonly kind: 'alert'; readonly alertId: string }
  | {
      readonly kind: 'manual';
      /** `incident`, or the entity key of a device, user or mailbox. */
      readonly target: string;
      readonly by: string;
      readonly comment?: string;
    };

/** A proposal of the investigation, and what became of it. */
export interface ProposedAction {
  /** The action's id once one is planned (`act_<n>`), the proposal's (`prp_<n>`) before. */
  readonly id: string;
  readonly proposalId: string;
  readonly actionId: string | null;
  readonly type: string;
  readonly targetKey: string;
  /** The device an action runs on (a file is quarantined per device). */
  readonly deviceKey: string | null;
  readonly evidenceKey: string;
  /**
   * `proposed` (not yet planned), `skipped` (the policy plans no action), `refused` (a critical-asset guardrail
   * forbids it: domain/guardrails.ts), or the action's status.
   */
  readonly status: string;
  /** The policy rule that decided it, or the guardrail that refused it. */
  readonly decisionRule: string | null;
  readonly reasons: readonly string[];
}

export interface LogEntry {
  readonly step: string;
  readonly startedAt: string;
  readonly durationMs: number;
  readonly result: string;
  /** Time it waited before this step, and as what (queued, pendingApproval, pendingResource). */
  readonly waitedMs: number;
  readonly waitedAs: string | null;
  readonly worker: string;
}

/** The engine's working state, kept with the investigation. */
export interface EngineState {
  /** Analyze rounds run (each follows related entities one hop further). */
  readonly rounds?: number;
  /** Scope expansions waiting for approval: the entity, and the assets it would add. */
  readonly pendingExpansions?: readonly {
    readonly entityKey: string;
    readonly assets: readonly string[];
    readonly reason: string;
  }[];
  /** Entity keys whose expansion was done (or approved and done): not searched again. */
  readonly expanded?: readonly string[];
  /** Expansions an analyst approved, to be added on the next expand step. */
  readonly approvedExpansions?: readonly string[];
  /** What it waited as before the next step, since when (for the log). */
  readonly waiting?: { readonly as: string; readonly since: number };
}

export interface InvestigationRecord {
  readonly id: string;
  readonly key: number;
  readonly incidentId: string | null;
  readonly status: InvestigationStatus;
  readonly statusReason: string | null;
  readonly playbook: string;
  readonly trigger: InvestigationTrigger;
  readonly step: string;
  readonly state: EngineState;
  readonly createdAt: string;
  readonly startedAt: string | null;
  readonly endedAt: string | null;
  readonly updatedAt: string;
  readonly runMs: number;
  readonly alertCount: number;
}

export interface InvestigationDetail extends InvestigationRecord {
  readonly alertIds: readonly string[];
  readonly evidence: readonly Evidence[];
  readonly actions: readonly ProposedAction[];
  readonly log: readonly LogEntry[];
}
