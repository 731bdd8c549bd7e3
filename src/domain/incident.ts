import type { Severity } from './alert.js';
import type { EntityType } from './entity.js';

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

/** A group of alerts that belong to one attack story (DESIGN.md §5 shape). */
export interface Incident {
  readonly id: string;
  readonly title: string;
  readonly severity: Severity;
  readonly status: IncidentStatus;
  readonly alertIds: readonly string[];
  readonly entities: readonly { readonly type: EntityType; readonly key: string }[];
  readonly links: readonly IncidentLink[];
  readonly classification: IncidentClassification;
  readonly determination: string | null;
  readonly assignedTo: string | null;
  readonly redirectedTo: string | null;
}
