/**
 * Faults, on PostgreSQL: a deployment — `autoir serve --no-worker`, three `autoir worker`s, a client posting alerts
 * without pause (each alert a known-bad file on a device of its own, under automation level full, so that each
 * investigation runs actions through a webhook connector) and a receiver applying each idempotency key once — is
 * hit by a SIGKILL of a random process every 2–4 s for `AUTOIR_CHAOS_SECONDS` (60), each killed process started
 * again a moment later; then it is drained. Afterwards every alert the server acknowledged is stored once, every
 * investigation is at rest (none stuck queued or running), no target was acted on under two idempotency keys, and
 * every action that succeeded was applied by the receiver once. A second run restarts PostgreSQL itself (a
 * throwaway cluster of this test's own) in the middle, and is held to the same.
 */
import { spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createRandom, deviceProcessAlert } from '../../bench/generate.js';
import { hashToken } from '../../src/app/tokens.js';
import { openStore } from '../../src/store/open-store.js';
import type { Store } from '../../src/store/ports.js';
import { startThrowawayCluster, type Cluster } from '../setup/postgres-cluster.js';
import { freePort, spawnProcess, startServer, type ServerProcess } from '../helpers/servers.js';
import { createTestStore, type TestStore } from '../helpers/stores.js';
import { startWebhookReceiver, type WebhookReceiver } from '../helpers/webhook-receiver.js';

const root = path.resolve(import.meta.dirname, '../..');
const bin = path.join(root, 'bin/autoir.js');
const SECRET = randomBytes(24).toString('hex');
const CHAOS_SECONDS = Number(process.env.AUTOIR_CHAOS_SECONDS ?? 60);
const SEED = Number(process.env.AUTOIR_CHAOS_SEED ?? Date.now() % 1_000_000);
const MAX_ALERTS = 2000;

const pause = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
const hashOf = (index: number) => `${(index + 1).toString(16).padStart(8, '0')}`.repeat(8);

/** A known-bad file (its hash blocked by an indicator) run on a device of its own. */
const alert = (run: string, index: number) =>
  deviceProcessAlert({
    source: 'chaos',
    sourceRef: `${run}-${index}`,
    index,
    domain: `${run}.chaos.example`,
    sha256: hashOf(index),
    title: 'Malware detected',
    category: 'malware',
    mitreTechniques: [],
  });

interface Deployment {
  /** The processes by name: `server`, `worker1`…; each can be killed and started again. */
  readonly names: readonly string[];
  kill(name: string): Promise<void>;
  start(name: string): Promise<void>;
  log(): string;
}

/**
 * Run the deployment on `env`'s database with `chaos` acting on it while alerts are posted, then drain it and
 * check what it did.
 */
async function scenario(options: {
  readonly store: Store;
  readonly env: Record<string, string>;
  readonly workers: number;
  readonly chaos: (deployment: Deployment) => Promise<void>;
  /** The chaos kills no process: each must have lived through it. */
  readonly noneDies?: boolean;
}): Promise<void> {
  const { store } = options;
  const dir = mkdtempSync(path.join(os.tmpdir(), 'autoir-chaos-'));
  const receiver: WebhookReceiver = await startWebhookReceiver(SECRET, { delayMs: 50 });
  const processes = new Map<string, ServerProcess>();
  const events: string[] = [];
  try {
    const token = `autoir_chaos_${randomBytes(12).toString('hex')}`;
    await store.tokens.createToken({ name: 'chaos', role: 'admin', tokenHash: hashToken(token) }, new Date());
    await store.investigations.addIndicators(
      Array.from({ length: MAX_ALERTS }, (_, index) => ({
        entityKey: `file:sha256:${hashOf(index)}`,
        action: 'block' as const,
        title: `chaos payload ${index}`,
        source: 'manual',
      })),
      'test',
      new Date(),
    );
    const connectors = receiver.connectorsFile(dir, '10s');
    const env = {
      ...process.env,
      AUTOIR_DATA: '',
      ...options.env,
      AUTOIR_CONNECTORS: connectors,
      AUTOIR_OUTBOUND_ALLOW: '127.0.0.1/32',
      AUTOIR_TEST_RECEIVER_SECRET: SECRET,
      AUTOIR_BUNDLED_RULES: '0',
    };
    const level = spawnSync(
      process.execPath,
      [bin, 'groups', 'set', 'device', 'Default', '--level', 'full'],
      {
        env,
        encoding: 'utf8',
      },
    );
    expect(level.status, level.stderr).toBe(0);

    const port = await freePort();
    const args = (name: string) =>
      name === 'server' ? ['serve', '--no-worker', '--port', String(port)] : ['worker', '--poll', '100ms'];
    const names = ['server', ...Array.from({ length: options.workers }, (_, index) => `worker${index + 1}`)];
    const deployment: Deployment = {
      names,
      async start(name) {
        const started =
          name === 'server'
            ? await startServer(process.execPath, [bin, ...args(name)], '127.0.0.1', port, { env })
            : spawnProcess(process.execPath, [bin, ...args(name)], { env });
        processes.set(name, started);
        events.push(`${new Date().toISOString()} started ${name} (pid ${started.child.pid})`);
      },
      async kill(name) {
        const running = processes.get(name);
        if (!running || running.child.exitCode !== null || running.child.signalCode !== null) return;
        const exited = new Promise((resolve) => running.child.once('exit', resolve));
        running.child.kill('SIGKILL');
        await exited;
        events.push(`${new Date().toISOString()} killed ${name} (pid ${running.child.pid})`);
      },
      log: () =>
        [
          `seed ${SEED}`,
          ...events,
          ...[...processes].map(([name, item]) => `--- ${name}\n${item.output()}`),
        ].join('\n'),
    };
    for (const name of names) await deployment.start(name);

    // The client: one alert at a time, each sent again until the server acknowledges it.
    const run = randomBytes(3).toString('hex');
    const acknowledged = new Set<string>();
    let posting = true;
    const client = (async () => {
      for (let index = 0; posting && index < MAX_ALERTS; index++) {
        const body = JSON.stringify(alert(run, index));
        for (;;) {
          const answered = await fetch(`http://127.0.0.1:${port}/api/v1/alerts`, {
            method: 'POST',
            headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
            body,
            signal: AbortSignal.timeout(10_000),
          }).then(
            async (response) =>
              response.ok ? ((await response.json()) as { created: number; updated: number }) : undefined,
            () => undefined,
          );
          if (answered && answered.created + answered.updated === 1) break;
          await pause(200);
        }
        acknowledged.add(`${run}-${index}`);
        await pause(150);
      }
    })();

    await options.chaos(deployment);
    posting = false;
    await client;
    if (options.noneDies)
      for (const [name, item] of processes)
        expect(item.child.exitCode ?? item.child.signalCode, `${name} died\n${deployment.log()}`).toBeNull();
    // Everything up again, then drained.
    for (const name of names) {
      const item = processes.get(name);
      if (!item || item.child.exitCode !== null || item.child.signalCode !== null)
        await deployment.start(name);
    }
    const deadline = Date.now() + 180_000;
    for (;;) {
      const load = await store.workload();
      const busy = (await store.investigations.list({ statuses: ['queued', 'running'] }, { limit: 1 })).items
        .length;
      const acting = await store.actions.count({ statuses: ['approved', 'queued', 'running'] });
      if (
        load.alertsUncorrelated + load.alertsUninvestigated + load.investigationsQueued + busy + acting ===
        0
      )
        break;
      if (Date.now() > deadline)
        throw new Error(
          `not drained after 180 s: ${JSON.stringify({ ...load, busy, acting })}\n${deployment.log()}`,
        );
      await pause(500);
    }

    // Every acknowledged alert stored, once.
    const stored = (await store.alerts.listAlerts({ sources: ['chaos'] }, { limit: MAX_ALERTS + 100 })).items;
    const refs = stored.map((item) => item.sourceRef);
    expect(new Set(refs).size, deployment.log()).toBe(refs.length);
    for (const ref of acknowledged) expect(refs, `alert ${ref}\n${deployment.log()}`).toContain(ref);
    expect(acknowledged.size).toBeGreaterThan(CHAOS_SECONDS); // the client went on through the faults

    // Every investigation at rest; each concluded once.
    const investigations = (await store.investigations.list({}, { limit: MAX_ALERTS + 100 })).items;
    expect(investigations.length).toBeGreaterThanOrEqual(acknowledged.size);
    expect(investigations.filter((item) => item.status === 'queued' || item.status === 'running')).toEqual(
      [],
    );

    // Each target acted on under one idempotency key; each key applied once; every success applied.
    const keysByTarget = new Map<string, Set<string>>();
    for (const request of receiver.requests) {
      const target = `${request.type} ${request.targetKey}`;
      keysByTarget.set(target, (keysByTarget.get(target) ?? new Set()).add(request.key));
    }
    const twice = [...keysByTarget].filter(([, keys]) => keys.size > 1).map(([target]) => target);
    expect(twice, deployment.log()).toEqual([]);
    expect(receiver.state.badSignatures).toBe(0);
    expect(receiver.effects.size).toBe(receiver.state.effectsApplied);
    const succeeded = (await store.actions.list({ statuses: ['succeeded'] }, { limit: 10 * MAX_ALERTS }))
      .items;
    expect(succeeded.length).toBeGreaterThan(0);
    for (const action of succeeded)
      expect(receiver.effects.get(action.idempotencyKey), `${action.id}\n${deployment.log()}`).toBe(
        action.id,
      );
  } finally {
    await Promise.all([...processes.values()].map((item) => item.stop()));
    await receiver.close();
    rmSync(dir, { recursive: true, force: true });
  }
}

describe('chaos (postgres)', () => {
  let t: TestStore;
  beforeAll(async () => {
    t = await createTestStore('postgres');
  });
  afterAll(async () => t?.cleanup());

  it(`survives a random SIGKILL every 2–4 s for ${CHAOS_SECONDS} s: nothing acknowledged lost, nothing stuck, nothing done twice`, async () => {
    const pick = createRandom(SEED); // a failing run is repeated with AUTOIR_CHAOS_SEED
    await scenario({
      store: t.store,
      env: t.env,
      workers: 3,
      async chaos(deployment) {
        const end = Date.now() + CHAOS_SECONDS * 1000;
        while (Date.now() < end) {
          await pause(2000 + Math.floor(pick() * 2000));
          const victim = deployment.names[Math.floor(pick() * deployment.names.length)] as string;
          await deployment.kill(victim);
          await pause(300 + Math.floor(pick() * 700));
          await deployment.start(victim);
        }
      },
    });
  }, 420_000);
});

describe('PostgreSQL restarted mid-run', () => {
  let cluster: Cluster;
  let store: Store;
  const schema = `autoir_chaos_${randomBytes(4).toString('hex')}`;
  beforeAll(async () => {
    cluster = await startThrowawayCluster();
    store = await openStore({ kind: 'postgres', url: cluster.url, schema });
  });
  afterAll(async () => {
    await store?.close();
    cluster?.stop();
  });

  it('is survived the same way', async () => {
    await scenario({
      store,
      env: { AUTOIR_DATABASE_URL: cluster.url, AUTOIR_DATABASE_SCHEMA: schema },
      workers: 2,
      noneDies: true,
      async chaos() {
        await pause(6000);
        cluster.restart();
        await pause(8000);
      },
    });
  }, 420_000);
});
