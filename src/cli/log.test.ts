/**
 * The log of `autoir serve` and `autoir worker`, run in-process, on both stores: JSON lines on standard error with
 * the role and pid — the banner and the HTTP request log among them — or text for people; `--log-level`,
 * `--log-format` and their variables; the error that stops a process as a fatal line.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Readable } from 'node:stream';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { backends, createTestStore, type TestStore } from '../../test/helpers/stores.js';
import { until } from '../../test/helpers/until.js';
import { runCli } from './main.js';

describe.each(backends)('the log of serve and worker (%s)', (dialect) => {
  let t: TestStore;
  let work: string;
  beforeEach(async () => {
    t = await createTestStore(dialect);
    work = mkdtempSync(path.join(os.tmpdir(), 'autoir-cli-log-'));
  });
  afterEach(async () => {
    await t.cleanup();
    rmSync(work, { recursive: true, force: true });
  });

  /** Start a command; `stop()` asks it to stop (as SIGTERM does) and gives its exit code and standard error. */
  function start(args: string[], env: Record<string, string> = {}) {
    let stderr = '';
    let stopped!: () => void;
    const asked = new Promise<void>((resolve) => (stopped = resolve));
    const exit = runCli(args, {
      stdout: { write: () => true },
      stderr: { write: (text: string) => (stderr += text) },
      stdin: Readable.from([]),
      env: { ...t.env, AUTOIR_BUNDLED_RULES: '0', ...env },
      waitForStop: () => asked,
    });
    const json = () =>
      stderr
        .split('\n')
        .filter((line) => line !== '')
        .map((line) => JSON.parse(line) as Record<string, unknown>);
    return {
      stderr: () => stderr,
      json,
      stop: async () => {
        stopped();
        return { code: await exit, stderr };
      },
    };
  }

  it('serve: every line JSON with its role and pid — the banner, the worker and the request log in one stream', async () => {
    const serve = start(['serve', '--port', '0', '--log-format', 'json'], { AUTOIR_LOG_REQUESTS: '1' });
    let stopped = false;
    try {
      const listening = await until('the server listening', () =>
        serve.json().find((line) => typeof line.msg === 'string' && line.msg.startsWith('listening on')),
      );
      expect(listening).toMatchObject({
        level: 'info',
        url: expect.stringMatching(/^http:\/\/127\.0\.0\.1:\d+$/),
      });
      const url = listening.url as string;
      expect((await fetch(`${url}/api/v1/health`)).status).toBe(200);
      await until('the request logged', () =>
        serve.json().some((line) => line.msg === 'request completed') ? true : undefined,
      );
      const { code } = await serve.stop();
      stopped = true;
      expect(code).toBe(0);
    } finally {
      if (!stopped) await serve.stop();
    }
    const lines = serve.json();
    for (const line of lines)
      expect(line).toMatchObject({
        time: expect.stringMatching(/^\d{4}-\d\d-\d\dT/),
        level: expect.stringMatching(/^(info|warn)$/),
        role: 'serve',
        pid: process.pid,
        msg: expect.any(String),
      });
    const messages = lines.map((line) => line.msg);
    expect(messages).toEqual(
      expect.arrayContaining([
        'serving the API',
        'worker started',
        'incoming request',
        'request completed',
        'stopping',
        'stopped',
      ]),
    );
    expect(lines.find((line) => line.msg === 'serving the API')).toMatchObject({
      health: expect.stringMatching(/\/api\/v1\/health$/),
      openapi: expect.stringMatching(/\/api\/v1\/openapi\.json$/),
    });
    expect(lines.find((line) => line.msg === 'incoming request')).toMatchObject({
      reqId: expect.any(String),
      req: { method: 'GET', url: '/api/v1/health' },
    });
    // Fastify's own listening line says less than the banner: left out.
    expect(messages.some((message) => /^Server listening/.test(String(message)))).toBe(false);
  });

  it('serve: the banner for people and readable lines with AUTOIR_LOG_FORMAT=text', async () => {
    const serve = start(['serve', '--port', '0'], { AUTOIR_LOG_FORMAT: 'text' });
    try {
      await until('the banner', () => (/openapi: /.test(serve.stderr()) ? true : undefined));
      await until('the worker started', () => (/worker started/.test(serve.stderr()) ? true : undefined));
    } finally {
      expect((await serve.stop()).code).toBe(0);
    }
    const text = serve.stderr();
    expect(text).toMatch(/^autoir \S+ listening on http:\/\/127\.0\.0\.1:\d+ \(store: .+\)$/m);
    expect(text).toMatch(/^ {2}health: {2}http:\/\/127\.0\.0\.1:\d+\/api\/v1\/health$/m);
    expect(text).toMatch(/^\d{4}-\d\d-\d\dT\S+ INFO {2}worker started worker=\S+ pollMs=500$/m);
    expect(text).not.toMatch(/^\{/m);
  });

  it('worker: debug lines with --log-level debug, none below warn with AUTOIR_LOG_LEVEL=warn', async () => {
    const debug = start(['worker', '--poll', '50ms', '--log-level', 'debug']);
    await until('a debug line', () =>
      debug.json().some((line) => line.level === 'debug') ? true : undefined,
    );
    expect((await debug.stop()).code).toBe(0);
    expect(debug.json()).toContainEqual(
      expect.objectContaining({ level: 'debug', role: 'worker', msg: 'retention: nothing to delete' }),
    );
    expect(debug.json().at(-1)).toMatchObject({ level: 'info', msg: 'worker stopped' });

    const quiet = start(['worker', '--poll', '50ms'], { AUTOIR_LOG_LEVEL: 'warn' });
    await new Promise((resolve) => setTimeout(resolve, 500));
    expect(await quiet.stop()).toEqual({ code: 0, stderr: '' });
  });

  it('worker: the error that stops it is one fatal JSON line, and the exit code is the error’s', async () => {
    const inputs = path.join(work, 'inputs.yaml');
    writeFileSync(inputs, 'inputs:\n  fw:\n    kind: syslog\n    listen: nowhere\n');
    const worker = start(['worker', '--log-format', 'json'], { AUTOIR_INPUTS: inputs });
    await until('the fatal line', () => (worker.json().length > 0 ? true : undefined));
    const lines = worker.json();
    expect((await worker.stop()).code).toBe(2);
    expect(lines).toEqual([
      expect.objectContaining({
        level: 'fatal',
        role: 'worker',
        msg: 'stopped by an error',
        err: expect.objectContaining({
          code: 'AUTOIR_E_BAD_INPUT',
          message: expect.stringContaining('inputs.fw.listen: host:port'),
        }),
      }),
    ]);
  });

  it('refuses a level or a format it does not know', async () => {
    const level = start(['worker', '--log-level', 'loud']);
    const refused = await level.stop();
    expect(refused.code).toBe(2);
    expect(refused.stderr).toMatch(/--log-level.*loud.*fatal, error, warn, info, debug, trace/s);
    const format = start(['worker'], { AUTOIR_LOG_FORMAT: 'xml' });
    const bad = await format.stop();
    expect(bad.code).toBe(2);
    expect(bad.stderr).toBe('autoir: AUTOIR_LOG_FORMAT must be json or text, got xml\n');
  });
});
