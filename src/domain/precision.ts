/**
 * Measured precision (docs/response.md#measured-precision): how often what autoir proposed was right, by what
 * analysts and automation did with its actions over a period — per action type in each group, per playbook, per
 * detection rule behind the investigation, and per analyzer whose findings judged the evidence acted on. And where
 * the record supports it, a suggestion to automate more — which autoir never acts on by itself.
 */
import type { ActionStatus } from './action.js';
import { automationLevels, type AutomationLevel } from './policy.js';

/** What became of one action autoir proposed. */
export type ProposalOutcome =
  'automatic' | 'approved' | 'rejected' | 'undone' | 'expired' | 'pending' | 'other';

/** `automatic`: run by policy and not undone; `undone`: run (by policy or approval), then undone or undo asked. */
export function proposalOutcome(status: ActionStatus, byPolicy: boolean, undone: boolean): ProposalOutcome {
  if (undone || status === 'undone') return 'undone';
  switch (status) {
    case 'pendingApproval':
      return 'pending';
    case 'rejected':
    case 'cancelled':
      return 'rejected';
    case 'expired':
      return 'expired';
    case 'approved':
    case 'queued':
    case 'running':
    case 'pendingResource':
    case 'succeeded':
    case 'failed':
    case 'timedOut':
      return byPolicy ? 'automatic' : 'approved';
    default:
      return 'other';
  }
}

export interface PrecisionCounts {
  automatic: number;
  approved: number;
  rejected: number;
  undone: number;
  expired: number;
  pending: number;
}

/** One line of the report: a thing (an action type in a group, a playbook, a rule, an analyzer) and its record. */
export interface PrecisionRow extends PrecisionCounts {
  readonly key: string;
  /** Kept (run automatically or approved, and not undone) of those decided; null before any is decided. */
  readonly precision: number | null;
}

/** A count the store makes: actions of a key in one status, by policy or not, undone or not. */
export interface OutcomeCount {
  readonly key: string;
  readonly status: ActionStatus;
  readonly byPolicy: boolean;
  readonly undone: boolean;
  readonly count: number;
}

const empty = (): PrecisionCounts => ({
  automatic: 0,
  approved: 0,
  rejected: 0,
  undone: 0,
  expired: 0,
  pending: 0,
});

export function precisionOf(counts: PrecisionCounts): number | null {
  const decided = counts.automatic + counts.approved + counts.rejected + counts.undone;
  return decided === 0 ? null : (counts.automatic + counts.approved) / decided;
}

/** Counts folded per key, the most decided first. */
export function precisionRows(counts: readonly OutcomeCount[]): PrecisionRow[] {
  const byKey = new Map<string, PrecisionCounts>();
  for (const count of counts) {
    const outcome = proposalOutcome(count.status, count.byPolicy, count.undone);
    if (outcome === 'other') continue;
    const row = byKey.get(count.key) ?? empty();
    row[outcome] += count.count;
    byKey.set(count.key, row);
  }
  const decided = (row: PrecisionCounts) => row.automatic + row.approved + row.rejected + row.undone;
  return [...byKey]
    .map(([key, row]) => ({ key, ...row, precision: precisionOf(row) }))
    .sort((a, b) => decided(b) - decided(a) || a.key.localeCompare(b.key));
}

/** The rows the store measures over a period (action types keyed by `[group kind, group name, type]` as JSON). */
export interface MeasuredPrecision {
  readonly actionTypes: PrecisionRow[];
  readonly playbooks: PrecisionRow[];
  readonly rules: PrecisionRow[];
  readonly analyzers: PrecisionRow[];
  /** The title of each rule's alerts, by detector id. */
  readonly ruleTitles: Readonly<Record<string, string>>;
}

/** At least this many approvals, and no rejection or undo, before a level is suggested. */
export const SUGGESTION_MIN_APPROVED = 20;

export interface LevelSuggestion {
  readonly group: { readonly kind: string; readonly name: string };
  readonly type: string;
  /** The group's level now, and the one its record supports for this action type. */
  readonly level: AutomationLevel;
  readonly suggested: AutomationLevel;
  readonly text: string;
}

/**
 * Where analysts approved every action of a type in a group that its level made wait — at least
 * {@link SUGGESTION_MIN_APPROVED}, none rejected or undone — suggest `full` (or a shadow of it first), in words.
 */
export function levelSuggestions(
  rows: readonly PrecisionRow[],
  groups: readonly { readonly kind: string; readonly name: string; readonly level: string }[],
  days: number,
): LevelSuggestion[] {
  const suggestions: LevelSuggestion[] = [];
  for (const row of rows) {
    const [kind, name, type] = JSON.parse(row.key) as [string, string, string];
    const group = groups.find((candidate) => candidate.kind === kind && candidate.name === name);
    if (!group || group.level === 'full' || !(automationLevels as readonly string[]).includes(group.level))
      continue;
    if (row.approved < SUGGESTION_MIN_APPROVED || row.rejected > 0 || row.undone > 0) continue;
    suggestions.push({
      group: { kind, name },
      type,
      level: group.level as AutomationLevel,
      suggested: 'full',
      text: `${type} in ${kind} group ${name}: ${row.approved} approved, 0 rejected, 0 undone in ${days} days — its level (${group.level}) could be full; try it in shadow first (autoir groups set ${kind} ${name} --shadow full --shadow-actions ${type})`,
    });
  }
  return suggestions;
}
