/**
 * When an investigation's actions change (approved, rejected, run, failed, expired, undone): the remediation status
 * of the evidence they serve, and whether the investigation waiting on them resumes.
 *
 * - Evidence: `remediationOf` the statuses of its actions (a proposal not yet planned counts as `proposed`).
 * - An investigation waiting (pendingApproval / pendingResource) resumes at its `conclude` step once none of its
 *   actions is undecided or unfinished — unless a scope expansion still waits for approval: that keeps it waiting
 *   whatever its actions do, with the engine's reason.
 * - Otherwise it waits for what its actions wait for: a person (an action pendingApproval or a proposal not yet
 *   planned) before an unreachable target (pendingResource); the reason counts the actions waiting.
 */
import { isActionInFlight, type ActionStatus } from './action.js';
import { remediationOf, type RemediationStatus } from './evidence.js';
import { transitionInvestigation, type EngineState, type InvestigationStatus } from './investigation.js';

/** An investigation's proposal, with the status of the action carrying it out (or the proposal's own). */
export interface ProposalLink {
  readonly evidenceKey: string;
  readonly status: string;
}

export type InvestigationChange =
  /** Resume: back to the queue, at the step that concludes. */
  | {
      readonly kind: 'resume';
      readonly status: InvestigationStatus;
      readonly step: 'conclude';
      readonly state: EngineState;
    }
  /** Keep waiting, saying for what; the status changes when it now waits for something else. */
  | {
      readonly kind: 'wait';
      readonly statusReason: string;
      readonly status?: InvestigationStatus;
      readonly state?: EngineState;
    };

export interface Settlement {
  /** The remediation status of each piece of evidence with proposals. */
  readonly remediation: ReadonlyMap<string, RemediationStatus>;
  /** What becomes of the investigation; none when it is not waiting, or a scope expansion keeps it as it is. */
  readonly change?: InvestigationChange;
}

const unsettled = (status: string) => status === 'proposed' || isActionInFlight(status as ActionStatus);

export function settleInvestigation(
  investigation: {
    readonly status: InvestigationStatus;
    readonly state: EngineState;
    readonly updatedAt: number;
  },
  links: readonly ProposalLink[],
  now: number,
): Settlement {
  const byEvidence = new Map<string, string[]>();
  for (const link of links)
    byEvidence.set(link.evidenceKey, [...(byEvidence.get(link.evidenceKey) ?? []), link.status]);
  const remediation = new Map([...byEvidence].map(([key, statuses]) => [key, remediationOf(statuses)]));
  const { status, state } = investigation;
  if (status !== 'pendingApproval' && status !== 'pendingResource') return { remediation };
  const statuses = links.map((link) => link.status);
  const since = state.waiting?.since ?? investigation.updatedAt;
  const expansionsWaiting = (state.pendingExpansions?.length ?? 0) > 0;
  if (!statuses.some(unsettled) && !expansionsWaiting)
    return {
      remediation,
      change: {
        kind: 'resume',
        status: transitionInvestigation(status, { type: 'resume' }),
        step: 'conclude',
        state: { ...state, waiting: { as: status, since } },
      },
    };
  // A waiting scope expansion keeps the engine's reason and status: it is what a person must act on first.
  if (expansionsWaiting) return { remediation };
  const want: InvestigationStatus = statuses.some((s) => s === 'pendingApproval' || s === 'proposed')
    ? 'pendingApproval'
    : statuses.includes('pendingResource')
      ? 'pendingResource'
      : status;
  const statusReason = `actions waiting: ${[...new Set(statuses)]
    .filter(unsettled)
    .map((s) => `${statuses.filter((t) => t === s).length} ${s}`)
    .join(', ')}`;
  return {
    remediation,
    change:
      want === status
        ? { kind: 'wait', statusReason }
        : {
            kind: 'wait',
            statusReason,
            status: transitionInvestigation(status, {
              type: want === 'pendingResource' ? 'awaitResource' : 'awaitApproval',
            }),
            state: { ...state, waiting: { as: want, since: now } },
          },
  };
}
