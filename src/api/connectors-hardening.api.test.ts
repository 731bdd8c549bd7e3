/**
 * What an admin token may and may not make the server do through connectors, on both backends: it cannot define a
 * program for the server to run (a command connector), nor point a webhook at the server itself, its neighbours or
 * its cloud's metadata service; a command connector stored through the API before this was refused does not run;
 * and what a receiver answers is shown to admins only.
 */
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { backends } from '../../test/helpers/stores.js';
import { useApi } from '../../test/helpers/api.js';
import { connectorEntry, connectorSource } from '../app/connectors.js';
import { parseConnectorConfig } from '../connectors/config.js';
import { outboundPolicy, publicOnly } from '../connectors/outbound.js';
import { executePending } from '../respond/executor.js';
import { silentLog } from '../domain/log.js';
import { recordingLog } from '../../test/helpers/log.js';

let dir: string;
let receiver: Server;
let received = 0;
beforeAll(async () => {
  dir = mkdtempSync(path.join(os.tmpdir(), 'autoir-hardening-'));
  receiver = createServer((request, response) => {
    received++;
    request.resume();
    request.on('end', () => response.writeHead(403).end('internal page: db password is hunter2'));
  });
  await new Promise<void>((resolve) => receiver.listen(0, '127.0.0.1', resolve));
});
afterAll(async () => {
  await new Promise((resolve) => receiver.close(resolve));
  rmSync(dir, { recursive: true, force: true });
});

describe.each(backends)('connectors through the API on %s', (dialect) => {
  const api = useApi(dialect);
  const { call } = api;

  it('refuses to define a command connector: the API cannot make the server run a program', async () => {
    const marker = path.join(dir, `pwned-${dialect}`);
    const put = await call('admin', 'PUT', '/api/v1/connectors/x', {
      kind: 'command',
      settings: { command: '/bin/sh', args: ['-c', `id > ${marker}`] },
    });
    expect(put.statusCode, put.body).toBe(403);
    expect(put.json().error).toMatchObject({ code: 'AUTOIR_E_FORBIDDEN', field: 'kind' });
    expect(put.json().error.message).toMatch(/define it on the host/);
    expect(await api.t.store.policy.listConnectors()).toEqual([]);
    expect((await api.auditLog()).filter((entry) => entry.target === 'connector:x')).toEqual([]);
  });

  it('does not run a command connector stored through the API before that was refused', async () => {
    const marker = path.join(dir, `pwned-old-${dialect}`);
    const config = parseConnectorConfig(
      { name: 'x', kind: 'command', settings: { command: '/bin/sh', args: ['-c', `id > ${marker}`] } },
      'test',
    );
    await api.t.store.policy.putConnector(
      { name: 'x', config: config as unknown as Record<string, unknown>, definedOn: 'api' },
      'token:root',
      new Date(),
      (c) => c,
    );
    const { log, lines } = recordingLog();
    const connectors = connectorSource(api.t.store, { outbound: publicOnly }, undefined, log);
    const requested = await call('responder', 'POST', '/api/v1/actions', {
      type: 'isolateDevice',
      targetKey: 'device:ws1.corp.example',
    });
    expect(requested.statusCode, requested.body).toBe(201);
    const summary = await executePending(api.t.store, { worker: 'test', now: () => new Date(), connectors });
    expect(summary.succeeded).toBe(0);
    expect(existsSync(marker)).toBe(false);
    expect(lines).toEqual([
      {
        level: 'warn',
        message: expect.stringMatching(/stored connector x: .*does not run until it is defined on the host/),
        fields: { connector: 'x' },
      },
    ]);
    expect(await connectors()).toEqual([]);
    // Defined on the host (`autoir connectors add`), it runs.
    await api.t.store.policy.putConnector(
      { name: 'x', config: config as unknown as Record<string, unknown>, definedOn: 'host' },
      'cli:root',
      new Date(),
      (c) => c,
    );
    expect((await connectors()).map((entry) => entry.name)).toEqual(['x']);
  });

  it('refuses webhook URLs to loopback, private, link-local and metadata addresses unless the host allows them', async () => {
    const refused = [
      'http://127.0.0.1:8700/api/v1/tokens',
      'http://169.254.169.254/latest/meta-data/',
      'http://[::ffff:127.0.0.1]:22/',
      'http://[::1]/',
      'http://localhost:5432/',
      'http://10.0.0.5/hook',
      'http://192.168.1.1/',
      'http://0.0.0.0:8700/',
    ];
    for (const url of refused) {
      const put = await call('admin', 'PUT', '/api/v1/connectors/edr', {
        kind: 'webhook',
        settings: { url, secret: 'a-long-enough-secret' },
      });
      expect(put.statusCode, `${url}: ${put.body}`).toBe(400);
      expect(put.json().error).toMatchObject({ code: 'AUTOIR_E_BAD_INPUT', field: 'settings.url' });
      expect(put.json().error.message).toMatch(/AUTOIR_OUTBOUND_ALLOW/);
      const policy = await call('admin', 'PUT', '/api/v1/policy', {
        notifications: { webhook: { url, secret: 'a-long-enough-secret' } },
      });
      expect(policy.statusCode, `${url}: ${policy.body}`).toBe(400);
      expect(policy.json().error.field).toBe('notifications.webhook.url');
    }
    expect(await api.t.store.policy.listConnectors()).toEqual([]);
    const fine = await call('admin', 'PUT', '/api/v1/connectors/edr', {
      kind: 'webhook',
      settings: { url: 'https://soar.example.com/hooks', secret: 'a-long-enough-secret' },
    });
    expect(fine.statusCode, fine.body).toBe(200);
  });

  it('stores secrets given in the clear sealed, and takes no reference to other variables or files', async () => {
    const secret = 'literal-secret-0123456789';
    const put = await call('admin', 'PUT', '/api/v1/connectors/edr', {
      kind: 'webhook',
      settings: {
        url: 'https://soar.example.com/hooks',
        secret,
        headers: { 'x-key': 'env:AUTOIR_SECRET_EDR_KEY' },
      },
    });
    expect(put.statusCode, put.body).toBe(200);
    const [row] = await api.t.store.policy.listConnectors();
    expect(JSON.stringify(row)).not.toContain(secret);
    expect(row!.config).toMatchObject({
      settings: {
        secret: expect.stringMatching(/^enc:v1:/),
        headers: { 'x-key': 'env:AUTOIR_SECRET_EDR_KEY' },
      },
    });
    for (const [value, field] of [
      ['env:AUTOIR_DATABASE_URL', 'settings.headers.x-key'],
      ['env:HOME', 'settings.headers.x-key'],
      ['file:/etc/shadow', 'settings.headers.x-key'],
    ] as const) {
      const refused = await call('admin', 'PUT', '/api/v1/connectors/leak', {
        kind: 'webhook',
        settings: { url: 'https://soar.example.com/hooks', secret, headers: { 'x-key': value } },
      });
      expect(refused.statusCode, `${value}: ${refused.body}`).toBe(403);
      expect(refused.json().error).toMatchObject({ code: 'AUTOIR_E_FORBIDDEN', field });
    }
    const policy = await call('admin', 'PUT', '/api/v1/policy', {
      notifications: { webhook: { url: 'https://hooks.example.com/x', secret } },
    });
    expect(policy.statusCode, policy.body).toBe(200);
    expect(JSON.stringify(await api.t.store.policy.getSetting('policy'))).not.toContain(secret);
    const fileSecret = await call('admin', 'PUT', '/api/v1/policy', {
      notifications: {
        webhook: { url: 'https://hooks.example.com/x', secret: 'file:/etc/autoir/hook.secret' },
      },
    });
    expect(fileSecret.statusCode).toBe(403);
    expect((await api.t.store.policy.listConnectors()).map((c) => c.name)).toEqual(['edr']);
  });

  it("shows a receiver's reply to admins only", async () => {
    const url = `http://127.0.0.1:${(receiver.address() as AddressInfo).port}/hook`;
    const config = parseConnectorConfig(
      { name: 'edr', kind: 'webhook', settings: { url, secret: 'a-long-enough-secret' } },
      'test',
    );
    const connectors = async () => [connectorEntry(config, { outbound: outboundPolicy(['127.0.0.1/32']) })];
    const requested = await call('responder', 'POST', '/api/v1/actions', {
      type: 'isolateDevice',
      targetKey: 'device:ws1.corp.example',
    });
    const id = requested.json().id as string;
    await executePending(api.t.store, { worker: 'test', now: () => new Date(), connectors });
    const admin = await call('admin', 'GET', `/api/v1/actions/${id}`);
    expect(admin.json().resultDetails).toMatchObject({
      httpStatus: 403,
      reply: expect.stringMatching(/hunter2/),
    });
    for (const role of ['viewer', 'analyst', 'responder'] as const) {
      const shown = await call(role, 'GET', `/api/v1/actions/${id}`);
      expect(shown.json().resultDetails).toEqual({ httpStatus: 403 });
      expect(shown.body).not.toContain('hunter2');
      const list = await call(role, 'GET', '/api/v1/actions');
      expect(list.body).not.toContain('hunter2');
    }
  });
});

describe('a webhook connector reaching a refused address through DNS', () => {
  it('refuses the connection to what the name resolves to, and reaches it once the host allows the name', async () => {
    const before = received;
    const port = (receiver.address() as AddressInfo).port;
    const config = parseConnectorConfig(
      {
        name: 'edr',
        kind: 'webhook',
        settings: { url: `http://localhost:${port}/hook`, secret: 'a-long-enough-secret' },
      },
      'test',
    );
    const request = {
      id: 'act_1',
      type: 'isolateDevice' as const,
      targetKey: 'device:ws-1',
      deviceKey: 'device:ws-1',
      parameters: {},
      investigationId: null,
      undoOf: null,
      idempotencyKey: 'k',
      attempt: 1,
      decidedBy: null,
      callbackUrl: null,
    };
    const capabilities = { signal: new AbortController().signal, log: silentLog };
    const refused = await connectorEntry(config, { outbound: publicOnly })
      .connector()
      .run(request, capabilities);
    expect(refused).toMatchObject({ status: 'failed', retryable: false });
    expect((refused as { message: string }).message).toMatch(/localhost resolves to .* is loopback/);
    expect(received).toBe(before);
    const allowed = await connectorEntry(config, { outbound: outboundPolicy(['localhost']) })
      .connector()
      .run(request, capabilities);
    expect(allowed).toMatchObject({ status: 'failed', retryable: false, details: { httpStatus: 403 } });
    expect(received).toBe(before + 1);
  });
});
