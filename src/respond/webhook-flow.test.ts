/**
 * The webhook connector against a real local HTTP server, through the executor and the real API: the server
 * verifies every signature; a 5xx is retried with the same idempotency key; a 202 leaves the action running until
 * the server posts the result to `POST /api/v1/actions/:id/result`; pending actions are announced in one digest.
 */
import { createServer as createHttpServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { backends, createTestStore, type TestStore } from '../../test/helpers/stores.js';
import { createServer } from '../api/server.js';
import { parseConnectorConfig } from '../connectors/config.js';
import { connectorEntry } from '../app/connectors.js';
import { verifyWebhookSignature, webhookNotifications } from '../connectors/webhook/webhook.js';
import { executePending } from './executor.js';
import { notifyPending } from './notify.js';
import type { ActionDraft } from './ports.js';
import { generateToken, hashToken } from '../app/tokens.js';
import { outboundPolicy } from '../connectors/outbound.js';

/** The receivers of these tests listen on loopback, which autoir calls only when allowed. */
const loopback = outboundPolicy(['127.0.0.1/32']);

const SECRET = 'a-shared-secret-of-some-length';

interface Received {
  readonly id: string;
  readonly key: string;
  readonly attempt: number;
  readonly valid: boolean;
  readonly path: string;
  readonly body: Record<string, unknown>;
}

async function readBody(request: IncomingMessage): Promise<string> {
  let text = '';
  for await (const chunk of request) text += String(chunk);
  return text;
}

const draft = (type: 'isolateDevice' | 'disableUser', target: string): ActionDraft => ({
  type,
  targetKey: target,
  deviceKey: type === 'isolateDevice' ? target : null,
  group: { kind: type === 'isolateDevice' ? 'device' : 'user', name: 'Default' },
  investigationKey: null,
  evidenceKey: null,
  verdict: null,
  source: 'analyst',
  parameters: {},
  reasons: ['test'],
  requestedBy: 'cli:test',
  decision: { outcome: 'approve', by: 'cli:test', rule: 'test' },
  expiresAt: null,
});

describe.each(backends)('webhook connector end to end on %s', (backend) => {
  let t: TestStore;
  let receiver: Server;
  let api: ReturnType<typeof createServer>;
  let received: Received[];
  let respond: (item: Received) => { status: number; body?: unknown; after?: () => Promise<void> };
  let apiBase: string;
  let token: string;

  beforeEach(async () => {
    t = await createTestStore(backend);
    received = [];
    token = generateToken();
    await t.store.tokens.createToken(
      { name: 'edr', role: 'responder', tokenHash: hashToken(token) },
      new Date(),
    );
    api = createServer({ store: t.store, version: 'test' });
    apiBase = await api.listen({ host: '127.0.0.1', port: 0 });
    receiver = createHttpServer((request, response) => {
      void readBody(request).then(async (text) => {
        const body = JSON.parse(text) as Record<string, unknown>;
        const item: Received = {
          id: String(body.id ?? ''),
          key: String(request.headers['idempotency-key'] ?? ''),
          attempt: Number(body.attempt ?? 0),
          valid: verifyWebhookSignature(SECRET, request.headers, text, Math.floor(Date.now() / 1000)),
          path: request.url ?? '',
          body,
        };
        received.push(item);
        const answer = respond(item);
        response.writeHead(answer.status, { 'content-type': 'application/json' });
        response.end(answer.body === undefined ? '' : JSON.stringify(answer.body));
        await answer.after?.();
      });
    });
    await new Promise<void>((resolve) => receiver.listen(0, '127.0.0.1', resolve));
  });
  afterEach(async () => {
    await api.close();
    await new Promise((resolve) => receiver.close(resolve));
    await t.cleanup();
  });

  const url = () => `http://127.0.0.1:${(receiver.address() as AddressInfo).port}/autoir`;
  const connectors = async () => [
    connectorEntry(
      parseConnectorConfig(
        { name: 'edr', kind: 'webhook', timeout: '5s', settings: { url: url(), secret: SECRET } },
        'test',
      ),
      { outbound: loopback },
    ),
  ];
  const execute = (now: Date) =>
    executePending(t.store, {
      worker: `test:${process.pid}:1`,
      now: () => now,
      connectors,
      callbackUrl: (id) => `${apiBase}/api/v1/actions/${encodeURIComponent(id)}/result`,
    });

  it('signs every request, retries a 5xx with the same idempotency key, and succeeds', async () => {
    const { action } = await t.store.actions.create(
      draft('isolateDevice', 'device:ws1.corp.example'),
      new Date(),
    );
    let calls = 0;
    respond = () =>
      ++calls === 1
        ? { status: 503, body: { error: 'busy' } }
        : { status: 200, body: { status: 'succeeded', details: { isolated: true } } };
    const start = new Date();
    const first = await execute(start);
    expect(first).toMatchObject({ attempts: 1, retried: 1 });
    expect((await t.store.actions.get(action.id))?.status).toBe('queued');
    const second = await execute(new Date(start.getTime() + 60_000));
    expect(second).toMatchObject({ attempts: 1, succeeded: 1 });
    const done = (await t.store.actions.get(action.id))!;
    expect(done).toMatchObject({
      status: 'succeeded',
      attempts: 2,
      connector: 'edr',
      resultDetails: { isolated: true },
    });
    expect(received.map((r) => [r.id, r.key, r.attempt, r.valid])).toEqual([
      [action.id, action.idempotencyKey, 1, true],
      [action.id, action.idempotencyKey, 2, true],
    ]);
    const history = await t.store.actions.history(action.id);
    expect(
      history.some((h) => h.from === 'running' && h.to === 'queued' && /503/.test(h.message ?? '')),
    ).toBe(true);
  });

  it('completes an accepted action when the receiver posts the result to the callback URL', async () => {
    const { action } = await t.store.actions.create(draft('disableUser', 'user:corp\\kim'), new Date());
    respond = (item) => ({
      status: 202,
      after: async () => {
        const callback = String(item.body.callbackUrl);
        const posted = await fetch(callback, {
          method: 'POST',
          headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
          body: JSON.stringify({ status: 'succeeded', message: 'account disabled', details: { ticket: 42 } }),
        });
        expect(posted.status).toBe(200);
      },
    });
    const summary = await execute(new Date());
    expect(summary).toMatchObject({ attempts: 1, accepted: 1 });
    for (let i = 0; i < 100 && (await t.store.actions.get(action.id))?.status === 'running'; i++)
      await new Promise((resolve) => setTimeout(resolve, 20));
    const done = (await t.store.actions.get(action.id))!;
    expect(done).toMatchObject({
      status: 'succeeded',
      resultMessage: 'account disabled',
      resultDetails: { ticket: 42 },
    });
    expect(received[0]?.body.callbackUrl).toBe(`${apiBase}/api/v1/actions/${action.id}/result`);
    const again = await fetch(`${apiBase}/api/v1/actions/${action.id}/result`, {
      method: 'POST',
      headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
      body: JSON.stringify({ status: 'failed' }),
    });
    expect(again.status).toBe(409);
    const audit = await t.store.audit.list({ operation: 'action.result' }, { limit: 10 });
    expect(audit.items.map((e) => e.actor)).toEqual(['token:edr']);
  });

  it('announces pending actions in one signed digest per window', async () => {
    await t.store.policy.setSetting(
      'policy',
      { notifications: { webhook: { url: `${url()}/notify`, secret: SECRET }, digest: '5m' } },
      'test',
      new Date(),
    );
    const created = new Date();
    for (const host of ['a', 'b', 'c'])
      await t.store.actions.create(
        {
          ...draft('isolateDevice', `device:${host}.corp.example`),
          decision: { outcome: 'wait', by: 'policy', rule: 'r' },
        },
        created,
      );
    respond = () => ({ status: 200 });
    expect(
      await notifyPending(
        t.store,
        { webhook: webhookNotifications(loopback) },
        () => new Date(created.getTime() + 60_000),
      ),
    ).toEqual({ notified: 0 });
    expect(
      await notifyPending(
        t.store,
        { webhook: webhookNotifications(loopback) },
        () => new Date(created.getTime() + 5 * 60_000),
      ),
    ).toEqual({
      notified: 3,
    });
    expect(received).toHaveLength(1);
    expect(received[0]).toMatchObject({ valid: true, path: '/autoir/notify' });
    expect(received[0]?.body).toMatchObject({
      kind: 'autoir.actions.pending',
      newlyPending: 3,
      byType: { isolateDevice: 3 },
    });
    expect(
      await notifyPending(
        t.store,
        { webhook: webhookNotifications(loopback) },
        () => new Date(created.getTime() + 20 * 60_000),
      ),
    ).toEqual({
      notified: 0,
    });
    expect(received).toHaveLength(1);
  });
  it.each(['slack', 'mattermost', 'teams'] as const)(
    'announces pending actions to a %s incoming webhook as a message a person reads, with a link to decide',
    async (format) => {
      await t.store.policy.setSetting(
        'policy',
        {
          notifications: {
            webhook: { url: `${url()}/chat`, secret: SECRET, format },
            digest: '1m',
            uiUrl: 'https://autoir.corp.example/',
          },
        },
        'test',
        new Date(),
      );
      const created = new Date();
      await t.store.actions.create(
        {
          ...draft('isolateDevice', 'device:mkt01.corp.example'),
          reasons: ['device:mkt01.corp.example is malicious (score 70): isolate the device'],
          decision: { outcome: 'wait', by: 'policy', rule: 'r' },
        },
        created,
      );
      respond = () => ({ status: 200 });
      expect(
        await notifyPending(
          t.store,
          { webhook: webhookNotifications(loopback) },
          () => new Date(created.getTime() + 60_000),
        ),
      ).toEqual({ notified: 1 });
      const body = received[0]?.body as Record<string, unknown>;
      const text =
        format === 'teams'
          ? ((body.attachments as { content: { body: { text: string }[] } }[])[0]?.content.body ?? [])
              .map((block) => block.text)
              .join('\n')
          : (body.text as string);
      if (format === 'teams')
        expect(body).toMatchObject({
          type: 'message',
          attachments: [
            { contentType: 'application/vnd.microsoft.card.adaptive', content: { type: 'AdaptiveCard' } },
          ],
        });
      else expect(Object.keys(body)).toEqual(['text']);
      expect(text).toBe(
        [
          'autoir: 1 new actions wait for approval (1 in all): 1 isolateDevice',
          '• Isolate device — device:mkt01.corp.example (act_1): device:mkt01.corp.example is malicious (score 70): isolate the device',
          'Decide in the action center: https://autoir.corp.example/actions',
        ].join('\n'),
      );
    },
  );
});
