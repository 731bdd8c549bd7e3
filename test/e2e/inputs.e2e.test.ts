/**
 * Inputs configured in AUTOIR_INPUTS and run by `autoir serve` / `autoir worker`, on both stores: what a followed
 * file receives becomes alerts and incidents with no other command; `autoir inputs list --json` shows each input's
 * state, holder and counters — and the server's HTTP ingest endpoints as an input of their own, with what they stored;
 * a second process stands by while the first holds the inputs and takes them over
 * when the first is killed; a mistake in the file stops the start, naming the file and the field.
 */
import { spawn, spawnSync } from 'node:child_process';
import { appendFileSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { freePort, startServer } from '../helpers/servers.js';
import { backends, createTestStore, type TestStore } from '../helpers/stores.js';
import { until } from '../helpers/until.js';

const root = path.resolve(import.meta.dirname, '../..');
const bin = path.join(root, 'bin/autoir.js');

const eveAlert = (id: number) =>
  `${JSON.stringify({
    timestamp: '2026-12-07T10:00:03.000000+0000',
    flow_id: id,
    event_type: 'alert',
    src_ip: '10.1.1.5',
    src_port: 4444,
    dest_ip: '198.51.100.77',
    dest_port: 80,
    proto: 'TCP',
    host: 'ids01',
    alert: {
      action: 'allowed',
      gid: 1,
      signature_id: 2019401,
      rev: 1,
      signature: `ET test ${id}`,
      severity: 1,
    },
  })}\n`;

let work: string;
beforeAll(() => {
  work = mkdtempSync(path.join(os.tmpdir(), 'autoir-inputs-'));
});
afterAll(() => rmSync(work, { recursive: true, force: true }));

interface Listed {
  name: string;
  kind: string;
  state: string;
  owner: string | null;
  lagSeconds: number | null;
  stats: Record<string, number>;
}

describe.each(backends)('configured inputs (%s)', (dialect) => {
  let t: TestStore;
  beforeAll(async () => {
    t = await createTestStore(dialect);
  });
  afterAll(async () => t?.cleanup());

  it('run in one process at a time, are listed with their state, and are taken over when it dies', async () => {
    const dir = mkdtempSync(path.join(work, `${dialect}-`));
    const eve = path.join(dir, 'eve.json');
    writeFileSync(eve, '');
    const syslogPort = await freePort();
    const inputs = path.join(dir, 'inputs.yaml');
    writeFileSync(
      inputs,
      [
        'inputs:',
        '  suricata:',
        '    kind: file',
        '    paths: [eve.json]',
        '  appliances:',
        '    kind: syslog',
        '    protocol: udp',
        `    listen: 127.0.0.1:${syslogPort}`,
      ].join('\n'),
    );
    const env = { ...process.env, ...t.env, AUTOIR_INPUTS: inputs, AUTOIR_BUNDLED_RULES: '0' };
    const data = t.dataDir ? ['--data', t.dataDir] : [];
    const list = () => {
      const run = spawnSync(process.execPath, [bin, 'inputs', 'list', '--json', ...data], {
        env,
        encoding: 'utf8',
      });
      expect(run.status, run.stderr).toBe(0);
      return (JSON.parse(run.stdout) as { items: Listed[] }).items;
    };
    const httpPort = await freePort();
    const first = await startServer(
      process.execPath,
      [bin, 'serve', '--port', String(httpPort), ...data],
      '127.0.0.1',
      httpPort,
      {
        env,
      },
    );
    const second = spawn(process.execPath, [bin, 'worker', ...data], {
      env,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let secondOutput = '';
    second.stderr.on('data', (chunk: Buffer) => (secondOutput += chunk.toString()));
    try {
      appendFileSync(eve, eveAlert(1));
      // Stored and correlated as it comes: no other command.
      await until('the alert in an incident', async () => {
        const alerts = (await t.store.alerts.listAlerts({}, { limit: 10 })).items;
        return alerts.length === 1 && alerts[0]?.incidentId ? true : undefined;
      });
      // Telemetry posted to the server's HTTP endpoint, counted under its http@ input.
      const token = spawnSync(
        process.execPath,
        [bin, 'token', 'create', '--role', 'ingest', '--name', 'shipper', '--json', ...data],
        { env, encoding: 'utf8' },
      );
      expect(token.status, token.stderr).toBe(0);
      const sample = readFileSync(
        path.join(root, 'test/fixtures/events/otrf/lsass_campaign_01_sample.ndjson'),
        'utf8',
      )
        .split('\n')
        .filter((line) => line.trim() !== '')
        .slice(0, 20);
      const posted = await fetch(`http://127.0.0.1:${httpPort}/api/v1/events`, {
        method: 'POST',
        headers: { authorization: `Bearer ${(JSON.parse(token.stdout) as { token: string }).token}` },
        body: sample.join('\n'),
      });
      expect(posted.status).toBe(200);
      const stored = ((await posted.json()) as { events: number }).events;
      expect(stored).toBeGreaterThan(0);
      const http = await until('the HTTP input reported', () =>
        list().find((item) => item.kind === 'http' && item.stats.events === stored),
      );
      expect(http).toMatchObject({
        name: `http@127.0.0.1:${httpPort}`,
        state: 'running',
        lagSeconds: 0,
        stats: { requests: 1, refused: 0, pending: 0, errors: 0 },
      });
      expect(http.owner).toMatch(new RegExp(`:${first.child.pid}:http$`));

      const configured = () => list().filter((item) => item.kind !== 'http');
      const running = await until('both inputs reported running by serve', () => {
        const items = configured();
        return items.length === 2 &&
          items.every((item) => item.state === 'running') &&
          items[1]?.stats.alerts === 1
          ? items
          : undefined;
      });
      expect(running.map((item) => [item.name, item.kind])).toEqual([
        ['appliances', 'syslog'],
        ['suricata', 'file'],
      ]);
      expect(running[1]?.owner).toMatch(new RegExp(`:${first.child.pid}:inputs$`));
      expect(running[1]?.lagSeconds).toBe(0);
      await until('the worker standing by', () =>
        /run by another process; standing by/.test(secondOutput) ? true : undefined,
      );

      // The holder dies: the worker on the same host takes the inputs over and goes on where the file was read.
      first.child.kill('SIGKILL');
      await until(
        'the inputs taken over by the worker',
        () => {
          const items = configured();
          return items.every(
            (item) => item.owner?.endsWith(`:${second.pid}:inputs`) && item.state === 'running',
          )
            ? true
            : undefined;
        },
        30_000,
        250,
      );
      appendFileSync(eve, eveAlert(2));
      await until('the second alert', async () =>
        (await t.store.alerts.countAlerts()) === 2 ? true : undefined,
      );
      await until('the worker counting it', () =>
        list().find((item) => item.name === 'suricata')?.stats.alerts === 1 ? true : undefined,
      );
    } finally {
      first.child.kill('SIGKILL');
      second.kill('SIGTERM');
      await new Promise((resolve) => second.once('exit', resolve));
    }
  }, 120_000);
});

describe('a mistake in AUTOIR_INPUTS', () => {
  it('stops the start, naming the file and the field', () => {
    const file = path.join(work, 'bad-inputs.yaml');
    writeFileSync(file, 'inputs:\n  fw:\n    kind: syslog\n    listen: nowhere\n');
    const run = spawnSync(process.execPath, [bin, 'worker', '--data', path.join(work, 'bad-data')], {
      env: { ...process.env, AUTOIR_INPUTS: file },
      encoding: 'utf8',
      timeout: 30_000,
    });
    expect(run.status).not.toBe(0);
    expect(run.stderr).toContain(`${file}: inputs.fw.listen: host:port`);
  });
});
