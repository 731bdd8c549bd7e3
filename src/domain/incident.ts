import type { Severity } from './alert.js';

export const incidentStatuses = ['active', 'resolved', 'redirected'] as const;
export type IncidentStatus = (typeof incidentStatuses)[number];

export const incidentClassifications = [
  'unknown',
  'truePositive',
  'falsePositive',
  'informationalExpectedActivity',
] as const;
export type IncidentClassification = (typeof incidentClassifications)[number];

/** Why an alert joined another: both name the same strong entity (DESIGN.md §5 `links`). */
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
