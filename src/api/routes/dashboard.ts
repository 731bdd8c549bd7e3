/** The dashboard over HTTP: active incidents by severity, actions and investigations by status, how long they wait. */
import { z } from 'zod';
import type { Store } from '../../store/ports.js';
import { defineRoute, type RouteSpec } from '../route.js';

export function dashboardRoutes(store: Store): RouteSpec[] {
  return [
    defineRoute({
      method: 'GET',
      url: '/api/v1/dashboard',
      operationId: 'getDashboard',
      summary:
        'Open incidents by severity, pending actions and their wait, investigations by status, time to verdict',
      tag: 'dashboard',
      role: 'viewer',
      responses: {
        200: {
          description: 'The figures.',
          schema: z.object({
            incidents: z.object({ total: z.number(), bySeverity: z.record(z.string(), z.number()) }),
            actions: z.object({
              byStatus: z.record(z.string(), z.number()),
              pending: z.number(),
              oldestPendingAt: z.string().nullable(),
              meanPendingWaitMs: z.number().nullable(),
            }),
            investigations: z.object({
              byStatus: z.record(z.string(), z.number()),
              meanTimeToVerdictMs: z.number().nullable(),
            }),
          }),
        },
      },
      async handler() {
        const [incidents, actions, investigations] = await Promise.all([
          store.incidents.countIncidents({ statuses: ['active'] }),
          store.actions.stats(new Date()),
          store.investigations.stats(),
        ]);
        return { incidents, actions, investigations };
      },
    }),
  ];
}
