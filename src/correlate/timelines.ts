/**
 * Entity timelines held in memory by the correlating process: the entity index's rows (for each key hash, the
 * alerts naming it in time order, with the device each counts for) from some time on, answering a step's timeline
 * questions exactly as the store's `keyTimelines` does — the same rows, so the same counts and neighbours — without
 * a statement per key.
 *
 * They mirror the store only while nobody else writes the index. The store keeps a generation, bumped by every
 * correlation step and by every alert stored again (the writes that change rows of alerts in incidents); the
 * timelines are used for a step only when that generation is the one this process's last step left, and when the
 * step holds every alert not yet in an incident (whose rows are added at its start). Otherwise the step reads the
 * store, and the timelines are loaded again once this process has correlated alone for a while (`TimelineMemory`).
 */
import type { Entity } from '../domain/entity.js';
import { deviceHashOf, entityHash } from '../domain/entity-hash.js';
import type {
  AppliedPlan,
  CorrelationPlan,
  CorrelationRow,
  KeyTimeline,
  NeighbourAlert,
  TimelineLimits,
  TimelineRequest,
} from './ports.js';

/** A key named by nobody but the caller's alerts in the window (shared answers: most keys are such). */
const ALONE: HeldTimeline[] = [];
function alone(mentions: number): HeldTimeline {
  if (mentions >= 64) return { alerts: mentions, devices: 0, neighbours: [] };
  let answer = ALONE[mentions];
  if (!answer) {
    answer = Object.freeze({ alerts: mentions, devices: 0, neighbours: Object.freeze([]) });
    ALONE[mentions] = answer;
  }
  return answer;
}

/** Numbers per row held: key hash, time, alert id, device hash, key check (at these offsets). */
const ROW = 5;
const HASH = 0;
const AT = 1;
const ALERT = 2;
const DEVICE = 3;
const CHECK = 4;
/** A row's check when its key is not known here (read from the store's index, which holds only hashes). */
const UNKNOWN = -1;
/** A row's check when its alert names two keys of one hash (one row in the index): neither is confirmed here. */
const AMBIGUOUS = -2;

/**
 * A second hash of an entity key (32-bit FNV-1a), independent of `entityHash`: a neighbour found on a key's timeline
 * in memory is taken to name the key when its row's check is the key's — both hashes equal, 85 bits. A row whose
 * key is not known here (loaded from the store) is confirmed by the store, against the alert's entities.
 */
export function checkHash(key: string): number {
  let hash = 0x811c9dc5;
  for (let index = 0; index < key.length; index++) hash = Math.imul(hash ^ key.charCodeAt(index), 0x01000193);
  return hash >>> 0;
}

/** Two checks of one row (the same alert and key hash, added twice): the one known, or ambiguous if both differ. */
function reconcile(held: number, added: number): number {
  if (held === AMBIGUOUS || added === UNKNOWN || held === added) return held;
  return held === UNKNOWN ? added : AMBIGUOUS;
}

/** A neighbour from memory: `confirmed` when its row's key check is the asked key's (it names the key). */
export interface HeldNeighbour {
  readonly alertId: number;
  readonly time: number;
  readonly confirmed: boolean;
}

export interface HeldTimeline extends KeyTimeline {
  readonly neighbours: readonly HeldNeighbour[];
}
/** Rows are found by the top bits of their key hash (53 bits): a directory entry per value of these bits. */
const PREFIX_BITS = 20;
const PREFIX_SHIFT = 2 ** (53 - PREFIX_BITS);
const prefixOf = (hash: number) => Math.floor(hash / PREFIX_SHIFT);

/**
 * The rows, as the index holds them: sorted by (hash, time, alert), four numbers a row in one typed array (no object
 * per row or per key: nothing for the garbage collector to walk, and a row on one cache line). A directory by the
 * hash's top bits finds a key's rows in a step or two. Rows added go to a small unsorted array, merged in before the
 * next question (the held rows between two added ones copied as a block).
 */
export class Timelines {
  private held = new Float64Array(16 * ROW);
  /** The array the next merge writes to (swapped with `held` after it); grown as needed. */
  private spare = new Float64Array(16 * ROW);
  private size = 0;
  /** Rows per hash prefix, and where each prefix's rows start (`start[p]`…`start[p + 1]`). */
  private readonly counts = new Uint32Array(2 ** PREFIX_BITS);
  private readonly start = new Uint32Array(2 ** PREFIX_BITS + 1);
  /** Rows added since the last merge (`addedRows` of them): hash, time, alert, device, … (grown as needed). */
  private added = new Float64Array(1024 * ROW);
  private addedRows = 0;
  /** Whether rows were let go since the last merge (they are dropped by the next). */
  private dropping = false;
  /**
   * Held alerts' incidents as this process knows them (its steps' assignments, and neighbours the store told it
   * of); incidents merged into another (→ that one); and how many alerts each incident not merged holds.
   */
  private readonly incidentOfAlert = new Map<number, number>();
  private readonly redirectOf = new Map<number, number>();
  private readonly alertsOf = new Map<number, number>();

  /**
   * @param completeFrom every row at or after this alert time is here (earlier ones were never loaded, or were let
   *   go); a question about earlier times goes to the store.
   */
  constructor(private completeFrom: number) {}

  /** Rows held. */
  get rows(): number {
    this.merge();
    return this.size;
  }

  get from(): number {
    return this.completeFrom;
  }

  add(hash: number, at: number, alertId: number, device: number, check = UNKNOWN): void {
    if (at < this.completeFrom) return;
    if (this.added.length < (this.addedRows + 1) * ROW) {
      const grown = new Float64Array(this.added.length * 2);
      grown.set(this.added);
      this.added = grown;
    }
    const base = this.addedRows * ROW;
    this.added[base] = hash;
    this.added[base + AT] = at;
    this.added[base + ALERT] = alertId;
    this.added[base + DEVICE] = device;
    this.added[base + CHECK] = check;
    this.addedRows++;
    // Rows waiting for a merge are looked up by none: bounded, merged once as many as those held (or 65,536).
    if (this.addedRows > Math.max(this.size, 65_536)) this.merge();
  }

  /** Rows held, counting those not merged yet (without merging them). */
  get rowCount(): number {
    return this.size + this.addedRows;
  }

  /** The rows the store's index holds for these alerts: one per distinct entity key hash. */
  addAlerts(alerts: readonly CorrelationRow[]): void {
    const hashes: number[] = [];
    for (const alert of alerts) {
      hashes.length = 0;
      for (const entity of alert.entities) hashes.push(entityHash(entity.key));
      const device = deviceHashOf(alert.entities, hashes);
      for (let index = 0; index < hashes.length; index++) {
        const key = (alert.entities[index] as Entity).key;
        this.add(hashes[index] as number, alert.time, alert.id, device, checkHash(key));
      }
    }
  }

  /** A held alert's incident (where it was merged to) and that incident's size, if known here. */
  incidentOf(alertId: number): { readonly id: number; readonly alerts: number } | undefined {
    let id = this.incidentOfAlert.get(alertId);
    if (id === undefined) return undefined;
    for (let next = this.redirectOf.get(id); next !== undefined; next = this.redirectOf.get(id)) id = next;
    const alerts = this.alertsOf.get(id);
    return alerts === undefined ? undefined : { id, alerts };
  }

  /**
   * Neighbours as the store answered them (their incidents as they are before this step's writes); those older
   * than the rows held (a late alert's, asked of the store) are not kept: nothing would let them go.
   */
  learn(neighbours: readonly NeighbourAlert[]): void {
    for (const neighbour of neighbours) {
      if (neighbour.time < this.completeFrom) continue;
      this.incidentOfAlert.set(neighbour.id, neighbour.incidentId);
      this.alertsOf.set(neighbour.incidentId, neighbour.incidentAlerts);
    }
  }

  /** A step's plan as applied: its alerts' incidents, the incidents merged, the sizes now. */
  record(plan: CorrelationPlan, applied: AppliedPlan): void {
    plan.groups.forEach((group, index) => {
      const incident = applied.incidents[index] as { id: number; alerts: number };
      for (const merged of group.merged) {
        this.redirectOf.set(merged.id, incident.id);
        this.alertsOf.delete(merged.id);
      }
      this.alertsOf.set(incident.id, incident.alerts);
      for (const alertId of group.assign) this.incidentOfAlert.set(alertId, incident.id);
    });
  }

  /** Whether the timeline a request needs (its span and the window around it) is all here. */
  covers(request: TimelineRequest, windowMs: number): boolean {
    return request.from - windowMs >= this.completeFrom;
  }

  /** As the store's `keyTimelines` answers one request (see there), from the rows held; `key` is its key's hash. */
  timeline(
    request: TimelineRequest,
    limits: TimelineLimits,
    key = entityHash(request.key),
    check = checkHash(request.key),
  ): HeldTimeline {
    this.merge();
    const { windowMs, maxAlerts, maxDevices } = limits;
    const rows = this.held;
    const mentions = request.mentions;
    const prefix = prefixOf(key);
    const keyStart = this.bound(
      key,
      this.start[prefix] as number,
      this.start[prefix + 1] as number,
      HASH,
      false,
    );
    const keyEnd = this.bound(key, keyStart, this.start[prefix + 1] as number, HASH, true);
    if (keyEnd - keyStart <= mentions) return alone(mentions);
    const first = this.bound(request.from - windowMs, keyStart, keyEnd, AT, false);
    const end = this.bound(request.to + windowMs, first, keyEnd, AT, true);
    // Named by nobody but the caller's alerts within the window: nothing to read further.
    if (end - first <= mentions) return alone(mentions);
    const alerts = request.prevalence ? Math.min(end - first, maxAlerts + 1) : mentions;
    const insideFrom = this.bound(request.from, first, end, AT, false);
    const insideEnd = this.bound(request.to, insideFrom, end, AT, true);
    // A neighbour of another key of the same hash (its check known and different) is not one: the store's answer
    // would have it, and the caller's confirmation drop it.
    const neighbours: HeldNeighbour[] = [];
    const take = (index: number) => {
      const held = rows[index * ROW + CHECK] as number;
      if (held === check || held < 0)
        neighbours.push({
          alertId: rows[index * ROW + ALERT] as number,
          time: rows[index * ROW + AT] as number,
          confirmed: held === check,
        });
    };
    if (insideFrom > first) take(insideFrom - 1);
    if (insideEnd < end) take(insideEnd);
    if (insideEnd - insideFrom > mentions)
      for (let index = insideFrom; index < insideEnd; index++) take(index);
    let devices = 0;
    if (request.prevalence && alerts > maxDevices && alerts <= maxAlerts) {
      const seen = new Set<number>();
      for (let index = first; index < end && seen.size <= maxDevices; index++)
        seen.add(rows[index * ROW + DEVICE] as number);
      devices = seen.size;
    }
    return { alerts, devices, neighbours };
  }

  /**
   * The first row in [low, high) whose `field` is at least `value` (`after`: above it), the rows being sorted by it
   * there; `high` if none.
   */
  private bound(value: number, low: number, high: number, field: number, after: boolean): number {
    const rows = this.held;
    while (low < high) {
      const middle = (low + high) >>> 1;
      const at = rows[middle * ROW + field] as number;
      if (at < value || (after && at === value)) low = middle + 1;
      else high = middle;
    }
    return low;
  }

  /** Let go of rows before `time`: questions about earlier times go to the store from now on. */
  letGo(time: number): void {
    if (time <= this.completeFrom) return;
    this.completeFrom = time;
    this.dropping = true;
  }

  /** Merge the rows added (sorted) with those held, into the spare array; drop rows let go first. */
  private merge(): void {
    if (this.dropping) this.compact();
    const added = this.added;
    const count = this.addedRows;
    if (count === 0) return;
    // The added rows' offsets in their order (filled by a loop: `TypedArray.from` with a function walks its source
    // through the iterator protocol). The comparison answers -1, 0 or 1: a difference of two hashes is no small
    // integer, and would be allocated as a number on the heap for each of the n log n calls.
    const order = new Uint32Array(count);
    for (let index = 0; index < count; index++) order[index] = index * ROW;
    order.sort((a, b) => compareRows(added, a, b));
    this.reserve(this.size + count);
    const from = this.held;
    const to = this.spare;
    let out = 0;
    let held = 0;
    for (let next = 0; next < count; next++) {
      const position = order[next] as number;
      const hash = added[position] as number;
      const at = added[position + AT] as number;
      const alert = added[position + ALERT] as number;
      if (at < this.completeFrom) continue;
      // The held rows before this one, copied as a block.
      const place = this.place(hash, at, alert, held);
      if (place > held) {
        copyRows(from, held, place, to, out);
        out += place - held;
        held = place;
      }
      // A repeat (the index's primary key) is kept once, with the check both tell.
      const check = added[position + CHECK] as number;
      if (sameRow(from, this.size, held, hash, at, alert)) {
        from[held * ROW + CHECK] = reconcile(from[held * ROW + CHECK] as number, check);
        continue;
      }
      if (sameRow(to, out, out - 1, hash, at, alert)) {
        to[(out - 1) * ROW + CHECK] = reconcile(to[(out - 1) * ROW + CHECK] as number, check);
        continue;
      }
      to[out * ROW] = hash;
      to[out * ROW + AT] = at;
      to[out * ROW + ALERT] = alert;
      to[out * ROW + DEVICE] = added[position + DEVICE] as number;
      to[out * ROW + CHECK] = check;
      out++;
      const prefix = prefixOf(hash);
      this.counts[prefix] = (this.counts[prefix] as number) + 1;
    }
    copyRows(from, held, this.size, to, out);
    out += this.size - held;
    this.size = out;
    this.addedRows = 0;
    this.swap();
    this.index();
  }

  /** The first held row at or after `low` not below (hash, at, alert), found through the directory. */
  private place(hash: number, at: number, alert: number, low: number): number {
    const prefix = prefixOf(hash);
    const rows = this.held;
    let start = Math.max(low, this.start[prefix] as number);
    let end = Math.max(start, this.start[prefix + 1] as number);
    while (start < end) {
      const middle = (start + end) >>> 1;
      const base = middle * ROW;
      const below =
        ((rows[base] as number) - hash ||
          (rows[base + AT] as number) - at ||
          (rows[base + ALERT] as number) - alert) < 0;
      if (below) start = middle + 1;
      else end = middle;
    }
    return start;
  }

  /** Drop the rows let go (one pass over all), and count the rows per prefix again. */
  private compact(): void {
    this.reserve(this.size);
    const from = this.held;
    const to = this.spare;
    const floor = this.completeFrom;
    this.counts.fill(0);
    let out = 0;
    for (let index = 0; index < this.size; index++) {
      const base = index * ROW;
      if ((from[base + AT] as number) < floor) {
        this.incidentOfAlert.delete(from[base + ALERT] as number);
        continue;
      }
      const target = out * ROW;
      to[target] = from[base] as number;
      to[target + AT] = from[base + AT] as number;
      to[target + ALERT] = from[base + ALERT] as number;
      to[target + DEVICE] = from[base + DEVICE] as number;
      to[target + CHECK] = from[base + CHECK] as number;
      const prefix = prefixOf(from[base] as number);
      this.counts[prefix] = (this.counts[prefix] as number) + 1;
      out++;
    }
    this.size = out;
    this.dropping = false;
    this.swap();
    this.index();
    // Incidents are forgotten with the alerts let go only when they far outnumber those left (then all, to be
    // learnt again from the store): a merged incident's redirection is needed while any alert of it is held.
    if (this.redirectOf.size + this.alertsOf.size > 4 * this.incidentOfAlert.size + 65_536) {
      this.incidentOfAlert.clear();
      this.redirectOf.clear();
      this.alertsOf.clear();
    }
  }

  /** Room for this many rows in the spare array. */
  private reserve(rows: number): void {
    if (this.spare.length < rows * ROW) this.spare = new Float64Array(Math.ceil(rows * 1.5) * ROW);
  }

  private swap(): void {
    const held = this.held;
    this.held = this.spare;
    this.spare = held;
  }

  /** Where each prefix's rows start, from the counts. */
  private index(): void {
    let total = 0;
    for (let prefix = 0; prefix < this.counts.length; prefix++) {
      this.start[prefix] = total;
      total += this.counts[prefix] as number;
    }
    this.start[this.counts.length] = total;
  }
}

/** Copy rows [start, end) of `from` to `to` at row `at` (a loop: most runs are a few rows, shorter than a call). */
function copyRows(from: Float64Array, start: number, end: number, to: Float64Array, at: number): void {
  if (end - start > 64) {
    to.set(from.subarray(start * ROW, end * ROW), at * ROW);
    return;
  }
  let target = at * ROW;
  for (let index = start * ROW; index < end * ROW; index++) to[target++] = from[index] as number;
}

/** The order of the rows at offsets `a` and `b` of `rows`: by hash, time, alert; -1, 0 or 1. */
function compareRows(rows: Float64Array, a: number, b: number): number {
  for (let field = 0; field < ALERT + 1; field++) {
    const x = rows[a + field] as number;
    const y = rows[b + field] as number;
    if (x !== y) return x < y ? -1 : 1;
  }
  return 0;
}

/** Whether row `index` of the first `count` rows is (hash, at, alert). */
function sameRow(
  rows: Float64Array,
  count: number,
  index: number,
  hash: number,
  at: number,
  alert: number,
): boolean {
  if (index < 0 || index >= count) return false;
  const base = index * ROW;
  return rows[base] === hash && rows[base + AT] === at && rows[base + ALERT] === alert;
}
