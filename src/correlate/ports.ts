/**
 * What correlation needs from storage: the alerts waiting for an incident, the entity index's timelines around
 * them, the incidents of the alerts found there, and one write that applies a step's plan. The store implements
 * it (store/incidents); the contract suite (incidents.contract.test.ts) runs it on SQLite and PostgreSQL.
 */
import type { Severity } from '../domain/alert.js';
import type { Entity } from '../domain/entity.js';

/** The operations on incidents and the entity index one correlation step runs, inside its transaction. */
export interface CorrelationIncidents {
  /**
   * Within a transaction: wait for, then hold until it ends, the right to correlate (PostgreSQL: an advisory lock;
   * SQLite: the database's write lock, taken now rather than at the first write).
   */
  lockForCorrelation(): Promise<void>;
  /** Alerts not yet in an incident, oldest first. */
  pendingAlerts(limit: number): Promise<CorrelationRow[]>;
  /**
   * The counter bumped by every write that changes entity index rows of alerts in incidents (a correlation step,
   * an alert stored again). `apply` bumps it once.
   */
  correlationGeneration(): Promise<number>;
  /**
   * Entity index rows of alerts at or after `from`, in index order (hash, time, alert), `limit` at a time after the
   * row `after` (exclusive; `null` from the start): for loading timelines into memory.
   */
  timelineRows(from: number, after: TimelineRow | null, limit: number): Promise<TimelineRow[]>;
  /**
   * For each key, its timeline around `[from, to]` read from the entity index: how many alerts name it within
   * `windowMs` of that span (counted up to `maxAlerts + 1`), with `devices` on how many distinct devices (counted
   * up to `maxDevices + 1`, where there are more than `maxDevices` alerts), and the alerts on it next to the span —
   * the last before `from` and the first after `to` within the window — and every alert inside the span. Found by
   * the key's hash: a caller confirms a neighbour against its entities (`neighbourAlerts`). One timeline per
   * request, in order.
   */
  keyTimelines(requests: readonly TimelineRequest[], limits: TimelineLimits): Promise<KeyTimeline[]>;
  /**
   * Alerts found on keys' timelines (alert id → the keys it was found by), as correlation sees a neighbour: time,
   * incident and its size, and which of those keys it does name (checked against its stored entities). Alerts not
   * in an incident are left out.
   */
  neighbourAlerts(found: ReadonlyMap<number, readonly string[]>): Promise<NeighbourAlert[]>;
  /** Write a step's plan: new incidents, merges, alerts assigned, links — and the incidents' summaries. */
  apply(plan: CorrelationPlan, now: Date): Promise<AppliedPlan>;
}

/** What one correlation step works with, inside its transaction. */
export interface CorrelationStep {
  readonly incidents: CorrelationIncidents;
}

/** What correlation is handed: a step's operations, and transactions to run steps in. */
export interface CorrelationPorts extends CorrelationStep {
  /** Run `work` in one transaction: everything it writes commits together, or nothing does. */
  transaction<T>(work: (step: CorrelationStep) => Promise<T>): Promise<T>;
}

/** An alert as correlation sees it. */
export interface CorrelationRow {
  readonly id: number;
  readonly time: number;
  readonly title: string;
  readonly severity: Severity;
  readonly category: string | null;
  readonly entities: readonly Entity[];
}

/** What one correlation step changes. */
export interface CorrelationPlan {
  readonly groups: readonly {
    /** The incident the group keeps (the one with most of its alerts), or none: create one. */
    readonly target: number | null;
    /** Incidents merged into the target. */
    readonly merged: readonly {
      readonly id: number;
      readonly alertId: number | null;
      readonly entityKey: string | null;
    }[];
    /** Alerts not yet in an incident that join it. */
    readonly assign: readonly number[];
    /** The alerts that join (`assign`), as rows: the incident's title, severity and activity take them in. */
    readonly added: readonly CorrelationRow[];
  }[];
  readonly links: readonly {
    readonly alertId: number;
    readonly otherAlertId: number;
    readonly entityKey: string;
  }[];
}

/** What `apply` did, with where each group of the plan ended. */
export interface AppliedPlan {
  readonly created: number;
  readonly merged: number;
  readonly assigned: number;
  /** For each group of the plan, in order: the incident it is now and how many alerts that holds. */
  readonly incidents: readonly { readonly id: number; readonly alerts: number }[];
}

export interface TimelineRequest {
  readonly key: string;
  readonly from: number;
  readonly to: number;
  /**
   * Count how many alerts and devices name it in the window (prevalence). Not for a device, which is never
   * prevalent: its timeline is only read for neighbours.
   */
  readonly prevalence: boolean;
  /** The caller's alerts naming the key inside the span (those it knows of already). */
  readonly mentions: number;
}

/** The correlation settings a timeline is read with. */
export interface TimelineLimits {
  readonly windowMs: number;
  readonly maxAlerts: number;
  readonly maxDevices: number;
}

export interface KeyTimeline {
  /** Alerts naming the key within the window of the span, up to `maxAlerts + 1`. */
  readonly alerts: number;
  /**
   * Distinct devices those alerts count for, up to `maxDevices + 1` (0 unless asked for and there are more alerts
   * than `maxDevices`, and not more than `maxAlerts`).
   */
  readonly devices: number;
  /** Alert ids next to and inside the span on the key's timeline, with their times. */
  readonly neighbours: readonly { readonly alertId: number; readonly time: number }[];
}

/** A row of the entity index: an alert on a key's timeline. */
export interface TimelineRow {
  readonly hash: number;
  readonly at: number;
  readonly alertId: number;
  /** The device the alert counts for (`deviceHashOf`), 0 for none. */
  readonly device: number;
}

export interface NeighbourAlert {
  readonly id: number;
  readonly time: number;
  readonly incidentId: number;
  /** Alerts in that incident. */
  readonly incidentAlerts: number;
  /** The keys it was asked about that it does name. */
  readonly keys: readonly string[];
}
