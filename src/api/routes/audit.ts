/**
 * The audit log over HTTP: every write, with actor, time, before and after. Admins only.
 */
import { z } from 'zod';
import type { Store } from '../../store/ports.js';
import { defineRoute, type RouteSpec } from '../route.js';

const dateTime = z
  .string()
  .refine((value) => Number.isFinite(Date.parse(value)), 'must be an ISO 8601 date-time');

export function auditRoutes(store: Store): RouteSpec[] {
  return [
    defineRoute({
      method: 'GET',
      url: '/api/v1/audit',
      operationId: 'listAudit',
      summary: 'The audit log, newest first: every write with actor, time, before and after',
      tag: 'audit',
      role: 'admin',
      query: z.object({
        actor: z.string().optional(),
        operation: z.string().optional(),
        target: z.string().optional().describe('Exact, or a prefix ending in ":" (`action:`).'),
        since: dateTime.optional(),
        until: dateTime.optional(),
        limit: z.coerce.number().int().min(1).max(500).default(50),
        cursor: z.string().optional(),
      }),
      responses: { 200: { description: 'A page of audit entries.' } },
      handler: ({ query }) => {
        const { limit, cursor, ...filter } = query;
        return store.audit.list(
          Object.fromEntries(Object.entries(filter).filter(([, v]) => v !== undefined)),
          { limit, ...(cursor ? { cursor } : {}) },
        );
      },
    }),
  ];
}
