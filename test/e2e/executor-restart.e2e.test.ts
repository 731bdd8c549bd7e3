/**
 * Kill the executor during execution, restart: no action is executed twice and none is lost. `autoir worker` runs
 * approved actions through a webhook connector to a receiver in this process, which applies each idempotency key's
 * effect once. The receiver holds the first request open until the worker is SIGKILLed, so the kill always lands
 * mid-call; a second worker picks the interrupted action up (the dead process's claim is released at once) and
 * sends it again with the same key.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { ActionType, ActionRecord } from '../../src/domain/action.js';
import { backends, createTestStore, type TestStore } from '../helpers/stores.js';
import {
  startWebhookReceiver,
  type ReceivedAction,
  type WebhookReceiver,
} from '../helpers/webhook-receiver.js';

const root = path.resolve(import.meta.dirname, '../..');
const bin = path.join(root, 'bin/autoir.js');
const COUNT = 20;
const SECRET = randomBytes(24).toString('hex');

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

async function until(what: string, check: () => boolean | Promise<boolean>, timeoutMs: number) {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await sleep(100);
  }
}

const actionTypes: readonly ActionType[] = ['isolateDevice', 'blockIp', 'disableUser', 'quarantineFile'];

function target(type: ActionType, index: number): string {
  switch (type) {
    case 'isolateDevice':
      return `device:ws${index}.corp.example`;
    case 'blockIp':
      return `ip:203.0.113.${index}`;
    case 'disableUser':
      return `user:corp\\user${index}`;
    default:
      return `file:sha256:${index.toString(16).padStart(64, '0')}`;
  }
}

describe.each(backends)('executor killed mid-call and restarted (%s)', (backend) => {
  let t: TestStore;
  let dir: string;
  let receiver: WebhookReceiver;
  const children: ChildProcess[] = [];
  const stderr: string[] = [];

  beforeEach(async () => {
    t = await createTestStore(backend);
    dir = mkdtempSync(path.join(os.tmpdir(), 'autoir-e2e-executor-'));
    receiver = await startWebhookReceiver(SECRET, { hold: true });
  });
  afterEach(async () => {
    for (const child of children)
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
    children.length = 0;
    stderr.length = 0;
    await receiver.close();
    await t.cleanup();
    rmSync(dir, { recursive: true, force: true });
  });

  function startWorker(name: string, connectors: string): ChildProcess {
    const child = spawn(process.execPath, [bin, 'worker', '--poll', '100ms'], {
      env: {
        ...process.env,
        AUTOIR_DATA: '',
        AUTOIR_DATABASE_URL: '',
        AUTOIR_DATABASE_SCHEMA: '',
        ...t.env,
        AUTOIR_CONNECTORS: connectors,
        // The receiver listens on loopback, which autoir calls only when allowed.
        AUTOIR_OUTBOUND_ALLOW: '127.0.0.1/32',
        AUTOIR_TEST_RECEIVER_SECRET: SECRET,
      },
      stdio: ['ignore', 'ignore', 'pipe'],
    });
    child.stderr?.on('data', (chunk: Buffer) => stderr.push(`[${name}] ${chunk.toString()}`));
    children.push(child);
    return child;
  }

  const exited = (child: ChildProcess) =>
    new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) => {
      if (child.exitCode !== null || child.signalCode !== null)
        resolve({ code: child.exitCode, signal: child.signalCode });
      else child.once('exit', (code, signal) => resolve({ code, signal }));
    });

  it('executes no action twice and loses none', async () => {
    const connectors = receiver.connectorsFile(dir, '30s');
    const ids: string[] = [];
    for (let index = 0; index < COUNT; index++) {
      const type = actionTypes[index % actionTypes.length] as ActionType;
      const targetKey = target(type, index);
      const { action, created } = await t.store.actions.create(
        {
          type,
          targetKey,
          deviceKey: type === 'isolateDevice' ? targetKey : null,
          group: null,
          investigationKey: null,
          evidenceKey: null,
          verdict: null,
          source: 'analyst',
          parameters: {},
          reasons: [`requested by test: ${index}`],
          requestedBy: 'cli:test',
          decision: { outcome: 'approve', by: 'cli:test', rule: 'requested by cli:test' },
          expiresAt: null,
        },
        new Date(),
      );
      expect(created).toBe(true);
      ids.push(action.id);
    }

    // The first worker: killed while the receiver holds its first request open. The held call takes one of the
    // worker's slots; the others go on, so every other action is sent and answered meanwhile.
    const first = startWorker('first', connectors);
    await until(
      'the first request held and every other action answered',
      () =>
        receiver.state.held !== undefined && receiver.requests.length === COUNT && receiver.state.open === 1,
      30_000,
    );
    // One held call does not stop the other slots: every other action is done before the kill.
    await until(
      'every other action succeeded in the store',
      async () => (await t.store.actions.count({ statuses: ['succeeded'] })) === COUNT - 1,
      30_000,
    );
    first.kill('SIGKILL');
    expect((await exited(first)).signal).toBe('SIGKILL');
    receiver.release();
    const held = receiver.state.held as ReceivedAction;
    const interrupted = (await t.store.actions.get(held.actionId)) as ActionRecord;
    expect(interrupted.status, 'the interrupted action is left running').toBe('running');

    // The second worker takes over the dead worker's claim at once, and runs everything.
    const second = startWorker('second', connectors);
    await until(
      `all ${COUNT} actions succeeded`,
      async () => {
        if (second.exitCode !== null) throw new Error(`the second worker exited with ${second.exitCode}`);
        return (await t.store.actions.count({ statuses: ['succeeded'] })) === COUNT;
      },
      60_000,
    ).catch(async (error: Error) => {
      const left = (await t.store.actions.list({}, { limit: 100 })).items.filter(
        (action) => action.status !== 'succeeded',
      );
      const histories = await Promise.all(
        left.map(
          async (action) => `${action.id}: ${JSON.stringify(await t.store.actions.history(action.id))}`,
        ),
      );
      throw new Error(
        `${error.message}\nnot succeeded:\n${histories.join('\n')}\nworker stderr:\n${stderr.join('')}`,
      );
    });
    second.kill('SIGTERM');
    expect((await exited(second)).code, stderr.join('')).toBe(0);

    const actions = (await t.store.actions.list({}, { limit: 100 })).items;
    expect(actions.map((action) => action.status)).toEqual(Array(COUNT).fill('succeeded'));
    expect(receiver.state.badSignatures).toBe(0);
    // Every action reached the receiver, each key's effect was applied once, and only for its own action.
    const keysByAction = new Map<string, Set<string>>();
    for (const request of receiver.requests)
      keysByAction.set(request.actionId, (keysByAction.get(request.actionId) ?? new Set()).add(request.key));
    for (const action of actions) {
      expect([...(keysByAction.get(action.id) ?? [])], action.id).toEqual([action.idempotencyKey]);
      expect(receiver.effects.get(action.idempotencyKey)).toBe(action.id);
    }
    expect(receiver.state.effectsApplied).toBe(COUNT);
    expect(receiver.effects.size).toBe(COUNT);

    // The kill interrupted a call: that action was sent twice, with one key, as attempts 1 and 2.
    const resent = receiver.requests.filter((request) => request.actionId === held.actionId);
    expect(resent.map((request) => request.attempt)).toEqual([1, 2]);
    expect(new Set(resent.map((request) => request.key)).size).toBe(1);
    const repeatedKeys = new Set(
      receiver.requests.map((request) => request.key).filter((key, index, all) => all.indexOf(key) !== index),
    );
    expect(repeatedKeys.has(held.key)).toBe(true);

    // Its history tells it: started by the first worker, a second attempt by the second, then succeeded.
    const history = await t.store.actions.history(held.actionId);
    const pids = [first.pid, second.pid].map(String);
    expect(history.map((entry) => [entry.from, entry.to])).toEqual([
      [null, 'pendingApproval'],
      ['pendingApproval', 'approved'],
      ['approved', 'queued'],
      ['queued', 'running'],
      ['running', 'running'],
      ['running', 'succeeded'],
    ]);
    expect(history[3]?.message).toMatch(new RegExp(`^attempt 1 by [^:]+:${pids[0]}:`));
    expect(history[4]?.message).toMatch(
      new RegExp(`^attempt 2 by [^:]+:${pids[1]}:.*\\(the previous attempt's worker stopped\\)$`),
    );
    const finished = (await t.store.actions.get(held.actionId)) as ActionRecord;
    expect(finished.attempts).toBe(2);
    expect(finished.connector).toBe('receiver');
  }, 120_000);
});
