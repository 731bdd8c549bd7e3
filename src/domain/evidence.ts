import { isActionInFlight, type ActionStatus } from './action.js';
import type { Entity, EntityRole, EntityType } from './entity.js';

export const verdicts = ['malicious', 'suspicious', 'noThreatsFound', 'unknown'] as const;
export type Verdict = (typeof verdicts)[number];

export const remediationStatuses = [
  'none',
  'pendingApproval',
  'running',
  'remediated',
  'partiallyRemediated',
  'failed',
  'declined',
  'notFound',
] as const;
export type RemediationStatus = (typeof remediationStatuses)[number];

/** One analyzer's statement about a piece of evidence: "file seen on 1 of 840 devices". */
export interface Finding {
  readonly analyzer: string;
  /** Signed weight: positive incriminates, negative exonerates. */
  readonly weight: number;
  readonly text: string;
}

/** A link from one piece of evidence to another, found by an analyzer. */
export interface Relation {
  /** `image` (process → its file), `parent`, `child`, `connectedTo`, `injectedInto`, `accessed`, `created`, `runsOn`, `ranAs`, `host` (device → process)… */
  readonly kind: string;
  readonly key: string;
}

/**
 * An entity as seen inside an investigation: where it came from, its verdict and score with the findings that
 * decided them (its own, and those relations carried to it), its roles and its remediation status.
 */
export interface Evidence {
  readonly key: string;
  /**
   * Other keys of the same real-world thing, merged into this evidence (domain/same-thing.ts): the pid key of a
   * process kept under its Sysmon GUID, the path key of a file kept under its hash.
   */
  readonly aliases: readonly string[];
  readonly type: EntityType;
  readonly entity: Entity;
  readonly origin: 'alert' | 'related' | 'expansion' | 'manual';
  readonly depth: number;
  readonly analyzed: boolean;
  readonly verdict: Verdict;
  readonly score: number;
  readonly roles: readonly EntityRole[];
  readonly remediationStatus: RemediationStatus;
  readonly ownFindings: readonly Finding[];
  readonly findings: readonly Finding[];
  readonly relations: readonly Relation[];
}

/** A new piece of evidence: not yet analyzed, no verdict. */
export function newEvidence(
  entity: Entity,
  origin: Evidence['origin'],
  depth: number,
  roles: readonly EntityRole[] = [],
): Evidence {
  return {
    key: entity.key,
    aliases: [],
    type: entity.type,
    entity,
    origin,
    depth,
    analyzed: false,
    verdict: 'unknown',
    score: 0,
    roles,
    remediationStatus: 'none',
    ownFindings: [],
    findings: [],
    relations: [],
  };
}

/** What a piece of evidence's remediation status is, from the statuses of the actions planned for it. */
export function remediationOf(statuses: readonly string[]): RemediationStatus {
  if (statuses.length === 0) return 'none';
  if (statuses.includes('pendingApproval') || statuses.includes('proposed')) return 'pendingApproval';
  if (statuses.some((status) => isActionInFlight(status as ActionStatus))) return 'running';
  const done = statuses.filter((status) => status === 'succeeded').length;
  const failed = statuses.filter((status) => status === 'failed' || status === 'timedOut').length;
  const active = statuses.filter(
    (status) => status !== 'skipped' && status !== 'undone' && status !== 'refused',
  );
  if (active.length === 0) return 'none';
  if (done === active.length) return 'remediated';
  if (done > 0) return 'partiallyRemediated';
  if (failed > 0) return 'failed';
  return 'declined';
}
