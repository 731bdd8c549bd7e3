import type { Severity } from './alert.js';
import { AutoirError, badInput } from './errors.js';

export const incidentStatuses = ['active', 'resolved', 'redirected'] as const;
export type IncidentStatus = (typeof incidentStatuses)[number];

export const incidentClassifications = [
  'unknown',
  'truePositive',
  'falsePositive',
  'informationalExpectedActivity',
] as const;
export type IncidentClassification = (typeof incidentClassifications)[number];

/** Why an alert joined another: both name the same strong entity (the incident's `links`, docs/api.md). */
export interface IncidentLink {
  readonly alertId: string;
  readonly otherAlertId: string;
  readonly entityKey: string;
}

export interface IncidentSummary {
  readonly id: string;
  readonly title: string;
  readonly severity: Severity;
  readonly status: IncidentStatus;
  readonly classification: IncidentClassification;
  readonly determination: string | null;
  readonly assignedTo: string | null;
  readonly tags: readonly string[];
  readonly alertCount: number;
  readonly firstActivityAt: string;
  readonly lastActivityAt: string;
  readonly redirectedTo: string | null;
  readonly entities: readonly { readonly type: string; readonly key: string; readonly alerts: number }[];
  readonly createdAt: string;
  readonly updatedAt: string;
}

export interface IncidentDetail extends IncidentSummary {
  readonly alertIds: readonly string[];
  readonly links: readonly {
    readonly alertId: string;
    readonly otherAlertId: string;
    readonly entityKey: string;
  }[];
  readonly merges: readonly {
    readonly from: string;
    readonly at: string;
    readonly alertId: string | null;
    readonly entityKey: string | null;
  }[];
  readonly comments: readonly {
    readonly author: string;
    readonly text: string;
    readonly createdAt: string;
  }[];
}

export interface IncidentPatch {
  readonly status?: 'active' | 'resolved';
  readonly classification?: IncidentClassification;
  readonly determination?: string | null;
  readonly assignedTo?: string | null;
  readonly tags?: readonly string[];
}

/** What a new incident starts with besides its summary: active, unclassified, nobody's, untagged. */
export const newIncidentFields = {
  status: 'active',
  classification: 'unknown',
  determination: null,
  assignedTo: null,
  tags: [] as readonly string[],
} as const satisfies Partial<IncidentSummary>;

/**
 * An analyst's change to an incident, checked against the incident's status: a merged (redirected) incident is
 * read-only (`AUTOIR_E_CONFLICT`: change the one it was merged into); the status an analyst sets is active or
 * resolved; the classification one of the known; tags are kept once each, sorted. Bad input names the field.
 */
export function checkIncidentPatch(id: string, status: IncidentStatus, patch: IncidentPatch): IncidentPatch {
  if (status === 'redirected')
    throw new AutoirError('AUTOIR_E_CONFLICT', `incident ${id} was merged into another: change that one`);
  if (patch.status !== undefined && !['active', 'resolved'].includes(patch.status))
    throw badInput(`status: expected active or resolved, got ${JSON.stringify(patch.status)}`, {
      field: 'status',
    });
  if (
    patch.classification !== undefined &&
    !(incidentClassifications as readonly string[]).includes(patch.classification)
  )
    throw badInput(`classification: expected one of ${incidentClassifications.join(', ')}`, {
      field: 'classification',
    });
  return patch.tags === undefined ? patch : { ...patch, tags: [...new Set(patch.tags)].sort() };
}

/** A comment's text, or a bad-input error when there is none. */
export function checkComment(text: string): string {
  if (text.trim() === '') throw badInput('text: a comment needs text', { field: 'text' });
  return text;
}
