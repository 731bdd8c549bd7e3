import { z } from 'zod';
import { alertStatuses, normalizeTechnique, severities } from '../../domain/alert.js';
import { normalizeEntityKey } from '../../domain/entity.js';
import { AutoirError } from '../../domain/errors.js';
import { formatById } from '../../ingest/formats/index.js';
import { alertFormats } from '../../ingest/formats/index.js';
import { errorAt, parseBody } from '../../ingest/items.js';
import type { Store } from '../../store/ports.js';
import { commaList, defineRoute, errorSchema, type RouteSpec } from '../route.js';
import { alertSchema, named } from './schemas.js';
import { correlatePending } from '../../correlate/correlator.js';
import type { CorrelationOptions } from '../../correlate/correlate.js';
import type { AlertInput } from '../../domain/alert.js';
import { writeAlerts } from '../../ingest/prepare-alert.js';

const dateTime = z
  .string()
  .refine((value) => Number.isFinite(Date.parse(value)), 'must be an ISO 8601 date-time');

const listQuery = z.object({
  severity: commaList(z.enum(severities)).describe('Only these severities (comma-separated).'),
  minSeverity: z.enum(severities).optional().describe('Only this severity or higher.'),
  source: commaList(z.string()).describe('Only alerts from these sources.'),
  category: commaList(z.string()).describe('Only these categories.'),
  detector: z.string().optional(),
  technique: z
    .string()
    .optional()
    .refine(
      (value) => value === undefined || normalizeTechnique(value) !== undefined,
      'must be an ATT&CK technique id like T1003',
    )
    .transform((value) => (value === undefined ? undefined : normalizeTechnique(value)))
    .describe('ATT&CK technique; also matches its sub-techniques.'),
  entity: z.string().optional().describe('Only alerts naming this entity key.'),
  incidentId: z
    .string()
    .optional()
    .describe('Only alerts of this incident; `none` for alerts in no incident.'),
  since: dateTime.optional().describe('Alert time from (inclusive).'),
  until: dateTime.optional().describe('Alert time until (exclusive).'),
  q: z.string().max(200).optional().describe('Text in the title.'),
  status: commaList(z.enum(alertStatuses)).describe('Only alerts in these statuses (comma-separated).'),
  limit: z.coerce.number().int().min(1).max(500).default(50),
  cursor: z.string().optional().describe('nextCursor of the previous page.'),
});

const itemResult = z.object({
  index: z.number().describe('Position of the item in the body (0-based).'),
  line: z.number().describe('Line of the body where the item starts.'),
  status: z.enum(['created', 'updated', 'skipped', 'error']),
  id: z.string().optional(),
  format: z.string().optional(),
  error: z.object({ code: z.string(), message: z.string(), field: z.string().optional() }).optional(),
});

const ingestResponse = z.object({
  created: z.number(),
  updated: z.number(),
  skipped: z.number(),
  errors: z.number(),
  stored: z.boolean().describe('False when strict mode stored nothing because of errors.'),
  results: z.array(itemResult),
});

export function alertRoutes(
  store: Store,
  correlation: CorrelationOptions = {},
  arrivals?: EventTarget,
): RouteSpec[] {
  return [
    defineRoute({
      method: 'GET',
      url: '/api/v1/alerts',
      operationId: 'listAlerts',
      summary: 'List alerts, newest first, with filters and cursor pagination',
      tag: 'alerts',
      role: 'viewer',
      query: listQuery,
      responses: {
        200: {
          description: 'A page of alerts.',
          schema: z.object({ items: z.array(alertSchema), nextCursor: z.string().nullable() }),
        },
        400: { description: 'A bad filter or cursor.', schema: errorSchema },
      },
      async handler({ query }) {
        const page = await store.alerts.listAlerts(
          {
            severities: query.severity,
            minSeverity: query.minSeverity,
            sources: query.source,
            categories: query.category,
            detector: query.detector,
            mitreTechnique: query.technique,
            entityKey: query.entity === undefined ? undefined : normalizeEntityKey(query.entity),
            incidentId: query.incidentId === 'none' ? null : query.incidentId,
            since: query.since,
            until: query.until,
            text: query.q,
            statuses: query.status,
          },
          { limit: query.limit, cursor: query.cursor },
        );
        return { ...page, items: page.items.map(named) };
      },
    }),
    defineRoute({
      method: 'GET',
      url: '/api/v1/alerts/:id',
      operationId: 'getAlert',
      summary: 'One alert with its entities',
      tag: 'alerts',
      role: 'viewer',
      params: z.object({ id: z.string() }),
      query: z.object({
        include: z.enum(['raw']).optional().describe('`raw` adds the record as it arrived.'),
      }),
      responses: {
        200: { description: 'The alert.', schema: alertSchema },
        404: { description: 'No such alert.', schema: errorSchema },
      },
      async handler({ params, query }) {
        const alert = await store.alerts.getAlert(params.id);
        if (!alert) throw new AutoirError('AUTOIR_E_ALERT_NOT_FOUND', `no alert ${params.id}`);
        if (query.include !== 'raw') return named(alert);
        const raw = await store.alerts.getAlertRaw(params.id);
        return { ...named(alert), raw: raw === undefined ? undefined : (JSON.parse(raw) as unknown) };
      },
    }),
    defineRoute({
      method: 'PATCH',
      url: '/api/v1/alerts/:id',
      operationId: 'updateAlert',
      summary: "Set an alert's status (an analyst's status is never changed by automation)",
      tag: 'alerts',
      role: 'analyst',
      params: z.object({ id: z.string() }),
      body: z.object({ status: z.enum(alertStatuses) }).strict(),
      responses: {
        200: { description: 'The alert, changed.', schema: alertSchema },
        400: { description: 'A bad status.', schema: errorSchema },
        404: { description: 'No such alert.', schema: errorSchema },
      },
      handler: async ({ params, body, principal }) =>
        named(
          await store.alerts.setAlertStatus(
            params.id,
            body.status,
            `analyst:${principal?.name ?? 'api'}`,
            new Date(),
          ),
        ),
    }),
    defineRoute({
      method: 'POST',
      url: '/api/v1/alerts/status',
      operationId: 'setAlertStatuses',
      summary: 'Set the status of several alerts at once (all or none)',
      tag: 'alerts',
      role: 'analyst',
      body: z
        .object({
          ids: z.array(z.string()).min(1).max(1000).describe('Alert ids (`alr_…`).'),
          status: z.enum(alertStatuses),
        })
        .strict(),
      responses: {
        200: {
          description: 'How many alerts were set.',
          schema: z.object({ updated: z.number(), status: z.enum(alertStatuses) }),
        },
        400: { description: 'A bad body.', schema: errorSchema },
        404: { description: 'An id names no alert: nothing was changed.', schema: errorSchema },
      },
      async handler({ body, principal }) {
        const updated = await store.alerts.setAlertStatuses(
          body.ids,
          body.status,
          `analyst:${principal?.name ?? 'api'}`,
          new Date(),
        );
        return { updated, status: body.status };
      },
    }),
    defineRoute({
      method: 'POST',
      url: '/api/v1/alerts',
      operationId: 'ingestAlerts',
      summary: 'Ingest alerts: one object, a JSON array, or NDJSON, in any supported format',
      description: `Formats: ${alertFormats.map((format) => format.id).join(', ')} (sniffed per item unless \`format\` is given). Each item gets a result. Without \`strict\`, good items are stored and bad ones reported; with \`strict=true\`, one bad item stores nothing. An alert re-sent with the same source and sourceRef updates the stored one.`,
      tag: 'alerts',
      role: 'ingest',
      query: z.object({
        format: z
          .enum(alertFormats.map((format) => format.id) as [string, ...string[]])
          .optional()
          .describe('Read every item as this format instead of sniffing.'),
        strict: z
          .enum(['true', 'false'])
          .optional()
          .transform((value) => value === 'true'),
      }),
      body: {
        raw: true,
        contentTypes: ['application/json', 'application/x-ndjson'],
        description: 'One alert object, a JSON array of them, or NDJSON.',
      },
      responses: {
        200: {
          description: 'Per-item results; at least one item was stored, or the body held no items.',
          schema: ingestResponse,
        },
        400: {
          description:
            'No item could be stored (or strict mode and an item was bad); per-item results say why.',
          schema: ingestResponse,
        },
        413: { description: 'The body is larger than the configured limit.', schema: errorSchema },
      },
      async handler({ body, query, reply }) {
        const forced = query.format ? formatById(query.format) : undefined;
        const items = await parseBody(body as string, forced);
        const inputs: AlertInput[] = [];
        const owners: number[] = [];
        for (const item of items) {
          if (!item.outcome.ok) continue;
          for (const input of item.outcome.inputs) {
            inputs.push(input);
            owners.push(item.index);
          }
        }
        const errorCount = items.filter((item) => !item.outcome.ok).length;
        const store_ = !(query.strict && errorCount > 0);
        const written =
          store_ && inputs.length > 0 ? await writeAlerts(store.alerts, inputs, new Date()) : [];
        // Alerts become incidents as they arrive.
        if (written.length > 0) {
          await correlatePending(store, correlation);
          arrivals?.dispatchEvent(new Event('alerts'));
        }
        const byItem = new Map<number, { id: string; status: 'created' | 'updated' }>();
        written.forEach((result, position) => byItem.set(owners[position] as number, result));

        const results = items.map((item) => {
          const base = { index: item.index, line: item.line };
          if (!item.outcome.ok) {
            const error = errorAt(item.outcome.error, {});
            return {
              ...base,
              status: 'error' as const,
              error: {
                code: item.outcome.error.code,
                message: error.message,
                ...(error.field ? { field: error.field } : {}),
              },
            };
          }
          const format = item.outcome.format.id;
          const stored = byItem.get(item.index);
          if (stored) return { ...base, status: stored.status, id: stored.id, format };
          return { ...base, status: 'skipped' as const, format };
        });
        const response = {
          created: written.filter((result) => result.status === 'created').length,
          updated: written.filter((result) => result.status === 'updated').length,
          skipped: results.filter((result) => result.status === 'skipped').length,
          errors: errorCount,
          stored: store_,
          results,
        };
        const nothingStored = errorCount > 0 && written.length === 0;
        reply.code(nothingStored ? 400 : 200);
        return response;
      },
    }),
  ];
}
