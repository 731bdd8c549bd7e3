/**
 * The correlation stage over the store: alerts not yet in an incident are correlated with the alerts around them
 * (those naming their strong entities within the window, and every alert of the incidents those are in), by the
 * same function as a whole set (correlate.ts). Each resulting group keeps the incident holding most of its alerts;
 * the other incidents of the group are merged into it (redirected, the merge recorded with the link that bridged
 * them); a group without one gets a new incident. Incidents never split: alerts once together stay together.
 * Timelines come from memory while this process correlates alone (timelines.ts), else from the store.
 */
import { publicIncidentId } from '../domain/ids.js';
import { readdirSync } from 'node:fs';
import { getHeapStatistics } from 'node:v8';
import path from 'node:path';
import { packageRoot } from '../version.js';
import { type HeldTimeline } from './timelines.js';
import type { Entity } from '../domain/entity.js';
import { loadWarninglists, type Allowlist } from './allowlist.js';
import {
  DEFAULT_MAX_ALERTS,
  DEFAULT_MAX_DEVICES,
  DEFAULT_WINDOW_MS,
  correlate,
  intrinsicWeakness,
  type CorrelationAlert,
  type CorrelationOptions,
} from './correlate.js';
import type {
  CorrelationPlan,
  CorrelationPorts,
  CorrelationRow,
  CorrelationStep,
  KeyTimeline,
  NeighbourAlert,
  TimelineLimits,
  TimelineRequest,
} from './ports.js';
import { timelineMemory, type TimelineMemory } from './timeline-memory.js';

export interface CorrelationSummary {
  /** Alerts put in an incident. */
  alerts: number;
  incidentsCreated: number;
  incidentsMerged: number;
  /** The first {@link MAX_LISTED_INCIDENTS} incidents created (`inc_…`), for the person who ingested. */
  created: string[];
}

/** Incidents a correlation summary names, at most. */
export const MAX_LISTED_INCIDENTS = 20;

/** The warninglists shipped with autoir (config/warninglists), plus any given. */
export function defaultAllowlist(extra: readonly string[] = []): Allowlist {
  const dir = path.join(packageRoot(), 'config', 'warninglists');
  const files = readdirSync(dir)
    .filter((name) => name.endsWith('.json'))
    .sort()
    .map((name) => path.join(dir, name));
  return loadWarninglists([...files, ...extra]);
}

const alertKey = (id: number) => `a${id}`;
const idOf = (key: string) => Number(key.slice(1));

/**
 * Alerts correlated per step (one transaction). Larger steps share the reading of busy entities' timelines and the
 * update of busy incidents among more alerts; each holds the store's write lock for its length (about a second at
 * this size on a small machine).
 */
export const CORRELATION_BATCH = 10_000;

/**
 * The step size for this process: {@link CORRELATION_BATCH}, or fewer where the heap is small (a step holds its
 * alerts, their timelines and the groups in memory at once: about 7 KB an alert at its peak, beside what the process holds already), so that a process run
 * with a capped heap (`--max-old-space-size=64`) correlates what it ingested within it. A 256 MB heap limit (64 MB
 * old space) gives 2,048 a step; Node's defaults on any machine with 2 GB or more give the full step.
 */
export function correlationBatch(heapLimit = getHeapStatistics().heap_size_limit): number {
  return Math.max(1_000, Math.min(CORRELATION_BATCH, Math.floor(heapLimit / 131_072)));
}

/** Correlate every alert not yet in an incident, batch by batch. */
export async function correlatePending(
  store: CorrelationPorts,
  options: CorrelationOptions = {},
  now: () => Date = () => new Date(),
  batchSize = correlationBatch(),
): Promise<CorrelationSummary> {
  const windowMs = options.windowMs ?? DEFAULT_WINDOW_MS;
  const maxAlerts = options.maxAlerts ?? DEFAULT_MAX_ALERTS;
  const maxDevices = options.maxDevices ?? DEFAULT_MAX_DEVICES;
  const summary: CorrelationSummary = { alerts: 0, incidentsCreated: 0, incidentsMerged: 0, created: [] };
  // Nothing waiting (most passes of an idle worker): no transaction, and the correlation lock left to others.
  if ((await store.incidents.pendingAlerts(1)).length === 0) return summary;
  const memory = timelineMemory(store);
  for (;;) {
    // One batch is one transaction, under the correlation lock: two correlating processes (API servers, workers
    // on one PostgreSQL) take turns, and each decides on what the other has committed.
    let done: boolean;
    try {
      done = await store.transaction(async (tx) => {
        await tx.incidents.lockForCorrelation();
        return correlateBatch(
          tx,
          options,
          now,
          batchSize,
          { windowMs, maxAlerts, maxDevices },
          summary,
          memory,
        );
      });
    } catch (error) {
      memory.abandon();
      throw error;
    }
    if (done) return summary;
  }
}

async function correlateBatch(
  store: CorrelationStep,
  options: CorrelationOptions,
  now: () => Date,
  batchSize: number,
  limits: TimelineLimits,
  summary: CorrelationSummary,
  memory: TimelineMemory,
): Promise<boolean> {
  const { maxAlerts, maxDevices } = limits;
  // One more than the batch: whether any alert not yet in an incident is left beyond it.
  const fetched = await store.incidents.pendingAlerts(batchSize + 1);
  if (fetched.length === 0) return true;
  const more = fetched.length > batchSize;
  const pending = more ? fetched.slice(0, batchSize) : fetched;
  const generation = await store.incidents.correlationGeneration();
  const held = await memory.begin(store, { generation, pending, more, windowMs: limits.windowMs });
  const pendingIds = new Set(pending.map((alert) => alert.id));

  // Each candidate link of the batch, with the span of time its pending alerts cover.
  const spans = new Map<string, { entity: Entity; from: number; to: number; mentions: number }>();
  const weak = new Set<string>();
  for (const alert of pending)
    for (const entity of alert.entities) {
      const span = spans.get(entity.key);
      if (!span) {
        if (weak.has(entity.key)) continue;
        if (intrinsicWeakness(entity, options)) weak.add(entity.key);
        else spans.set(entity.key, { entity, from: alert.time, to: alert.time, mentions: 1 });
      } else {
        span.from = Math.min(span.from, alert.time);
        span.to = Math.max(span.to, alert.time);
        span.mentions++;
      }
    }

  // Each key's timeline around its span, from the entity index: prevalence within the window, and the alerts next
  // to the span (the last before it, the first after it) and inside it.
  const keys = [...spans.keys()];
  const requests: TimelineRequest[] = keys.map((key) => {
    const span = spans.get(key) as { entity: Entity; from: number; to: number; mentions: number };
    return {
      key,
      from: span.from,
      to: span.to,
      mentions: span.mentions,
      prevalence: span.entity.type !== 'device',
    };
  });
  // From the timelines held in memory where they are trusted and reach back far enough; else from the store.
  const timelines: (KeyTimeline | HeldTimeline)[] = new Array<KeyTimeline>(requests.length);
  const fromStore: number[] = [];
  requests.forEach((request, position) => {
    if (held?.covers(request, limits.windowMs)) timelines[position] = held.timeline(request, limits);
    else fromStore.push(position);
  });
  if (fromStore.length > 0) {
    const read = await store.incidents.keyTimelines(
      fromStore.map((position) => requests[position] as TimelineRequest),
      limits,
    );
    read.forEach((timeline, index) => (timelines[fromStore[index] as number] = timeline));
  }
  const weakKeys = new Map<string, string>();
  // Neighbours to confirm in the store (alert → the keys it was found by), and those memory confirmed.
  const foundBy = new Map<number, string[]>();
  const heldBy = new Map<number, { time: number; keys: string[] }>();
  for (let position = 0; position < keys.length; position++) {
    const key = keys[position] as string;
    const timeline = timelines[position] as KeyTimeline;
    // A device is never weak by prevalence: a busy host's alerts are still its story (as in `correlate`).
    if (!key.startsWith('device:')) {
      if (timeline.alerts > maxAlerts) {
        weakKeys.set(key, `named by more than ${maxAlerts} alerts within the window`);
        continue;
      }
      if (timeline.devices > maxDevices) {
        weakKeys.set(key, `seen on more than ${maxDevices} devices within the window`);
        continue;
      }
    }
    for (const neighbour of timeline.neighbours) {
      const alertId = neighbour.alertId;
      if (pendingIds.has(alertId)) continue;
      if ('confirmed' in neighbour && neighbour.confirmed) {
        const found = heldBy.get(alertId);
        if (found) found.keys.push(key);
        else heldBy.set(alertId, { time: neighbour.time, keys: [key] });
        continue;
      }
      const keys = foundBy.get(alertId);
      if (keys) keys.push(key);
      else foundBy.set(alertId, [key]);
    }
  }
  // A neighbour memory confirmed and knows the incident of is answered there; one also found by a key it could not
  // confirm, or whose incident it does not know, is asked of the store (with all its keys).
  const found: NeighbourAlert[] = [];
  for (const [alertId, { time, keys }] of heldBy) {
    const incident = foundBy.has(alertId) ? undefined : held?.incidentOf(alertId);
    if (incident) {
      found.push({ id: alertId, time, incidentId: incident.id, incidentAlerts: incident.alerts, keys });
      continue;
    }
    const more = foundBy.get(alertId);
    if (more) more.push(...keys);
    else foundBy.set(alertId, keys);
  }
  if (foundBy.size > 0) {
    const answered = await store.incidents.neighbourAlerts(foundBy);
    held?.learn(answered);
    found.push(...answered);
  }

  // The neighbours beyond the batch, each with the entities it was found by (confirmed against its own: the index
  // is by hash) and its incident. One not yet in an incident is left for its own batch: it finds this one then.
  const neighbours = new Map<number, NeighbourAlert>();
  const input: CorrelationAlert[] = pending.map((alert) => ({
    id: alertKey(alert.id),
    time: alert.time,
    entities: alert.entities,
  }));
  for (const neighbour of found) {
    neighbours.set(neighbour.id, neighbour);
    input.push({
      id: alertKey(neighbour.id),
      time: neighbour.time,
      entities: neighbour.keys.map((key) => spans.get(key)?.entity as Entity),
      group: `i${neighbour.incidentId}`,
    });
  }

  const result = correlate(input, { ...options, weakKeys });
  const incidentOf = (key: string) => neighbours.get(idOf(key))?.incidentId ?? null;
  const plan: { groups: CorrelationPlan['groups'][number][]; links: CorrelationPlan['links'][number][] } = {
    groups: [],
    links: [],
  };
  const rows = new Map(pending.map((alert) => [alert.id, alert]));
  // The first link touching each incident: what bridged it into its group, if it is merged.
  const bridges = new Map<number, (typeof result.links)[number]>();
  for (const link of result.links)
    for (const end of [link.alertId, link.otherAlertId]) {
      const incident = incidentOf(end);
      if (incident !== null && !bridges.has(incident)) bridges.set(incident, link);
    }
  result.groups.forEach((group) => {
    const assign = group.map(idOf).filter((id) => pendingIds.has(id));
    // The group keeps its largest incident (then the oldest); the others are merged into it.
    const sizes = new Map<number, number>();
    for (const key of group) {
      const neighbour = neighbours.get(idOf(key));
      if (neighbour?.incidentId != null) sizes.set(neighbour.incidentId, neighbour.incidentAlerts);
    }
    const ranked = [...sizes].sort((a, b) => b[1] - a[1] || a[0] - b[0]);
    const target = ranked[0]?.[0] ?? null;
    if (assign.length === 0 && ranked.length < 2) return;
    const merged = ranked.slice(1).map(([id]) => {
      const bridge = bridges.get(id);
      return { id, alertId: bridge ? idOf(bridge.alertId) : null, entityKey: bridge?.entityKey ?? null };
    });
    plan.groups.push({ target, merged, assign, added: assign.map((id) => rows.get(id) as CorrelationRow) });
  });
  // Every link is new: alerts of one incident are joined by their group before any link, so a link only ever
  // joins what was apart.
  for (const link of result.links)
    plan.links.push({
      alertId: idOf(link.alertId),
      otherAlertId: idOf(link.otherAlertId),
      entityKey: link.entityKey,
    });
  const applied = await store.incidents.apply(plan, now());
  // `apply` bumped the generation once: the timelines (with this step's rows) mirror the store at the next one.
  memory.end(pending, generation + 1, { plan, result: applied });
  summary.alerts += applied.assigned;
  summary.incidentsCreated += applied.created;
  plan.groups.forEach((group, index) => {
    const incident = applied.incidents[index];
    if (group.target === null && incident && summary.created.length < MAX_LISTED_INCIDENTS)
      summary.created.push(publicIncidentId(incident.id));
  });
  summary.incidentsMerged += applied.merged;
  // Done when nothing was left beyond this batch: alerts that arrive meanwhile are the next pass's.
  return !more;
}
