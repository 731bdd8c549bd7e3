/**
 * Shadow automation's measure (docs/response.md#shadow-automation): for each group and action type, what its shadow
 * level would have done with each action — run at once, or wait — against what the analyst then did with it.
 * Pure: the store counts actions by status, this folds the counts into agreement.
 */
import type { ActionStatus } from './action.js';
import { proposalOutcome } from './precision.js';

/** What became of an action a group in shadow sent to an analyst. */
export type AnalystOutcome = 'pending' | 'approved' | 'rejected' | 'expired' | 'undone';

export function analystOutcome(status: ActionStatus, undone: boolean): AnalystOutcome {
  // A shadow runs nothing itself: whatever went ahead, an analyst approved.
  const outcome = proposalOutcome(status, false, undone);
  return outcome === 'automatic' || outcome === 'other' ? 'approved' : outcome;
}

export type OutcomeCounts = Record<AnalystOutcome, number>;

/** One group's agreement for one action type over a period. */
export interface ShadowAgreement {
  readonly group: { readonly kind: string; readonly name: string };
  readonly type: string;
  /** The shadow level that judged them (the latest, when it changed within the period). */
  readonly level: string;
  /** Actions the shadow level would have run at once, by what the analyst did. */
  readonly wouldRun: OutcomeCounts;
  /** Actions it would have sent for approval anyway. */
  readonly wouldWait: OutcomeCounts;
  /**
   * Of the would-have-run actions an analyst decided, the share approved and kept (not undone): how often the
   * shadow level would have done what the analyst did. Null before any is decided.
   */
  readonly agreement: number | null;
}

/** A count the store makes: actions of a group, type and shadow decision, in one status. */
export interface ShadowCount {
  readonly groupKind: string;
  readonly groupName: string;
  readonly type: string;
  readonly level: string;
  readonly outcome: 'approve' | 'wait';
  readonly status: ActionStatus;
  readonly undone: boolean;
  readonly count: number;
}

const zero = (): OutcomeCounts => ({ pending: 0, approved: 0, rejected: 0, expired: 0, undone: 0 });

/** Counts folded per group and action type, ordered by group kind, name and type. */
export function shadowAgreement(counts: readonly ShadowCount[]): ShadowAgreement[] {
  const rows = new Map<
    string,
    {
      group: { kind: string; name: string };
      type: string;
      level: string;
      wouldRun: OutcomeCounts;
      wouldWait: OutcomeCounts;
    }
  >();
  for (const count of counts) {
    const id = JSON.stringify([count.groupKind, count.groupName, count.type]);
    let row = rows.get(id);
    if (!row) {
      row = {
        group: { kind: count.groupKind, name: count.groupName },
        type: count.type,
        level: count.level,
        wouldRun: zero(),
        wouldWait: zero(),
      };
      rows.set(id, row);
    }
    (count.outcome === 'approve' ? row.wouldRun : row.wouldWait)[
      analystOutcome(count.status, count.undone)
    ] += count.count;
  }
  return [...rows.values()]
    .sort(
      (a, b) =>
        a.group.kind.localeCompare(b.group.kind) ||
        a.group.name.localeCompare(b.group.name) ||
        a.type.localeCompare(b.type),
    )
    .map((row) => {
      const decided = row.wouldRun.approved + row.wouldRun.rejected + row.wouldRun.undone;
      return { ...row, agreement: decided === 0 ? null : row.wouldRun.approved / decided };
    });
}
