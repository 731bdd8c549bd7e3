/**
 * What configured inputs log, on both stores, as the process writes it (JSON): each line names its input; an input
 * that cannot start (its port taken) is an error with the error's code and the back-off; a record it cannot store
 * is a warning with the file and line; a batch stored is a debug line.
 */
import { appendFileSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { capturedProcessLog } from '../../test/helpers/log.js';
import { backends, createTestStore, type TestStore } from '../../test/helpers/stores.js';
import { until } from '../../test/helpers/until.js';
import { superviseInputs, type InputDefinition } from './inputs.js';

describe.each(backends)('the inputs log (%s)', (dialect) => {
  let t: TestStore;
  let work: string;
  beforeEach(async () => {
    t = await createTestStore(dialect);
    work = mkdtempSync(path.join(os.tmpdir(), 'autoir-inputs-log-'));
  });
  afterEach(async () => {
    await t?.cleanup();
    rmSync(work, { recursive: true, force: true });
  });

  const supervise = (inputs: InputDefinition[], level: 'info' | 'debug' = 'info') => {
    const captured = capturedProcessLog({ level, role: 'worker' });
    const stop = new AbortController();
    const running = superviseInputs(t.store, inputs, {
      signal: stop.signal,
      log: captured.log,
      ingest: () => ({}),
      reportMs: 100,
    });
    return {
      captured,
      stop: async () => {
        stop.abort();
        await running;
      },
    };
  };

  it('logs an input that cannot start as an error naming it, with the error and the back-off', async () => {
    const taken: Server = await new Promise((resolve) => {
      const server = createServer().listen(0, '127.0.0.1', () => resolve(server));
    });
    const port = (taken.address() as { port: number }).port;
    const { captured, stop } = supervise([
      { name: 'firewalls', kind: 'syslog', protocol: 'tcp', host: '127.0.0.1', port, detect: false },
    ]);
    try {
      const failed = await until('the failure logged', () =>
        captured.json().find((line) => line.level === 'error'),
      );
      expect(failed).toMatchObject({
        role: 'worker',
        input: 'firewalls',
        kind: 'syslog',
        msg: 'input failed: starting it again in 1 s',
        err: { code: 'EADDRINUSE', message: expect.stringContaining('EADDRINUSE') },
        failures: 1,
        retryInMs: 1000,
      });
      expect(captured.json()[0]).toMatchObject({
        level: 'info',
        input: 'firewalls',
        msg: 'input starting',
        detail: `tcp://127.0.0.1:${port}`,
      });
    } finally {
      await stop();
      taken.close();
    }
  });

  it('logs a record it cannot store as a warning with its file and line, and each batch at debug', async () => {
    const file = path.join(work, 'alerts.json');
    writeFileSync(file, '');
    const { captured, stop } = supervise(
      [{ name: 'suricata', kind: 'file', paths: [file], format: 'suricata', detect: false }],
      'debug',
    );
    try {
      await until('the follower started', () =>
        captured.json().some((line) => line.msg === 'input starting') ? true : undefined,
      );
      appendFileSync(file, '{"not": "an eve record"\n');
      const refused = await until('the refused record logged', () =>
        captured.json().find((line) => line.msg === 'record not stored'),
      );
      expect(refused).toMatchObject({
        level: 'warn',
        input: 'suricata',
        kind: 'file',
        line: 1,
        err: { message: expect.any(String) },
      });
      expect(captured.json()).toContainEqual(
        expect.objectContaining({ level: 'debug', msg: 'batch stored', input: 'suricata', errors: 1 }),
      );
    } finally {
      await stop();
    }
    expect(captured.json().at(-1)).toMatchObject({ level: 'info', msg: 'input stopped', input: 'suricata' });
  });
});
