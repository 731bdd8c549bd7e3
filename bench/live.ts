/**
 * `npm run bench -- live [--rate N]`: the live pipeline. OTRF's LSASS_campaign_01 Windows events are written line
 * by line into a followed file at `--rate` lines a second (default 2,000), with an alert record of its own every
 * 200 lines (credential theft on a device of its own); each alert is timed from the moment its line was written to
 * the moment it is in the store (`followed line → alert stored` p50 / p99; target p50 ≤ 500 ms, p99 ≤ 2 s), and to
 * the moment its investigation is at rest (concluded or waiting for approval), with the followed input and the
 * worker loop run as `autoir serve` runs them (alerts correlated after each batch, and the worker told at once).
 * Then, in the same run, the sustained rate of the whole campaign through `POST /es/_bulk` (1,000 documents a
 * request, two requests at a time, to a real server on loopback), and through the syslog receiver over TCP (each
 * line an RFC 5424 message carrying the event as JSON, octet-counted, one connection), each against `autoir ingest`
 * of the same file, as a ratio (target ≥ 0.8). SQLite. (Syslog counts the events stored or found already stored: a
 * line repeated in the campaign is one event there, as over _bulk, where a file ingest keeps a second occurrence.)
 */
import { appendFileSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { createServer } from '../src/api/server.js';
import { hashToken } from '../src/app/tokens.js';
import { followFiles } from '../src/ingest/follow.js';
import { openDocuments, planInput, singleDocument } from '../src/ingest/input.js';
import { ingestDocuments } from '../src/ingest/pipeline.js';
import { defaultWorkerCount } from '../src/ingest/parse-pool.js';
import { parseThreadScript } from '../src/app/threads.js';
import { openBenchStore } from './store.js';
import { deviceProcessAlert } from './generate.js';
import net from 'node:net';
import { SyslogReceiver } from '../src/ingest/syslog-receiver.js';
import { correlatePending } from '../src/correlate/correlator.js';
import { loadPlaybooks } from '../src/investigate/playbooks.js';
import { runWorker } from '../src/worker/worker.js';
import type { InvestigationRecord } from '../src/domain/investigation.js';

/** `probe`'s first answer, polling every 20 ms, or undefined after `ms`. */
async function until<T>(ms: number, probe: () => Promise<T | undefined>): Promise<T | undefined> {
  const deadline = performance.now() + ms;
  for (;;) {
    const found = await probe();
    if (found !== undefined || performance.now() > deadline) return found;
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

const round = (value: number, digits = 1) => Number(value.toFixed(digits));
const at = (sorted: readonly number[], q: number) =>
  sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))] ?? 0;

async function campaignLines(dataset: string): Promise<string[]> {
  const chunks: Buffer[] = [];
  for await (const document of openDocuments(await planInput(dataset)))
    if ('chunks' in document && !/zeek/i.test(document.name))
      for await (const chunk of document.chunks) chunks.push(chunk);
  return Buffer.concat(chunks)
    .toString('utf8')
    .split('\n')
    .filter((line) => line.trim() !== '');
}

/** A timed alert: credential theft by a process on a device of its own (its own incident and investigation). */
const alertLine = (index: number) =>
  JSON.stringify(
    deviceProcessAlert({ source: 'bench', sourceRef: `live-${index}`, index, domain: 'bench.example' }),
  );

export async function benchLive(options: {
  dataset: string;
  rate: number;
}): Promise<Record<string, unknown>> {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'autoir-bench-live-'));
  try {
    const lines = await campaignLines(options.dataset);

    // 1. A followed file, written line by line.
    const followed = await openBenchStore('sqlite', path.join(dir, 'follow'));
    const file = path.join(dir, 'security.json');
    writeFileSync(file, '');
    const stop = new AbortController();
    // As `autoir serve` runs a followed input: each batch's alerts correlated at once, and the worker loop beside
    // it told of them.
    const arrivals = new EventTarget();
    const following = followFiles(followed.store, {
      input: 'bench',
      patterns: [file],
      signal: stop.signal,
      pollMs: 100,
      onBatch: async () => {
        await correlatePending(followed.store);
        arrivals.dispatchEvent(new Event('alerts'));
      },
    });
    const stopWorker = new AbortController();
    const working = runWorker(
      followed.store,
      { correlation: {}, playbooks: loadPlaybooks(), wake: arrivals },
      stopWorker.signal,
    );
    // Write times of the timed alerts, in order: they are stored in order, so when the store holds n of them, the
    // first n have arrived.
    const written: number[] = [];
    /** The same moments by the wall clock, to compare with the investigations' own times. */
    const writtenAt: number[] = [];
    const timedIndexes: number[] = [];
    const latencies: number[] = [];
    const collect = async () => {
      const stored = await followed.store.alerts.countAlerts({ sources: ['bench'] });
      const now = performance.now();
      while (latencies.length < stored && latencies.length < written.length)
        latencies.push(now - (written[latencies.length] as number));
    };
    const slice = 20;
    const writeStarted = performance.now();
    const count = Math.min(lines.length, options.rate * 20);
    for (let index = 0; index < count; index += slice) {
      const batch = lines.slice(index, index + slice);
      if (index % 200 === 0) {
        written.push(performance.now());
        writtenAt.push(Date.now());
        timedIndexes.push(index);
        batch.push(alertLine(index));
      }
      appendFileSync(file, `${batch.join('\n')}\n`);
      // Keep to the rate: the next slice is due at (index + slice) / rate seconds.
      const due = writeStarted + ((index + slice) / options.rate) * 1000;
      const wait = due - performance.now();
      if (wait > 0) await new Promise((resolve) => setTimeout(resolve, wait));
      await collect();
    }
    const deadline = performance.now() + 30_000;
    while (latencies.length < written.length && performance.now() < deadline) {
      await collect();
      await new Promise((resolve) => setTimeout(resolve, 10));
    }
    // Each timed alert is its own incident and investigation, started in the order the alerts were written: the
    // n-th investigation (by key) is the n-th alert's. At rest: concluded, or waiting for an analyst's approval.
    const atRest = (item: InvestigationRecord) => item.status !== 'queued' && item.status !== 'running';
    const investigations = await until(30_000, async () => {
      const page = await followed.store.investigations.list({}, { limit: 1000 });
      return page.items.length >= writtenAt.length && page.items.every(atRest) ? page.items : undefined;
    });
    // Line → alert by the alert's own time of storing (its `ingestedAt`, the wall clock of the batch that wrote
    // it): the polling above shares the event loop with the worker and would add its turns to the figure.
    const benchAlerts = (await followed.store.alerts.listAlerts({ sources: ['bench'] }, { limit: 1000 }))
      .items;
    const storedAt = new Map(benchAlerts.map((item) => [item.sourceRef, Date.parse(item.ingestedAt)]));
    latencies.length = 0;
    for (const [position, index] of timedIndexes.entries()) {
      const at = storedAt.get(`live-${index}`);
      if (at !== undefined) latencies.push(at - (writtenAt[position] as number));
    }
    stopWorker.abort();
    await working;
    stop.abort();
    await following;
    await followed.close();
    latencies.sort((a, b) => a - b);
    const toRest = [...(investigations ?? [])]
      .sort((a, b) => a.key - b.key)
      .slice(0, writtenAt.length)
      .map((item, index) => Date.parse(item.endedAt ?? item.updatedAt) - (writtenAt[index] as number))
      .sort((a, b) => a - b);

    // 2. The whole campaign: a file ingest, then the same through _bulk, each into a fresh store.
    const text = `${lines.join('\n')}\n`;
    const fileStore = await openBenchStore('sqlite', path.join(dir, 'file'));
    const fileStarted = performance.now();
    // As `autoir ingest` runs: parse threads beside the writing one.
    const fileSummary = await ingestDocuments(singleDocument('lsass.json', Buffer.from(text)), {
      store: fileStore.store,
      workers: defaultWorkerCount(),
      parseThread: parseThreadScript,
    });
    const fileSeconds = (performance.now() - fileStarted) / 1000;
    await fileStore.close();

    const bulkStore = await openBenchStore('sqlite', path.join(dir, 'bulk'));
    const token = 'autoir_bench_live_ingest_token';
    await bulkStore.store.tokens.createToken(
      { name: 'bench', role: 'ingest', tokenHash: hashToken(token) },
      new Date(),
    );
    const app = createServer({ store: bulkStore.store, version: 'bench', webRoot: null });
    await app.listen({ host: '127.0.0.1', port: 0 });
    const url = `http://127.0.0.1:${(app.server.address() as { port: number }).port}/es/_bulk`;
    const action = '{"create":{"_index":"bench"}}';
    const bodies: string[] = [];
    for (let index = 0; index < lines.length; index += 1000)
      bodies.push(
        `${lines
          .slice(index, index + 1000)
          .flatMap((line) => [action, line])
          .join('\n')}\n`,
      );
    let next = 0;
    let refused = 0;
    const bulkStarted = performance.now();
    const worker = async () => {
      while (next < bodies.length) {
        const body = bodies[next++] as string;
        for (;;) {
          const response = await fetch(url, {
            method: 'POST',
            body,
            headers: { authorization: `ApiKey ${token}`, 'content-type': 'application/x-ndjson' },
          });
          const answer = (await response.json()) as { items: { create: { status: number } }[] };
          if (!answer.items.some((item) => item.create.status === 429)) break;
          refused++;
          await new Promise((resolve) => setTimeout(resolve, 50));
        }
      }
    };
    await Promise.all([worker(), worker()]);
    const bulkSeconds = (performance.now() - bulkStarted) / 1000;
    const bulkEvents = await bulkStore.store.events.countEvents();
    await app.close();
    await bulkStore.close();

    // 3. The same through the syslog receiver over TCP: each line an RFC 5424 message with the event as its JSON
    // payload, octet-counted, sent as fast as the connection takes them (reading stops when storing lags).
    const syslogStore = await openBenchStore('sqlite', path.join(dir, 'syslog'));
    const receiver = new SyslogReceiver(syslogStore.store, {
      name: 'bench',
      protocol: 'tcp',
      host: '127.0.0.1',
      port: 0,
      // As `autoir serve` runs a receiver: one parse thread kept from start to stop.
      ingest: { parseThread: parseThreadScript, workers: 1 },
    });
    const { port } = await receiver.start();
    const frames = lines.map((line) => {
      const message = `<134>1 2026-12-07T10:00:00Z mkt01 winlogbeat - - - ${line}`;
      return `${Buffer.byteLength(message)} ${message}`;
    });
    const syslogStarted = performance.now();
    const socket = net.connect(port, '127.0.0.1');
    await new Promise((resolve) => socket.once('connect', resolve));
    for (let index = 0; index < frames.length; index += 500)
      if (!socket.write(frames.slice(index, index + 500).join('')))
        await new Promise((resolve) => socket.once('drain', resolve));
    socket.end();
    while (
      receiver.stats().events + receiver.stats().duplicateEvents + receiver.stats().errors <
      frames.length
    )
      await new Promise((resolve) => setTimeout(resolve, 5));
    const syslogSeconds = (performance.now() - syslogStarted) / 1000;
    const syslogStats = receiver.stats();
    await receiver.stop();
    await syslogStore.close();

    const fileRate = fileSummary.events / fileSeconds;
    const syslogRate = (syslogStats.events + syslogStats.duplicateEvents) / syslogSeconds;
    const bulkRate = bulkEvents / bulkSeconds;
    return {
      bench: 'live',
      backend: 'sqlite',
      followed_lines: count,
      followed_rate_lines_per_s: options.rate,
      followed_alerts_timed: latencies.length,
      followed_alerts_missing: written.length - latencies.length,
      line_to_alert_p50_ms: round(at(latencies, 0.5)),
      line_to_alert_p99_ms: round(at(latencies, 0.99)),
      investigations_at_rest: toRest.length,
      line_to_investigation_at_rest_p50_ms: round(at(toRest, 0.5)),
      line_to_investigation_at_rest_p99_ms: round(at(toRest, 0.99)),
      file_events: fileSummary.events,
      file_events_per_s: Math.round(fileRate),
      bulk_events: bulkEvents,
      bulk_events_per_s: Math.round(bulkRate),
      bulk_requests_refused: refused,
      bulk_to_file_ratio: round(bulkRate / fileRate, 2),
      syslog_messages: syslogStats.messages,
      syslog_events: syslogStats.events,
      syslog_errors: syslogStats.errors,
      syslog_events_per_s: Math.round(syslogRate),
      syslog_to_file_ratio: round(syslogRate / fileRate, 2),
    };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
