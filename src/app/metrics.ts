/**
 * Prometheus metrics of an autoir process (prom-client): what waits in the store (alerts to correlate and to
 * investigate, investigations queued, actions waiting for approval, and how long the oldest of each has waited),
 * investigations and actions by state, the inputs as their processes report them (state, lag, counters), the
 * database pool, and this process's own work — each stage of the worker's passes timed, action attempts by outcome
 * — with Node's process metrics. Served at `/metrics` by `autoir serve` (with a viewer token) and on
 * `--metrics-port` by `autoir serve` and `autoir worker` (docs/deploy.md).
 */
import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from 'prom-client';
import type { Store } from '../store/ports.js';
import type { WorkObserver } from '../worker/worker.js';

export interface Metrics {
  /** The exposition text, store readings taken now. */
  text(): Promise<string>;
  readonly contentType: string;
  /** What the worker loop reports into. */
  readonly observe: WorkObserver;
}

const seconds = (iso: string | null, now: number) =>
  iso === null ? 0 : Math.max(0, (now - Date.parse(iso)) / 1000);

export function createMetrics(
  store: Store,
  options: { readonly role: string; readonly version: string },
): Metrics {
  const registry = new Registry();
  collectDefaultMetrics({ register: registry, prefix: 'autoir_' });
  const gauge = (name: string, help: string, labelNames: string[] = []) =>
    new Gauge({ name, help, labelNames, registers: [registry] });

  gauge('autoir_build_info', 'The version and role of this process (always 1).', ['version', 'role']).set(
    { version: options.version, role: options.role },
    1,
  );
  const storeUp = gauge('autoir_store_up', 'Whether the store answered this scrape (1) or not (0).');
  const waiting = gauge('autoir_queue_items', 'Items waiting to be processed, by queue.', ['queue']);
  const oldest = gauge(
    'autoir_queue_oldest_seconds',
    'How long the oldest item of each queue has waited (0 when it is empty).',
    ['queue'],
  );
  const investigations = gauge('autoir_investigations', 'Investigations by status.', ['status']);
  const actions = gauge('autoir_actions', 'Actions by status.', ['status']);
  const incidents = gauge('autoir_incidents_active', 'Incidents whose status is active.');
  const inputState = gauge(
    'autoir_input_state',
    'Each input and its state (1), as its process reported it.',
    ['input', 'kind', 'state'],
  );
  const inputLag = gauge(
    'autoir_input_lag_seconds',
    'How long the oldest thing an input received has waited.',
    ['input', 'kind'],
  );
  const inputCounts = gauge(
    'autoir_input_items',
    'What each input stored since its process started it, by kind of item.',
    ['input', 'kind', 'item'],
  );
  const pool = gauge('autoir_db_connections', 'Database connections of this process (PostgreSQL).', [
    'state',
  ]);
  const poolMax = gauge('autoir_db_connections_max', 'The most database connections this process opens.');

  const stageSeconds = new Histogram({
    name: 'autoir_worker_stage_seconds',
    help: "Duration of each stage of this process's worker passes.",
    labelNames: ['stage'],
    buckets: [0.001, 0.005, 0.01, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30],
    registers: [registry],
  });
  const stageItems = new Counter({
    name: 'autoir_worker_items_total',
    help: 'What the worker stages of this process did: alerts correlated, alerts handed to investigations, investigation steps, action attempts.',
    labelNames: ['stage'],
    registers: [registry],
  });
  const attempts = new Counter({
    name: 'autoir_action_attempts_total',
    help: "Action attempts by this process's worker, by outcome.",
    labelNames: ['outcome'],
    registers: [registry],
  });

  const refresh = async () => {
    const now = Date.now();
    try {
      const [load, byStatus, actionStats, active, inputs] = await Promise.all([
        store.workload(),
        store.investigations.stats(),
        store.actions.stats(new Date(now)),
        store.incidents.countIncidents({ statuses: ['active'] }),
        store.inputs.list(),
      ]);
      waiting.set({ queue: 'correlation' }, load.alertsUncorrelated);
      waiting.set({ queue: 'investigation' }, load.alertsUninvestigated);
      waiting.set({ queue: 'investigations_queued' }, load.investigationsQueued);
      waiting.set({ queue: 'approval' }, actionStats.pending);
      oldest.set({ queue: 'correlation' }, seconds(load.oldestUncorrelatedAt, now));
      oldest.set({ queue: 'investigation' }, seconds(load.oldestUninvestigatedAt, now));
      oldest.set({ queue: 'investigations_queued' }, seconds(load.oldestQueuedInvestigationAt, now));
      oldest.set({ queue: 'approval' }, seconds(actionStats.oldestPendingAt, now));
      investigations.reset();
      for (const [status, count] of Object.entries(byStatus.byStatus)) investigations.set({ status }, count);
      actions.reset();
      for (const [status, count] of Object.entries(actionStats.byStatus)) actions.set({ status }, count);
      incidents.set(active.total);
      inputState.reset();
      inputLag.reset();
      inputCounts.reset();
      for (const input of inputs) {
        const labels = { input: input.name, kind: input.kind };
        inputState.set({ ...labels, state: input.state }, 1);
        const lag = input.stats.lagSeconds;
        inputLag.set(labels, typeof lag === 'number' ? lag : 0);
        for (const item of [
          'events',
          'alerts',
          'errors',
          'duplicateEvents',
          'requests',
          'refused',
          'dropped',
        ])
          if (typeof input.stats[item] === 'number')
            inputCounts.set({ ...labels, item }, input.stats[item] as number);
      }
      storeUp.set(1);
    } catch {
      storeUp.set(0);
    }
    const connections = store.connections();
    if (connections) {
      pool.set({ state: 'open' }, connections.total);
      pool.set({ state: 'idle' }, connections.idle);
      pool.set({ state: 'waiting' }, connections.waiting);
      poolMax.set(connections.max);
    }
  };

  return {
    contentType: registry.contentType,
    async text() {
      await refresh();
      return registry.metrics();
    },
    observe: {
      stage(stage, duration, count) {
        stageSeconds.observe({ stage }, duration);
        if (count > 0) stageItems.inc({ stage }, count);
      },
      actions(outcomes) {
        for (const [outcome, count] of Object.entries(outcomes))
          if (count > 0) attempts.inc({ outcome }, count);
      },
    },
  };
}
