/**
 * The built `autoir worker --log-format json`, on both stores: every line of its standard error is a JSON object
 * with time, level, message, role and pid; a configured input that cannot start is an error line naming it, with
 * the error's code; a pass that did work is a debug line (`--log-level debug`); SIGTERM ends it with its last line
 * and exit code 0. No credential of the database reaches the log.
 */
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { draftAlert } from '../helpers/alerts.js';
import { backends, createTestStore, type TestStore } from '../helpers/stores.js';
import { until } from '../helpers/until.js';
import { createDevice } from '../../src/domain/entity-builders.js';
import type { Entity } from '../../src/domain/entity.js';
import { writeAlerts } from '../../src/ingest/prepare-alert.js';

const root = path.resolve(import.meta.dirname, '../..');
const bin = path.join(root, 'bin/autoir.js');

describe.each(backends)('autoir worker --log-format json (%s)', (dialect) => {
  let t: TestStore;
  let work: string;
  let taken: Server;
  beforeAll(async () => {
    t = await createTestStore(dialect);
    work = mkdtempSync(path.join(os.tmpdir(), 'autoir-logs-'));
    taken = await new Promise((resolve) => {
      const server = createServer().listen(0, '127.0.0.1', () => resolve(server));
    });
  });
  afterAll(async () => {
    taken?.close();
    await t?.cleanup();
    rmSync(work, { recursive: true, force: true });
  });

  it('writes JSON lines with time, level, message, role and pid: an input failing, a pass at debug, its stop', async () => {
    const port = (taken.address() as { port: number }).port;
    const inputs = path.join(work, 'inputs.yaml');
    writeFileSync(inputs, `inputs:\n  firewalls:\n    kind: syslog\n    listen: 127.0.0.1:${port}\n`);
    const child = spawn(
      process.execPath,
      [bin, 'worker', '--poll', '100ms', '--log-format', 'json', '--log-level', 'debug'],
      {
        env: { ...process.env, ...t.env, AUTOIR_INPUTS: inputs, AUTOIR_BUNDLED_RULES: '0' },
        stdio: ['ignore', 'ignore', 'pipe'],
      },
    );
    let stderr = '';
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
    const lines = () =>
      stderr
        .split('\n')
        .filter((line) => line !== '')
        .map((line) => {
          try {
            return JSON.parse(line) as Record<string, unknown>;
          } catch {
            throw new Error(`not a JSON line: ${line}`);
          }
        });
    try {
      const failed = await until('the input failing', () =>
        lines().find((line) => line.level === 'error' && line.input === 'firewalls'),
      );
      expect(failed).toMatchObject({
        msg: expect.stringMatching(/^input failed: starting it again in \d+ s$/),
        kind: 'syslog',
        err: { code: 'EADDRINUSE', message: expect.stringContaining(String(port)) },
      });
      await writeAlerts(
        t.store.alerts,
        [
          {
            draft: draftAlert({
              sourceRef: 'logged',
              category: 'malware',
              entities: [createDevice({ hostname: 'ws3.corp.example' }) as Entity],
            }),
            format: 'autoir',
          },
        ],
        new Date(),
      );
      const pass = await until('a pass that did work', () =>
        lines().find((line) => line.msg === 'worker pass' && line.correlated === 1),
      );
      expect(pass).toMatchObject({ level: 'debug', investigationsStarted: 1 });
    } finally {
      child.kill('SIGTERM');
    }
    expect(await exited).toBe(0);
    const all = lines();
    for (const line of all)
      expect(line).toMatchObject({
        time: expect.stringMatching(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/),
        level: expect.stringMatching(/^(trace|debug|info|warn|error|fatal)$/),
        msg: expect.any(String),
        role: 'worker',
        pid: child.pid,
      });
    expect(all[0]).toMatchObject({ level: 'info', msg: 'input configured', input: 'firewalls' });
    expect(all.map((line) => line.msg)).toContain('worker started');
    expect(all.at(-1)).toMatchObject({ level: 'info', msg: 'worker stopped' });
    if (t.env.AUTOIR_DATABASE_URL) expect(stderr).not.toContain(t.env.AUTOIR_DATABASE_URL);
  });
});
