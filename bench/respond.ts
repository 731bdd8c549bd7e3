/**
 * The response stage's execution: `count` actions waiting for approval are approved by an analyst (in chunks of
 * one type, as the action center does), then the executor runs them through a real webhook connector to a local
 * HTTP receiver in the same process, which checks each request's HMAC signature and answers 200 succeeded. Times
 * the approvals, the execution, and each action's approval-to-succeeded latency from its stored record.
 */
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { parseConnectorConfig, redactConnector } from '../src/connectors/config.js';
import { verifyWebhookSignature } from '../src/connectors/webhook/webhook.js';
import type { ActionType, ActionRecord } from '../src/domain/action.js';
import { decideActions } from '../src/respond/action-center.js';
import { connectorSource } from '../src/app/connectors.js';
import { executePending } from '../src/respond/executor.js';
import { openBenchStore } from './store.js';
import type { Page } from '../src/domain/page.js';
import type { ConnectorSource } from '../src/respond/ports.js';
import type { Store } from '../src/store/ports.js';
import { outboundPolicy } from '../src/connectors/outbound.js';

/** Action types and a target of each for index `i`: no two actions share (type, target). */
const KINDS: readonly { type: ActionType; target: (i: number) => string; device: boolean }[] = [
  {
    type: 'isolateDevice',
    target: (i) => `device:ws${String(i).padStart(6, '0')}.corp.example`,
    device: true,
  },
  { type: 'quarantineFile', target: (i) => `file:sha256:${i.toString(16).padStart(64, '0')}`, device: false },
  { type: 'blockIp', target: (i) => `ip:198.51.${(i >> 8) & 255}.${i & 255}`, device: false },
  { type: 'disableUser', target: (i) => `user:corp\\user${i}`, device: false },
];
const CHUNK = 500;

interface Receiver {
  readonly server: Server;
  readonly url: string;
  readonly stats: { requests: number; badSignatures: number; keys: Set<string> };
}

/** A webhook receiver that verifies signatures, remembers idempotency keys and answers `succeeded`. */
async function startReceiver(secret: string): Promise<Receiver> {
  const stats = { requests: 0, badSignatures: 0, keys: new Set<string>() };
  const server = createServer((request, response) => {
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('end', () => {
      stats.requests++;
      const body = Buffer.concat(chunks);
      if (!verifyWebhookSignature(secret, request.headers, body, Math.floor(Date.now() / 1000))) {
        stats.badSignatures++;
        response.writeHead(401).end();
        return;
      }
      const key = request.headers['idempotency-key'];
      if (typeof key === 'string') stats.keys.add(key);
      response.writeHead(200, { 'content-type': 'application/json' });
      response.end('{"status":"succeeded"}');
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return { server, url: `http://127.0.0.1:${port}/hooks/autoir`, stats };
}

const round = (value: number, digits = 1) => Number(value.toFixed(digits));

export async function benchRespond(options: {
  backend: 'sqlite' | 'postgres';
  count: number;
  concurrency?: number;
}): Promise<Record<string, unknown>> {
  const concurrency = options.concurrency ?? 16;
  const dir = mkdtempSync(path.join(os.tmpdir(), 'autoir-bench-respond-'));
  const bench = await openBenchStore(options.backend, dir);
  const { store } = bench;
  const secret = randomBytes(24).toString('hex');
  const receiver = await startReceiver(secret);
  let peakRss = process.memoryUsage().rss;
  const sampler = setInterval(() => {
    peakRss = Math.max(peakRss, process.memoryUsage().rss);
  }, 50);
  sampler.unref();
  try {
    const config = parseConnectorConfig(
      {
        name: 'bench-receiver',
        kind: 'webhook',
        actions: ['*'],
        timeout: '30s',
        settings: { url: receiver.url, secret },
      },
      'bench connector',
    );
    await store.policy.putConnector(
      { name: config.name, config: config as unknown as Record<string, unknown>, definedOn: 'host' },
      'bench',
      new Date(),
      (c) => redactConnector(c as unknown as Parameters<typeof redactConnector>[0]),
    );
    const connectors = connectorSource(store, { outbound: outboundPolicy(['127.0.0.1/32']) });

    const drafts = Array.from({ length: options.count }, (_, index) => {
      const kind = KINDS[index % KINDS.length] as (typeof KINDS)[number];
      const targetKey = kind.target(index);
      return { type: kind.type, targetKey, deviceKey: kind.device ? targetKey : null };
    });
    const singles = Array.from({ length: Math.min(200, options.count) }, (_, index) => {
      const targetKey = `device:single${index}.bench.example`;
      return { type: 'isolateDevice' as const, targetKey, deviceKey: targetKey };
    });
    const measured = await measureExecution(store, connectors, drafts, singles, concurrency);
    peakRss = Math.max(peakRss, process.memoryUsage().rss);
    return {
      bench: 'respond',
      backend: options.backend,
      count: options.count,
      concurrency,
      ...measured,
      requests: receiver.stats.requests,
      bad_signatures: receiver.stats.badSignatures,
      peak_rss_mb: Math.round(peakRss / 1048576),
    };
  } finally {
    clearInterval(sampler);
    receiver.server.closeAllConnections();
    await new Promise((resolve) => receiver.server.close(resolve));
    await bench.close();
    rmSync(dir, { recursive: true, force: true });
  }
}

/** An action a benchmark asks for: type, target, device. */
export interface BenchAction {
  readonly type: ActionType;
  readonly targetKey: string;
  readonly deviceKey: string | null;
  readonly parameters?: Readonly<Record<string, unknown>>;
}

const pendingDraft = (action: BenchAction, reason: string) => {
  const now = new Date();
  return {
    draft: {
      type: action.type,
      targetKey: action.targetKey,
      deviceKey: action.deviceKey,
      group: null,
      investigationKey: null,
      evidenceKey: null,
      verdict: null,
      source: 'analyst' as const,
      parameters: action.parameters ?? {},
      reasons: [reason],
      requestedBy: 'bench',
      decision: { outcome: 'wait' as const, by: 'policy', rule: 'bench: approval required' },
      expiresAt: new Date(now.getTime() + 7 * 86_400_000),
    },
    now,
  };
};

/**
 * Create `actions` waiting for approval, approve them (one type at a time, in chunks, as the action center does),
 * let the executor drain them through `connectors`, and read each one's approval-to-succeeded time; then `singles`
 * one at a time (approve, execute, done) as an analyst approving in the action center sees it.
 */
export async function measureExecution(
  store: Store,
  connectors: ConnectorSource,
  actions: readonly BenchAction[],
  singles: readonly BenchAction[],
  concurrency: number,
): Promise<Record<string, number>> {
  const idsByType = new Map<ActionType, string[]>();
  const createStarted = performance.now();
  for (const [index, item] of actions.entries()) {
    const { draft, now } = pendingDraft(item, `bench action ${index}`);
    const { action, created } = await store.actions.create(draft, now);
    if (!created) throw new Error(`${item.type} on ${item.targetKey} collided with ${action.id}`);
    idsByType.set(item.type, [...(idsByType.get(item.type) ?? []), action.id]);
  }
  const createSeconds = (performance.now() - createStarted) / 1000;

  const approveStarted = performance.now();
  for (const ids of idsByType.values())
    for (let start = 0; start < ids.length; start += CHUNK)
      await decideActions(
        store,
        ids.slice(start, start + CHUNK),
        'approve',
        'bench:analyst',
        null,
        new Date(),
      );
  const approveSeconds = (performance.now() - approveStarted) / 1000;

  const before = await store.actions.count({ statuses: ['succeeded'] });
  const executeStarted = performance.now();
  const deadline = Date.now() + 10 * 60_000;
  let attempts = 0;
  let succeeded = 0;
  while (Date.now() < deadline) {
    const summary = await executePending(store, {
      worker: `bench:${process.pid}:1`,
      now: () => new Date(),
      connectors,
      concurrency,
    });
    attempts += summary.attempts;
    succeeded = (await store.actions.count({ statuses: ['succeeded'] })) - before;
    if (succeeded >= actions.length) break;
    const inFlight = await store.actions.count({ statuses: ['queued', 'running', 'pendingResource'] });
    if (inFlight === 0) break;
    // A retry waits for its backoff.
    if (summary.attempts === 0) await new Promise((resolve) => setTimeout(resolve, 100));
  }
  const executeSeconds = (performance.now() - executeStarted) / 1000;

  const ids = new Set([...idsByType.values()].flat());
  const latencies: number[] = [];
  let cursor: string | null = null;
  do {
    const page: Page<ActionRecord> = await store.actions.list(
      { statuses: ['succeeded'] },
      { limit: 1000, ...(cursor ? { cursor } : {}) },
    );
    for (const action of page.items)
      if (ids.has(action.id) && action.decidedAt && action.endedAt)
        latencies.push(Date.parse(action.endedAt) - Date.parse(action.decidedAt));
    cursor = page.nextCursor;
  } while (cursor);
  latencies.sort((a, b) => a - b);
  const at = (q: number) => latencies[Math.min(latencies.length - 1, Math.floor(q * latencies.length))] ?? 0;

  const times: number[] = [];
  for (const item of singles) {
    const { draft, now } = pendingDraft(item, 'bench single');
    const { action } = await store.actions.create(draft, now);
    const started = performance.now();
    await decideActions(store, [action.id], 'approve', 'bench:analyst', null, new Date());
    await executePending(store, {
      worker: `bench:${process.pid}:2`,
      now: () => new Date(),
      connectors,
      concurrency,
    });
    times.push(performance.now() - started);
    const done = await store.actions.get(action.id);
    if (done?.status !== 'succeeded') throw new Error(`${action.id} did not succeed: ${done?.resultMessage}`);
  }
  times.sort((a, b) => a - b);
  const single = (q: number) =>
    round(times[Math.min(times.length - 1, Math.floor(q * times.length))] ?? 0, 1);
  return {
    succeeded,
    attempts,
    create_per_s: round(actions.length / createSeconds),
    approve_per_s: round(actions.length / approveSeconds),
    actions_per_s: round(succeeded / executeSeconds),
    execute_s: round(executeSeconds, 2),
    approve_to_succeeded_p50_ms: at(0.5),
    approve_to_succeeded_p99_ms: at(0.99),
    single_approve_to_succeeded_p50_ms: single(0.5),
    single_approve_to_succeeded_p99_ms: single(0.99),
  };
}
