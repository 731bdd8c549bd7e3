/**
 * Investigation latency and throughput over a realistic store: 1,000,000 background telemetry events (process
 * starts, image loads, network connections, LSASS handles of a 2,000-device fleet), then `count` alerts stored one
 * after another, each on its own device about a process from a user-writable folder with real telemetry (its
 * start, C2-like connections, an LSASS handle). For each: time from the alert stored to its investigation at rest
 * (a terminal status, or pendingApproval with its proposals stored) — correlation, triggering and every step
 * included, one worker, no backlog.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { EventDraft } from '../src/domain/event.js';
import { loadPlaybooks } from '../src/investigate/playbooks.js';
import { EventRefs, prepareEvent } from '../src/ingest/prepare-event.js';
import { runUntilIdle, type WorkObserver } from '../src/worker/worker.js';
import { createRandom, hex } from './generate.js';
import { openBenchStore } from './store.js';
import { writeAlerts } from '../src/ingest/prepare-alert.js';

const DEVICES = 2000;
const COMMON = [
  'C:\\Windows\\System32\\svchost.exe',
  'C:\\Windows\\System32\\RuntimeBroker.exe',
  'C:\\Windows\\explorer.exe',
  'C:\\Program Files\\Microsoft Office\\root\\Office16\\OUTLOOK.EXE',
  'C:\\Program Files (x86)\\Microsoft\\Edge\\Application\\msedge.exe',
  'C:\\Windows\\System32\\conhost.exe',
  'C:\\Windows\\System32\\taskhostw.exe',
  'C:\\Program Files\\Windows Defender\\MsMpEng.exe',
];

function deviceName(index: number): string {
  return `ws${String(index).padStart(5, '0')}.corp.example`;
}

function guid(random: () => number): string {
  const h = hex(random, 32);
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-${h.slice(12, 16)}-${h.slice(16, 20)}-${h.slice(20)}`;
}

/** One process's events: its start, a few image loads and connections. */
function processEvents(
  random: () => number,
  time: number,
  device: string,
  image: string,
  sha256: string,
  extra: { dstIp?: string; port?: number; connections?: number; lsass?: boolean } = {},
): EventDraft[] {
  const key = `process:${device}:${guid(random)}`;
  const base = {
    format: 'windows',
    source: 'Microsoft-Windows-Sysmon/Operational',
    deviceKey: `device:${device}`,
    userKey: 'user:corp\\kim',
    processKey: key,
    imagePath: image,
  };
  const events: EventDraft[] = [
    {
      ...base,
      time,
      code: '1',
      kind: 'processStart',
      parentProcessKey: `process:${device}:${guid(random)}`,
      commandLine: `"${image}"`,
      sha256,
      keys: [`device:${device}`, key, 'user:corp\\kim', `file:sha256:${sha256}`],
    },
  ];
  for (let index = 0; index < 3; index++)
    events.push({
      ...base,
      time: time + 10 + index,
      code: '7',
      kind: 'imageLoad',
      targetPath: 'C:\\Windows\\System32\\kernel32.dll',
      keys: [`device:${device}`, key, 'user:corp\\kim'],
    });
  const dst = extra.dstIp ?? `52.${Math.floor(random() * 255)}.${Math.floor(random() * 255)}.10`;
  for (let index = 0; index < (extra.connections ?? 1); index++)
    events.push({
      ...base,
      time: time + 1000 + index * 60_000,
      code: '3',
      kind: 'networkConnection',
      srcIp: '10.1.0.5',
      dstIp: dst,
      dstPort: extra.port ?? 443,
      keys: [`device:${device}`, key, 'user:corp\\kim', 'ip:10.1.0.5', `ip:${dst}`],
    });
  if (extra.lsass)
    events.push({
      ...base,
      time: time + 5000,
      code: '10',
      kind: 'processAccess',
      targetPath: 'C:\\Windows\\system32\\lsass.exe',
      targetProcessKey: `process:${device}:${guid(random)}`,
      details: { grantedAccess: '0x1010' },
      keys: [`device:${device}`, key, 'user:corp\\kim'],
    });
  return events;
}

export async function benchInvestigate(options: {
  backend: 'sqlite' | 'postgres';
  count: number;
  background: number;
}): Promise<Record<string, unknown>> {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'autoir-bench-investigate-'));
  const bench = await openBenchStore(options.backend, dir);
  const { store } = bench;
  const random = createRandom(7);
  const start = Date.parse('2026-01-05T08:00:00.000Z');
  let peakRss = process.memoryUsage().rss;
  try {
    // Background telemetry.
    const common = COMMON.map(() => hex(random, 64));
    const refs = new EventRefs();
    const now = new Date();
    let written = 0;
    const loadStarted = performance.now();
    while (written < options.background) {
      const batch = [];
      while (batch.length < 5000 && written + batch.length < options.background) {
        const pick = Math.floor(random() * COMMON.length);
        const device = deviceName(Math.floor(random() * DEVICES));
        const time = start + Math.floor(random() * 7 * 86_400_000);
        for (const draft of processEvents(
          random,
          time,
          device,
          COMMON[pick] as string,
          common[pick] as string,
        )) {
          const raw = JSON.stringify(draft);
          batch.push(prepareEvent(draft, raw, refs));
        }
      }
      await store.events.insertPrepared(batch, now);
      written += batch.length;
      peakRss = Math.max(peakRss, process.memoryUsage().rss);
    }
    const loadSeconds = (performance.now() - loadStarted) / 1000;

    // The investigated processes' telemetry: a payload in Downloads, beaconing to a rare address, reading LSASS.
    const targets = [];
    for (let index = 0; index < options.count; index++) {
      const device = deviceName(index % DEVICES);
      const sha256 = hex(random, 64);
      const dstIp = `198.51.${Math.floor(index / 250)}.${index % 250}`;
      const events = processEvents(
        random,
        start + 8 * 86_400_000 + index * 1000,
        device,
        `C:\\Users\\kim\\Downloads\\invoice_${index}.exe`,
        sha256,
        { dstIp, port: 4444, connections: 6, lsass: true },
      );
      await store.events.insertPrepared(
        events.map((draft) => prepareEvent(draft, JSON.stringify(draft), refs)),
        now,
      );
      targets.push({
        device,
        sha256,
        processKey: events[0]?.processKey as string,
        time: events[0]?.time as number,
      });
    }

    const playbooks = loadPlaybooks();
    const latencies: number[] = [];
    // Where an investigation's latency goes: storing its alert, then each stage of the worker's passes.
    const stages = new Map<string, number>();
    const addStage = (stage: string, ms: number) => stages.set(stage, (stages.get(stage) ?? 0) + ms);
    const observe: WorkObserver = {
      stage: (stage, seconds) => addStage(stage, seconds * 1000),
      actions: () => {},
    };
    const runStarted = performance.now();
    for (const [index, target] of targets.entries()) {
      const t0 = performance.now();
      await writeAlerts(
        store.alerts,
        [
          {
            draft: {
              source: 'bench-edr',
              sourceRef: `a${index}`,
              title: 'LSASS memory access by an unsigned process',
              severity: 'high',
              category: 'credentialAccess',
              mitreTechniques: ['T1003.001'],
              createdAt: new Date(target.time + 6000).toISOString(),
              entities: [
                {
                  type: 'device',
                  key: `device:${target.device}`,
                  hostname: target.device.split('.')[0] as string,
                  fqdn: target.device,
                },
                {
                  type: 'process',
                  key: target.processKey,
                  device: target.device,
                  guid: target.processKey.split(':').pop() as string,
                  imagePath: `C:\\Users\\kim\\Downloads\\invoice_${index}.exe`,
                  imageKey: `file:sha256:${target.sha256}`,
                },
                {
                  type: 'file',
                  key: `file:sha256:${target.sha256}`,
                  sha256: target.sha256,
                  path: `C:\\Users\\kim\\Downloads\\invoice_${index}.exe`,
                },
              ],
            },
            format: 'autoir',
          },
        ],
        new Date(),
      );
      addStage('store', performance.now() - t0);
      const passes = performance.now();
      await runUntilIdle(store, { correlation: {}, playbooks, observe });
      addStage('passes', performance.now() - passes);
      latencies.push(performance.now() - t0);
      peakRss = Math.max(peakRss, process.memoryUsage().rss);
    }
    const seconds = (performance.now() - runStarted) / 1000;
    const page = await store.investigations.list({}, { limit: 1000 });
    const atRest = page.items.filter((item) => !['queued', 'running'].includes(item.status)).length;
    // Where the time goes: mean duration of each step, from the investigations' own logs.
    const steps = new Map<string, { total: number; count: number }>();
    for (const item of page.items) {
      const detail = await store.investigations.get(item.id);
      for (const entry of detail?.log ?? []) {
        const step = steps.get(entry.step) ?? { total: 0, count: 0 };
        step.total += entry.durationMs;
        step.count += 1;
        steps.set(entry.step, step);
      }
    }
    const stepMs = Object.fromEntries(
      [...steps].map(([name, step]) => [`${name}_ms`, Number((step.total / step.count).toFixed(1))]),
    );
    const sorted = [...latencies].sort((a, b) => a - b);
    const at = (q: number) => sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))] as number;
    return {
      bench: 'investigate',
      backend: options.backend,
      background_events: written,
      background_load_s: Number(loadSeconds.toFixed(1)),
      investigations: options.count,
      investigations_at_rest: atRest,
      investigations_per_s: Number((options.count / seconds).toFixed(1)),
      p50_ms: Number(at(0.5).toFixed(1)),
      p99_ms: Number(at(0.99).toFixed(1)),
      max_ms: Number((sorted[sorted.length - 1] ?? 0).toFixed(1)),
      peak_rss_mb: Math.round(peakRss / 1048576),
      mean_step: stepMs,
      // Per investigation: the alert's write, the worker's passes in all, and their stages (the rest of
      // `passes` is releasing dead claims at the start of each run).
      mean_stage_ms: Object.fromEntries(
        [...stages].map(([stage, ms]) => [stage, Number((ms / options.count).toFixed(1))]),
      ),
    };
  } finally {
    await bench.close();
    rmSync(dir, { recursive: true, force: true });
  }
}
