/**
 * Parsing off the writing thread. The thread that owns the store reads bytes and writes alerts; worker threads
 * split the bytes into records, parse, validate and prepare them (parse-batch.ts), so parsing the next records
 * overlaps with storing the previous ones. Each document goes to one worker (its line numbers and partial
 * records live there). A thread runs the script it is given (the composition root's, which serves parse requests
 * with `serveParseRequests` and a matcher of its making); without workers — or where the compiled script is not
 * available, as when running from TypeScript sources — documents are parsed inline by the same code.
 */
import { existsSync } from 'node:fs';
import os from 'node:os';
import { fileURLToPath } from 'node:url';
import { Worker } from 'node:worker_threads';
import { AutoirError } from '../domain/errors.js';
import { DocumentParser, packItems, type ParsedItem } from './parse-batch.js';
import type { EventRefs } from './prepare-event.js';
import type { WorkerRequest, WorkerResponse } from './parse-worker.js';
import type { Detection } from './ports.js';

/** What every document is parsed with. */
export interface ParseOptions {
  readonly formatId?: string;
  readonly maxRecordBytes?: number;
  /** Detection to run on Windows events as they are parsed; none when absent. */
  readonly detection?: Detection;
  /** The script parse threads run. */
  readonly script?: URL;
  /** Occurrence counts carried from earlier documents (parse-batch.ts); parsing is then inline. */
  readonly refs?: EventRefs;
}

export interface ParsePool {
  /** Start a document; its chunks follow with `push`, then `end` (or `abort` if reading it failed). */
  open(doc: number, name?: string): void;
  push(doc: number, chunk: Buffer): Promise<ParsedItem[]>;
  end(doc: number): Promise<ParsedItem[]>;
  abort(doc: number): void;
  close(): Promise<void>;
}

type WithoutId<T> = T extends unknown ? Omit<T, 'id'> : never;

/** Workers worth starting here: one per core beyond the writing thread, at most 4. */
export function defaultWorkerCount(): number {
  return Math.max(0, Math.min(4, os.availableParallelism() - 1));
}

export function createParsePool(workers: number, options: ParseOptions = {}): ParsePool {
  const script = options.script;
  if (workers <= 0 || !script || options.refs || !existsSync(fileURLToPath(script)))
    return inlinePool(options);
  // What crosses to a thread: plain data (the detection settings its script makes a matcher from).
  const settings = {
    formatId: options.formatId,
    maxRecordBytes: options.maxRecordBytes,
    ...(options.detection ? { detection: options.detection.settings } : {}),
  };

  // Threads start when a document needs one: ingesting one file starts one worker, whatever the core count.
  const threads: (Worker | undefined)[] = new Array(workers);
  const pending = new Map<
    number,
    { resolve: (items: ParsedItem[]) => void; reject: (error: Error) => void }
  >();
  let nextId = 0;
  let failed: Error | undefined;
  const fail = (error: Error) => {
    failed ??= error;
    for (const waiting of pending.values()) waiting.reject(error);
    pending.clear();
  };
  const threadFor = (doc: number): Worker => {
    const index = doc % workers;
    let thread = threads[index];
    if (!thread) {
      thread = new Worker(script);
      thread.on('message', (message: WorkerResponse) => {
        const waiting = pending.get(message.id);
        pending.delete(message.id);
        if (!waiting) return;
        if ('items' in message) waiting.resolve(message.items);
        else waiting.reject(new AutoirError('AUTOIR_E_INTERNAL', `ingest worker failed: ${message.failure}`));
      });
      thread.on('error', fail);
      thread.on('exit', (code) => {
        if (!closing)
          fail(new AutoirError('AUTOIR_E_INTERNAL', `an ingest worker stopped (exit code ${code})`));
      });
      threads[index] = thread;
    }
    return thread;
  };
  let closing = false;
  const send = (request: WithoutId<WorkerRequest>, transfer: ArrayBuffer[] = []): Promise<ParsedItem[]> => {
    if (failed) return Promise.reject(failed);
    const id = nextId++;
    const thread = threadFor(request.doc);
    const promise = new Promise<ParsedItem[]>((resolve, reject) => {
      pending.set(id, { resolve, reject });
      thread.postMessage({ ...request, id }, transfer);
    });
    // Whoever awaits this promise sees its failure; until then it must not count as unhandled.
    promise.catch(() => undefined);
    return promise;
  };
  return {
    open(doc, name) {
      void send({ doc, kind: 'open', ...settings, name }).catch(() => undefined);
    },
    push(doc, chunk) {
      // A copy the worker can own: stream buffers may share memory with other buffers.
      const bytes = new Uint8Array(chunk);
      return send({ doc, kind: 'chunk', bytes }, [bytes.buffer]);
    },
    end: (doc) => send({ doc, kind: 'end' }),
    abort(doc) {
      void send({ doc, kind: 'abort' }).catch(() => undefined);
    },
    async close() {
      closing = true;
      await Promise.all(threads.map((thread) => thread?.terminate()));
    },
  };
}

function inlinePool(options: ParseOptions): ParsePool {
  const documents = new Map<number, DocumentParser>();
  const parser = (doc: number) => {
    const found = documents.get(doc);
    if (!found) throw new AutoirError('AUTOIR_E_INTERNAL', `no open document ${doc}`);
    return found;
  };
  return {
    open: (doc, name) =>
      void documents.set(
        doc,
        new DocumentParser({
          formatId: options.formatId,
          maxRecordBytes: options.maxRecordBytes,
          name,
          ...(options.detection ? { detection: options.detection.matcher } : {}),
          ...(options.refs ? { refs: options.refs } : {}),
        }),
      ),
    push(doc, chunk) {
      const items = parser(doc).push(chunk);
      packItems(items);
      return Promise.resolve(items);
    },
    async end(doc) {
      const found = parser(doc);
      documents.delete(doc);
      const items = await found.end();
      packItems(items);
      return items;
    },
    abort: (doc) => void documents.delete(doc),
    close: () => Promise.resolve(),
  };
}
