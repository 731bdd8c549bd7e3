/**
 * `npm run bench -- correlate [--count N]`: correlate generated alerts (default 1,000,000 over 20,000 devices and
 * 50,000 users, 30 days) with realistic overlap and noise — a few busy hosts and accounts, service accounts on
 * many hosts, popular files (browsers, installers) and rare ones (malware), campaigns that move across a handful
 * of hosts, common infrastructure IPs and domains. Prints one line: alerts/s of the correlation function in-process
 * and through the SQLite store as alerts arrive, with the details of each and peak RSS (`--backend none` or
 * `--backend sqlite` for one of them: see docs/benchmarks.md).
 */
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { correlatePending } from '../src/correlate/correlator.js';
import { type Entity } from '../src/domain/entity.js';
import { correlate, type CorrelationAlert } from '../src/correlate/correlate.js';
import { createRandom } from './generate.js';
import type { Store } from '../src/store/ports.js';
import type { IncidentStore } from '../src/store/incident-store.js';
import { openBenchStore } from './store.js';
import { writeAlerts } from '../src/ingest/prepare-alert.js';
import {
  createDevice,
  createDomain,
  createFile,
  createIp,
  createProcess,
  createUser,
} from '../src/domain/entity-builders.js';
import { timelineMemory } from '../src/correlate/timeline-memory.js';

export function generateCorrelationAlerts(count: number, seed = 7): CorrelationAlert[] {
  const random = createRandom(seed);
  const skewed = (size: number, power = 3) => Math.floor(size * random() ** power);
  const devices = Array.from(
    { length: 20_000 },
    (_, index) => createDevice({ hostname: `ws${index}.corp.example` }) as Entity,
  );
  const users = Array.from(
    { length: 50_000 },
    (_, index) => createUser({ name: `corp\\user${index}` }) as Entity,
  );
  const files = Array.from(
    { length: 20_000 },
    (_, index) =>
      createFile({
        sha256: index.toString(16).padStart(64, 'a'),
        path: `C:\\Users\\x\\f${index}.exe`,
      }) as Entity,
  );
  const ips = Array.from(
    { length: 5_000 },
    (_, index) => createIp({ address: `203.0.${Math.floor(index / 250)}.${(index % 250) + 1}` }) as Entity,
  );
  const domains = Array.from(
    { length: 3_000 },
    (_, index) => createDomain({ name: `site${index}.example.net` }) as Entity,
  );
  const start = Date.UTC(2024, 0, 1);
  const span = 30 * 24 * 3600 * 1000;
  const alerts: CorrelationAlert[] = [];
  for (let index = 0; index < count; index++) {
    const deviceIndex = skewed(devices.length, 2);
    const device = devices[deviceIndex] as Entity;
    // Mostly one of the device's two own users (40,000 of the 50,000); sometimes one of 10,000 people who log on
    // to many machines (helpdesk, admins) or one of 50 service accounts seen everywhere.
    const pick = random();
    const user = (
      pick < 0.85
        ? users[deviceIndex * 2 + (random() < 0.7 ? 0 : 1)]
        : pick < 0.95
          ? users[40_000 + skewed(10_000, 2)]
          : users[40_000 + skewed(50, 1)]
    ) as Entity;
    const entities: Entity[] = [device, user];
    const roll = random();
    if (roll < 0.5) entities.push(files[skewed(files.length, 4)] as Entity);
    if (roll > 0.3 && roll < 0.7) entities.push(ips[skewed(ips.length, 4)] as Entity);
    if (roll > 0.6) entities.push(domains[skewed(domains.length, 4)] as Entity);
    const process = createProcess({
      device: (device as { fqdn?: string; hostname: string }).fqdn ?? 'x',
      pid: 1000 + skewed(60_000, 1),
    });
    if (process) entities.push(process);
    alerts.push({ id: `alr_${index + 1}`, time: start + Math.floor(random() * span), entities });
  }
  return alerts;
}

export function benchCorrelate(options: { count: number }): Record<string, unknown> {
  let peakRss = process.memoryUsage().rss;
  const sampler = setInterval(() => (peakRss = Math.max(peakRss, process.memoryUsage().rss)), 50);
  try {
    const alerts = generateCorrelationAlerts(options.count);
    const start = performance.now();
    const result = correlate(alerts);
    const seconds = (performance.now() - start) / 1000;
    peakRss = Math.max(peakRss, process.memoryUsage().rss);
    const sizes = result.groups.map((group) => group.length).sort((a, b) => b - a);
    return {
      bench: 'correlate',
      backend: 'none',
      alerts: options.count,
      devices: 20_000,
      users: 50_000,
      correlate_s: Math.round(seconds * 1000) / 1000,
      in_process_alerts_per_s: Math.round(options.count / seconds),
      incidents: result.groups.length,
      largest_incident: sizes[0],
      links: result.links.length,
      weak_entities: result.weak.size,
      peak_rss_mb: Math.round(peakRss / 1024 / 1024),
    };
  } finally {
    clearInterval(sampler);
  }
}

/**
 * The order alerts reach the store in: as they are raised, mostly — one in twenty arrives late, up to 6 hours
 * after its time (a sensor that was offline, a batch export) — so that the correlation of late alerts is measured
 * too.
 */
/** Alerts stored per arrival (one ingest of a SIEM's export, say), each followed by correlation. */
const ARRIVAL_CHUNK = 10_000;

export function arrivalOrder(alerts: readonly CorrelationAlert[], seed = 11): CorrelationAlert[] {
  const random = createRandom(seed);
  const arrival = alerts.map((alert) => ({
    alert,
    at: alert.time + (random() < 0.05 ? Math.floor(random() * 6 * 3600 * 1000) : 0),
  }));
  return arrival.sort((a, b) => a.at - b.at).map(({ alert }) => alert);
}

/**
 * Alerts held as JSON in one buffer, read back an arrival at a time: the run's million alerts are not objects on the
 * heap (some five million), which the collector would walk again and again while the timed correlation runs — a cost
 * of this harness (a correlating process does not hold every alert), measured at about an eighth of the run.
 */
class PackedAlerts {
  private constructor(
    private readonly text: Buffer,
    /** Where alert i's JSON starts (`offsets[i + 1]` where it ends). */
    private readonly offsets: Float64Array,
  ) {}

  static of(alerts: readonly CorrelationAlert[]): PackedAlerts {
    const parts = alerts.map((alert) => Buffer.from(JSON.stringify(alert)));
    const offsets = new Float64Array(parts.length + 1);
    parts.forEach((part, index) => (offsets[index + 1] = (offsets[index] as number) + part.length));
    return new PackedAlerts(Buffer.concat(parts), offsets);
  }

  get length(): number {
    return this.offsets.length - 1;
  }

  slice(start: number, end: number): CorrelationAlert[] {
    const alerts: CorrelationAlert[] = [];
    for (let index = start; index < Math.min(end, this.length); index++)
      alerts.push(
        JSON.parse(
          this.text.toString('utf8', this.offsets[index] as number, this.offsets[index + 1] as number),
        ) as CorrelationAlert,
      );
    return alerts;
  }
}

/** Correlation's store calls, each timed: where a step's time goes. */
const TIMED_CALLS = ['pendingAlerts', 'keyTimelines', 'neighbourAlerts', 'apply', 'timelineRows'] as const;

/**
 * The store as `correlatePending` sees it, with each transaction's store calls and its begin and commit timed into
 * `seconds`; the rest of a step is correlation's own work (the function, the plan) and taking the lock.
 */
function timedStore(store: Store, seconds: Record<string, number>): Store {
  const add = (phase: string, since: number) =>
    (seconds[phase] = (seconds[phase] ?? 0) + (performance.now() - since) / 1000);
  return {
    ...store,
    async transaction(work) {
      const begin = performance.now();
      let inWork = 0;
      try {
        return await store.transaction(async (inner) => {
          const started = performance.now();
          const incidents: IncidentStore = { ...inner.incidents };
          for (const call of TIMED_CALLS) {
            const original = inner.incidents[call] as (...args: unknown[]) => Promise<unknown>;
            (incidents as unknown as Record<string, unknown>)[call] = async (...args: unknown[]) => {
              const since = performance.now();
              try {
                return await original.apply(inner.incidents, args);
              } finally {
                add(call, since);
              }
            };
          }
          try {
            return await work({ ...inner, incidents });
          } finally {
            inWork = performance.now() - started;
          }
        });
      } finally {
        seconds.transaction = (seconds.transaction ?? 0) + (performance.now() - begin - inWork) / 1000;
      }
    },
  };
}

/**
 * The same through the store, as alerts arrive: 10,000 at a time are stored (not timed), then `correlatePending`
 * puts what is pending in incidents, as `autoir run` does (timed). Late alerts are correlated against incidents
 * made before they came.
 */
export async function benchCorrelateStore(options: {
  count: number;
  backend?: 'sqlite' | 'postgres';
}): Promise<Record<string, unknown>> {
  const backend = options.backend ?? 'sqlite';
  const dir = mkdtempSync(path.join(os.tmpdir(), 'autoir-bench-'));
  let peakRss = process.memoryUsage().rss;
  const sampler = setInterval(() => (peakRss = Math.max(peakRss, process.memoryUsage().rss)), 50);
  try {
    const alerts = PackedAlerts.of(arrivalOrder(generateCorrelationAlerts(options.count)));
    const bench = await openBenchStore(backend, dir);
    const store = bench.store;
    const phases: Record<string, number> = {};
    const timed = timedStore(store, phases);
    const now = new Date();
    let seconds = 0;
    let cpuSeconds = 0;
    const summary = { alerts: 0, incidentsCreated: 0, incidentsMerged: 0 };
    for (let start = 0; start < alerts.length; start += ARRIVAL_CHUNK) {
      await writeAlerts(
        store.alerts,
        alerts.slice(start, start + ARRIVAL_CHUNK).map((alert) => ({
          draft: {
            source: 'bench',
            sourceRef: alert.id,
            title: 'Generated alert',
            severity: 'medium' as const,
            mitreTechniques: [],
            createdAt: new Date(alert.time).toISOString(),
            entities: alert.entities,
          },
          format: 'autoir',
        })),
        now,
      );
      const begin = performance.now();
      const cpuBefore = process.cpuUsage();
      const step = await correlatePending(timed);
      seconds += (performance.now() - begin) / 1000;
      const cpu = process.cpuUsage(cpuBefore);
      cpuSeconds += (cpu.user + cpu.system) / 1e6;
      summary.alerts += step.alerts;
      summary.incidentsCreated += step.incidentsCreated;
      summary.incidentsMerged += step.incidentsMerged;
    }
    if (summary.alerts !== options.count)
      throw new Error(`correlated ${summary.alerts} alerts of ${options.count}`);
    const memory = timelineMemory(timed);
    await bench.close();
    return {
      bench: 'correlate',
      backend,
      alerts: options.count,
      correlate_s: Math.round(seconds * 1000) / 1000,
      store_alerts_per_s: Math.round(options.count / seconds),
      // CPU time of the correlating thread(s): steadier than wall time on a shared machine.
      cpu_s: Math.round(cpuSeconds * 1000) / 1000,
      incidents: summary.incidentsCreated - summary.incidentsMerged,
      merges: summary.incidentsMerged,
      // Seconds in each store call, in begin + commit (`transaction`), and in correlation's own work (`other`: the
      // function and the plan).
      phases_s: Object.fromEntries(
        [
          ...Object.entries(phases),
          ['other', seconds - Object.values(phases).reduce((sum, value) => sum + value, 0)],
        ].map(([phase, value]) => [phase, Math.round((value as number) * 100) / 100]),
      ),
      // Steps answered from timelines held in memory (of ~count / 10,000), and the rows held at the end.
      timeline_memory: { ...memory.stats, rows: memory.rows },
      peak_rss_mb: Math.round(peakRss / 1024 / 1024),
    };
  } finally {
    clearInterval(sampler);
    rmSync(dir, { recursive: true, force: true });
  }
}
