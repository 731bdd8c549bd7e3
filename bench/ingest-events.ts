/**
 * `npm run bench -- ingest-events [--backend sqlite|postgres] [--dataset DIR]`: ingest a whole OTRF campaign
 * (default LSASS_campaign_01: zipped Windows events and Zeek logs) through the real pipeline — unzip, split,
 * parse, normalise, store — and in the same run unzip + JSON.parse the same input and nothing else. Prints one
 * JSON line: events/s, the parse-only rate, their ratio, peak RSS.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { openDocuments, planInput } from '../src/ingest/input.js';
import { defaultWorkerCount } from '../src/ingest/parse-pool.js';
import { ingestDocuments } from '../src/ingest/pipeline.js';
import { parseThreadScript } from '../src/app/threads.js';
import { readRecords } from '../src/records/json-records.js';
import { openBenchStore } from './store.js';
import { timeWritesOnly } from './write-only.js';

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

    const bench = await openBenchStore(options.backend, dir);
    const store = bench.store;
    const rssBefore = process.memoryUsage().rss;
    peakRss = rssBefore;
    const storeStart = performance.now();
    const summary = await ingestDocuments(openDocuments(plan), {
      store,
      workers,
      parseThread: parseThreadScript,
    });
    const storeSeconds = (performance.now() - storeStart) / 1000;
    const stored = await store.events.countEvents();
    // Of the pipeline: the writing-stage measurement below holds every prepared record in memory at once.
    const pipelinePeakRss = peakRss;
    // The questions investigations ask, on the store just filled (median of 5 runs each).
    const timed = async (work: () => Promise<unknown>) => {
      const times: number[] = [];
      for (let run = 0; run < 5; run++) {
        const start = performance.now();
        await work();
        times.push(performance.now() - start);
      }
      return round(times.sort((a, b) => a - b)[2] as number, 2);
    };
    const payload = 'process:mkt01.pandalab.com:81056205-5686-64dc-3b04-000000000800';
    const queries = {
      query_devices_with_file_ms: await timed(() =>
        store.eventQuery.devicesWithFile('e9196b871670af6307902fc4ca09f7cf3c309ae54b28e10d052ed8741090f928'),
      ),
      query_search_ip_ms: await timed(() =>
        store.events.searchEvents({ entityKeys: ['ip:10.0.5.13'] }, { limit: 100 }),
      ),
      query_process_descendants_ms: await timed(() => store.eventQuery.processDescendants(payload)),
      query_process_activity_ms: await timed(() => store.eventQuery.processActivity(payload)),
      query_device_timeline_1000_ms: await timed(() =>
        store.eventQuery.deviceTimeline('mkt01', { since: '2023-08-15T09:55:00Z' }, 1000),
      ),
    };
    await bench.close();

    // The writing stage alone, into a second fresh store: the ceiling of any pipeline on this machine.
    const writeBench = await openBenchStore(options.backend, path.join(dir, 'write-only'));
    const writeSeconds = await timeWritesOnly(plan, writeBench.store);
    await writeBench.close();
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
      write_only_events_per_s: Math.round(records / writeSeconds),
      ratio_write_only_vs_parse_only: round(records / writeSeconds / parseRate, 3),
      peak_rss_mb: Math.round(pipelinePeakRss / 1024 / 1024),
      ...queries,
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
