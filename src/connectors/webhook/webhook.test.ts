import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { parseConnectorConfig } from '../config.js';
import { signWebhook, verifyWebhookSignature, webhookConnector } from './webhook.js';
import type { ActionRequest, Connector } from '../../respond/ports.js';
import { outboundPolicy } from '../outbound.js';
import { recordingLog } from '../../../test/helpers/log.js';

/** The receivers of these tests listen on loopback, which autoir calls only when allowed. */
const loopback = outboundPolicy(['127.0.0.1/32']);

const secret = 'a-shared-secret-of-32-characters';

const request: ActionRequest = {
  id: 'act_42',
  type: 'isolateDevice',
  targetKey: 'device:ws-0042',
  deviceKey: 'device:ws-0042',
  parameters: { hostname: 'ws-0042', os: 'Windows 11' },
  investigationId: 'inv_7',
  undoOf: null,
  idempotencyKey: 'act_42-3f9c2a',
  attempt: 2,
  decidedBy: 'policy:malicious-full',
  callbackUrl: 'http://127.0.0.1:8700/api/v1/actions/act_42/result',
};

interface Received {
  readonly headers: IncomingMessage['headers'];
  readonly body: string;
}

interface Receiver {
  readonly url: string;
  readonly received: Received[];
}

const servers: Server[] = [];

afterEach(async () => {
  for (const server of servers.splice(0)) {
    server.closeAllConnections();
    await new Promise((resolve) => server.close(resolve));
  }
});

/** A real HTTP receiver on 127.0.0.1; `answer` replies (or, by not calling `end`, never does). */
async function receiver(answer: (response: ServerResponse, received: Received) => void): Promise<Receiver> {
  const received: Received[] = [];
  const server = createServer((incoming, response) => {
    const chunks: Buffer[] = [];
    incoming.on('data', (chunk: Buffer) => chunks.push(chunk));
    incoming.on('end', () => {
      const entry = { headers: incoming.headers, body: Buffer.concat(chunks).toString('utf8') };
      received.push(entry);
      answer(response, entry);
    });
  });
  servers.push(server);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return { url: `http://127.0.0.1:${port}/autoir/actions`, received };
}

function json(status: number, body?: unknown): (response: ServerResponse) => void {
  return (response) => {
    response.writeHead(status, body === undefined ? {} : { 'content-type': 'application/json' });
    response.end(body === undefined ? undefined : JSON.stringify(body));
  };
}

function webhook(url: string, headers?: Record<string, string>): Connector {
  const settings = webhookConnector.settings.parse({ url, secret, ...(headers ? { headers } : {}) });
  return webhookConnector.create('edr', settings, 5000, { outbound: loopback });
}

function capabilities(signal: AbortSignal = AbortSignal.timeout(10_000)) {
  const { log, lines: logged } = recordingLog();
  return {
    signal,
    log,
    get lines() {
      return logged.map((line) => line.message);
    },
    logged,
  };
}

const now = () => Math.floor(Date.now() / 1000);

describe('webhook connector', () => {
  it('signs the body so that the receiver can verify it came from autoir', async () => {
    const server = await receiver(json(204));
    await webhook(server.url).run(request, capabilities());
    const [{ headers, body }] = server.received as [Received];
    expect(headers['x-autoir-signature']).toMatch(/^sha256=[0-9a-f]{64}$/);
    expect(Number(headers['x-autoir-timestamp'])).toBeCloseTo(now(), -1);
    expect(verifyWebhookSignature(secret, headers, body, now())).toBe(true);
    expect(verifyWebhookSignature(secret, new Headers(headers as Record<string, string>), body, now())).toBe(
      true,
    );
  });

  it('refuses a signature made with another secret, a tampered body or a stale timestamp', async () => {
    const server = await receiver(json(204));
    await webhook(server.url).run(request, capabilities());
    const [{ headers, body }] = server.received as [Received];
    expect(verifyWebhookSignature('another-secret-of-32-characters!', headers, body, now())).toBe(false);
    expect(verifyWebhookSignature(secret, headers, body.replace('ws-0042', 'ws-0043'), now())).toBe(false);
    expect(verifyWebhookSignature(secret, headers, body, now() + 301)).toBe(false);
    expect(verifyWebhookSignature(secret, headers, body, now() + 30, 10)).toBe(false);
    expect(verifyWebhookSignature(secret, { ...headers, 'x-autoir-signature': undefined }, body, now())).toBe(
      false,
    );
    expect(
      verifyWebhookSignature(secret, { ...headers, 'x-autoir-signature': 'sha256=abc' }, body, now()),
    ).toBe(false);
  });

  it('computes the documented signature: HMAC-SHA256 of "timestamp.body" in hex', () => {
    // The example of docs/connectors.md.
    expect(signWebhook('0123456789abcdef', 1700000000, '{"id":"act_1"}')).toBe(
      signWebhook('0123456789abcdef', '1700000000', Buffer.from('{"id":"act_1"}')),
    );
    // Computed independently, with Python's hmac module.
    expect(signWebhook('0123456789abcdef', 1700000000, '{"id":"act_1"}')).toBe(
      '58dd3609102ed105e4d5484482a54f08a31445207981ff75abd69f7ab9fa8961',
    );
  });

  it('sends the action as JSON with its idempotency key, action id and the configured headers', async () => {
    const server = await receiver(json(204));
    await webhook(server.url, { authorization: 'Bearer edr-token' }).run(request, capabilities());
    const [{ headers, body }] = server.received as [Received];
    expect(JSON.parse(body)).toEqual(request);
    expect(headers['idempotency-key']).toBe(request.idempotencyKey);
    expect(headers['x-autoir-action-id']).toBe('act_42');
    expect(headers['content-type']).toBe('application/json');
    expect(headers['user-agent']).toBe('autoir');
    expect(headers.authorization).toBe('Bearer edr-token');
  });

  it('reports success with the details of a 200 JSON answer', async () => {
    const server = await receiver(
      json(200, { status: 'succeeded', message: 'isolated', details: { ticket: 'T-9' } }),
    );
    const run = capabilities();
    expect(await webhook(server.url).run(request, run)).toEqual({
      status: 'succeeded',
      message: 'isolated',
      details: { ticket: 'T-9' },
    });
    expect(run.lines).toEqual([`POST ${server.url}: succeeded`]);
  });

  it('reports success for an empty 200, a 201 and a 204', async () => {
    for (const status of [200, 201, 204]) {
      const server = await receiver(json(status));
      expect(await webhook(server.url).run(request, capabilities())).toEqual({ status: 'succeeded' });
    }
  });

  it('reports a non-retryable failure when a 200 answer says the action failed', async () => {
    const server = await receiver(json(200, { status: 'failed', message: 'device not enrolled' }));
    expect(await webhook(server.url).run(request, capabilities())).toEqual({
      status: 'failed',
      retryable: false,
      message: 'device not enrolled',
    });
  });

  it('reports a 202 as accepted: the result comes later by callback', async () => {
    const server = await receiver(json(202, { message: 'queued as job 17' }));
    expect(await webhook(server.url).run(request, capabilities())).toEqual({
      status: 'accepted',
      message: 'queued as job 17',
    });
  });

  it('reports a 500 as a retryable failure naming the status, the start of the body kept as details.reply', async () => {
    const server = await receiver((response) => {
      response.writeHead(500);
      response.end(`database is down ${'x'.repeat(1000)}`);
    });
    const outcome = await webhook(server.url).run(request, capabilities());
    expect(outcome).toMatchObject({ status: 'failed', retryable: true, details: { httpStatus: 500 } });
    const { message, details } = outcome as unknown as { message: string; details: { reply: string } };
    expect(message).toBe('the receiver answered HTTP 500 Internal Server Error');
    // The reply is in details, which only admins see (routes/actions.ts), cut to its start.
    expect(details.reply).toMatch(/^database is down x+…$/);
    expect(details.reply.length).toBeLessThan(300);
  });

  it('retries after 408, 425 and 429, and passes on Retry-After', async () => {
    for (const status of [408, 425, 429]) {
      const server = await receiver((response) => {
        response.writeHead(status, { 'retry-after': '120' });
        response.end();
      });
      expect(await webhook(server.url).run(request, capabilities())).toMatchObject({
        status: 'failed',
        retryable: true,
        details: { httpStatus: status, retryAfter: '120' },
      });
    }
  });

  it('reports a 404 as a failure not worth retrying', async () => {
    const server = await receiver(json(404, { error: 'no such route' }));
    const outcome = await webhook(server.url).run(request, capabilities());
    expect(outcome).toMatchObject({ status: 'failed', retryable: false });
    expect((outcome as { message: string }).message).toContain('HTTP 404');
  });

  it('does not follow a redirect', async () => {
    const server = await receiver((response) => {
      response.writeHead(307, { location: 'http://127.0.0.1:1/elsewhere' });
      response.end();
    });
    const outcome = await webhook(server.url).run(request, capabilities());
    expect(outcome).toMatchObject({ status: 'failed', retryable: false });
    expect((outcome as { message: string }).message).toContain('redirects are not followed');
    expect(server.received).toHaveLength(1);
  });

  it('reports a refused connection as unreachable', async () => {
    const server = await receiver(json(204));
    const closed = servers.pop() as Server;
    await new Promise((resolve) => closed.close(resolve));
    const outcome = await webhook(server.url).run(request, capabilities());
    expect(outcome).toEqual({
      status: 'unreachable',
      message: `cannot reach ${new URL(server.url).origin}/autoir/actions: ECONNREFUSED`,
    });
  });

  it('reports a connection closed without an answer as a retryable failure', async () => {
    const server = await receiver((response) => response.socket?.destroy());
    expect(await webhook(server.url).run(request, capabilities())).toMatchObject({
      status: 'failed',
      retryable: true,
    });
  });

  it('rejects with a TimeoutError when the receiver never answers before the signal aborts', async () => {
    const server = await receiver(() => undefined);
    const started = Date.now();
    await expect(
      webhook(server.url).run(request, capabilities(AbortSignal.timeout(200))),
    ).rejects.toMatchObject({
      name: 'TimeoutError',
    });
    expect(Date.now() - started).toBeLessThan(5000);
  });

  it('rejects with an AbortError when the signal is aborted without a reason', async () => {
    const server = await receiver(() => undefined);
    const controller = new AbortController();
    setTimeout(() => controller.abort(new Error('worker stopping')), 100);
    await expect(webhook(server.url).run(request, capabilities(controller.signal))).rejects.toMatchObject({
      name: 'AbortError',
    });
  });

  it('names the field of bad settings', () => {
    const config = (settings: Record<string, unknown>) => ({ name: 'edr', kind: 'webhook', settings });
    expect(() => parseConnectorConfig(config({ url: 'not a url', secret }), 'connector edr')).toThrow(
      /^connector edr: settings\.url: an http:\/\/ or https:\/\/ URL$/,
    );
    expect(() => parseConnectorConfig(config({ url: 'ftp://edr.example/', secret }), 'x')).toThrow(
      /settings\.url/,
    );
    expect(() =>
      parseConnectorConfig(config({ url: 'https://edr.example/', secret: 'short' }), 'connector edr'),
    ).toThrow(/^connector edr: settings\.secret: at least 16 characters/);
    expect(() =>
      parseConnectorConfig(
        config({ url: 'https://edr.example/', secret, headers: { 'X-Autoir-Signature': 'forged' } }),
        'connector edr',
      ),
    ).toThrow(/settings\.headers\.X-Autoir-Signature: autoir sets this header itself/);
  });
});
