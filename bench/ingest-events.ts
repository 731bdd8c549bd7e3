/**
 * `npm run bench -- ingest-events [--backend sqlite|postgres] [--dataset DIR]`: ingest a whole OTRF campaign
 * (default LSASS_campaign_01: zipped Windows events and Zeek logs) through the real pipeline — unzip, split,
 * parse, normalise, store — and in the same run unzip + JSON.parse the same input and nothing else. Prints one
 * JSON line: events/s, the parse-only rate, their ratio, peak RSS.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { randomBytes } from 'node:crypto';
import { openDocuments, planInput } from '../src/ingest/input.js';
import { defaultWorkerCount } from '../src/ingest/parse-pool.js';
import { ingestDocuments } from '../src/ingest/pipeline.js';
import { readRecords } from '../src/ingest/records.js';
import { openStore, type StoreConfig } from '../src/store/open-store.js';

export interface EventBenchOptions {
  readonly dataset: string;
  readonly backend: 'sqlite' | 'postgres';
  readonly workers?: number;
}

export async function benchIngestEvents(options: EventBenchOptions): Promise<Record<string, unknown>> {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'autoir-bench-'));
  const workers = options.workers ?? defaultWorkerCount();
  let peakRss = process.memoryUsage().rss;
  const sampler = setInterval(() => (peakRss = Math.max(peakRss, process.memoryUsage().rss)), 20);
  try {
    const plan = await planInput(options.dataset);

    // Baseline: the same documents, unzipped and split, every JSON record parsed, nothing else. (Zeek TSV lines
    // are counted as records: splitting them is all a baseline can do.)
    const parseStart = performance.now();
    let records = 0;
    let bytes = 0;
    for await (const document of openDocuments(plan)) {
      if (!('chunks' in document)) throw new Error(`${document.name}: ${document.message}`);
      if (/\.log$/.test(document.name)) {
        for await (const chunk of document.chunks) {
          bytes += chunk.length;
          for (const line of chunk.toString('utf8').split('\n'))
            if (line !== '' && !line.startsWith('#')) records++;
        }
        continue;
      }
      for await (const record of readRecords(document.chunks)) {
        if (record.kind === 'record') {
          bytes += record.text.length;
          JSON.parse(record.text);
          records++;
        }
      }
    }
    const parseSeconds = (performance.now() - parseStart) / 1000;

    let config: StoreConfig;
    let schema: string | undefined;
    if (options.backend === 'postgres') {
      const url =
        process.env.AUTOIR_BENCH_DATABASE_URL ??
        process.env.AUTOIR_TEST_DATABASE_URL ??
        'postgres://postgres@127.0.0.1:5432/test';
      schema = `autoir_bench_${randomBytes(4).toString('hex')}`;
      config = { kind: 'postgres', url, schema };
    } else {
      config = { kind: 'sqlite', dataDir: path.join(dir, 'data') };
    }
    const store = await openStore(config);
    const rssBefore = process.memoryUsage().rss;
    peakRss = rssBefore;
    const storeStart = performance.now();
    const summary = await ingestDocuments(openDocuments(plan), { store, workers });
    const storeSeconds = (performance.now() - storeStart) / 1000;
    const stored = await store.events.countEvents();
    await store.close();
    if (schema && config.kind === 'postgres') {
      const pg = (await import('pg')).default;
      const client = new pg.Client({ connectionString: config.url });
      await client.connect();
      await client.query(`drop schema "${schema}" cascade`);
      await client.end();
    }
    if (summary.errorCount > 0 || stored !== records) {
      throw new Error(
        `bench input did not round-trip: ${records} records, ${stored} events stored, ${summary.errorCount} errors (first: ${JSON.stringify(summary.errors[0])})`,
      );
    }
    const storeRate = records / storeSeconds;
    const parseRate = records / parseSeconds;
    return {
      bench: 'ingest-events',
      backend: options.backend,
      dataset: path.basename(options.dataset),
      events: records,
      workers,
      input_mb: Math.round((bytes / 1024 / 1024) * 10) / 10,
      store_s: round(storeSeconds, 3),
      store_events_per_s: Math.round(storeRate),
      parse_only_s: round(parseSeconds, 3),
      parse_only_events_per_s: Math.round(parseRate),
      ratio_vs_parse_only: round(storeRate / parseRate, 3),
      peak_rss_mb: Math.round(peakRss / 1024 / 1024),
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
