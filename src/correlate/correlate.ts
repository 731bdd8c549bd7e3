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
import { isBuiltInAccount, type Entity } from '../domain/entity.js';
import type { Allowlist } from './allowlist.js';
import { specialAddress } from '../domain/net.js';

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

const STRONG_TYPES = new Set([
  'device',
  'user',
  'file',
  'process',
  'mailMessage',
  'mailCluster',
  'mailbox',
  'ip',
  'domain',
  'url',
]);

const SYSTEM_BINARY = /^[a-z]:\\windows\\(system32|syswow64|winsxs|servicing)\\/i;

/** Why an entity never links on its own, whatever its prevalence; `undefined` for a candidate link. */
export function intrinsicWeakness(entity: Entity, options: CorrelationOptions): string | undefined {
  if (!STRONG_TYPES.has(entity.type)) return `${entity.type} entities do not link alerts`;
  if (options.infrastructure?.has(entity.key)) return "the organisation's own infrastructure";
  switch (entity.type) {
    case 'user':
      if (isBuiltInAccount(entity)) return 'a built-in account, on every Windows machine';
      break;
    case 'file':
      if (!entity.key.startsWith('file:sha') && !entity.key.startsWith('file:md5:'))
        return 'a file known only by its path';
      if (entity.path && SYSTEM_BINARY.test(entity.path))
        return 'a Windows system binary, on every Windows machine';
      break;
    case 'ip': {
      const reason = specialAddress(entity.address);
      if (reason) return reason;
      break;
    }
    default:
      break;
  }
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

/** The device an alert is about (for prevalence): its device entities' keys. */
function devicesOf(alert: CorrelationAlert): string[] {
  return alert.entities.filter((entity) => entity.type === 'device').map((entity) => entity.key);
}

class UnionFind {
  private readonly parent = new Map<string, string>();

  find(id: string): string {
    let root = id;
    for (let next = this.parent.get(root); next !== undefined && next !== root; next = this.parent.get(root))
      root = next;
    // Path compression.
    let current = id;
    while (current !== root) {
      const next = this.parent.get(current) as string;
      this.parent.set(current, root);
      current = next;
    }
    return root;
  }

  add(id: string): void {
    if (!this.parent.has(id)) this.parent.set(id, id);
  }

  /** Join two sets; returns false when they were one already. The smaller id becomes the root (deterministic). */
  union(a: string, b: string): boolean {
    const rootA = this.find(a);
    const rootB = this.find(b);
    if (rootA === rootB) return false;
    if (compareIds(rootA, rootB) < 0) this.parent.set(rootB, rootA);
    else this.parent.set(rootA, rootB);
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
  const byKey = new Map<string, { entity: Entity; alerts: CorrelationAlert[] }>();
  const weak = new Map<string, string>();
  for (const alert of alerts) {
    const entities = alert.entities;
    for (let position = 0; position < entities.length; position++) {
      const entity = entities[position] as Entity;
      const key = entity.key;
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
      entry.alerts.push(alert);
    }
  }

  const sets = new UnionFind();
  for (const alert of alerts) sets.add(alert.id);
  // Alerts put in one incident before stay together (incidents never split).
  const firstOfGroup = new Map<string, string>();
  const grouped = alerts.filter((alert) => alert.group !== undefined).sort((a, b) => compareIds(a.id, b.id));
  for (const alert of grouped) {
    const group = alert.group as string;
    const first = firstOfGroup.get(group);
    if (first === undefined) firstOfGroup.set(group, alert.id);
    else sets.union(first, alert.id);
  }
  const links: CorrelationLink[] = [];
  // Keys in a fixed order, alerts in time order (then id): the same links whatever order the alerts came in. A key
  // named by one alert links nothing, and is left out of the sorting.
  const keys = [...byKey].flatMap(([key, entry]) => (entry.alerts.length < 2 ? [] : [key])).sort();
  for (const key of keys) {
    const entry = byKey.get(key) as { entity: Entity; alerts: CorrelationAlert[] };
    if (entry.entity.type !== 'device') {
      const devices = new Set<string>();
      for (const alert of entry.alerts) for (const device of devicesOf(alert)) devices.add(device);
      if (devices.size > maxDevices) {
        weak.set(key, `seen on ${devices.size} devices (more than ${maxDevices})`);
        continue;
      }
      if (entry.alerts.length > maxAlerts) {
        weak.set(key, `named by ${entry.alerts.length} alerts (more than ${maxAlerts})`);
        continue;
      }
    }
    const ordered = [...entry.alerts].sort((a, b) => a.time - b.time || compareIds(a.id, b.id));
    for (let index = 1; index < ordered.length; index++) {
      const previous = ordered[index - 1] as CorrelationAlert;
      const current = ordered[index] as CorrelationAlert;
      if (current.time - previous.time > windowMs) continue;
      if (sets.union(previous.id, current.id))
        links.push({ alertId: current.id, otherAlertId: previous.id, entityKey: key });
    }
  }

  const groups = new Map<string, string[]>();
  for (const alert of alerts) {
    const root = sets.find(alert.id);
    const group = groups.get(root);
    if (group) group.push(alert.id);
    else groups.set(root, [alert.id]);
  }
  const sorted = [...groups.values()].map((group) => [...new Set(group)].sort(compareIds));
  sorted.sort((a, b) => compareIds(a[0] as string, b[0] as string));
  return { groups: sorted, links, weak };
}
