/**
 * The host agent against a real server on loopback, on both stores: it enrolls with a one-time token, shows
 * online, and carries out what the action center hands its device on this very host — a real process killed (and
 * one whose pid no longer names the process left alone), a real file quarantined and restored byte for byte with
 * its mode — each reported back as the action's result.
 */
import { spawn } from 'node:child_process';
import { chmodSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { createHash } from 'node:crypto';
import type { FastifyInstance } from 'fastify';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { backends, createTestStore, type TestStore } from '../../test/helpers/stores.js';
import { until } from '../../test/helpers/until.js';
import { createServer } from '../api/server.js';
import { requestAction, undoActions } from '../respond/action-center.js';
import { agentView, createEnrollmentToken } from '../respond/agents.js';
import { executePending } from '../respond/executor.js';
import type { ActionRecord, ActionType } from '../domain/action.js';
import { runAgent } from './agent.js';

describe.each(backends)('the host agent on this host, with a server on %s', (dialect) => {
  let t: TestStore;
  let app: FastifyInstance;
  let stateDir: string;
  let work: string;
  let controller: AbortController;
  let running: Promise<void>;
  const lines: string[] = [];

  beforeEach(async () => {
    t = await createTestStore(dialect);
    app = createServer({ store: t.store, version: 'test' });
    await app.listen({ host: '127.0.0.1', port: 0 });
    stateDir = mkdtempSync(path.join(os.tmpdir(), 'autoir-agent-state-'));
    work = mkdtempSync(path.join(os.tmpdir(), 'autoir-agent-work-'));
    controller = new AbortController();
  });
  afterEach(async () => {
    controller.abort();
    await running?.catch(() => undefined);
    await app.close();
    await t.cleanup();
    rmSync(stateDir, { recursive: true, force: true });
    rmSync(work, { recursive: true, force: true });
  });

  const start = async () => {
    const { token } = await createEnrollmentToken(
      t.store.agents,
      { lifetimeMs: 3_600_000 },
      'token:root',
      new Date(),
    );
    const address = app.server.address() as { port: number };
    running = runAgent({
      server: `http://127.0.0.1:${address.port}`,
      stateDir,
      enrollToken: token,
      version: 'test',
      signal: controller.signal,
      log: (line) => lines.push(line),
      pollWaitS: 1,
    });
    const agent = await until('the agent online', async () => {
      const [first] = await t.store.agents.list();
      return first && agentView(first, new Date()).online ? first : undefined;
    });
    expect(statSync(stateDir).mode & 0o777).toBe(0o700);
    expect(statSync(path.join(stateDir, 'agent.json')).mode & 0o777).toBe(0o600);
    return agent;
  };

  /** Request an action, let the executor hand it over, and wait for the agent's result. */
  const carriedOut = async (action: ActionRecord): Promise<ActionRecord> => {
    await executePending(t.store, { worker: 'test', now: () => new Date(), connectors: async () => [] });
    return until(`${action.id} done`, async () => {
      const found = await t.store.actions.get(action.id);
      return found && !['queued', 'running', 'approved'].includes(found.status) ? found : undefined;
    });
  };
  const request = (
    type: ActionType,
    targetKey: string,
    deviceKey: string,
    parameters: Record<string, unknown>,
  ) => requestAction(t.store, { type, targetKey, deviceKey, parameters }, 'token:rita', new Date());

  it('enrolls, then kills the process it is told to — only if pid, start time and program still match', async () => {
    const agent = await start();
    expect(agent.deviceKey).toMatch(/^device:/);
    const victim = spawn('sleep', ['300'], { stdio: 'ignore' });
    const exited = new Promise<string | null>((resolve) =>
      victim.once('exit', (_code, signal) => resolve(signal)),
    );
    const bystander = spawn('sleep', ['301'], { stdio: 'ignore' });
    try {
      const wrongStart = await carriedOut(
        await request(
          'killProcess',
          `process:${agent.deviceKey.slice(7)}:${bystander.pid}`,
          agent.deviceKey,
          {
            pid: bystander.pid,
            startedAt: '2001-01-01T00:00:00.000Z',
          },
        ),
      );
      expect(wrongStart.status).toBe('succeeded');
      expect(wrongStart.resultDetails).toMatchObject({ reused: true });
      expect(bystander.exitCode).toBeNull();
      expect(() => process.kill(bystander.pid as number, 0)).not.toThrow();

      const killed = await carriedOut(
        await request('killProcess', `process:${agent.deviceKey.slice(7)}:${victim.pid}`, agent.deviceKey, {
          pid: victim.pid,
          imagePath: '/usr/bin/sleep',
        }),
      );
      expect(killed.status, JSON.stringify(killed)).toBe('succeeded');
      expect(await exited).toBe('SIGKILL');
      expect(killed.connector).toBe(`agent:${agent.id}`);
    } finally {
      victim.kill('SIGKILL');
      bystander.kill('SIGKILL');
    }
  }, 60_000);

  it('quarantines a file after checking its hash, and restores the same bytes and mode on undo', async () => {
    const agent = await start();
    const file = path.join(work, 'dropper.bin');
    const bytes = Buffer.from(Array.from({ length: 4096 }, (_, index) => (index * 7) % 256));
    writeFileSync(file, bytes);
    chmodSync(file, 0o751);
    const sha256 = createHash('sha256').update(bytes).digest('hex');
    const wrong = await carriedOut(
      await request('quarantineFile', `file:sha256:${'0'.repeat(64)}`, agent.deviceKey, {
        path: file,
        sha256: '0'.repeat(64),
      }),
    );
    expect(wrong.status).toBe('failed');
    expect(readFileSync(file)).toEqual(bytes);

    const moved = await carriedOut(
      await request('quarantineFile', `file:sha256:${sha256}`, agent.deviceKey, { path: file, sha256 }),
    );
    expect(moved.status, JSON.stringify(moved)).toBe('succeeded');
    expect(() => statSync(file)).toThrow();
    const [undo] = await undoActions(t.store, [moved.id], 'token:rita', 'false positive', new Date());
    const restored = await carriedOut(undo as ActionRecord);
    expect(restored.status, JSON.stringify(restored)).toBe('succeeded');
    expect(readFileSync(file)).toEqual(bytes);
    expect(statSync(file).mode & 0o7777).toBe(0o751);
    expect((await t.store.actions.get(moved.id))?.status).toBe('undone');
  }, 60_000);

  it('leaves an action for an offline agent waiting as pendingResource', async () => {
    const agent = await start();
    controller.abort();
    await running.catch(() => undefined);
    // Three heartbeats missed: offline.
    const later = new Date(Date.now() + 120_000);
    const action = await request(
      'killProcess',
      `process:${agent.deviceKey.slice(7)}:999999`,
      agent.deviceKey,
      {
        pid: 999999,
        imagePath: '/usr/bin/sleep',
      },
    );
    await executePending(t.store, { worker: 'test', now: () => later, connectors: async () => [] });
    const waiting = await t.store.actions.get(action.id);
    expect(waiting?.status).toBe('pendingResource');
  }, 60_000);
});
