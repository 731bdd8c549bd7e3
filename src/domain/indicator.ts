/**
 * Indicators: allow and block entries on a file hash, IP, domain, URL, sender mailbox or certificate. An allow
 * indicator overrides a bad verdict; a block indicator makes the evidence malicious — both show as findings.
 */
import type { Severity } from './alert.js';

export const indicatorActions = ['allow', 'block'] as const;
export type IndicatorAction = (typeof indicatorActions)[number];

/** One indicator as a person or an import file gives it, before it is stored. */
export interface IndicatorDraft {
  /**
   * The entity it is about, as an entity key: `file:sha256:<hex>` (or `file:sha1:`, `file:md5:`), `ip:10.0.5.13`,
   * `domain:example.com`, `url:<normalised URL>`, `mailbox:sender@example.com`.
   */
  readonly entityKey: string;
  readonly action: IndicatorAction;
  /** A short human title, e.g. the STIX indicator name or the MISP event info. */
  readonly title?: string;
  readonly description?: string;
  /** Where it came from: `manual`, `stix`, `misp`. */
  readonly source: string;
  /** The id in its source (STIX indicator id, MISP attribute uuid): re-importing the same file updates it. */
  readonly sourceRef?: string;
  readonly severity?: Severity;
  /** Epoch milliseconds after which it no longer applies; absent = never expires. */
  readonly expiresAt?: number;
}

/** A stored indicator. */
export interface Indicator extends Omit<IndicatorDraft, 'expiresAt'> {
  /** `ind_<n>`. */
  readonly id: string;
  readonly createdAt: string;
  readonly createdBy: string;
  readonly expiresAt?: string;
}

/** Whether an indicator applies at `now` (epoch ms). */
export function isIndicatorActive(indicator: { readonly expiresAt?: string }, now: number): boolean {
  return indicator.expiresAt === undefined || Date.parse(indicator.expiresAt) > now;
}
