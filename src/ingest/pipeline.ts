/**
 * The ingest stage: documents → JSON records → items (format sniffed or forced) → prepared alerts → store, in
 * batches. Parsing runs in worker threads when there are cores to spare (parse-pool.ts), overlapping with the
 * writing; results are consumed in input order either way.
 *
 * Every item is validated whole before anything of it is stored, so nothing is half-stored. Without `strict`,
 * good items are stored and each bad one is reported; with `strict`, one bad item means nothing is stored.
 */
import { isAutoirError } from '../domain/errors.js';
import { AlertMerger } from './alert-merger.js';
import { prepareAlert } from './prepare-alert.js';
import { ruleOfDetector } from '../domain/rule-switches.js';
import type { Detection, IngestPorts, PreparedAlert, PreparedEvent } from './ports.js';
import type { InputFormat } from './format.js';
import type { InputDocument, InputProblem } from './input.js';
import type { IngestError } from './items.js';
import type { ParsedItem } from './parse-batch.js';
import { createParsePool, type ParsePool } from './parse-pool.js';
import type { EventRefs } from './prepare-event.js';

export type { IngestError } from './items.js';

export interface IngestSummary {
  /** Alerts stored: created + updated. */
  alerts: number;
  created: number;
  updated: number;
  /** Telemetry events stored. */
  events: number;
  /** Telemetry events already stored by an earlier ingest (the same record), not stored again. */
  duplicateEvents: number;
  /** Detection rule matches on the events (they become alerts, counted in `alerts`). */
  detections: number;
  /** Records of a known format that are not alerts (e.g. Suricata `flow` events). */
  skipped: number;
  /** Records read, per format. */
  formats: Record<string, number>;
  /** False when `strict` rolled everything back. */
  stored: boolean;
  errorCount: number;
  /** The first errors (at most `maxErrors`), each naming file, line and field where known. */
  errors: IngestError[];
}

export interface IngestOptions {
  readonly store: IngestPorts;
  /** Read every record as this format instead of sniffing. */
  readonly format?: InputFormat;
  readonly strict?: boolean;
  /** Alerts and events per transaction (default 5000: each commit waits for the disk). */
  readonly batchSize?: number;
  readonly maxRecordBytes?: number;
  /** Errors listed in the summary (all are counted). Default 1000. */
  readonly maxErrors?: number;
  readonly now?: () => Date;
  /**
   * Write everything in one transaction (bad records are reported, the rest is kept), and run `checkpoint` in it
   * last: what a follower read and the offset it reached commit together, or neither does.
   */
  readonly atomic?: boolean;
  readonly checkpoint?: (tx: IngestPorts) => Promise<void>;
  /** Occurrence counts carried from the earlier batches of the same file (follow.ts); one document only. */
  readonly refs?: EventRefs;
  /** Called after each stored batch. */
  readonly onProgress?: (summary: Readonly<IngestSummary>) => void;
  /** Parsing threads besides the writing one (default 0: parse inline). */
  readonly workers?: number;
  /**
   * The script parse threads run (the composition root's: it makes each thread's matcher); without it, documents
   * are parsed inline whatever `workers` says.
   */
  readonly parseThread?: URL;
  /** Run detection on Windows events and store its alerts (docs/detection.md). */
  readonly detection?: Detection;
  /**
   * Parse with this pool (from {@link ingestPool}) instead of one made for this call: a caller that ingests batch
   * after batch (the syslog receiver) keeps its threads, and their rules, warm. The caller closes it.
   */
  readonly pool?: ParsePool;
}

/** The parse pool `ingestDocuments` makes for these options: threads only with a script to run in them. */
export function ingestPool(options: Omit<IngestOptions, 'store' | 'pool'>): ParsePool {
  return createParsePool(options.parseThread ? (options.workers ?? 0) : 0, {
    formatId: options.format?.id,
    maxRecordBytes: options.maxRecordBytes,
    ...(options.parseThread ? { script: options.parseThread } : {}),
    ...(options.detection ? { detection: options.detection } : {}),
    ...(options.refs ? { refs: options.refs } : {}),
  });
}

/** Document numbers, unique in the process: a pool kept across calls tells their documents apart by them. */
let nextDocument = 0;

/** Chunks in flight at once: enough that workers keep parsing while the store writes a batch. */
const MAX_IN_FLIGHT = 48;

/** Bytes per parse step (at least; a read chunk is never split). */
const STEP_BYTES = 256 * 1024;

class StrictRollback extends Error {}

/** One step of the ordered pipeline: the items of a chunk of a document, or a problem found while reading one. */
interface Step {
  readonly file: string;
  readonly doc?: number;
  readonly items: Promise<ParsedItem[]> | ParsedItem[];
}

export async function ingestDocuments(
  documents: AsyncIterable<InputDocument | InputProblem>,
  options: IngestOptions,
): Promise<IngestSummary> {
  const summary: IngestSummary = {
    alerts: 0,
    created: 0,
    updated: 0,
    events: 0,
    duplicateEvents: 0,
    detections: 0,
    skipped: 0,
    formats: {},
    stored: true,
    errorCount: 0,
    errors: [],
  };
  const maxErrors = options.maxErrors ?? 1000;
  const batchSize = options.batchSize ?? 5000;
  const now = options.now ?? (() => new Date());
  const pool = options.pool ?? ingestPool(options);
  // Documents opened in the pool and not yet ended: a kept pool is told to drop them if this call fails.
  const open = new Set<number>();
  // Alerts of detection rules, merged across the whole ingest (one per rule, process and window), written last.
  const detected = new AlertMerger();

  const report = (error: IngestError) => {
    summary.errorCount++;
    if (summary.errors.length < maxErrors) summary.errors.push(error);
  };

  const run = async (store: IngestPorts): Promise<void> => {
    // Reading and writing run side by side: the reader feeds the parse pool up to MAX_IN_FLIGHT chunks ahead,
    // the writer consumes the results strictly in the order they were read, whatever order workers finish in.
    const steps: Step[] = [];
    let readingDone = false;
    let writerFailed = false;
    const stoppedDocuments = new Set<number>();
    let wakeWriter: (() => void) | undefined;
    let wakeReader: (() => void) | undefined;
    const enqueue = async (step: Step) => {
      while (steps.length >= MAX_IN_FLIGHT && !writerFailed)
        await new Promise<void>((resolve) => (wakeReader = resolve));
      if (writerFailed) throw new Error('the writer stopped');
      steps.push(step);
      wakeWriter?.();
    };
    const problem = (file: string, error: Omit<IngestError, 'file'>): Step => ({
      file,
      items: [{ ok: false, error }],
    });

    const read = async () => {
      try {
        for await (const document of documents) {
          if (!('chunks' in document)) {
            await enqueue(problem(document.name, { message: document.message }));
            continue;
          }
          const doc = nextDocument++;
          pool.open(doc, document.name);
          open.add(doc);
          try {
            // Decompressors hand out 16 KiB at a time: gather them, so that a parse step is worth a thread hop
            // and the chunks in flight hold enough records to keep workers busy while a batch is written.
            let gathered: Buffer[] = [];
            let size = 0;
            for await (const chunk of document.chunks) {
              gathered.push(chunk);
              size += chunk.length;
              if (size < STEP_BYTES) continue;
              const bytes = gathered.length === 1 ? (gathered[0] as Buffer) : Buffer.concat(gathered, size);
              gathered = [];
              size = 0;
              await enqueue({ file: document.name, items: pool.push(doc, bytes) });
            }
            if (size > 0)
              await enqueue({ file: document.name, items: pool.push(doc, Buffer.concat(gathered, size)) });
          } catch (error) {
            pool.abort(doc);
            open.delete(doc);
            if (!isAutoirError(error) || error.family !== 'user') throw error;
            await enqueue(problem(document.name, { message: error.message }));
            continue;
          }
          open.delete(doc);
          await enqueue({ file: document.name, doc, items: pool.end(doc) });
        }
      } finally {
        readingDone = true;
        wakeWriter?.();
      }
    };

    const nextStep = async (): Promise<Step | undefined> => {
      for (;;) {
        const step = steps.shift();
        if (step) {
          wakeReader?.();
          return step;
        }
        if (readingDone) return undefined;
        await new Promise<void>((resolve) => (wakeWriter = resolve));
      }
    };

    // Aliases registered by this ingest: each is written once, not with every event that teaches it again.
    const knownAliases = new Set<string>();

    /**
     * One transaction ("window") of up to `batchSize` alerts and events. Events are written step by step as the
     * parser hands them over, so that writing overlaps with parsing; alerts (whose writes pay per call for alias
     * and existing-alert lookups) together at the end. Everything in a window commits together.
     */
    const writeWindow = async (target: IngestPorts, first: Step): Promise<void> => {
      const at = now();
      const alerts: PreparedAlert[] = [];
      let count = 0;
      let step: Step | undefined = first;
      while (step) {
        const events: PreparedEvent[] = [];
        for (const item of await step.items) {
          if (!item.ok) {
            report({ file: step.file, ...item.error });
            if (item.fatal && step.doc !== undefined) stoppedDocuments.add(step.doc);
            continue;
          }
          summary.formats[item.format] = (summary.formats[item.format] ?? 0) + 1;
          if (item.skipped) summary.skipped++;
          for (const prepared of item.prepared) alerts.push(prepared);
          for (const prepared of item.events) events.push(prepared);
          for (const draft of item.detections ?? []) {
            detected.add(draft);
            summary.detections++;
          }
        }
        if (events.length > 0) {
          const written = await target.events.insertPrepared(events, at, { knownAliases });
          summary.events += written.inserted;
          summary.duplicateEvents += written.duplicates;
          count += events.length;
        }
        if (count + alerts.length >= batchSize) break;
        // Wait inside the window only for work that is still to come.
        step = steps.length > 0 || !readingDone ? await nextStep() : undefined;
      }
      if (alerts.length > 0) {
        for (const result of await target.alerts.upsertPrepared(alerts, at)) summary[result.status]++;
        summary.alerts = summary.created + summary.updated;
      }
    };

    const write = async () => {
      for (;;) {
        const step = await nextStep();
        if (!step) return;
        // In strict mode the whole ingest is one transaction already (store.transaction is then a no-op wrapper).
        await store.transaction((target) => writeWindow(target, step));
        options.onProgress?.(summary);
      }
    };

    const reading = read();
    reading.catch(() => undefined); // awaited below; this only keeps it from counting as unhandled meanwhile
    try {
      await write();
    } catch (error) {
      // Stop the reader (it may be waiting for room), then report the writer's error, not the reader's.
      writerFailed = true;
      wakeReader?.();
      await reading.catch(() => undefined);
      throw error;
    }
    await reading;
    // Matches of rules switched off since the rules were loaded make no alert.
    const switchedOff = (await store.rules?.switchedOff()) ?? new Map();
    const drafts = detected.drain().filter((draft) => !switchedOff.has(ruleOfDetector(draft.detector) ?? ''));
    for (let start = 0; start < drafts.length; start += batchSize) {
      const chunk = drafts.slice(start, start + batchSize);
      const prepared = chunk.map((draft) => prepareAlert({ draft, format: 'sigma' }));
      const results = await store.transaction((target) => target.alerts.upsertPrepared(prepared, now()));
      for (const result of results) summary[result.status]++;
      summary.alerts = summary.created + summary.updated;
    }
    if (options.strict && summary.errorCount > 0) throw new StrictRollback();
  };

  try {
    if (options.atomic) {
      // All of it, and the checkpoint, in one transaction: a follower's offset moves with what it produced.
      await options.store.transaction(async (tx) => {
        await run(tx);
        await options.checkpoint?.(tx);
      });
      return summary;
    }
    if (!options.strict) {
      await run(options.store);
      return summary;
    }
    try {
      await options.store.transaction(run);
    } catch (error) {
      if (!(error instanceof StrictRollback)) throw error;
      summary.stored = false;
      summary.alerts = 0;
      summary.created = 0;
      summary.updated = 0;
      summary.events = 0;
      summary.duplicateEvents = 0;
      summary.detections = 0;
    }
    return summary;
  } finally {
    if (options.pool) for (const doc of open) pool.abort(doc);
    else await pool.close();
  }
}
