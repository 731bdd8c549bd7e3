/** The dashboard over HTTP: active incidents by severity, actions and investigations by status, how long they wait. */
import { z } from 'zod';
import type { Store } from '../../store/ports.js';
import { defineRoute, errorSchema, type RouteSpec } from '../route.js';

const dateTime = z
  .string()
  .refine((value) => Number.isFinite(Date.parse(value)), 'must be an ISO 8601 date-time');

const percentiles = z.object({
  count: z.number(),
  median: z.number().nullable(),
  p90: z.number().nullable(),
});

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
    defineRoute({
      method: 'GET',
      url: '/api/v1/dashboard/charts',
      operationId: 'getDashboardCharts',
      summary:
        'Alerts over time by severity, investigations by outcome, time to verdict and to remediation, actions by decision',
      tag: 'dashboard',
      role: 'viewer',
      query: z.object({
        since: dateTime.optional().describe('From (inclusive); without it, from the first alert.'),
        until: dateTime.optional().describe('Until (exclusive); without it, after the last alert.'),
      }),
      responses: {
        200: {
          description:
            'The charts’ figures; the bucket is an hour up to two days, a day up to 90, a week beyond.',
          schema: z.object({
            since: z.string().nullable(),
            until: z.string().nullable(),
            bucketMs: z.number(),
            alerts: z.array(z.object({ at: z.string(), bySeverity: z.record(z.string(), z.number()) })),
            investigations: z.record(z.string(), z.number()),
            timeToVerdictMs: percentiles,
            timeToRemediationMs: percentiles,
            actionsByDecision: z.record(z.string(), z.number()),
          }),
        },
        400: { description: 'A bad time.', schema: errorSchema },
      },
      handler: ({ query }) =>
        store.charts({
          ...(query.since ? { since: Date.parse(query.since) } : {}),
          ...(query.until ? { until: Date.parse(query.until) } : {}),
        }),
    }),
  ];
}
