/**
 * What the web UI's dashboard shows, and live updates: a server-sent-events stream that says when investigations
 * or actions changed. The stream polls the store (one cheap query a second), so it sees changes made by any worker
 * or API process on the same database.
 */
import { z } from 'zod';
import type { Store } from '../../store/ports.js';
import { defineRoute, type RouteSpec } from '../route.js';

export function streamRoutes(store: Store, options: { pollMs?: number } = {}): RouteSpec[] {
  const pollMs = options.pollMs ?? 1000;
  return [
    defineRoute({
      method: 'GET',
      url: '/api/v1/stream',
      operationId: 'stream',
      summary: 'Server-sent events: `change` with what changed (investigations, actions) as it happens',
      description:
        'Each event is `event: change` with data `{ "investigations": ms, "actions": ms }` (the latest change times). ' +
        'A comment line every 15 s keeps proxies from closing the connection.',
      tag: 'dashboard',
      role: 'viewer',
      query: z.object({
        once: z
          .enum(['true', 'false'])
          .default('false')
          .describe('Send the current state as one event and close (for scripts and checks).'),
      }),
      responses: { 200: { description: 'text/event-stream' } },
      async handler({ request, reply, query }) {
        reply.hijack();
        const raw = reply.raw;
        raw.writeHead(200, {
          'content-type': 'text/event-stream; charset=utf-8',
          'cache-control': 'no-cache, no-transform',
          connection: 'keep-alive',
          'x-accel-buffering': 'no',
        });
        let last = '';
        let closed = false;
        let ticks = 0;
        const send = async () => {
          if (closed) return;
          try {
            const [investigations, actions] = await Promise.all([
              store.investigations.lastChange(),
              store.actions.lastChange(),
            ]);
            const data = JSON.stringify({ investigations, actions });
            if (data !== last) {
              last = data;
              raw.write(`event: change\ndata: ${data}\n\n`);
            } else if (++ticks % Math.max(1, Math.round(15_000 / pollMs)) === 0)
              raw.write(': keep-alive\n\n');
          } catch {
            // The store is busy or gone: try again on the next tick; the client reconnects if we close.
          }
        };
        raw.write('retry: 2000\n\n');
        await send();
        if (query.once === 'true') {
          closed = true;
          raw.end();
          return;
        }
        const timer = setInterval(() => void send(), pollMs);
        request.raw.on('close', () => {
          closed = true;
          clearInterval(timer);
        });
      },
    }),
  ];
}
