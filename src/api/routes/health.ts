import { z } from 'zod';
import type { Store } from '../../store/ports.js';
import { defineRoute, type RouteSpec } from '../route.js';

export function healthRoutes(store: Store, version: string): RouteSpec[] {
  return [
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
