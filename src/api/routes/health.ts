import { z } from 'zod';
import type { Store } from '../../store/ports.js';
import { defineRoute, type RouteSpec } from '../route.js';

export function healthRoutes(
  store: Store,
  version: string,
  metrics: { text(): Promise<string>; readonly contentType: string },
): RouteSpec[] {
  return [
    defineRoute({
      method: 'GET',
      url: '/metrics',
      operationId: 'metrics',
      summary: 'Prometheus metrics: queues, investigations and actions by state, inputs, worker stages, pool',
      description:
        'The Prometheus text format (docs/deploy.md). With a viewer token (Prometheus: `authorization: { credentials: TOKEN }`); `--metrics-port` serves the same without one.',
      tag: 'system',
      role: 'viewer',
      responses: { 200: { description: 'text/plain; version=0.0.4: the metrics.' } },
      async handler({ reply }) {
        void reply.header('content-type', metrics.contentType).header('cache-control', 'no-store');
        return metrics.text();
      },
    }),
    defineRoute({
      method: 'GET',
      url: '/api/v1/health',
      operationId: 'health',
      summary: 'Liveness and store reachability (no token needed)',
      tag: 'system',
      role: null,
      responses: {
        200: {
          description: 'The server is up and its store answers.',
          schema: z.object({
            status: z.literal('ok'),
            version: z.string(),
            store: z.object({ dialect: z.enum(['sqlite', 'postgres']) }),
          }),
        },
        503: { description: 'The store does not answer.' },
      },
      async handler({ reply }) {
        try {
          await store.ping();
        } catch (error) {
          reply.code(503);
          return {
            status: 'unavailable',
            version,
            store: { dialect: store.dialect, error: (error as Error).message },
          };
        }
        return { status: 'ok', version, store: { dialect: store.dialect } };
      },
    }),
  ];
}
