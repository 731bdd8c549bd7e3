/**
 * `npm run bench -- ingest-alerts`: store 100,000 generated alerts through the real ingest pipeline (read,
 * parse, validate, normalise, resolve, upsert), and in the same run read + JSON.parse the same file and nothing
 * else. Prints one JSON line.
 */
import { createReadStream, mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { openDocuments, planInput } from '../src/ingest/input.js';
import { defaultWorkerCount } from '../src/ingest/parse-pool.js';
import { ingestDocuments } from '../src/ingest/pipeline.js';
import { parseThreadScript } from '../src/app/threads.js';
import { readRecords } from '../src/records/json-records.js';
import { generateAlerts } from './generate.js';
import { openBenchStore } from './store.js';
import { timeWritesOnly } from './write-only.js';

export interface BenchOptions {
  readonly count: number;
  /** Parsing threads (default: as `autoir ingest` would use). */
  readonly workers?: number;
  readonly backend: 'sqlite' | 'postgres';
}

export async function benchIngestAlerts(options: BenchOptions): Promise<Record<string, unknown>> {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'autoir-bench-'));
  const workers = options.workers ?? defaultWorkerCount();
  const file = path.join(dir, 'alerts.ndjson');
  let peakRss = process.memoryUsage().rss;
  const sampler = setInterval(() => (peakRss = Math.max(peakRss, process.memoryUsage().rss)), 50);
  try {
    const bytes = await generateAlerts(file, options.count);

    // Baseline: read the file and JSON.parse every line, nothing else.
    const parseStart = performance.now();
    let parsed = 0;
    for await (const record of readRecords(createReadStream(file, { highWaterMark: 1 << 20 }))) {
      if (record.kind === 'record') {
        JSON.parse(record.text);
        parsed++;
      }
    }
    const parseSeconds = (performance.now() - parseStart) / 1000;

    const bench = await openBenchStore(options.backend, dir);
    const store = bench.store;
    const storeStart = performance.now();
    const summary = await ingestDocuments(openDocuments(await planInput(file)), {
      store,
      workers,
      parseThread: parseThreadScript,
    });
    const storeSeconds = (performance.now() - storeStart) / 1000;
    const stored = await store.alerts.countAlerts();
    // Of the pipeline: the writing-stage measurement below holds every prepared record in memory at once.
    const pipelinePeakRss = peakRss;
    await bench.close();

    // The writing stage alone, into a second fresh store: the ceiling of any pipeline on this machine.
    const writeBench = await openBenchStore(options.backend, path.join(dir, 'write-only'));
    const writeSeconds = await timeWritesOnly(await planInput(file), writeBench.store);
    await writeBench.close();
    if (summary.errorCount > 0 || stored !== options.count || parsed !== options.count) {
      throw new Error(
        `bench input did not round-trip: parsed ${parsed}, stored ${stored}, errors ${summary.errorCount}`,
      );
    }
    const storeRate = options.count / storeSeconds;
    const parseRate = options.count / parseSeconds;
    return {
      bench: 'ingest-alerts',
      backend: options.backend,
      alerts: options.count,
      workers,
      input_mb: Math.round((bytes / 1024 / 1024) * 10) / 10,
      store_s: round(storeSeconds, 3),
      store_alerts_per_s: Math.round(storeRate),
      parse_only_s: round(parseSeconds, 3),
      parse_only_alerts_per_s: Math.round(parseRate),
      ratio_vs_parse_only: round(storeRate / parseRate, 3),
      write_only_alerts_per_s: Math.round(options.count / writeSeconds),
      ratio_write_only_vs_parse_only: round(options.count / writeSeconds / parseRate, 3),
      peak_rss_mb: Math.round(pipelinePeakRss / 1024 / 1024),
    };
  } finally {
    clearInterval(sampler);
    rmSync(dir, { recursive: true, force: true });
  }
}

function round(value: number, digits: number): number {
  const factor = 10 ** digits;
  return Math.round(value * factor) / factor;
}
