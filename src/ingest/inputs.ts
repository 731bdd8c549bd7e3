/**
 * Configured inputs, run and watched: followed files and syslog receivers (docs/inputs.md), started by `autoir
 * serve` and `autoir worker`. Each input runs in one process of a deployment at a time: the process holds it in the
 * store (`inputs`), reports its state, lag and counters every few seconds, and another process takes it over when
 * the holder stops reporting (or, on the same host, at once when the holder's process is gone). An input that fails
 * (a port taken, a certificate unreadable) is reported `failed` with the reason and started again, backing off.
 */
import { wait } from '../domain/wait.js';
import { silentLog, type Log } from '../domain/log.js';
import { hostname } from 'node:os';
import { followFiles, type FollowStats } from './follow.js';
import type { IngestOptions, IngestSummary } from './pipeline.js';
import type { IngestPorts, InputOffsets, InputStatus, InputStatuses } from './ports.js';
import { SyslogReceiver, type SyslogProtocol } from './syslog-receiver.js';

interface InputCommon {
  /** `[a-z0-9][a-z0-9._-]*`: how it is listed, and the key its file offsets are kept under. */
  readonly name: string;
  /** Read every record as this format instead of sniffing (a format id). */
  readonly format?: string;
  /** Run Sigma rules on its events (default true). */
  readonly detect: boolean;
}

export interface FileInput extends InputCommon {
  readonly kind: 'file';
  /** Files, directories, or paths with `*` and `?` in their last part. */
  readonly paths: readonly string[];
}

export interface SyslogInput extends InputCommon {
  readonly kind: 'syslog';
  readonly protocol: SyslogProtocol;
  readonly host: string;
  readonly port: number;
  readonly tls?: { readonly cert: Buffer; readonly key: Buffer; readonly ca?: Buffer };
  /** Messages waiting to be stored beyond which TCP stops reading. */
  readonly highWater?: number;
}

export type InputDefinition = FileInput | SyslogInput;

/** What an input has done since this process started it. */
export interface InputCounters {
  batches: number;
  events: number;
  duplicateEvents: number;
  alerts: number;
  errors: number;
  lastBatchAt?: string;
}

export interface SuperviseOptions {
  readonly signal: AbortSignal;
  /** How an input's batches are ingested (its format, detection). */
  readonly ingest: (
    input: InputDefinition,
  ) => Omit<IngestOptions, 'store' | 'atomic' | 'checkpoint' | 'refs' | 'pool'>;
  /** After each stored batch (alerts are correlated here). */
  readonly afterBatch?: (summary: IngestSummary) => Promise<unknown>;
  /** Each input starting, standing by, failing and stopping; its records refused (lines carry `input`). */
  readonly log?: Log;
  /** Who holds the inputs (default `host:pid:inputs`). */
  readonly owner?: string;
  /** How often state is reported (default 2 s). */
  readonly reportMs?: number;
  /** A holder silent this long loses its inputs (default 30 s). */
  readonly leaseMs?: number;
  /** Whether the process holding an input is gone (a dead process of this host): taken over at once. */
  readonly takeOver?: (holder: string) => boolean;
  /** How long to wait before looking again at an input another process holds (default 5 s). */
  readonly standbyMs?: number;
}

export interface InputPorts extends IngestPorts {
  readonly inputOffsets: InputOffsets;
  readonly inputs: InputStatuses;
}

/** Where an input reads from, for listings. */
export function describeInput(input: InputDefinition): string {
  if (input.kind === 'file') return input.paths.join(', ');
  const host = input.host.includes(':') ? `[${input.host}]` : input.host;
  const scheme = input.protocol === 'relp' && input.tls ? 'relp+tls' : input.protocol;
  return `${scheme}://${host}:${input.port}`;
}

/** Run `inputs` until `signal` aborts; resolves once every input has stopped (what was received is stored). */
export async function superviseInputs(
  store: InputPorts,
  inputs: readonly InputDefinition[],
  options: SuperviseOptions,
): Promise<void> {
  const owner = options.owner ?? `${hostname()}:${process.pid}:inputs`;
  const reportMs = options.reportMs ?? 2000;
  const leaseMs = options.leaseMs ?? 30_000;
  const standbyMs = options.standbyMs ?? 5000;

  const runOne = async (input: InputDefinition) => {
    const log = (options.log ?? silentLog).child({ input: input.name, kind: input.kind });
    let failures = 0;
    let announcedStandby = false;
    while (!options.signal.aborted) {
      let claimed: boolean;
      try {
        claimed = await store.inputs.claim(
          input.name,
          input.kind,
          owner,
          new Date(),
          leaseMs,
          options.takeOver,
        );
      } catch (error) {
        log.warn('cannot reach the store', { err: error });
        await wait(standbyMs, options.signal);
        continue;
      }
      if (!claimed) {
        if (!announcedStandby) log.info('run by another process; standing by');
        announcedStandby = true;
        await wait(standbyMs, options.signal);
        continue;
      }
      announcedStandby = false;
      const detail = describeInput(input);
      log.info('input starting', { detail });
      const started = new Date();
      const counters: InputCounters = { batches: 0, events: 0, duplicateEvents: 0, alerts: 0, errors: 0 };
      const stop = new AbortController();
      const onAbort = () => stop.abort();
      options.signal.addEventListener('abort', onAbort, { once: true });
      const onBatch = async (summary: IngestSummary) => {
        counters.batches++;
        counters.events += summary.events;
        counters.duplicateEvents += summary.duplicateEvents;
        counters.alerts += summary.alerts;
        counters.errors += summary.errorCount;
        counters.lastBatchAt = new Date().toISOString();
        log.debug('batch stored', {
          events: summary.events,
          duplicateEvents: summary.duplicateEvents,
          alerts: summary.alerts,
          errors: summary.errorCount,
        });
        for (const error of summary.errors.slice(0, 3))
          log.warn('record not stored', {
            err: error.message,
            ...(error.file ? { file: error.file } : {}),
            ...(error.line ? { line: error.line } : {}),
            ...(error.field ? { field: error.field } : {}),
          });
        if (summary.alerts > 0)
          await options
            .afterBatch?.(summary)
            .catch((error: unknown) => log.error('correlating its alerts failed', { err: error }));
      };
      let status: () => { state: string; stats: Record<string, unknown> };
      let running: Promise<void>;
      if (input.kind === 'file') {
        const follow: FollowStats = { files: 0, bytesBehind: 0, behindSince: undefined };
        status = () => ({
          state: 'running',
          stats: {
            ...counters,
            files: follow.files,
            bytesBehind: follow.bytesBehind,
            lagSeconds: follow.behindSince === undefined ? 0 : (Date.now() - follow.behindSince) / 1000,
          },
        });
        running = followFiles(store, {
          input: input.name,
          patterns: input.paths,
          signal: stop.signal,
          ingest: options.ingest(input),
          stats: follow,
          onBatch: (summary) => onBatch(summary),
          log,
        });
      } else {
        const receiver = new SyslogReceiver(store, {
          name: input.name,
          protocol: input.protocol,
          host: input.host,
          port: input.port,
          ...(input.tls ? { tls: input.tls } : {}),
          ...(input.highWater ? { highWater: input.highWater } : {}),
          ingest: options.ingest(input),
          onBatch,
          log,
        });
        status = () => {
          const stats = receiver.stats();
          return {
            state: stats.paused ? 'paused' : 'running',
            stats: {
              ...counters,
              ...stats,
              events: counters.events,
              alerts: counters.alerts,
              errors: counters.errors,
            },
          };
        };
        running = receiver.start().then(async () => {
          log.info(`listening on ${detail}`, { detail });
          await new Promise<void>((resolve) => {
            if (stop.signal.aborted) resolve();
            stop.signal.addEventListener('abort', () => resolve(), { once: true });
          });
          await receiver.stop();
        });
      }
      // Report every few seconds; a report refused means another process took the input over.
      const reporting = (async () => {
        while (!stop.signal.aborted) {
          const { state, stats } = status();
          const kept = await store.inputs
            .report(input.name, owner, { state, detail, stats, startedAt: started }, new Date())
            .catch((error: unknown) => {
              log.warn('cannot report its state', { err: error });
              return true;
            });
          if (!kept) {
            log.warn('taken over by another process; stopping it here');
            stop.abort();
            break;
          }
          await wait(reportMs, stop.signal);
        }
      })();
      let failure: Error | undefined;
      try {
        await running;
      } catch (error) {
        failure = error as Error;
      }
      stop.abort();
      await reporting;
      options.signal.removeEventListener('abort', onAbort);
      if (!failure) {
        failures = 0;
        const { stats } = status();
        await store.inputs
          .report(input.name, owner, { state: 'stopped', detail, stats, startedAt: started }, new Date())
          .catch(() => undefined);
        await store.inputs.release(input.name, owner, new Date()).catch(() => undefined);
        log.info('input stopped', {
          events: counters.events,
          alerts: counters.alerts,
          errors: counters.errors,
        });
        continue;
      }
      failures++;
      const backoffMs = Math.min(30_000, 1000 * 2 ** Math.min(failures - 1, 5));
      log.error(`input failed: starting it again in ${Math.round(backoffMs / 1000)} s`, {
        err: failure,
        failures,
        retryInMs: backoffMs,
      });
      await store.inputs
        .report(
          input.name,
          owner,
          { state: 'failed', detail: failure.message, stats: status().stats, startedAt: started },
          new Date(),
        )
        .catch(() => undefined);
      await wait(backoffMs, options.signal);
    }
  };

  await Promise.all(inputs.map((input) => runOne(input)));
}

/** An input as listed (`autoir inputs list`, `GET /api/v1/inputs`). */
export interface InputListing {
  readonly name: string;
  readonly kind: string;
  /**
   * `running`, `paused` (the store is behind: reading stopped), `failed` (retrying), `stopped` (let go),
   * `down` (its process stopped reporting), `not started` (configured here, never run).
   */
  readonly state: string;
  /** Where it reads from (configured here), or what its process reported. */
  readonly detail: string | null;
  readonly owner: string | null;
  readonly startedAt: string | null;
  readonly heartbeatAt: string | null;
  /** Seconds behind: how long the oldest thing received and not yet stored has waited. */
  readonly lagSeconds: number | null;
  readonly configuredHere: boolean;
  readonly stats: Readonly<Record<string, unknown>>;
}

/** The inputs the store knows merged with those configured in this process. */
export function listInputs(
  reported: readonly InputStatus[],
  configured: readonly InputDefinition[],
  now: Date,
  leaseMs = 30_000,
): InputListing[] {
  const here = new Map(configured.map((input) => [input.name, input]));
  const out: InputListing[] = reported.map((row) => {
    const silent = now.getTime() - Date.parse(row.heartbeatAt) > leaseMs;
    const down = row.owner !== null && silent;
    const input = here.get(row.name);
    const lag = typeof row.stats.lagSeconds === 'number' ? row.stats.lagSeconds : null;
    return {
      name: row.name,
      kind: row.kind,
      state: down ? 'down' : row.state,
      detail: row.state === 'failed' ? row.detail : input ? describeInput(input) : row.detail,
      owner: row.owner,
      startedAt: row.startedAt,
      heartbeatAt: row.heartbeatAt,
      lagSeconds: down || row.state === 'stopped' ? null : lag,
      configuredHere: input !== undefined,
      stats: row.stats,
    };
  });
  for (const input of configured)
    if (!reported.some((row) => row.name === input.name))
      out.push({
        name: input.name,
        kind: input.kind,
        state: 'not started',
        detail: describeInput(input),
        owner: null,
        startedAt: null,
        heartbeatAt: null,
        lagSeconds: null,
        configuredHere: true,
        stats: {},
      });
  return out.sort((a, b) => a.name.localeCompare(b.name));
}
