/**
 * The investigation state machine (DESIGN.md §2, Microsoft's states):
 *
 *   queued → running → (pendingApproval | pendingResource)* → terminal
 *
 * Transitions are named events; {@link nextInvestigationStatus} is the only place that knows which are legal.
 */
import { AutoirError } from './errors.js';

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
