import { uniqueEntities, type Entity } from './entity.js';

/** Alert severity, lowest first. Sources with other scales are mapped onto this one by their parser. */
export const severities = ['informational', 'low', 'medium', 'high', 'critical'] as const;
export type Severity = (typeof severities)[number];

/** Rank for comparisons and `max` (informational = 0 … critical = 4). */
export function severityRank(severity: Severity): number {
  return severities.indexOf(severity);
}

export function maxSeverity(values: readonly Severity[]): Severity | undefined {
  let best: Severity | undefined;
  for (const value of values)
    if (best === undefined || severityRank(value) > severityRank(best)) best = value;
  return best;
}

/** Read a severity name the way sources spell it (`High`, `warning`, `crit`, `info`…); `undefined` if unknown. */
export function parseSeverity(value: unknown): Severity | undefined {
  if (typeof value !== 'string') return undefined;
  switch (value.trim().toLowerCase()) {
    case 'informational':
    case 'information':
    case 'info':
    case 'informative':
    case 'none':
    case 'unknown':
    case 'debug':
      return 'informational';
    case 'low':
    case 'minor':
    case 'notice':
      return 'low';
    case 'medium':
    case 'moderate':
    case 'warning':
    case 'warn':
      return 'medium';
    case 'high':
    case 'major':
    case 'error':
    case 'severe':
      return 'high';
    case 'critical':
    case 'crit':
    case 'fatal':
    case 'emergency':
      return 'critical';
    default:
      return undefined;
  }
}

/**
 * Alert categories: the ATT&CK tactics plus the kinds of threat detectors report. Sources' spellings
 * (`DefenseEvasion`, `defense-evasion`, `Defense Evasion`) all normalise to the lower-camel name.
 */
export const alertCategories = [
  'reconnaissance',
  'resourceDevelopment',
  'initialAccess',
  'execution',
  'persistence',
  'privilegeEscalation',
  'defenseEvasion',
  // ATT&CK v18 split Defense Evasion into Stealth and Defense Impairment (SigmaHQ tags both).
  'stealth',
  'defenseImpairment',
  'credentialAccess',
  'discovery',
  'lateralMovement',
  'collection',
  'commandAndControl',
  'exfiltration',
  'impact',
  'malware',
  'ransomware',
  'phishing',
  'unwantedSoftware',
  'exploit',
  'suspiciousActivity',
  'networkIntrusion',
  'policyViolation',
] as const;
export type AlertCategory = (typeof alertCategories)[number];

const categoryByFolded = new Map<string, string>(alertCategories.map((name) => [name.toLowerCase(), name]));
categoryByFolded.set('commandcontrol', 'commandAndControl');
categoryByFolded.set('c2', 'commandAndControl');
categoryByFolded.set('virus', 'malware');
categoryByFolded.set('trojan', 'malware');

/** Normalise a category name; unknown names are kept, in lower-camel case, rather than dropped. */
export function normalizeCategory(value: unknown): string | undefined {
  if (typeof value !== 'string') return undefined;
  const words = value
    .trim()
    .replace(/([a-z])([A-Z])/g, '$1 $2')
    .split(/[^A-Za-z0-9]+/)
    .filter((word) => word !== '');
  if (words.length === 0) return undefined;
  const folded = words.join('').toLowerCase();
  const known = categoryByFolded.get(folded);
  if (known) return known;
  return words
    .map((word, index) =>
      index === 0 ? word.toLowerCase() : word[0]?.toUpperCase() + word.slice(1).toLowerCase(),
    )
    .join('');
}

/** `t1564.001`, `attack.t1564.001`, `T1564/001` → `T1564.001`; `undefined` for something else. */
export function normalizeTechnique(value: unknown): string | undefined {
  if (typeof value !== 'string') return undefined;
  const match = /^(?:attack\.|mitre\.)?t(\d{4})(?:[./](\d{3}))?$/i.exec(value.trim());
  if (!match) return undefined;
  return match[2] ? `T${match[1]}.${match[2]}` : `T${match[1]}`;
}

export function normalizeTechniques(values: readonly unknown[]): string[] {
  const result = new Set<string>();
  for (const value of values) {
    const technique = normalizeTechnique(value);
    if (technique) result.add(technique);
  }
  return [...result].sort();
}

/**
 * What a parser makes of one input record: an alert without the fields the store assigns. `createdAt` is the
 * time the detector raised the alert, as ISO 8601 UTC.
 */
export interface AlertDraft {
  /** The system that raised the alert: `microsoftDefenderForEndpoint`, `suricata`, `wazuh`, `sigma`… */
  readonly source: string;
  /** The source's own id for the alert; (source, sourceRef) is the deduplication key. */
  readonly sourceRef: string;
  readonly title: string;
  readonly description?: string;
  readonly severity: Severity;
  readonly category?: string;
  /** The rule or detector that fired (Sigma rule id, Suricata signature id, Graph detectorId…). */
  readonly detector?: string;
  readonly mitreTechniques: readonly string[];
  readonly createdAt: string;
  readonly firstActivityAt?: string;
  readonly lastActivityAt?: string;
  readonly entities: readonly Entity[];
  /** How many source events the alert stands for (repeated matches of one rule on one process); 1 when absent. */
  readonly eventCount?: number;
}

/** Where an alert stands: `resolved` by an analyst, or by automation when its investigation found nothing. */
export const alertStatuses = ['new', 'inProgress', 'resolved'] as const;
export type AlertStatus = (typeof alertStatuses)[number];

/** An alert as stored (its documented JSON shape, docs/api.md, plus bookkeeping). */
export interface Alert extends AlertDraft {
  readonly id: string;
  readonly incidentId: string | null;
  readonly status?: AlertStatus;
  /** Who set the status: `automation` or `analyst:<name>`; absent while new. */
  readonly statusSetBy?: string;
  /** When autoir first stored this alert. */
  readonly ingestedAt: string;
  /** When autoir last stored a new version of it (a re-sent alert updates in place). */
  readonly updatedAt: string;
}

/** One alert to store, as a parser produced it. */
export interface AlertInput {
  readonly draft: AlertDraft;
  /** The record as it arrived (kept for the analyst and for re-parsing). */
  readonly raw?: string;
  /** The format it was read as. */
  readonly format: string;
}

export interface AlertWriteResult {
  readonly id: string;
  /** `created` for a new (source, sourceRef), `updated` when it replaced an alert stored before. */
  readonly status: 'created' | 'updated';
}

/** A stored alert with what autoir knows about how it arrived. */
export interface AlertRecord extends Alert {
  readonly format: string;
}

/** Entities an alert keeps at most (a rule matching thousands of events does not list every file). */
export const MAX_ALERT_ENTITIES = 64;

/** Two drafts of one alert (same sourceRef) as one: counts add, times widen, entities unite. */
export function mergeAlertDrafts(a: AlertDraft, b: AlertDraft): AlertDraft {
  const first = [a.firstActivityAt ?? a.createdAt, b.firstActivityAt ?? b.createdAt].sort()[0] as string;
  const last = [a.lastActivityAt ?? a.createdAt, b.lastActivityAt ?? b.createdAt].sort()[1] as string;
  return {
    ...a,
    createdAt: first,
    firstActivityAt: first,
    lastActivityAt: last,
    entities: uniqueEntities([...a.entities, ...b.entities]).slice(0, MAX_ALERT_ENTITIES),
    eventCount: (a.eventCount ?? 1) + (b.eventCount ?? 1),
  };
}
