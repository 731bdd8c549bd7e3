/**
 * The HTTP ingest endpoints of a serving process (`POST /api/v1/events`, `/es/_bulk`, Splunk HEC) as an input:
 * counted as requests are stored, and reported to the store like a configured input — one row per serving process
 * (`http@host:port`), listed by `autoir inputs list`, the API and the UI with its state, lag and counters.
 */
import { hostname } from 'node:os';
import { wait } from '../domain/wait.js';
import type { IngestSummary } from './pipeline.js';
import type { InputStatuses } from './ports.js';
import { silentLog, type Log } from '../domain/log.js';

/** What a server's HTTP ingest has done since it started. */
export class HttpIngestCounters {
  requests = 0;
  events = 0;
  duplicateEvents = 0;
  alerts = 0;
  errors = 0;
  /** Requests turned away to come back later (429 / 503, or a `_bulk` request answered 429 item by item). */
  refused = 0;
  lastBatchAt: string | undefined;
  /** When each request waiting or being stored arrived, oldest first. */
  private readonly waiting: number[] = [];

  /** A request is queued; call the function returned once it is stored (or failed). */
  arrived(now = Date.now()): () => void {
    this.requests++;
    this.waiting.push(now);
    return () => {
      const index = this.waiting.indexOf(now);
      if (index >= 0) this.waiting.splice(index, 1);
    };
  }

  stored(summary: IngestSummary): void {
    this.events += summary.events;
    this.duplicateEvents += summary.duplicateEvents;
    this.alerts += summary.alerts;
    this.errors += summary.errorCount;
    this.lastBatchAt = new Date().toISOString();
  }

  stats(now = Date.now()): Record<string, unknown> {
    const oldest = this.waiting[0];
    return {
      requests: this.requests,
      events: this.events,
      duplicateEvents: this.duplicateEvents,
      alerts: this.alerts,
      errors: this.errors,
      refused: this.refused,
      pending: this.waiting.length,
      lagSeconds: oldest === undefined ? 0 : Math.max(0, (now - oldest) / 1000),
      ...(this.lastBatchAt ? { lastBatchAt: this.lastBatchAt } : {}),
    };
  }
}

/**
 * Report a server's HTTP ingest every `reportMs` until `signal` aborts, then as stopped. Each serving process has a
 * row of its own, so nothing is contended: the row only says what that process took.
 */
export async function reportHttpInput(
  store: { readonly inputs: InputStatuses },
  counters: HttpIngestCounters,
  where: { readonly host: string; readonly port: number; readonly url: string },
  signal: AbortSignal,
  options: { readonly reportMs?: number; readonly log?: Log } = {},
): Promise<void> {
  const name = `http@${where.host === '0.0.0.0' || where.host === '::' ? hostname() : where.host}:${where.port}`;
  const log = (options.log ?? silentLog).child({ input: name, kind: 'http' });
  const owner = `${hostname()}:${process.pid}:http`;
  const detail = `${where.url} (/api/v1/events, /es/_bulk, /services/collector)`;
  const started = new Date();
  const report = (state: string) =>
    store.inputs
      .report(name, owner, { state, detail, stats: counters.stats(), startedAt: started }, new Date())
      .catch((error: unknown) => {
        log.warn('cannot report its state', { err: error });
        return true;
      });
  // A row left by an earlier process on the same address (killed) is this one's now.
  const claimed = await store.inputs
    .claim(name, 'http', owner, started, 0, () => true)
    .catch((error: unknown) => {
      log.warn('cannot reach the store', { err: error });
      return false;
    });
  if (!claimed) return;
  while (!signal.aborted) {
    await report('running');
    await wait(options.reportMs ?? 2000, signal);
  }
  await report('stopped');
  await store.inputs.release(name, owner, new Date()).catch(() => undefined);
}
