/**
 * Where shippers send: telemetry and alerts over HTTP, in any format `autoir ingest` reads, stored before the
 * answer (one transaction per request; a bad record is reported, the others kept).
 * - `POST /api/v1/events`: a JSON object, an array or NDJSON;
 * - an **Elasticsearch-compatible** API under `/es/`: `GET /es/` (the version handshake clients make first) and
 *   `POST /es/_bulk`, `POST /es/{index}/_bulk` (index/create actions; each document an event or an alert), answered
 *   as Elasticsearch answers, item by item;
 * - **Splunk HEC**: `POST /services/collector/event` (concatenated `{"event": …}` objects) and
 *   `/services/collector/raw` (lines), answered `{"text":"Success","code":0}`.
 * Each takes a token of role `ingest` (or analyst and above) as its clients present it: `Bearer`, `ApiKey`,
 * `Splunk`. Requests are stored one after the other; when `maxQueued` are waiting or being stored, a request is
 * turned away to come back — 429 with `Retry-After`, per item for `_bulk` (which its clients retry), 503 code 9 for
 * HEC — and nothing of it is stored: only what was stored is acknowledged.
 */
import { singleDocument } from '../../ingest/input.js';
import { z } from 'zod';
import { correlatePending } from '../../correlate/correlator.js';
import type { CorrelationOptions } from '../../correlate/correlate.js';
import { ingestDocuments, type IngestSummary } from '../../ingest/pipeline.js';
import type { Detection } from '../../ingest/ports.js';
import { listInputs, type InputDefinition } from '../../ingest/inputs.js';
import type { HttpIngestCounters } from '../../ingest/http-input.js';
import type { Store } from '../../store/ports.js';
import { defineRoute, errorSchema, type RouteSpec } from '../route.js';

export interface IngestRouteOptions {
  readonly correlation?: CorrelationOptions;
  readonly detection?: Detection;
  /** Requests waiting or being stored before others are asked to come back (default 32). */
  readonly maxQueued?: number;
  /** The inputs configured in this process (`AUTOIR_INPUTS`), listed beside those the store knows. */
  readonly inputs?: readonly InputDefinition[];
  /** Counted as requests are stored (reported as this server's `http@…` input). */
  readonly counters?: HttpIngestCounters;
  /** Told when alerts were stored and correlated (a worker in this process looks at once). */
  readonly arrivals?: EventTarget;
}

const inputListingSchema = z.object({
  name: z.string(),
  kind: z.string().describe("`file`, `syslog`, or `http` (a serving process's HTTP ingest endpoints)."),
  state: z
    .string()
    .describe(
      '`running`, `paused` (the store is behind: reading stopped), `failed` (retrying; `detail` says why), `stopped`, `down` (its process stopped reporting), `not started`.',
    ),
  detail: z.string().nullable().describe('Where it reads from, or why it failed.'),
  owner: z.string().nullable().describe('The process running it (`host:pid:inputs`).'),
  startedAt: z.string().nullable(),
  heartbeatAt: z.string().nullable().describe('When its process last reported.'),
  lagSeconds: z
    .number()
    .nullable()
    .describe('How long the oldest thing received and not yet stored has waited.'),
  configuredHere: z.boolean().describe('Configured in the serving process.'),
  stats: z
    .record(z.string(), z.unknown())
    .describe('Counters since it started: events, alerts, errors, batches…'),
});

/** The version this API answers as: recent enough for clients of 7.x, 8.x and 9.x to talk to it. */
const ES_VERSION = '8.17.0';

const ingestSummarySchema = z.object({
  events: z.number().int(),
  duplicateEvents: z.number().int(),
  alerts: z.number().int(),
  errors: z.array(z.object({ line: z.number().int().optional(), message: z.string() })),
});

/** Split concatenated JSON objects (HEC's body: `{…}{…}` with or without whitespace between). */
export function splitConcatenatedJson(text: string): string[] {
  const out: string[] = [];
  let depth = 0;
  let start = -1;
  let inString = false;
  for (let index = 0; index < text.length; index++) {
    const char = text[index];
    if (inString) {
      if (char === '\\') index++;
      else if (char === '"') inString = false;
      continue;
    }
    if (char === '"') inString = true;
    else if (char === '{') {
      if (depth === 0) start = index;
      depth++;
    } else if (char === '}') {
      depth--;
      if (depth === 0 && start >= 0) {
        out.push(text.slice(start, index + 1));
        start = -1;
      }
    }
  }
  return out;
}

/** What a HEC event carries: its `event` (an object as it is, splunk-logging's `{message, severity}` unwrapped). */
function hecRecord(envelope: Record<string, unknown>): string | undefined {
  const event = envelope.event;
  if (typeof event === 'string') return event;
  if (event === null || typeof event !== 'object') return undefined;
  const record = event as Record<string, unknown>;
  const keys = Object.keys(record);
  if (
    keys.every((key) => key === 'message' || key === 'severity') &&
    record.message &&
    typeof record.message === 'object'
  )
    return JSON.stringify(record.message);
  return JSON.stringify(record);
}

export function ingestRoutes(store: Store, options: IngestRouteOptions = {}): RouteSpec[] {
  const maxQueued = options.maxQueued ?? 32;
  let queued = 0;
  // One request stored at a time, in arrival order: the store takes one writer best, and the queue's length is
  // what tells a sender to come back later.
  let chain: Promise<unknown> = Promise.resolve();

  /** Store `lines` (one record each) in one transaction; alerts are correlated as they arrive. */
  const ingestLines = async (name: string, lines: readonly string[]): Promise<IngestSummary> => {
    const body = Buffer.from(lines.map((line) => `${line.replace(/\r?\n/g, ' ')}\n`).join(''));
    queued++;
    const done = options.counters?.arrived();
    const run = chain.then(async () => {
      // Let requests that arrived meanwhile be read and queued (SQLite writes hold the event loop while they run):
      // the queue then says how far behind the store is.
      await new Promise((resolve) => setImmediate(resolve));
      const summary = await ingestDocuments(singleDocument(name, body), {
        store,
        atomic: true,
        ...(options.detection ? { detection: options.detection } : {}),
      });
      options.counters?.stored(summary);
      if (summary.alerts > 0) {
        await correlatePending(store, options.correlation);
        options.arrivals?.dispatchEvent(new Event('alerts'));
      }
      return summary;
    });
    chain = run.catch(() => undefined);
    try {
      return await run;
    } finally {
      queued--;
      done?.();
    }
  };
  const busy = () => {
    const full = queued >= maxQueued;
    if (full && options.counters) options.counters.refused++;
    return full;
  };
  const summaryOf = (summary: IngestSummary) => ({
    events: summary.events,
    duplicateEvents: summary.duplicateEvents,
    alerts: summary.alerts,
    errors: summary.errors.map((error) => ({
      ...(error.line !== undefined ? { line: error.line } : {}),
      message: error.message,
    })),
  });

  const esHeaders = (reply: { header(name: string, value: string): unknown }) =>
    void reply.header('x-elastic-product', 'Elasticsearch');

  const bulk = defineRoute({
    method: 'POST',
    url: '/es/_bulk',
    operationId: 'esBulk',
    summary: 'Elasticsearch-compatible bulk: index/create actions, each document an event or an alert',
    tag: 'ingest',
    role: 'ingest',
    audited: true,
    body: {
      raw: true,
      contentTypes: ['application/x-ndjson', 'application/json', 'application/vnd.elasticsearch+x-ndjson'],
      description: 'Action lines ({"index":{…}} or {"create":{…}}), each followed by its document.',
    },
    responses: {
      200: {
        description: 'Per-item results, as Elasticsearch answers (429 items when busy: send them again).',
      },
    },
    async handler({ body, reply }) {
      esHeaders(reply);
      const started = Date.now();
      const lines = (body as string).split('\n').filter((line) => line.trim() !== '');
      const items: { action: string; index: string; doc?: string }[] = [];
      for (let position = 0; position < lines.length; position++) {
        let action: unknown;
        try {
          action = JSON.parse(lines[position] as string);
        } catch {
          action = undefined;
        }
        if (action === null || typeof action !== 'object' || Array.isArray(action)) {
          items.push({ action: 'index', index: '', doc: undefined });
          continue;
        }
        const kind = Object.keys(action)[0] ?? 'index';
        const meta = (action as Record<string, unknown>)[kind];
        const index =
          meta !== null &&
          typeof meta === 'object' &&
          typeof (meta as { _index?: unknown })._index === 'string'
            ? (meta as { _index: string })._index
            : '';
        if (kind === 'delete') items.push({ action: kind, index });
        else items.push({ action: kind, index, doc: lines[++position] });
      }
      const result = (item: (typeof items)[number], status: number, extra: Record<string, unknown> = {}) => ({
        [item.action]: { _index: item.index || 'autoir', _id: null, status, ...extra },
      });
      if (busy())
        return {
          took: Date.now() - started,
          errors: true,
          items: items.map((item) =>
            result(item, 429, {
              error: {
                type: 'es_rejected_execution_exception',
                reason: 'autoir is busy storing: send again',
              },
            }),
          ),
        };
      const docs = items.filter((item) => item.doc !== undefined && item.action !== 'delete');
      const summary = await ingestLines(
        'es:_bulk',
        docs.map((item) => item.doc as string),
      );
      const bad = new Map(summary.errors.map((error) => [error.line, error.message]));
      let line = 0;
      const answered = items.map((item) => {
        if (item.doc === undefined)
          return result(item, 400, {
            error: {
              type: 'illegal_argument_exception',
              reason:
                item.action === 'delete'
                  ? 'autoir keeps what it stored: delete is not supported'
                  : 'a bulk action line that is not JSON',
            },
          });
        line++;
        const reason = bad.get(line);
        return reason
          ? result(item, 400, { error: { type: 'mapper_parsing_exception', reason } })
          : result(item, 201, { result: 'created', _version: 1 });
      });
      return {
        took: Date.now() - started,
        errors: answered.some((item) => Object.values(item)[0]?.status !== 201),
        items: answered,
      };
    },
  });

  const hec = (url: string, raw: boolean) =>
    defineRoute({
      method: 'POST',
      url,
      operationId: `hec${raw ? 'Raw' : 'Event'}${url.endsWith('1.0') ? 'V1' : url.endsWith('collector') ? 'Root' : ''}`,
      summary: raw
        ? 'Splunk HEC raw: one record a line'
        : 'Splunk HEC event: concatenated {"event": …} objects',
      tag: 'ingest',
      role: 'ingest',
      audited: true,
      body: {
        raw: true,
        contentTypes: ['application/json', 'text/plain'],
        description: raw ? 'Lines.' : 'HEC events.',
      },
      responses: {
        200: { description: '{"text":"Success","code":0}' },
        400: { description: 'No data, or no event in it (code 5 / 6).' },
        503: { description: 'Busy: send again after Retry-After (code 9).' },
      },
      async handler({ body, reply }) {
        if (busy()) {
          void reply.status(503).header('retry-after', '1');
          return { text: 'Server is busy', code: 9 };
        }
        const text = body as string;
        let records: string[];
        if (raw) records = text.split(/\r?\n/).filter((line) => line.trim() !== '');
        else {
          const envelopes = splitConcatenatedJson(text);
          records = [];
          for (const envelope of envelopes) {
            try {
              const record = hecRecord(JSON.parse(envelope) as Record<string, unknown>);
              if (record !== undefined) records.push(record);
            } catch {
              // counted below as an envelope without an event
            }
          }
          if (envelopes.length > 0 && records.length === 0) {
            void reply.status(400);
            return { text: 'Event field is required', code: 12 };
          }
        }
        // An empty flush (HEC loggers send one) stores nothing and is not an error.
        if (records.length === 0 && text.trim() === '') return { text: 'Success', code: 0 };
        if (records.length === 0) {
          void reply.status(400);
          return { text: 'No data', code: 5 };
        }
        const summary = await ingestLines(raw ? 'hec:raw' : 'hec:event', records);
        return {
          text: 'Success',
          code: 0,
          ...(summary.errorCount > 0 ? { invalid: summary.errorCount } : {}),
        };
      },
    });

  return [
    defineRoute({
      method: 'GET',
      url: '/api/v1/inputs',
      operationId: 'listInputs',
      summary: 'Followed files and syslog receivers: state, lag and counters (configured in AUTOIR_INPUTS)',
      tag: 'ingest',
      role: 'viewer',
      responses: {
        200: {
          description: 'Each input as its process last reported it.',
          schema: z.array(inputListingSchema),
        },
      },
      handler: async () => listInputs(await store.inputs.list(), options.inputs ?? [], new Date()),
    }),
    defineRoute({
      method: 'POST',
      url: '/api/v1/events',
      operationId: 'ingestEvents',
      summary: 'Ingest telemetry (and alerts): a JSON object, an array or NDJSON, in any format autoir reads',
      tag: 'ingest',
      role: 'ingest',
      audited: true,
      body: {
        raw: true,
        contentTypes: ['application/json', 'application/x-ndjson'],
        description: 'Records in any format `autoir ingest` reads.',
      },
      responses: {
        200: { description: 'Stored (bad records listed).', schema: ingestSummarySchema },
        429: { description: 'Busy: send again after Retry-After.', schema: errorSchema },
      },
      async handler({ body, reply }) {
        if (busy()) {
          void reply.status(429).header('retry-after', '1');
          return {
            error: { code: 'AUTOIR_E_BUSY', message: 'autoir is busy storing: send again after Retry-After' },
          };
        }
        const text = (body as string).trim();
        let lines: string[];
        if (text.startsWith('[')) {
          try {
            lines = (JSON.parse(text) as unknown[]).map((item) => JSON.stringify(item));
          } catch {
            lines = [text];
          }
        } else lines = text.split(/\r?\n/).filter((line) => line.trim() !== '');
        return summaryOf(await ingestLines('api:events', lines));
      },
    }),
    defineRoute({
      method: 'GET',
      url: '/es/',
      operationId: 'esInfo',
      summary: 'Elasticsearch-compatible version handshake (what clients and shippers ask first)',
      tag: 'ingest',
      role: 'ingest',
      responses: { 200: { description: 'Name, cluster and version, as Elasticsearch answers.' } },
      async handler({ reply }) {
        esHeaders(reply);
        return {
          name: 'autoir',
          cluster_name: 'autoir',
          cluster_uuid: 'autoir',
          version: {
            number: ES_VERSION,
            build_flavor: 'default',
            build_type: 'autoir',
            lucene_version: '9.12.0',
            minimum_wire_compatibility_version: '7.17.0',
            minimum_index_compatibility_version: '7.0.0',
          },
          tagline: 'You Know, for Search',
        };
      },
    }),
    bulk,
    { ...bulk, url: '/es/:index/_bulk', operationId: 'esIndexBulk' },
    hec('/services/collector/event', false),
    hec('/services/collector', false),
    hec('/services/collector/event/1.0', false),
    hec('/services/collector/raw', true),
    hec('/services/collector/raw/1.0', true),
  ];
}
