/**
 * The correlation stage over the store: alerts not yet in an incident are correlated with the alerts around them
 * (those naming their strong entities within the window, and every alert of the incidents those are in), by the
 * same function as a whole set (correlate.ts). Each resulting group keeps the incident holding most of its alerts;
 * the other incidents of the group are merged into it (redirected, the merge recorded with the link that bridged
 * them); a group without one gets a new incident. Incidents never split: alerts once together stay together.
 */
import { readdirSync } from 'node:fs';
import path from 'node:path';
import type { Store } from '../store/ports.js';
import { packageRoot } from '../version.js';
import type { CorrelationPlan, CorrelationRow } from '../store/incident-store.js';
import { loadWarninglists, type Allowlist } from './allowlist.js';
import {
  DEFAULT_MAX_ALERTS,
  DEFAULT_MAX_DEVICES,
  DEFAULT_WINDOW_MS,
  correlate,
  intrinsicWeakness,
  type CorrelationOptions,
} from './correlate.js';

export interface CorrelationSummary {
  /** Alerts put in an incident. */
  alerts: number;
  incidentsCreated: number;
  incidentsMerged: number;
}

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

/** Correlate every alert not yet in an incident, batch by batch. */
export async function correlatePending(
  store: Store,
  options: CorrelationOptions = {},
  now: () => Date = () => new Date(),
  batchSize = 2000,
): Promise<CorrelationSummary> {
  const windowMs = options.windowMs ?? DEFAULT_WINDOW_MS;
  const maxAlerts = options.maxAlerts ?? DEFAULT_MAX_ALERTS;
  const maxDevices = options.maxDevices ?? DEFAULT_MAX_DEVICES;
  const summary: CorrelationSummary = { alerts: 0, incidentsCreated: 0, incidentsMerged: 0 };
  for (;;) {
    // One batch is one transaction, under the correlation lock: two correlating processes (API servers, workers
    // on one PostgreSQL) take turns, and each decides on what the other has committed.
    const done = await store.transaction(async (tx) => {
      await tx.incidents.lockForCorrelation();
      return correlateBatch(tx, options, now, batchSize, { windowMs, maxAlerts, maxDevices }, summary);
    });
    if (done) return summary;
  }
}

async function correlateBatch(
  store: Store,
  options: CorrelationOptions,
  now: () => Date,
  batchSize: number,
  limits: { windowMs: number; maxAlerts: number; maxDevices: number },
  summary: CorrelationSummary,
): Promise<boolean> {
  const { windowMs, maxAlerts, maxDevices } = limits;
  {
    const pending = await store.incidents.pendingAlerts(batchSize);
    if (pending.length === 0) return true;

    // The neighbourhood: alerts naming the pending alerts' candidate links within the window.
    const candidates = new Map<string, true>();
    for (const alert of pending)
      for (const entity of alert.entities)
        if (!intrinsicWeakness(entity, options)) candidates.set(entity.key, true);
    const since = Math.min(...pending.map((alert) => alert.time)) - windowMs;
    const until = Math.max(...pending.map((alert) => alert.time)) + windowMs;
    const naming = await store.incidents.alertsNaming([...candidates.keys()], since, until, maxAlerts + 1);
    const rows = new Map<number, CorrelationRow>();
    for (const alert of pending) rows.set(alert.id, alert);
    const weakKeys = new Map<string, string>();
    for (const [key, found] of naming) {
      if (found.length > maxAlerts) {
        weakKeys.set(key, `named by more than ${maxAlerts} alerts`);
        continue;
      }
      if (!key.startsWith('device:')) {
        const devices = new Set(
          found.flatMap((alert) => alert.entities.filter((e) => e.type === 'device').map((e) => e.key)),
        );
        if (devices.size > maxDevices) {
          weakKeys.set(key, `seen on ${devices.size} devices (more than ${maxDevices})`);
          continue;
        }
      }
      for (const alert of found) rows.set(alert.id, alert);
    }
    // Whole incidents: a group is decided with all of each incident it touches.
    const incidents = [
      ...new Set(
        [...rows.values()].flatMap((alert) => (alert.incidentId === null ? [] : [alert.incidentId])),
      ),
    ];
    for (const alert of await store.incidents.alertsOfIncidents(incidents)) rows.set(alert.id, alert);

    const result = correlate(
      [...rows.values()].map((alert) => ({
        id: alertKey(alert.id),
        time: alert.time,
        entities: alert.entities,
        ...(alert.incidentId !== null ? { group: `i${alert.incidentId}` } : {}),
      })),
      { ...options, weakKeys },
    );

    const pendingIds = new Set(pending.map((alert) => alert.id));
    const plan: { groups: CorrelationPlan['groups'][number][]; links: CorrelationPlan['links'][number][] } = {
      groups: [],
      links: [],
    };
    const groupOf = new Map<string, number>();
    result.groups.forEach((group, index) => group.forEach((key) => groupOf.set(key, index)));
    for (const group of result.groups) {
      // Every alert of the group not yet in an incident: this batch's, and any neighbour beyond the batch.
      const assign = group.map(idOf).filter((id) => rows.get(id)?.incidentId === null);
      if (!group.some((key) => pendingIds.has(idOf(key)))) continue;
      const counts = new Map<number, number>();
      for (const key of group) {
        const incident = rows.get(idOf(key))?.incidentId;
        if (incident != null) counts.set(incident, (counts.get(incident) ?? 0) + 1);
      }
      const ranked = [...counts].sort((a, b) => b[1] - a[1] || a[0] - b[0]);
      const target = ranked[0]?.[0] ?? null;
      const merged = ranked.slice(1).map(([id]) => {
        // The link that bridged this incident into the group: one touching an alert of it.
        const bridge = result.links.find((link) => {
          const a = rows.get(idOf(link.alertId))?.incidentId;
          const b = rows.get(idOf(link.otherAlertId))?.incidentId;
          return groupOf.get(link.alertId) === groupOf.get(group[0] as string) && (a === id || b === id);
        });
        return { id, alertId: bridge ? idOf(bridge.alertId) : null, entityKey: bridge?.entityKey ?? null };
      });
      plan.groups.push({ target, merged, assign, added: assign.map((id) => rows.get(id) as CorrelationRow) });
    }
    for (const link of result.links) {
      const a = idOf(link.alertId);
      const b = idOf(link.otherAlertId);
      // New links only: those touching an alert of this batch (older ones are stored already).
      if (pendingIds.has(a) || pendingIds.has(b))
        plan.links.push({ alertId: a, otherAlertId: b, entityKey: link.entityKey });
    }
    const applied = await store.incidents.apply(plan, now());
    summary.alerts += applied.assigned;
    summary.incidentsCreated += applied.created;
    summary.incidentsMerged += applied.merged;
  }
  return false;
}
