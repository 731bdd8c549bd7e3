/**
 * A correlating process's timelines in memory (timelines.ts), and when they can be trusted: loaded from the store's
 * entity index, kept in step with this process's own correlation steps, and dropped when the store's generation
 * says another process wrote.
 */
import type {
  AppliedPlan,
  CorrelationPlan,
  CorrelationPorts,
  CorrelationRow,
  CorrelationStep,
  TimelineRow,
} from './ports.js';
import { Timelines } from './timelines.js';

/** Rows read per statement when loading. */
const LOAD_CHUNK = 20_000;

/** Every index row at or after `from`, from the store, as timelines. */
export async function loadTimelines(store: CorrelationStep, from: number): Promise<Timelines> {
  const timelines = new Timelines(from);
  let after: TimelineRow | null = null;
  for (;;) {
    const rows: TimelineRow[] = await store.incidents.timelineRows(from, after, LOAD_CHUNK);
    for (const row of rows) timelines.add(row.hash, row.at, row.alertId, row.device);
    if (rows.length < LOAD_CHUNK) return timelines;
    after = rows[rows.length - 1] as TimelineRow;
  }
}

/** Held timelines go back this far from the alerts being correlated (at least, and four windows). */
export const TIMELINE_HORIZON_MS = 7 * 24 * 3600 * 1000;
/**
 * A step's alerts cost about as much to look up in the store (~3 keys an alert, ~8 µs a key) as this many held rows
 * cost to merge (~75 ns a row): steps smaller than the rows held over this read the store.
 */
const MERGE_ROWS_PER_ALERT = 320;
const DEFAULT_MINIMUM_LOAD_STEP = 1000;
/** Steps alone before loading again, after the timelines were found out of date (doubling each time, up to this). */
const MAX_BACKOFF = 64;

/**
 * A correlating process's timelines and when to trust them, across its steps. A step (one transaction, under the
 * correlation lock) calls `begin` with the store's generation and whether alerts not yet in an incident remain
 * beyond it, and gets timelines to answer from, or none (read the store); it calls `end` once its writes are made,
 * with the generation they leave. If its transaction fails, `abandon`: what the step added never reached the store.
 * (A commit that fails after `end` is caught the same way; and were it not, the store's generation would differ
 * from the one recorded, and the next step would not trust the timelines.)
 */
export class TimelineMemory {
  /**
   * @param minimumLoadStep loading reads every row within the horizon (seconds for a busy store): only a step of at
   *   least this many alerts loads — one whose timelines, read key by key, would cost as much.
   */
  constructor(public minimumLoadStep = DEFAULT_MINIMUM_LOAD_STEP) {}

  private timelines: Timelines | null = null;
  /** The generation the held timelines mirror (the one this process's last step left). */
  private generation: number | null = null;
  /** Steps in a row that found the generation this process left: nobody else correlating. */
  private quiet = 0;
  private backoff = 1;
  /** Latest time correlated (a step's median alert time, so that one alert from the far future moves nothing). */
  private latest = -Infinity;
  /** What the current step does with the timelines: 'answer' (use and extend), 'extend' (add its rows after). */
  private mode: 'answer' | 'extend' | null = null;
  /** Steps answered from memory, loads from the store, and times the timelines were found out of date. */
  readonly stats = { answered: 0, loads: 0, dropped: 0 };

  /** Rows held now (0 when none): for tests and measurements. */
  get rows(): number {
    return this.timelines?.rows ?? 0;
  }

  /** Whether the memory mirrors the store at this generation (for tests). */
  current(generation: number): boolean {
    return this.timelines !== null && this.generation === generation;
  }

  /** An alert's incident and its size as the memory knows them, if it does (for tests). */
  incidentOf(alertId: number): { readonly id: number; readonly alerts: number } | undefined {
    return this.timelines?.incidentOf(alertId);
  }

  async begin(
    store: CorrelationStep,
    step: {
      /** The store's generation, read under the correlation lock. */
      readonly generation: number;
      readonly pending: readonly CorrelationRow[];
      /** Whether alerts not yet in an incident remain beyond the step's. */
      readonly more: boolean;
      readonly windowMs: number;
    },
  ): Promise<Timelines | null> {
    const { generation, pending, more } = step;
    const horizon = Math.max(TIMELINE_HORIZON_MS, 4 * step.windowMs);
    // A step of this process began and neither ended nor was abandoned yet (it failed, and another step of this
    // process got the lock first): what it added may never reach the store.
    if (this.mode !== null) this.abandon();
    const alone = this.generation === generation;
    this.quiet = alone ? this.quiet + 1 : 0;
    if (!alone && this.timelines) {
      // Someone else changed the index: wait longer before loading again, in case they keep doing so.
      this.timelines = null;
      this.backoff = Math.min(this.backoff * 2, MAX_BACKOFF);
      this.stats.dropped++;
    }
    const times = new Float64Array(pending.length);
    pending.forEach((alert, index) => (times[index] = alert.time));
    times.sort();
    this.latest = Math.max(this.latest, times[times.length >> 1] ?? -Infinity);
    this.mode = null;
    if (this.timelines) {
      // Rows beyond the horizon are let go a quarter of it at a time (each time a pass over all rows).
      if (this.latest - horizon - this.timelines.from > horizon / 4)
        this.timelines.letGo(this.latest - horizon);
      // Answering merges the step's rows into all those held (a pass over them): for a small step — a few alerts
      // posted to the API — reading the store costs less, and the rows wait unsorted for a larger one.
      if (more || pending.length * MERGE_ROWS_PER_ALERT < this.timelines.rowCount) {
        this.mode = 'extend';
        return null;
      }
      this.timelines.addAlerts(pending);
      this.mode = 'answer';
      this.stats.answered++;
      return this.timelines;
    }
    // Loaded only when every alert not in an incident is in this step: the rows read are then exactly those of
    // alerts in incidents and of this step's.
    if (more || this.quiet < this.backoff || pending.length < this.minimumLoadStep) return null;
    this.timelines = await loadTimelines(store, this.latest - horizon);
    this.mode = 'answer';
    this.stats.loads++;
    this.stats.answered++;
    return this.timelines;
  }

  /**
   * The step's writes are made (its alerts are in incidents), leaving the store at `generation`; `applied` is its
   * plan as applied (the incidents its alerts are in now).
   */
  end(
    pending: readonly CorrelationRow[],
    generation: number,
    applied: { readonly plan: CorrelationPlan; readonly result: AppliedPlan },
  ): void {
    // A step that did not answer from the timelines (more alerts were waiting) keeps them whole: its rows now.
    if (this.mode === 'extend') this.timelines?.addAlerts(pending);
    this.timelines?.record(applied.plan, applied.result);
    this.generation = generation;
    this.mode = null;
  }

  /** The step failed: what was added to the timelines never reached the store. */
  abandon(): void {
    this.timelines = null;
    this.generation = null;
    this.mode = null;
  }
}

const memories = new WeakMap<CorrelationPorts, TimelineMemory>();

/** This process's timeline memory for a store (one per opened store, kept as long as the store object is). */
export function timelineMemory(
  store: CorrelationPorts,
  settings: { minimumLoadStep?: number } = {},
): TimelineMemory {
  let memory = memories.get(store);
  if (!memory) {
    memory = new TimelineMemory();
    memories.set(store, memory);
  }
  if (settings.minimumLoadStep !== undefined) memory.minimumLoadStep = settings.minimumLoadStep;
  return memory;
}
