/**
 * How an incident is summarised as alerts join it and incidents merge: its title, severity, activity span and main
 * entities, from the summaries of the incidents it is made of and the alerts added — never by reading every alert
 * again.
 *
 * - **Severity**: the highest of its alerts'. **Lead**: the title of the most severe alert; among those, the one whose
 *   category says most ({@link leadOrder}: credential theft before a cleared event log), then the earliest.
 * - **Title**: `'<lead>' and N other alerts on <host>` — ` on N devices` when it spans several, ` on more than
 *   1000 devices` beyond that; at most 300 characters.
 * - **Main entities**: the 50 named by most alerts (then by type: device, user, mailbox, file, process, ip, domain,
 *   url; then key). Counts are kept for each part's 50, so those of a very varied incident are a close lower bound.
 * - **Devices**: the list behind the title, kept up to 1000 devices.
 */
import { severities, severityRank, type Severity } from './alert.js';

/** Entity types an incident's main entities are taken from, in the order ties are broken. */
const ENTITY_ORDER = ['device', 'user', 'mailbox', 'file', 'process', 'ip', 'domain', 'url'];
const ENTITY_RANK = new Map(ENTITY_ORDER.map((type, rank) => [type, rank]));
/** Devices an incident keeps a list of (for its title); beyond, it is "on more than" that many. */
export const MAX_TRACKED_DEVICES = 1000;
/** Main entities kept per incident. */
export const MAX_SUMMARY_ENTITIES = 50;
const MAX_TITLE = 300;

/** A main entity and how many of the incident's alerts name it. */
export interface EntityCount {
  readonly type: string;
  readonly key: string;
  readonly alerts: number;
}

/** The devices of an incident, as kept with it (the store reads them without parsing where it can). */
export type DeviceList =
  | { readonly many: true }
  | {
      readonly many: false;
      readonly size: number;
      has(key: string): boolean;
      keys(): readonly string[];
    };

/** What an incident holds so far: enough to add alerts to it, or merge it, without reading them all back. */
export interface IncidentAggregate {
  readonly leadTitle: string;
  /** The lead alert's category (null where not known). */
  readonly leadCategory: string | null;
  readonly severity: Severity;
  readonly alertCount: number;
  /** Epoch ms. */
  readonly firstActivityAt: number;
  readonly lastActivityAt: number;
  readonly entities: readonly EntityCount[];
  readonly devices: DeviceList;
}

/** An alert as it joins an incident. */
export interface JoiningAlert {
  readonly title: string;
  readonly severity: Severity;
  readonly category?: string | null;
  /** Epoch ms. */
  readonly time: number;
  readonly entities: readonly { readonly type: string; readonly key: string }[];
}

/** The summary an incident gets when alerts join it or incidents merge into it. */
export interface IncidentSummaryUpdate extends Omit<IncidentAggregate, 'devices'> {
  readonly title: string;
  /**
   * The device list: the only part's, unchanged (no device added); more than MAX_TRACKED_DEVICES; or these keys,
   * sorted.
   */
  readonly devices:
    { readonly unchanged: true } | { readonly many: true } | { readonly keys: readonly string[] };
}

interface Counted {
  readonly type: string;
  readonly key: string;
  alerts: number;
  /** Of its type, in ENTITY_ORDER. */
  readonly rank: number;
}

/** The MAX_SUMMARY_ENTITIES named by most alerts (then by type, then key). */
function mainEntities(entries: Counted[]): Counted[] {
  let candidates = entries;
  if (entries.length > MAX_SUMMARY_ENTITIES) {
    // Only those counted at least as often as the last place can make it: an incident adding thousands of alerts
    // at once sorts a handful, not all their entities.
    const ascending = new Float64Array(entries.length);
    entries.forEach((entry, index) => (ascending[index] = entry.alerts));
    ascending.sort();
    const floor = ascending[ascending.length - MAX_SUMMARY_ENTITIES] as number;
    candidates = entries.filter((entry) => entry.alerts >= floor);
  }
  return candidates
    .sort((a, b) => b.alerts - a.alerts || a.rank - b.rank || (a.key < b.key ? -1 : a.key > b.key ? 1 : 0))
    .slice(0, MAX_SUMMARY_ENTITIES);
}

/**
 * Categories in the order they lead an incident's title among alerts of one severity: what an attacker achieved
 * or is doing (impact, stolen credentials, data leaving, remote control, spreading) before how they got there, and
 * the noise of evasion and discovery last. Unknown categories come after the known.
 */
const LEAD_ORDER: readonly string[] = [
  'ransomware',
  'impact',
  'credentialAccess',
  'exfiltration',
  'commandAndControl',
  'lateralMovement',
  'malware',
  'exploit',
  'phishing',
  'privilegeEscalation',
  'execution',
  'persistence',
  'initialAccess',
  'collection',
  'networkIntrusion',
  'unwantedSoftware',
  'defenseEvasion',
  'stealth',
  'defenseImpairment',
  'discovery',
  'reconnaissance',
  'resourceDevelopment',
  'suspiciousActivity',
  'policyViolation',
];

export function leadOrder(category: string | null | undefined): number {
  const at = category ? LEAD_ORDER.indexOf(category) : -1;
  return at < 0 ? LEAD_ORDER.length : at;
}

/** The summary of an incident made of `parts` (none for a new one) with `added` alerts joining it. */
export function summarizeIncident(
  parts: readonly IncidentAggregate[],
  added: readonly JoiningAlert[],
): IncidentSummaryUpdate {
  let lead: { title: string; category: string | null; rank: number; order: number; time: number } | undefined;
  const consider = (title: string, category: string | null, severity: Severity, time: number) => {
    const rank = severityRank(severity);
    const order = leadOrder(category);
    if (
      !lead ||
      rank > lead.rank ||
      (rank === lead.rank && (order < lead.order || (order === lead.order && time < lead.time)))
    )
      lead = { title, category, rank, order, time };
  };
  const counts = new Map<string, Counted>();
  const count = (type: string, key: string, alerts: number) => {
    const entry = counts.get(key);
    if (entry) entry.alerts += alerts;
    else counts.set(key, { type, key, alerts, rank: ENTITY_RANK.get(type) ?? 0 });
  };
  // The list kept as it is when the incident is one part and the alerts added name no device it lacks (most
  // updates of a busy incident): not read, sorted and written again.
  const only = parts.length === 1 ? (parts[0] as IncidentAggregate).devices : undefined;
  const kept =
    only !== undefined &&
    !only.many &&
    added.every((alert) => alert.entities.every((entity) => entity.type !== 'device' || only.has(entity.key)))
      ? only
      : undefined;
  const devices = new Set<string>();
  let manyDevices = false;
  let alertCount = 0;
  let first = Number.POSITIVE_INFINITY;
  let last = Number.NEGATIVE_INFINITY;
  for (const part of parts) {
    consider(part.leadTitle, part.leadCategory, part.severity, part.firstActivityAt);
    alertCount += part.alertCount;
    first = Math.min(first, part.firstActivityAt);
    last = Math.max(last, part.lastActivityAt);
    for (const entity of part.entities) count(entity.type, entity.key, entity.alerts);
    if (part.devices.many) manyDevices = true;
    else if (!manyDevices && kept === undefined)
      for (const device of part.devices.keys()) devices.add(device);
  }
  for (const alert of added) {
    consider(alert.title, alert.category ?? null, alert.severity, alert.time);
    alertCount++;
    first = Math.min(first, alert.time);
    last = Math.max(last, alert.time);
    const seen = new Set<string>();
    for (const entity of alert.entities) {
      if (seen.has(entity.key) || !ENTITY_RANK.has(entity.type)) continue;
      seen.add(entity.key);
      count(entity.type, entity.key, 1);
      if (entity.type === 'device' && !manyDevices && kept === undefined) devices.add(entity.key);
    }
  }
  const top = lead as { title: string; category: string | null; rank: number };
  if (devices.size > MAX_TRACKED_DEVICES) manyDevices = true;
  const deviceCount = kept === undefined ? devices.size : kept.size;
  const sole = deviceCount !== 1 ? undefined : kept === undefined ? [...devices][0] : kept.keys()[0];
  const where = manyDevices
    ? ` on more than ${MAX_TRACKED_DEVICES} devices`
    : sole !== undefined
      ? ` on ${sole.slice('device:'.length)}`
      : deviceCount > 1
        ? ` on ${deviceCount} devices`
        : '';
  const others = alertCount - 1;
  const title = `${others > 0 ? `'${top.title}' and ${others} other alert${others === 1 ? '' : 's'}` : top.title}${where}`;
  return {
    title: title.length > MAX_TITLE ? `${title.slice(0, MAX_TITLE - 1)}…` : title,
    leadTitle: top.title,
    leadCategory: top.category,
    severity: severities[top.rank] as Severity,
    alertCount,
    firstActivityAt: first,
    lastActivityAt: last,
    entities: mainEntities([...counts.values()]).map(({ type, key, alerts }) => ({ type, key, alerts })),
    devices: kept ? { unchanged: true } : manyDevices ? { many: true } : { keys: [...devices].sort() },
  };
}
