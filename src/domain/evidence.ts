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

/** An entity as seen inside an investigation, with its verdict and the findings that decided it. */
export interface Evidence {
  readonly type: EntityType;
  readonly key: string;
  readonly entity: Entity;
  readonly verdict: Verdict;
  readonly roles: readonly EntityRole[];
  readonly remediationStatus: RemediationStatus;
  readonly findings: readonly Finding[];
}
