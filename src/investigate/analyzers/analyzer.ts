/**
 * Analyzers: each reads one piece of evidence with telemetry, alerts and intel, and says what it found in plain
 * language (`{ analyzer, weight, text }`), which other evidence it relates to, and which related entities could
 * join the investigation. Verdicts are decided from findings elsewhere (domain/verdict.ts, ../verdicts.ts).
 */
import type { Entity, EntityRole, EntityType } from '../../domain/entity.js';
import type { Finding, Evidence } from '../../domain/evidence.js';
import type { Indicator } from '../../domain/indicator.js';
import type { AlertRecord } from '../../domain/alert.js';
import type { EventQuery } from '../ports.js';
import type { EventSearch } from '../ports.js';

export interface AnalysisContext {
  readonly query: EventQuery;
  readonly events: EventSearch;
  readonly now: Date;
  /** The investigation's alerts. */
  readonly alerts: readonly AlertRecord[];
  /** Active indicators on the evidence being analyzed (and the files of its processes), by entity key. */
  readonly indicators: ReadonlyMap<string, readonly Indicator[]>;
  /** How many devices the events store knows (for prevalence), computed once per run. */
  fleetSize(): Promise<number>;
}

export interface RelatedEntity {
  readonly entity: Entity;
  /** How the evidence relates to it (`image`, `child`, `connectedTo`…): see ../verdicts.ts. */
  readonly relation: string;
  readonly roles?: readonly EntityRole[];
  /**
   * `always`: it joins whatever the evidence's own verdict (a cluster's messages and recipients, a URL's clickers —
   * finding them is the point). Otherwise it joins only when the evidence looks incriminated.
   */
  readonly join?: 'always';
}

export interface Analysis {
  readonly findings: readonly Finding[];
  /** Links to entities, which join as evidence when the evidence analyzed turns out incriminating. */
  readonly related: readonly RelatedEntity[];
  /**
   * What the analysis learnt about the evidence's own entity that it did not say (a process's pid or image from
   * its start event): filled in where the entity has no value, so keys of the same thing can be matched.
   */
  readonly learned?: Readonly<Record<string, unknown>>;
}

export interface Analyzer {
  readonly name: string;
  readonly types: readonly EntityType[];
  analyze(evidence: Evidence, context: AnalysisContext): Promise<Analysis>;
}

export const nothing: Analysis = { findings: [], related: [] };

export function finding(analyzer: string, weight: number, text: string): Finding {
  return { analyzer, weight, text };
}

/** The time an investigation is about: its latest alert, or now (manual investigations without alerts). */
export function focusTime(context: Pick<AnalysisContext, 'alerts' | 'now'>): number {
  const times = context.alerts.map((alert) => Date.parse(alert.createdAt)).filter(Number.isFinite);
  return times.length ? Math.max(...times) : context.now.getTime();
}
