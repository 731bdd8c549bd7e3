/**
 * The one rule that turns findings into a verdict (docs/verdicts.md). A verdict is never set without the findings
 * that produced it:
 *
 * 1. An allow indicator (a finding of weight ≤ {@link ALLOW_WEIGHT}) → `noThreatsFound`, whatever else was found.
 * 2. A block indicator (weight ≥ {@link BLOCK_WEIGHT}) → `malicious`.
 * 3. Otherwise the weights add up to a score: ≥ {@link MALICIOUS_SCORE} → `malicious`, ≥ {@link SUSPICIOUS_SCORE}
 *    → `suspicious`, below → `noThreatsFound`.
 * 4. No findings at all → `unknown`: nothing was learnt about it.
 */
import type { Finding, Verdict } from './evidence.js';

export const MALICIOUS_SCORE = 70;
export const SUSPICIOUS_SCORE = 30;
/** The weight of a block indicator's finding: decides on its own. */
export const BLOCK_WEIGHT = 1000;
/** The weight of an allow indicator's finding: overrides everything else. */
export const ALLOW_WEIGHT = -1000;

export interface VerdictDecision {
  readonly verdict: Verdict;
  /** The sum of the weights (capped to ±1000 so one indicator does not read as a huge number). */
  readonly score: number;
}

export function decideVerdict(findings: readonly Finding[]): VerdictDecision {
  if (findings.length === 0) return { verdict: 'unknown', score: 0 };
  let score = 0;
  let allowed = false;
  let blocked = false;
  for (const finding of findings) {
    score += finding.weight;
    if (finding.weight <= ALLOW_WEIGHT) allowed = true;
    if (finding.weight >= BLOCK_WEIGHT) blocked = true;
  }
  score = Math.max(ALLOW_WEIGHT, Math.min(BLOCK_WEIGHT, score));
  if (allowed) return { verdict: 'noThreatsFound', score: Math.min(score, 0) };
  if (blocked) return { verdict: 'malicious', score };
  if (score >= MALICIOUS_SCORE) return { verdict: 'malicious', score };
  if (score >= SUSPICIOUS_SCORE) return { verdict: 'suspicious', score };
  return { verdict: 'noThreatsFound', score };
}

/** Whether a verdict incriminates: what scope expansion and proposed actions follow. */
export function isIncriminating(verdict: Verdict): boolean {
  return verdict === 'malicious' || verdict === 'suspicious';
}
