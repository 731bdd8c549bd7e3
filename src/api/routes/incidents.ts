/** Incidents over HTTP: list, one with its alerts, entities, links, merges and comments, analyst changes. */
import { z } from 'zod';
import { severities } from '../../domain/alert.js';
import { normalizeEntityKey } from '../../domain/entity.js';
import { AutoirError } from '../../domain/errors.js';
import { incidentClassifications } from '../../domain/incident.js';
import type { Store } from '../../store/ports.js';
import { commaList, defineRoute, errorSchema, type RouteSpec } from '../route.js';

const dateTime = z
  .string()
  .refine((value) => Number.isFinite(Date.parse(value)), 'must be an ISO 8601 date-time');

const summarySchema = z.object({
  id: z.string(),
  title: z.string(),
  severity: z.enum(severities),
  status: z.enum(['active', 'resolved', 'redirected']),
  classification: z.enum(incidentClassifications),
  determination: z.string().nullable(),
  assignedTo: z.string().nullable(),
  tags: z.array(z.string()),
  alertCount: z.number(),
  firstActivityAt: z.string(),
  lastActivityAt: z.string(),
  redirectedTo: z.string().nullable().describe('The incident this one was merged into.'),
  entities: z.array(z.object({ type: z.string(), key: z.string(), alerts: z.number() })),
  createdAt: z.string(),
  updatedAt: z.string(),
});

const detailSchema = summarySchema.extend({
  alertIds: z.array(z.string()),
  links: z
    .array(z.object({ alertId: z.string(), otherAlertId: z.string(), entityKey: z.string() }))
    .describe('Which alert joined which, through which entity.'),
  merges: z.array(
    z.object({
      from: z.string(),
      at: z.string(),
      alertId: z.string().nullable(),
      entityKey: z.string().nullable(),
    }),
  ),
  comments: z.array(z.object({ author: z.string(), text: z.string(), createdAt: z.string() })),
});

export function incidentRoutes(store: Store): RouteSpec[] {
  return [
    defineRoute({
      method: 'GET',
      url: '/api/v1/incidents',
      operationId: 'listIncidents',
      summary: 'List incidents, most recent activity first, with filters and cursor pagination',
      tag: 'incidents',
      role: 'viewer',
      query: z.object({
        status: commaList(z.enum(['active', 'resolved', 'redirected'])).describe('Default active,resolved.'),
        minSeverity: z.enum(severities).optional(),
        severity: commaList(z.enum(severities)).describe('Only these severities.'),
        sort: z
          .enum(['lastActivity', 'firstActivity', 'created', 'severity', 'alerts'])
          .default('lastActivity')
          .describe('Descending; a cursor belongs to the sort it came from.'),
        count: z
          .enum(['true', 'false'])
          .default('false')
          .describe('Add `total` and `bySeverity` (counts of every match, not only this page).'),
        assignedTo: z.string().optional(),
        tag: z.string().optional(),
        entity: z.string().optional().describe('Incidents with this entity key among their main entities.'),
        since: dateTime.optional().describe('Active since.'),
        until: dateTime.optional().describe('Active before.'),
        limit: z.coerce.number().int().min(1).max(500).default(50),
        cursor: z.string().optional(),
      }),
      responses: {
        200: {
          description: 'A page of incidents.',
          schema: z.object({
            items: z.array(summarySchema),
            nextCursor: z.string().nullable(),
            total: z.number().optional(),
            bySeverity: z.record(z.string(), z.number()).optional(),
          }),
        },
        400: { description: 'A bad filter or cursor.', schema: errorSchema },
      },
      async handler({ query }) {
        const filter = {
          ...(query.status ? { statuses: query.status } : {}),
          ...(query.minSeverity ? { minSeverity: query.minSeverity } : {}),
          ...(query.severity?.length ? { severities: query.severity } : {}),
          ...(query.assignedTo ? { assignee: query.assignedTo } : {}),
          ...(query.tag ? { tag: query.tag } : {}),
          ...(query.entity ? { entityKey: normalizeEntityKey(query.entity) } : {}),
          ...(query.since ? { since: query.since } : {}),
          ...(query.until ? { until: query.until } : {}),
          sort: query.sort,
        };
        const page = await store.incidents.listIncidents(filter, {
          limit: query.limit,
          ...(query.cursor ? { cursor: query.cursor } : {}),
        });
        return query.count === 'true' ? { ...page, ...(await store.incidents.countIncidents(filter)) } : page;
      },
    }),
    defineRoute({
      method: 'GET',
      url: '/api/v1/incidents/:id',
      operationId: 'getIncident',
      summary: 'One incident: its alerts, main entities, the links that made it, merges and comments',
      tag: 'incidents',
      role: 'viewer',
      params: z.object({ id: z.string() }),
      responses: {
        200: { description: 'The incident.', schema: detailSchema },
        404: { description: 'No such incident.', schema: errorSchema },
      },
      async handler({ params }) {
        const incident = await store.incidents.getIncident(params.id);
        if (!incident) throw new AutoirError('AUTOIR_E_NOT_FOUND', `no incident ${params.id}`);
        return incident;
      },
    }),
    defineRoute({
      method: 'PATCH',
      url: '/api/v1/incidents/:id',
      operationId: 'updateIncident',
      summary: "Set an incident's analyst fields (automation never changes them)",
      tag: 'incidents',
      role: 'analyst',
      params: z.object({ id: z.string() }),
      body: z
        .object({
          status: z.enum(['active', 'resolved']).optional(),
          classification: z.enum(incidentClassifications).optional(),
          determination: z.string().max(200).nullable().optional(),
          assignedTo: z.string().max(200).nullable().optional(),
          tags: z.array(z.string().max(100)).max(50).optional(),
        })
        .strict(),
      responses: {
        200: { description: 'The incident, changed.', schema: detailSchema },
        400: { description: 'A bad field.', schema: errorSchema },
        404: { description: 'No such incident.', schema: errorSchema },
        409: { description: 'The incident was merged into another.', schema: errorSchema },
      },
      handler: ({ params, body }) => store.incidents.updateIncident(params.id, body, new Date()),
    }),
    defineRoute({
      method: 'POST',
      url: '/api/v1/incidents/:id/comments',
      operationId: 'commentIncident',
      summary: 'Add a comment to an incident',
      tag: 'incidents',
      role: 'analyst',
      params: z.object({ id: z.string() }),
      body: z.object({ text: z.string().min(1).max(10_000) }).strict(),
      responses: {
        200: { description: 'The incident with the comment.', schema: detailSchema },
        400: { description: 'No text.', schema: errorSchema },
        404: { description: 'No such incident.', schema: errorSchema },
      },
      handler: ({ params, body, principal }) =>
        store.incidents.addComment(params.id, principal?.name ?? 'api', body.text, new Date()),
    }),
  ];
}
