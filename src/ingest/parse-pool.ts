/**
 * Parsing off the writing thread: a small pool of worker threads running parse-batch.ts, so that parsing and
 * validating the next records overlaps with storing the previous ones. Without workers (or where the compiled
 * worker script is not available, as when running from TypeScript sources) batches are parsed inline.
 */
import { existsSync } from 'node:fs';
import os from 'node:os';
import { fileURLToPath } from 'node:url';
import { Worker } from 'node:worker_threads';
import { AutoirError } from '../domain/errors.js';
import { parseRecords, type ParsedItem, type RecordText } from './parse-batch.js';

export interface ParsePool {
  /** Parse a batch; results come back in the order batches were submitted only if awaited in that order. */
  parse(records: readonly RecordText[]): Promise<ParsedItem[]>;
  close(): Promise<void>;
}

/** Workers worth starting here: one per core beyond the writing thread, at most 4. */
export function defaultWorkerCount(): number {
  return Math.max(0, Math.min(4, os.availableParallelism() - 1));
}

export function createParsePool(workers: number, formatId: string | undefined): ParsePool {
  const script = new URL('./parse-worker.js', import.meta.url);
  if (workers <= 0 || !existsSync(fileURLToPath(script))) {
    return {
      parse: (records) => Promise.resolve(parseRecords(records, formatId)),
      close: () => Promise.resolve(),
    };
  }
  const threads = Array.from({ length: workers }, () => new Worker(script));
  const pending = new Map<
    number,
    { resolve: (items: ParsedItem[]) => void; reject: (error: Error) => void }
  >();
  let nextId = 0;
  let failed: Error | undefined;
  for (const thread of threads) {
    thread.on('message', (message: { id: number; items?: ParsedItem[]; failure?: string }) => {
      const waiting = pending.get(message.id);
      pending.delete(message.id);
      if (!waiting) return;
      if (message.items) waiting.resolve(message.items);
      else
        waiting.reject(
          new AutoirError('AUTOIR_E_INTERNAL', `ingest worker failed: ${message.failure ?? 'no reason'}`),
        );
    });
    thread.on('error', (error) => {
      failed = error;
      for (const waiting of pending.values()) waiting.reject(error);
      pending.clear();
    });
  }
  return {
    parse(records) {
      if (failed) return Promise.reject(failed);
      const id = nextId++;
      const thread = threads[id % threads.length] as Worker;
      return new Promise((resolve, reject) => {
        pending.set(id, { resolve, reject });
        thread.postMessage({ id, format: formatId, records });
      });
    },
    async close() {
      await Promise.all(threads.map((thread) => thread.terminate()));
    },
  };
}
