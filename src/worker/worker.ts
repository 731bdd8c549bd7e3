/**
 * The loop that does waiting work: correlate alerts into incidents, hand them to investigations, and run
 * investigations claimed from the store. `runUntilIdle` stops when nothing is left; `runWorker` keeps polling
 * until its signal aborts. Several workers (processes) on one PostgreSQL share the work: each investigation is
 * claimed by one at a time, and each of its steps commits once.
 */
import { hostname } from 'node:os';
import { MAX_LISTED_INCIDENTS, correlatePending, type CorrelationSummary } from '../correlate/correlator.js';
import type { CorrelationOptions } from '../correlate/correlate.js';
import { runInvestigation, type EngineLimits } from '../investigate/engine.js';
import type { ProtectedProcesses } from '../domain/guardrails.js';
import type { PlaybookSet } from '../investigate/playbooks.js';
import { triggerInvestigations, type TriggerSummary } from '../investigate/trigger.js';
import { DEFAULT_LEASE_MS } from '../domain/investigation-lifecycle.js';
import type { CorrelationPorts } from '../correlate/ports.js';
import type { EnginePorts, TriggerPorts } from '../investigate/ports.js';
import type {
  ConnectorPorts,
  ConnectorSource,
  ExecutorPorts,
  MailSender,
  NotificationChannel,
  NotifyPorts,
  PlannerPorts,
} from '../respond/ports.js';
import { executePending } from '../respond/executor.js';
import { notifyEvents, notifyPending } from '../respond/notify.js';
import { replyToReporters, type ReplyPorts } from '../respond/report-replies.js';
import { loadPolicy } from '../respond/policy-config.js';
import { planPending } from '../respond/planner.js';
import type { EventRetention } from '../ingest/ports.js';
import { wait } from '../domain/wait.js';
import { silentLog, type Log } from '../domain/log.js';

/** What a worker is handed: the ports of every stage it runs. */
export type WorkerPorts = CorrelationPorts &
  TriggerPorts &
  EnginePorts &
  PlannerPorts &
  ExecutorPorts &
  NotifyPorts &
  ConnectorPorts &
  ReplyPorts &
  EventRetention;

export interface WorkOptions {
  readonly correlation: CorrelationOptions;
  readonly playbooks: PlaybookSet;
  readonly limits?: Partial<EngineLimits>;
  /** Processes never to be killed, per platform (domain/guardrails.ts); the built-in lists by default. */
  readonly protectedProcesses?: ProtectedProcesses;
  /** Investigations run at once across every worker; the rest stay queued. Default 10. */
  readonly maxRunning?: number;
  /** How long a claim holds without a step committing. Default 60 s. */
  readonly leaseMs?: number;
  /** Benchmarks only: each investigation step waits this long, claim held (EngineOptions.stepDelayMs). */
  readonly stepDelayMs?: number;
  readonly now?: () => Date;
  /** This worker's name in claims and the log. Default `host:pid:n`. */
  readonly worker?: string;
  /** The connectors in force (app/connectors.ts); none when not given: approved actions fail for want of one. */
  readonly connectors?: ConnectorSource;
  /** Where digests of pending actions go (app/connectors.ts); none when not given: no digest is sent. */
  readonly notifications?: NotificationChannel;
  /** autoir's outgoing mail (AUTOIR_MAIL's smtp): answers to employees who reported a message. None: no answers. */
  readonly mail?: MailSender;
  /** Actions run at once by this worker (default 8). */
  readonly actionConcurrency?: number;
  /** The URL connectors post asynchronous results to, per action (the server's, when one runs). */
  readonly callbackUrl?: (actionId: string) => string | null;
  /** Aborts connector calls in progress when the worker stops. */
  readonly signal?: AbortSignal;
  /**
   * What the worker does and what fails: a failed pass (error) and its back-off, retention, each action attempt
   * and its connector's lines, notifications not sent; each pass that did work (debug). None when not given.
   */
  readonly log?: Log;
  /** Told how long each stage of each pass took and what it did (the metrics). */
  readonly observe?: WorkObserver;
  /**
   * Telemetry retention (`AUTOIR_EVENT_RETENTION`): events whose time and arrival are both older are deleted, by a
   * long-running worker, at start and then every `everyMs` (default an hour). None: events are kept.
   */
  readonly eventRetention?: { readonly afterMs: number; readonly everyMs?: number };
  /** `alerts` events on it end an idle wait at once (alerts stored in this process: inputs, the API). */
  readonly wake?: EventTarget;
}

/** The stages of a worker's pass, in order. */
export type WorkStage = 'correlate' | 'trigger' | 'investigate' | 'respond';

export interface WorkObserver {
  /**
   * A stage of a pass took `seconds` and did `count` things: alerts put in incidents, alerts handed to
   * investigations, investigation steps run, action attempts made.
   */
  stage(stage: WorkStage, seconds: number, count: number): void;
  /** The outcomes of the action attempts of a pass. */
  actions(outcomes: { readonly succeeded: number; readonly failed: number; readonly retried: number }): void;
}

export interface WorkSummary {
  readonly correlation: CorrelationSummary;
  readonly investigations: TriggerSummary & { readonly steps: number; readonly ran: number };
  readonly actions: ActionWork;
}

export interface ActionWork {
  /** Actions planned from proposals: run at once by policy, or waiting for approval. */
  planned: number;
  approvedByPolicy: number;
  pendingApproval: number;
  skipped: number;
  expired: number;
  attempts: number;
  succeeded: number;
  failed: number;
  retried: number;
  notified: number;
}

const noConnectors: ConnectorSource = () => Promise.resolve([]);

let workers = 0;

export function workerName(): string {
  workers++;
  return `${hostname()}:${process.pid}:${workers}`;
}

/** One pass: correlate, trigger, then run claimable investigations until none can be claimed. */
async function pass(
  store: WorkerPorts,
  options: WorkOptions,
  worker: string,
  summary: MutableSummary,
): Promise<boolean> {
  const now = options.now ?? (() => new Date());
  const observe = options.observe;
  let started = performance.now();
  const timed = (stage: WorkStage, count: number) => {
    const ended = performance.now();
    observe?.stage(stage, (ended - started) / 1000, count);
    started = ended;
  };
  const correlation = await correlatePending(store, options.correlation, now);
  timed('correlate', correlation.alerts);
  summary.correlation.alerts += correlation.alerts;
  summary.correlation.incidentsCreated += correlation.incidentsCreated;
  summary.correlation.incidentsMerged += correlation.incidentsMerged;
  for (const id of correlation.created)
    if (summary.correlation.created.length < MAX_LISTED_INCIDENTS) summary.correlation.created.push(id);
  const triggered = await triggerInvestigations(store, options.playbooks, now);
  timed('trigger', triggered.created + triggered.joined + triggered.unsupported);
  summary.created += triggered.created;
  summary.joined += triggered.joined;
  summary.unsupported += triggered.unsupported;
  let worked = correlation.alerts + triggered.created + triggered.joined + triggered.unsupported > 0;
  let steps = 0;
  for (;;) {
    const claimed = await store.investigations.claim(
      worker,
      now(),
      options.leaseMs ?? DEFAULT_LEASE_MS,
      options.maxRunning ?? 10,
    );
    if (!claimed) break;
    worked = true;
    summary.ran++;
    const ran = await runInvestigation(store, claimed, worker, {
      playbooks: options.playbooks,
      ...(options.protectedProcesses ? { protectedProcesses: options.protectedProcesses } : {}),
      ...(options.limits ? { limits: options.limits } : {}),
      now,
      leaseMs: options.leaseMs ?? DEFAULT_LEASE_MS,
      ...(options.stepDelayMs ? { stepDelayMs: options.stepDelayMs } : {}),
      ...(options.signal ? { signal: options.signal } : {}),
    });
    summary.steps += ran;
    steps += ran;
  }
  timed('investigate', steps);
  const before = { ...summary.actions };
  const responded = await respond(store, options, worker, summary.actions);
  timed('respond', summary.actions.attempts - before.attempts);
  observe?.actions({
    succeeded: summary.actions.succeeded - before.succeeded,
    failed: summary.actions.failed - before.failed,
    retried: summary.actions.retried - before.retried,
  });
  return responded || worked;
}

/** The response stage's share of a pass: plan proposals, expire what waited too long, execute, notify. */
async function respond(
  workerStore: WorkerPorts,
  options: WorkOptions,
  worker: string,
  summary: ActionWork,
): Promise<boolean> {
  const now = options.now ?? (() => new Date());
  const store = settingsReadOnce(workerStore);
  const plan = await planPending(store, now);
  summary.planned += plan.approved + plan.pending;
  summary.approvedByPolicy += plan.approved;
  summary.pendingApproval += plan.pending;
  summary.skipped += plan.skipped;
  const expired =
    (await store.actions.expire(now())).length + (await store.actions.expireCallbacks(now())).length;
  summary.expired += expired;
  const executed = await executePending(store, {
    worker,
    now,
    connectors: options.connectors ?? noConnectors,
    ...(options.actionConcurrency !== undefined ? { concurrency: options.actionConcurrency } : {}),
    ...(options.callbackUrl ? { callbackUrl: options.callbackUrl } : {}),
    ...(options.signal ? { signal: options.signal } : {}),
    ...(options.log ? { log: options.log } : {}),
  });
  summary.attempts += executed.attempts;
  summary.succeeded += executed.succeeded;
  summary.failed += executed.failed;
  summary.retried += executed.retried;
  const channels = {
    ...(options.notifications ? { webhook: options.notifications } : {}),
    ...(options.mail ? { mail: options.mail } : {}),
  };
  const notified = await notifyPending(store, channels, now);
  summary.notified += notified.notified;
  const log = options.log ?? silentLog;
  if (notified.error) log.warn('the digest of pending actions was not sent', { err: notified.error });
  const announced = await notifyEvents(store, channels, now);
  for (const error of announced.errors) log.warn('a notification was not sent', { err: error });
  if (options.mail) {
    const replies = await replyToReporters(store, options.mail, now, await replyOptions(store));
    for (const error of replies.errors) log.warn('a reply to a reporter was not sent', { err: error });
  }
  return plan.proposals + expired + executed.attempts > 0;
}

/**
 * The store as one pass of the response stage sees it: each setting (the policy) read once, by the first of
 * planning, execution and notification that asks; a change made meanwhile is seen by the next pass.
 */
function settingsReadOnce(store: WorkerPorts): WorkerPorts {
  const read = new Map<string, Promise<unknown>>();
  const policy = Object.create(store.policy, {
    getSetting: {
      value: (key: string) => {
        let setting = read.get(key);
        if (setting === undefined) {
          setting = store.policy.getSetting(key);
          read.set(key, setting);
        }
        return setting;
      },
    },
  }) as WorkerPorts['policy'];
  return Object.create(store, { policy: { value: policy } }) as WorkerPorts;
}

/** Where replies link to (the policy's notifications.uiUrl). */
async function replyOptions(store: WorkerPorts): Promise<{ uiUrl?: string }> {
  const uiUrl = (await loadPolicy(store)).notifications.uiUrl;
  return uiUrl ? { uiUrl } : {};
}

interface MutableSummary {
  correlation: CorrelationSummary;
  created: number;
  joined: number;
  unsupported: number;
  steps: number;
  ran: number;
  actions: ActionWork;
}

function emptySummary(): MutableSummary {
  return {
    actions: {
      planned: 0,
      approvedByPolicy: 0,
      pendingApproval: 0,
      skipped: 0,
      expired: 0,
      attempts: 0,
      succeeded: 0,
      failed: 0,
      retried: 0,
      notified: 0,
    },
    correlation: { alerts: 0, incidentsCreated: 0, incidentsMerged: 0, created: [] },
    created: 0,
    joined: 0,
    unsupported: 0,
    steps: 0,
    ran: 0,
  };
}

function toSummary(summary: MutableSummary): WorkSummary {
  const { correlation, actions, ...investigations } = summary;
  return { correlation, investigations, actions };
}

/**
 * Run until nothing is left to do, then return. Investigations claimed by a process of this host that died are
 * taken over at once; those another live worker holds are left to it.
 */
export async function runUntilIdle(store: WorkerPorts, options: WorkOptions): Promise<WorkSummary> {
  const worker = options.worker ?? workerName();
  const summary = emptySummary();
  await store.investigations.releaseDeadClaims();
  await store.actions.releaseDeadClaims();
  while (await pass(store, options, worker, summary)) {
    // Another pass: what this one did may have made more work (a joined alert re-queues an investigation).
  }
  return toSummary(summary);
}

/**
 * Keep doing waiting work until `signal` aborts, polling every `pollMs` when idle. A pass that fails (the store
 * unreachable) is logged and tried again after a back-off: the worker outlives database restarts.
 */
export async function runWorker(
  store: WorkerPorts,
  options: WorkOptions,
  signal: AbortSignal,
  pollMs = 500,
): Promise<WorkSummary> {
  const worker = options.worker ?? workerName();
  const log = (options.log ?? silentLog).child({ worker });
  const summary = emptySummary();
  await store.investigations.releaseDeadClaims();
  await store.actions.releaseDeadClaims();
  options = { ...options, signal: options.signal ?? signal, log };
  log.info('worker started', { pollMs });
  let retainedAt: number | undefined;
  let failures = 0;
  // Alerts that arrived during a pass may have come after its correlation: the next pass starts without a wait.
  let nudged = false;
  const onNudge = () => (nudged = true);
  options.wake?.addEventListener('alerts', onNudge);
  while (!signal.aborted) {
    const retention = options.eventRetention;
    const now = (options.now ?? (() => new Date()))().getTime();
    if (retention && (retainedAt === undefined || now - retainedAt >= (retention.everyMs ?? 3_600_000))) {
      retainedAt = now;
      const cutoff = new Date(now - retention.afterMs);
      try {
        const deleted = await store.events.pruneEvents(cutoff, { arrivedBefore: cutoff, whole: true });
        if (deleted > 0)
          log.info(`retention: deleted ${deleted} events older than ${cutoff.toISOString()}`, {
            deleted,
            before: cutoff.toISOString(),
          });
        else log.debug('retention: nothing to delete', { before: cutoff.toISOString() });
      } catch (error) {
        log.warn('retention: events not pruned', { err: error });
      }
    }
    let worked: boolean;
    try {
      if (failures > 0) {
        // After a failed pass, what it held is let go, so that it runs again now rather than when the lease ends.
        await store.investigations.releaseDeadClaims(worker);
        await store.actions.releaseDeadClaims(worker);
      }
      nudged = false;
      const before = passCounts(summary);
      const started = performance.now();
      worked = await pass(store, options, worker, summary);
      if (failures > 0) log.info('worker pass succeeded again', { failures });
      failures = 0;
      if (worked)
        log.debug('worker pass', {
          ...passCounts(summary, before),
          ms: Math.round(performance.now() - started),
        });
    } catch (error) {
      // The store is unreachable (restarting, failing over) or a step failed: nothing half-done is committed (each
      // step is a transaction, claims expire); wait, longer each time up to 30 s, and go on.
      failures++;
      const waitMs = Math.min(30_000, 500 * 2 ** Math.min(failures - 1, 6));
      log.error(`worker pass failed: trying again in ${waitMs / 1000} s`, {
        err: error,
        failures,
        retryInMs: waitMs,
      });
      await wait(waitMs, signal);
      continue;
    }
    if (!worked && !nudged && !signal.aborted) {
      log.trace('nothing to do: waiting', { pollMs });
      await wait(pollMs, signal, options.wake && { target: options.wake, event: 'alerts' });
    }
  }
  options.wake?.removeEventListener('alerts', onNudge);
  log.info('worker stopped', { runs: summary.ran, steps: summary.steps, attempts: summary.actions.attempts });
  return toSummary(summary);
}

/** What a pass did, as counts (since `before` when given): for the worker's debug lines. */
function passCounts(summary: MutableSummary, before?: Record<string, number>): Record<string, number> {
  const now: Record<string, number> = {
    correlated: summary.correlation.alerts,
    investigationsStarted: summary.created,
    steps: summary.steps,
    actionsPlanned: summary.actions.planned,
    attempts: summary.actions.attempts,
  };
  if (!before) return now;
  return Object.fromEntries(Object.entries(now).map(([key, value]) => [key, value - (before[key] ?? 0)]));
}
