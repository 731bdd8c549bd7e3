/**
 * A webhook receiver standing in for the system a webhook connector acts on: it checks each request's signature,
 * records it, and carries out each idempotency key's effect once (on receipt, before it answers) — as a receiver
 * built for at-least-once delivery does. Answers `succeeded` after `delayMs` (a random part added); with `hold`, it
 * keeps the first request open until `release()`.
 */
import { writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { verifyWebhookSignature } from '../../src/connectors/webhook/webhook.js';

export interface ReceivedAction {
  readonly key: string;
  readonly actionId: string;
  readonly type: string;
  readonly targetKey: string;
  readonly attempt: number;
}

export interface WebhookReceiver {
  readonly server: Server;
  readonly requests: ReceivedAction[];
  /** Each idempotency key applied, with the action it came with. */
  readonly effects: Map<string, string>;
  readonly state: { effectsApplied: number; badSignatures: number; open: number; held?: ReceivedAction };
  url(): string;
  /**
   * Write an `AUTOIR_CONNECTORS` file in `dir` with one webhook connector, `receiver`, posting here with the
   * secret read from `AUTOIR_TEST_RECEIVER_SECRET`; returns its path.
   */
  connectorsFile(dir: string, timeout: string): string;
  release(): void;
  close(): Promise<void>;
}

export async function startWebhookReceiver(
  secret: string,
  options: { readonly hold?: boolean; readonly delayMs?: number } = {},
): Promise<WebhookReceiver> {
  const requests: ReceivedAction[] = [];
  const effects = new Map<string, string>();
  const state: WebhookReceiver['state'] = { effectsApplied: 0, badSignatures: 0, open: 0 };
  let release: () => void = () => undefined;
  const released = new Promise<void>((resolve) => (release = resolve));
  const delay = options.delayMs ?? 300;
  const server = createServer((request, response) => {
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('end', () => {
      const body = Buffer.concat(chunks);
      if (!verifyWebhookSignature(secret, request.headers, body, Math.floor(Date.now() / 1000))) {
        state.badSignatures++;
        response.writeHead(401).end();
        return;
      }
      const action = JSON.parse(body.toString('utf8')) as {
        attempt: number;
        type: string;
        targetKey: string;
      };
      const received: ReceivedAction = {
        key: String(request.headers['idempotency-key']),
        actionId: String(request.headers['x-autoir-action-id']),
        type: action.type,
        targetKey: action.targetKey,
        attempt: action.attempt,
      };
      requests.push(received);
      const repeat = effects.has(received.key);
      if (!repeat) {
        effects.set(received.key, received.actionId);
        state.effectsApplied++;
      }
      state.open++;
      const answer = () => {
        state.open--;
        if (response.destroyed) return;
        response.writeHead(200, { 'content-type': 'application/json' });
        response.end(
          JSON.stringify({ status: 'succeeded', message: repeat ? 'already applied' : 'applied' }),
        );
      };
      if (options.hold && state.held === undefined) {
        state.held = received;
        void released.then(answer);
      } else setTimeout(answer, delay + Math.floor(Math.random() * (delay * 0.7)));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const url = () => `http://127.0.0.1:${(server.address() as AddressInfo).port}/hooks/autoir`;
  return {
    server,
    requests,
    effects,
    state,
    url,
    connectorsFile(dir, timeout) {
      const file = path.join(dir, 'connectors.yaml');
      writeFileSync(
        file,
        [
          'connectors:',
          '  - name: receiver',
          '    kind: webhook',
          `    timeout: ${timeout}`,
          '    settings:',
          `      url: ${url()}`,
          '      secret: env:AUTOIR_TEST_RECEIVER_SECRET',
          '',
        ].join('\n'),
      );
      return file;
    },
    release: () => release(),
    async close() {
      release();
      server.closeAllConnections();
      await new Promise((resolve) => server.close(resolve));
    },
  };
}
