/**
 * `npm run bench -- scale [--workers 1,2,4] [--count N] [--delay MS]`: throughput that grows with workers. For each
 * N, a fresh PostgreSQL schema, a real `autoir serve --no-worker` and N real `autoir worker` processes on it (the
 * built command); `--count` alerts (default 300), each credential theft on a device of its own (its own incident
 * and investigation), are posted to the server 20 a request, as fast as it takes them. `--delay` (default 0) makes
 * each investigation step of the workers wait that many ms, claim held, without using the CPU
 * (`AUTOIR_BENCH_STEP_DELAY_MS`): slower steps, so that more workers than cores have something to overlap. Timed:
 * from the first post until every investigation is at rest (concluded or waiting for approval) — investigations/s,
 * and per alert from its post to its investigation's end (p50 / p99). Checked: every alert has one investigation,
 * each investigation concluded once (one `conclude` step in its log), and how the steps were shared among the
 * workers (`steps_by_worker`, `fairness` = fewest ÷ most). One JSON line with every N.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { createServer } from 'node:net';
import path from 'node:path';
import { hashToken } from '../src/app/tokens.js';
import { openBenchStore } from './store.js';
import type { InvestigationRecord } from '../src/domain/investigation.js';
import { deviceProcessAlert } from './generate.js';

const root = path.resolve(import.meta.dirname, '../..');
const bin = path.join(root, 'bin/autoir.js');
const round = (value: number, digits = 1) => Number(value.toFixed(digits));
const at = (sorted: readonly number[], q: number) =>
  sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))] ?? 0;
const pause = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer().listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
    server.on('error', reject);
  });
}

const alert = (run: string, index: number) =>
  deviceProcessAlert({
    source: 'bench-scale',
    sourceRef: `${run}-${index}`,
    index,
    domain: `${run}.scale.example`,
  });

function start(args: string[], env: NodeJS.ProcessEnv): { child: ChildProcess; output: () => string } {
  const child = spawn(process.execPath, [bin, ...args], { env, stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  const keep = (chunk: Buffer) => (output = (output + chunk.toString()).slice(-4000));
  child.stdout?.on('data', keep);
  child.stderr?.on('data', keep);
  return { child, output: () => output };
}

/** Until `url` answers 200 (30 s at most, or until the process exits). */
async function answering(url: string, owner: ReturnType<typeof start>, what: string): Promise<void> {
  for (let tries = 0; ; tries++) {
    const ok = await fetch(url).then(
      (response) => response.ok,
      () => false,
    );
    if (ok) return;
    if (tries > 300 || owner.child.exitCode !== null)
      throw new Error(`${what} did not start: ${owner.output()}`);
    await pause(100);
  }
}

async function stop(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null) return;
  const exited = new Promise((resolve) => child.once('exit', resolve));
  child.kill('SIGTERM');
  const timer = setTimeout(() => child.kill('SIGKILL'), 10_000);
  await exited;
  clearTimeout(timer);
}

async function runOnce(workers: number, count: number, delayMs: number): Promise<Record<string, unknown>> {
  const bench = await openBenchStore('postgres', '');
  const store = bench.store;
  const token = `autoir_scale_${randomBytes(12).toString('hex')}`;
  await store.tokens.createToken({ name: 'scale', role: 'admin', tokenHash: hashToken(token) }, new Date());
  const env = {
    ...process.env,
    ...bench.env,
    AUTOIR_BUNDLED_RULES: '0',
    // Every investigation runs at once if workers can take it: the limit is the workers, not the setting.
    AUTOIR_MAX_INVESTIGATIONS: String(Math.max(10, workers * 10)),
    AUTOIR_BENCH_STEP_DELAY_MS: String(delayMs),
  };
  const port = await freePort();
  const server = start(['serve', '--no-worker', '--port', String(port)], env);
  const processes = [server];
  try {
    const base = `http://127.0.0.1:${port}`;
    await answering(`${base}/api/v1/health`, server, 'the server');
    // Each worker serves /ready once it has opened the store and is about to run: the clock starts when all are,
    // not while several processes still load on few cores.
    const ready: Promise<void>[] = [];
    for (let index = 0; index < workers; index++) {
      const metricsPort = await freePort();
      const worker = start(['worker', '--poll', '100ms', '--metrics-port', String(metricsPort)], env);
      processes.push(worker);
      ready.push(answering(`http://127.0.0.1:${metricsPort}/ready`, worker, `worker ${index + 1}`));
    }
    await Promise.all(ready);

    const run = randomBytes(3).toString('hex');
    const postedAt = new Map<string, number>();
    const started = performance.now();
    const startedAt = Date.now();
    for (let index = 0; index < count; index += 20) {
      const body = Array.from({ length: Math.min(20, count - index) }, (_, offset) =>
        alert(run, index + offset),
      );
      const sent = Date.now();
      const response = await fetch(`${base}/api/v1/alerts`, {
        method: 'POST',
        headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
        body: JSON.stringify(body),
      });
      const answer = (await response.json()) as { results: { id?: string; status: string }[] };
      for (const result of answer.results) if (result.id) postedAt.set(result.id, sent);
    }

    let records: readonly InvestigationRecord[] = [];
    const deadline = performance.now() + 300_000;
    for (;;) {
      records = (await store.investigations.list({}, { limit: count + 100 })).items;
      const resting = records.filter((item) => item.status !== 'queued' && item.status !== 'running');
      if (resting.length >= count || performance.now() > deadline) break;
      await pause(100);
    }
    const seconds = (performance.now() - started) / 1000;
    const latencies: number[] = [];
    const stepsByWorker = new Map<string, number>();
    let concludedTwice = 0;
    let lastEnd = startedAt;
    for (const record of records) {
      const detail = await store.investigations.get(record.id);
      if (!detail) continue;
      const end = Date.parse(detail.endedAt ?? detail.updatedAt);
      lastEnd = Math.max(lastEnd, end);
      const posted = Math.min(...detail.alertIds.map((id) => postedAt.get(id) ?? Infinity));
      if (Number.isFinite(posted)) latencies.push(end - posted);
      if (detail.log.filter((entry) => entry.step === 'conclude').length > 1) concludedTwice++;
      for (const entry of detail.log)
        stepsByWorker.set(entry.worker, (stepsByWorker.get(entry.worker) ?? 0) + 1);
    }
    latencies.sort((a, b) => a - b);
    const shares = [...stepsByWorker.values()];
    const atRestSeconds = (lastEnd - startedAt) / 1000;
    return {
      workers,
      alerts: postedAt.size,
      investigations: records.length,
      at_rest: records.filter((item) => item.status !== 'queued' && item.status !== 'running').length,
      concluded_twice: concludedTwice,
      seconds: round(seconds, 2),
      investigations_per_s: round(records.length / atRestSeconds),
      alert_to_rest_p50_ms: Math.round(at(latencies, 0.5)),
      alert_to_rest_p99_ms: Math.round(at(latencies, 0.99)),
      steps_by_worker: Object.fromEntries(
        [...stepsByWorker].map(([name, steps]) => [name.replace(/^[^:]*:/, ''), steps]),
      ),
      fairness: shares.length > 0 ? round(Math.min(...shares) / Math.max(...shares), 2) : 0,
    };
  } finally {
    await Promise.all(processes.map((item) => stop(item.child)));
    await bench.close();
  }
}

export async function benchScale(options: {
  readonly workers: readonly number[];
  readonly count: number;
  /** Each investigation step waits this long (ms), claim held; 0: none. */
  readonly delayMs?: number;
}): Promise<Record<string, unknown>> {
  const delayMs = options.delayMs ?? 0;
  const runs = [];
  for (const workers of options.workers) runs.push(await runOnce(workers, options.count, delayMs));
  return { bench: 'scale', backend: 'postgres', alerts: options.count, step_delay_ms: delayMs, runs };
}
