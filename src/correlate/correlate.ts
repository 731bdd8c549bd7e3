/**
 * Correlation as a function of a set of alerts: which alerts tell one story. Two alerts are linked when they name
 * the same **strong** entity and lie within the window of each other (single linkage along each entity's
 * timeline); incidents are the connected groups. Being a function of the set — never of arrival order — the same
 * alerts always give the same groups.
 *
 * Strong: devices, users, file hashes, processes, mail messages and clusters, mailboxes, IPs, domains and URLs.
 * Weak (never link): built-in accounts, loopback / link-local / multicast addresses, the organisation's own
 * infrastructure (DNS servers, domain controllers: given as context), allow-listed values (MISP warninglists),
 * Windows system binaries (every host has the same cmd.exe), and anything seen on too many devices or in too many
 * alerts (prevalence).
 */
import { type Entity } from '../domain/entity.js';
import type { Allowlist } from './allowlist.js';
import { entityWeakness, isLinkingType } from '../domain/entity-strength.js';

export interface CorrelationAlert {
  readonly id: string;
  /** Alert time, epoch milliseconds. */
  readonly time: number;
  readonly entities: readonly Entity[];
  /** Alerts with the same group are one story already (an incident they were put in before): always joined. */
  readonly group?: string;
}

export interface CorrelationOptions {
  /** Alerts this close in time (and naming one strong entity) join. Default 24 h. */
  readonly windowMs?: number;
  /** An entity (other than a device) named on more devices than this is weak. Default 5. */
  readonly maxDevices?: number;
  /** An entity (other than a device) named by more alerts than this is weak. Default 1,000. */
  readonly maxAlerts?: number;
  /** Entity keys of the organisation's own infrastructure: DNS servers, domain controllers, proxies… */
  readonly infrastructure?: ReadonlySet<string>;
  /** Values never linked on (MISP warninglists). */
  readonly allowlist?: Allowlist;
  /** Keys known to be weak from outside the set (e.g. prevalence counted in a store), with the reason. */
  readonly weakKeys?: ReadonlyMap<string, string>;
}

export const DEFAULT_WINDOW_MS = 24 * 60 * 60 * 1000;
export const DEFAULT_MAX_DEVICES = 5;
export const DEFAULT_MAX_ALERTS = 1000;

/** Which alert joined which, through which entity. */
export interface CorrelationLink {
  readonly alertId: string;
  readonly otherAlertId: string;
  readonly entityKey: string;
}

export interface CorrelationResult {
  /** Groups of alert ids, each sorted; groups in order of their first alert id. */
  readonly groups: readonly (readonly string[])[];
  /** The links that made the groups (each between two alerts of one group). */
  readonly links: readonly CorrelationLink[];
  /** Entity keys that could have linked alerts but are weak, with the reason. */
  readonly weak: ReadonlyMap<string, string>;
}

/**
 * Why an entity never links on its own, whatever its prevalence (domain/entity-strength.ts, then this deployment's
 * infrastructure and allow-lists); `undefined` for a candidate link.
 */
export function intrinsicWeakness(entity: Entity, options: CorrelationOptions): string | undefined {
  if (!isLinkingType(entity.type)) return entityWeakness(entity);
  // The organisation's own infrastructure before the kind of address it is: it reads better.
  if (options.infrastructure?.has(entity.key)) return "the organisation's own infrastructure";
  const weakness = entityWeakness(entity);
  if (weakness) return weakness;
  const listed = options.allowlist?.match(entity);
  if (listed) return `on the allow-list ${listed}`;
  return undefined;
}

/** Whether an alert names the entity at `position` earlier in its list too (counted once). */
function repeats(entities: readonly Entity[], position: number): boolean {
  const key = (entities[position] as Entity).key;
  for (let index = 0; index < position; index++) if ((entities[index] as Entity).key === key) return true;
  return false;
}

/**
 * The devices each alert is about (its device entities), as numbers: for prevalence, counted per key without
 * re-reading the alerts' entities. Most alerts name one device (`first`); the others' are in `more`.
 */
class AlertDevices {
  private readonly ids = new Map<string, number>();
  private readonly first: Int32Array;
  private readonly more = new Map<number, number[]>();
  private stamp = new Int32Array(0);

  constructor(size: number) {
    this.first = new Int32Array(size).fill(-1);
  }

  add(index: number, key: string): void {
    let id = this.ids.get(key);
    if (id === undefined) {
      id = this.ids.size;
      this.ids.set(key, id);
    }
    const first = this.first[index] as number;
    if (first === -1) this.first[index] = id;
    else if (first !== id) {
      const more = this.more.get(index);
      if (!more) this.more.set(index, [id]);
      else if (!more.includes(id)) more.push(id);
    }
  }

  /** Distinct devices of these alerts; `round` tells counts apart (a different number each call). */
  count(alerts: readonly number[], round: number): number {
    if (this.stamp.length < this.ids.size) this.stamp = new Int32Array(this.ids.size).fill(-1);
    const stamp = this.stamp;
    let count = 0;
    for (const index of alerts) {
      const first = this.first[index] as number;
      if (first === -1) continue;
      if (stamp[first] !== round) {
        stamp[first] = round;
        count++;
      }
      const more = this.more.size > 0 ? this.more.get(index) : undefined;
      if (more)
        for (const id of more)
          if (stamp[id] !== round) {
            stamp[id] = round;
            count++;
          }
    }
    return count;
  }
}

/**
 * Alerts (positions) in order of time, then id rank — sorted in place, unless they are already: most keys' alerts
 * come in time order (a step's alerts are read oldest first), and sorting each key's few alerts would allocate.
 */
function inTimeOrder(alerts: number[], before: (a: number, b: number) => number): number[] {
  for (let index = 1; index < alerts.length; index++)
    if (before(alerts[index - 1] as number, alerts[index] as number) > 0) return alerts.sort(before);
  return alerts;
}

/** Disjoint sets over 0…n-1; the smaller number is always the root (numbers are ranks in id order). */
class UnionFind {
  private readonly parent: Int32Array;

  constructor(size: number) {
    this.parent = new Int32Array(size);
    for (let index = 0; index < size; index++) this.parent[index] = index;
  }

  find(node: number): number {
    const parent = this.parent;
    let root = node;
    while (parent[root] !== root) root = parent[root] as number;
    // Path compression.
    let current = node;
    while (current !== root) {
      const next = parent[current] as number;
      parent[current] = root;
      current = next;
    }
    return root;
  }

  /** Join two sets; returns false when they were one already. */
  union(a: number, b: number): boolean {
    const rootA = this.find(a);
    const rootB = this.find(b);
    if (rootA === rootB) return false;
    if (rootA < rootB) this.parent[rootB] = rootA;
    else this.parent[rootA] = rootB;
    return true;
  }
}

/** Alert ids compare by their number when they have one (`alr_9` before `alr_10`), else as text. */
export function compareIds(a: string, b: string): number {
  // Without regular expressions or slices: correlation compares ids millions of times.
  const startA = digitsStart(a);
  const startB = digitsStart(b);
  if (startA < a.length && startB < b.length && startA === startB && samePrefix(a, b, startA)) {
    const diff = digitsValue(a, startA) - digitsValue(b, startB);
    if (diff !== 0) return diff;
  }
  return a < b ? -1 : a > b ? 1 : 0;
}

/**
 * Each alert's rank among the distinct ids in `compareIds` order (`node`), and the ids by rank. When every id is
 * one prefix and a number (no leading zero, at most 15 digits: exact) — as ids usually are — the order is the
 * numbers' order: sorted as numbers, without comparing strings.
 */
function rankIds(alerts: readonly CorrelationAlert[]): { ids: string[]; node: Int32Array } {
  const node = new Int32Array(alerts.length);
  const values = new Float64Array(alerts.length);
  const first = alerts[0]?.id ?? '';
  const prefix = digitsStart(first);
  let numeric = prefix < first.length;
  for (let index = 0; numeric && index < alerts.length; index++) {
    const id = (alerts[index] as CorrelationAlert).id;
    numeric =
      digitsStart(id) === prefix &&
      id.length - prefix <= 15 &&
      (id.charCodeAt(prefix) !== 48 || id.length === prefix + 1) &&
      samePrefix(id, first, prefix);
    if (numeric) values[index] = digitsValue(id, prefix);
  }
  if (!numeric) {
    const ids = [...new Set(alerts.map((alert) => alert.id))].sort(compareIds);
    const rankOf = new Map(ids.map((id, rank) => [id, rank]));
    alerts.forEach((alert, index) => (node[index] = rankOf.get(alert.id) as number));
    return { ids, node };
  }
  const sorted = values.slice().sort();
  // Distinct values, in order.
  let distinct = 0;
  for (let index = 0; index < sorted.length; index++)
    if (index === 0 || sorted[index] !== sorted[index - 1]) sorted[distinct++] = sorted[index] as number;
  const ranks = sorted.subarray(0, distinct);
  const ids = new Array<string>(distinct);
  for (let index = 0; index < alerts.length; index++) {
    const value = values[index] as number;
    let low = 0;
    let high = distinct;
    while (low < high) {
      const middle = (low + high) >>> 1;
      if ((ranks[middle] as number) < value) low = middle + 1;
      else high = middle;
    }
    node[index] = low;
    ids[low] = (alerts[index] as CorrelationAlert).id;
  }
  return { ids, node };
}

/** Where the id's trailing digits start (its length when it has none). */
function digitsStart(id: string): number {
  let index = id.length;
  while (index > 0) {
    const code = id.charCodeAt(index - 1);
    if (code < 48 || code > 57) break;
    index--;
  }
  return index;
}

function samePrefix(a: string, b: string, length: number): boolean {
  for (let index = 0; index < length; index++) if (a.charCodeAt(index) !== b.charCodeAt(index)) return false;
  return true;
}

function digitsValue(id: string, start: number): number {
  let value = 0;
  for (let index = start; index < id.length; index++) value = value * 10 + (id.charCodeAt(index) - 48);
  return value;
}

export function correlate(
  alerts: readonly CorrelationAlert[],
  options: CorrelationOptions = {},
): CorrelationResult {
  const windowMs = options.windowMs ?? DEFAULT_WINDOW_MS;
  const maxDevices = options.maxDevices ?? DEFAULT_MAX_DEVICES;
  const maxAlerts = options.maxAlerts ?? DEFAULT_MAX_ALERTS;

  // Each candidate entity's alerts, from the whole set.
  const byKey = new Map<string, { entity: Entity; alerts: number[] }>();
  const weak = new Map<string, string>();
  const alertDevices = new AlertDevices(alerts.length);
  for (let index = 0; index < alerts.length; index++) {
    const entities = (alerts[index] as CorrelationAlert).entities;
    for (let position = 0; position < entities.length; position++) {
      const entity = entities[position] as Entity;
      const key = entity.key;
      if (entity.type === 'device') alertDevices.add(index, key);
      if (weak.has(key) || repeats(entities, position)) continue;
      let entry = byKey.get(key);
      if (!entry) {
        const reason = options.weakKeys?.get(key) ?? intrinsicWeakness(entity, options);
        if (reason) {
          weak.set(key, reason);
          continue;
        }
        entry = { entity, alerts: [] };
        byKey.set(key, entry);
      }
      entry.alerts.push(index);
    }
  }

  // Each distinct id is a number, its rank in id order: comparing, joining and grouping are then on numbers.
  const { ids, node } = rankIds(alerts);
  const time = new Float64Array(alerts.length);
  for (let index = 0; index < alerts.length; index++) time[index] = (alerts[index] as CorrelationAlert).time;

  const sets = new UnionFind(ids.length);
  // Alerts put in one incident before stay together (incidents never split).
  const firstOfGroup = new Map<string, number>();
  alerts.forEach((alert, index) => {
    if (alert.group === undefined) return;
    const first = firstOfGroup.get(alert.group);
    if (first === undefined) firstOfGroup.set(alert.group, node[index] as number);
    else sets.union(first, node[index] as number);
  });
  const links: CorrelationLink[] = [];
  // Keys in a fixed order, alerts in time order (then id): the same links whatever order the alerts came in. A key
  // named by one alert links nothing, and is left out of the sorting.
  const keys: string[] = [];
  for (const entry of byKey.values()) if (entry.alerts.length > 1) keys.push(entry.entity.key);
  keys.sort();
  const before = (a: number, b: number) => {
    const at = time[a] as number;
    const bt = time[b] as number;
    // -1, 0 or 1: a difference of two times is no small integer (it would be a number allocated per comparison).
    return at < bt ? -1 : at > bt ? 1 : (node[a] as number) - (node[b] as number);
  };
  let round = 0;
  for (const key of keys) {
    const entry = byKey.get(key) as { entity: Entity; alerts: number[] };
    if (entry.entity.type !== 'device') {
      const devices = alertDevices.count(entry.alerts, round++);
      if (devices > maxDevices) {
        weak.set(key, `seen on ${devices} devices (more than ${maxDevices})`);
        continue;
      }
      if (entry.alerts.length > maxAlerts) {
        weak.set(key, `named by ${entry.alerts.length} alerts (more than ${maxAlerts})`);
        continue;
      }
    }
    const ordered = inTimeOrder(entry.alerts, before);
    for (let position = 1; position < ordered.length; position++) {
      const previous = ordered[position - 1] as number;
      const current = ordered[position] as number;
      if ((time[current] as number) - (time[previous] as number) > windowMs) continue;
      if (sets.union(node[previous] as number, node[current] as number))
        links.push({
          alertId: (alerts[current] as CorrelationAlert).id,
          otherAlertId: (alerts[previous] as CorrelationAlert).id,
          entityKey: key,
        });
    }
  }

  // Groups in order of their first id (their root), each in id order: nodes are ranks.
  const groupOf = new Map<number, string[]>();
  const sorted: string[][] = [];
  for (let rank = 0; rank < ids.length; rank++) {
    const root = sets.find(rank);
    const id = ids[rank] as string;
    if (root === rank) {
      const group = [id];
      groupOf.set(rank, group);
      sorted.push(group);
    } else groupOf.get(root)?.push(id);
  }
  return { groups: sorted, links, weak };
}
