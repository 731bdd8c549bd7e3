/**
 * The server's log: every server error is logged as a JSON line with its level, request id and what failed — with or
 * without request logging — in the process's log (its role, pid and level), and no credential ever reaches it.
 */
import type { LogLevel } from '../domain/log.js';
import { capturedProcessLog } from '../../test/helpers/log.js';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createTestStore, type TestStore } from '../../test/helpers/stores.js';
import { hashToken } from '../app/tokens.js';
import type { Store } from '../store/ports.js';
import { createServer } from './server.js';

const TOKEN = 'autoir_log_test_token_0123456789';

describe('the server log', () => {
  let t: TestStore;
  beforeEach(async () => {
    t = await createTestStore('sqlite');
    await t.store.tokens.createToken(
      { name: 'ops', role: 'viewer', tokenHash: hashToken(TOKEN) },
      new Date(),
    );
  });
  afterEach(() => t.cleanup());

  /** A store whose alert list fails as a bug would. */
  const failing = (): Store =>
    ({
      ...t.store,
      alerts: new Proxy(t.store.alerts, {
        get: (target, key) =>
          key === 'listAlerts'
            ? () => Promise.reject(new TypeError('cannot read properties of undefined (reading "x")'))
            : (target as unknown as Record<string | symbol, unknown>)[key],
      }),
    }) as Store;

  async function run(requests: boolean, level: LogLevel = 'info') {
    const processLog = capturedProcessLog({ role: 'serve', level });
    const app = createServer({
      store: failing(),
      version: 'test',
      webRoot: null,
      log: { requests, logger: processLog.pino },
    });
    const response = await app.inject({
      method: 'GET',
      url: '/api/v1/alerts?limit=5',
      headers: { authorization: `Bearer ${TOKEN}`, cookie: 'autoir_session=secret-cookie' },
    });
    await app.close();
    return { response, lines: processLog.json(), text: processLog.text() };
  }

  it('logs a server error with its request id, without request logging, and answers with the id', async () => {
    const { response, lines, text } = await run(false);
    expect(response.statusCode).toBe(500);
    const requestId = response.json().error.requestId as string;
    expect(response.headers['x-request-id']).toBe(requestId);
    expect(lines).toEqual([
      expect.objectContaining({
        level: 'error',
        role: 'serve',
        pid: process.pid,
        time: expect.stringMatching(/^\d{4}-\d\d-\d\dT/),
        reqId: requestId,
        msg: 'request failed',
        method: 'GET',
        url: '/api/v1/alerts',
        err: expect.objectContaining({
          type: 'TypeError',
          message: expect.stringMatching(/cannot read properties/),
        }),
      }),
    ]);
    expect(text).not.toContain(TOKEN);
  });

  it('logs each request with AUTOIR_LOG_REQUESTS, credentials left out', async () => {
    const { lines, text } = await run(true);
    expect(lines.map((line) => line.msg)).toEqual([
      'incoming request',
      'request failed',
      'request completed',
    ]);
    expect(text).not.toContain(TOKEN);
    expect(text).not.toContain('secret-cookie');
  });

  it('writes at the level of the process log: request lines (info) not at warn, server errors still', async () => {
    const { lines } = await run(true, 'warn');
    expect(lines.map((line) => [line.level, line.msg])).toEqual([['error', 'request failed']]);
  });
});
