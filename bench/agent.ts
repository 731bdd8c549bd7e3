/**
 * `npm run bench -- agent [--count N] [--idle S]`: the host agent as a real process (`autoir agent`) against the
 * server on loopback. Figures:
 *
 * - `approve_to_applied_p50_ms` / `_p99_ms`: from an analyst's request (the request is the approval) through the
 *   executor handing it to the agent, the agent's long poll, carrying it out on this host (a real `sleep` process
 *   killed, pid, start time and program checked) and its report, to the action stored as succeeded — one action at
 *   a time, N times (default 50). Targets: p50 ≤ 1 s, p99 ≤ 2 s.
 * - `idle_cpu_percent` / `idle_rss_mb`: the idle agent's CPU (share of one core, from /proc/<pid>/stat) and RSS
 *   over S seconds (default 60). Targets: < 1 % of a core, < 60 MB.
 */
import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { createServer } from '../src/api/server.js';
import { requestAction } from '../src/respond/action-center.js';
import { agentView, createEnrollmentToken } from '../src/respond/agents.js';
import { executePending } from '../src/respond/executor.js';
import { openBenchStore } from './store.js';
import { throwawayCertificate } from './certificate.js';

const USER_HZ = 100;
const round = (value: number, digits = 1) => Math.round(value * 10 ** digits) / 10 ** digits;

function cpuTicks(pid: number): number {
  const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  return Number(fields[11]) + Number(fields[12]); // utime + stime
}

function rssMb(pid: number): number {
  const kb = Number(/^VmRSS:\s+(\d+) kB$/m.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))?.[1] ?? 0);
  return kb / 1024;
}

async function until<T>(probe: () => Promise<T | undefined>, ms: number): Promise<T> {
  const deadline = Date.now() + ms;
  for (;;) {
    const value = await probe();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error('timed out');
    await new Promise((resolve) => setTimeout(resolve, 5));
  }
}

export async function benchAgent(options: {
  count: number;
  idleS: number;
}): Promise<Record<string, unknown>> {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'autoir-bench-agent-'));
  const bench = await openBenchStore('sqlite', dir);
  const { store } = bench;
  // HTTPS, as in production (the agent's TLS stack is part of its memory), with a throwaway certificate it pins.
  const { cert: ca, key } = throwawayCertificate(dir, '127.0.0.1');
  const app = createServer({
    store,
    version: 'bench',
    tls: { cert: readFileSync(ca), key: readFileSync(key) },
  });
  await app.listen({ host: '127.0.0.1', port: 0 });
  const server = `https://127.0.0.1:${(app.server.address() as { port: number }).port}`;
  const { token } = await createEnrollmentToken(store.agents, { lifetimeMs: 3_600_000 }, 'bench', new Date());
  const bin = path.resolve(import.meta.dirname, '../../bin/autoir.js');
  const agent = spawn(
    process.execPath,
    [bin, 'agent', '--server', server, '--state', path.join(dir, 'state'), '--enroll', token, '--ca', ca],
    { stdio: ['ignore', 'ignore', 'pipe'] },
  );
  let agentLog = '';
  agent.stderr?.on('data', (chunk: Buffer) => (agentLog += chunk.toString()));
  try {
    const enrolled = await until(async () => {
      const [first] = await store.agents.list();
      return first && agentView(first, new Date()).online ? first : undefined;
    }, 30_000).catch((error: Error) => {
      throw new Error(`the agent did not come online: ${error.message}\n${agentLog}`);
    });
    const latencies: number[] = [];
    for (let index = 0; index < options.count; index++) {
      const victim = spawn('sleep', ['600'], { stdio: 'ignore' });
      const started = performance.now();
      const action = await requestAction(
        store,
        {
          type: 'killProcess',
          targetKey: `process:${enrolled.deviceKey.slice('device:'.length)}:${victim.pid}`,
          deviceKey: enrolled.deviceKey,
          parameters: { pid: victim.pid, imagePath: '/usr/bin/sleep' },
        },
        'bench',
        new Date(),
      );
      await executePending(store, { worker: 'bench', now: () => new Date(), connectors: async () => [] });
      await until(
        async () => ((await store.actions.get(action.id))?.status === 'succeeded' ? true : undefined),
        10_000,
      );
      latencies.push(performance.now() - started);
      victim.kill('SIGKILL');
    }
    latencies.sort((a, b) => a - b);
    const at = (q: number) =>
      round(latencies[Math.min(latencies.length - 1, Math.floor(q * latencies.length))] ?? 0);

    // Idle: no tasks, the agent only long-polls.
    const pid = agent.pid as number;
    const ticksBefore = cpuTicks(pid);
    let peakRss = rssMb(pid);
    const idleStart = performance.now();
    while (performance.now() - idleStart < options.idleS * 1000) {
      await new Promise((resolve) => setTimeout(resolve, 1000));
      peakRss = Math.max(peakRss, rssMb(pid));
    }
    const seconds = (performance.now() - idleStart) / 1000;
    const cpuPercent = ((cpuTicks(pid) - ticksBefore) / USER_HZ / seconds) * 100;
    return {
      bench: 'agent',
      backend: 'sqlite',
      actions: options.count,
      approve_to_applied_p50_ms: at(0.5),
      approve_to_applied_p99_ms: at(0.99),
      approve_to_applied_max_ms: round(latencies.at(-1) ?? 0),
      idle_seconds: round(seconds, 0),
      idle_cpu_percent: round(cpuPercent, 2),
      idle_rss_mb: round(peakRss),
      targets: { p50_ms: 1000, p99_ms: 2000, idle_cpu_percent: 1, idle_rss_mb: 60 },
    };
  } finally {
    agent.kill('SIGTERM');
    await app.close();
    await bench.close();
    rmSync(dir, { recursive: true, force: true });
  }
}
