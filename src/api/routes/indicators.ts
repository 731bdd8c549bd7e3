/**
 * Allow and block indicators over HTTP: listed by viewers, added (or imported from STIX 2.1 and MISP) and removed
 * by analysts.
 */
import { z } from 'zod';
import { severities } from '../../domain/alert.js';
import { entityTypeOfKey, normalizeEntityKey } from '../../domain/entity.js';
import { AutoirError } from '../../domain/errors.js';
import { indicatorActions } from '../../domain/indicator.js';
import { parseIntelDocument } from '../../intel/import.js';
import type { Store } from '../../store/ports.js';
import { defineRoute, errorSchema, type RouteSpec } from '../route.js';

export const indicatorSchema = z.object({
  id: z.string(),
  entityKey: z.string(),
  action: z.enum(indicatorActions),
  title: z.string().optional(),
  description: z.string().optional(),
  source: z.string(),
  sourceRef: z.string().optional(),
  severity: z.enum(severities).optional(),
  expiresAt: z.string().optional(),
  createdAt: z.string(),
  createdBy: z.string(),
});

const INDICATOR_TYPES = ['file', 'ip', 'domain', 'url', 'mailbox'];

export function indicatorRoutes(store: Store): RouteSpec[] {
  return [
    defineRoute({
      method: 'GET',
      url: '/api/v1/indicators',
      operationId: 'listIndicators',
      summary: 'List allow and block indicators, newest first',
      tag: 'indicators',
      role: 'viewer',
      query: z.object({
        action: z.enum(indicatorActions).optional(),
        entityKey: z.string().optional(),
        source: z.string().optional(),
        limit: z.coerce.number().int().min(1).max(500).default(50),
        cursor: z.string().optional(),
      }),
      responses: {
        200: {
          description: 'A page of indicators.',
          schema: z.object({ items: z.array(indicatorSchema), nextCursor: z.string().nullable() }),
        },
      },
      handler: ({ query }) =>
        store.investigations.listIndicators(
          {
            ...(query.action ? { action: query.action } : {}),
            ...(query.entityKey ? { entityKey: normalizeEntityKey(query.entityKey) } : {}),
            ...(query.source ? { source: query.source } : {}),
          },
          { limit: query.limit, ...(query.cursor ? { cursor: query.cursor } : {}) },
        ),
    }),
    defineRoute({
      method: 'POST',
      url: '/api/v1/indicators',
      operationId: 'addIndicator',
      summary: 'Add an allow or block indicator',
      tag: 'indicators',
      role: 'admin',
      body: z
        .object({
          entityKey: z.string().min(1),
          action: z.enum(indicatorActions),
          title: z.string().max(500).optional(),
          description: z.string().max(10_000).optional(),
          severity: z.enum(severities).optional(),
          expiresAt: z
            .string()
            .refine((value) => Number.isFinite(Date.parse(value)), 'must be an ISO 8601 date-time')
            .optional(),
        })
        .strict(),
      responses: {
        201: { description: 'Stored.', schema: indicatorSchema },
        400: { description: 'Not a file hash, IP, domain, URL or mailbox key.', schema: errorSchema },
      },
      async handler({ body, principal, reply }) {
        const entityKey = normalizeEntityKey(body.entityKey);
        if (!INDICATOR_TYPES.includes(entityTypeOfKey(entityKey) ?? ''))
          throw new AutoirError(
            'AUTOIR_E_BAD_INPUT',
            `${body.entityKey} is not a file hash, IP, domain, URL or mailbox key`,
            {
              location: { field: 'entityKey' },
            },
          );
        const [stored] = await store.investigations.addIndicators(
          [
            {
              entityKey,
              action: body.action,
              source: 'manual',
              ...(body.title ? { title: body.title } : {}),
              ...(body.description ? { description: body.description } : {}),
              ...(body.severity ? { severity: body.severity } : {}),
              ...(body.expiresAt ? { expiresAt: Date.parse(body.expiresAt) } : {}),
            },
          ],
          principal?.name ?? 'api',
          new Date(),
        );
        void reply.code(201);
        return stored;
      },
    }),
    defineRoute({
      method: 'POST',
      url: '/api/v1/indicators/import',
      operationId: 'importIndicators',
      summary: 'Import indicators from a STIX 2.1 bundle or a MISP event (the JSON document as the body)',
      tag: 'indicators',
      role: 'admin',
      body: z
        .record(z.string(), z.unknown())
        .describe(
          'A STIX 2.1 bundle (or one indicator), or a MISP event (`{ Event }`, a bare event, or `{ response: [{ Event }] }`).',
        ),
      responses: {
        200: {
          description: 'What was imported, and what was not with the reason.',
          schema: z.object({
            format: z.enum(['stix', 'misp']),
            imported: z.number(),
            skipped: z.array(z.object({ ref: z.string(), reason: z.string() })),
          }),
        },
        400: {
          description: 'A STIX bundle or MISP event, malformed (the message names where).',
          schema: errorSchema,
        },
        415: { description: 'Neither a STIX bundle nor a MISP event.', schema: errorSchema },
      },
      async handler({ body, principal }) {
        // The same parser as `autoir intel import`; nothing is stored when the document is refused.
        const parsed = parseIntelDocument(JSON.stringify(body), 'request body');
        const stored = await store.investigations.addIndicators(
          parsed.drafts,
          principal?.name ?? 'api',
          new Date(),
        );
        return { format: parsed.format, imported: stored.length, skipped: parsed.skipped };
      },
    }),
    defineRoute({
      method: 'DELETE',
      url: '/api/v1/indicators/:id',
      operationId: 'removeIndicator',
      summary: 'Remove an indicator',
      tag: 'indicators',
      role: 'admin',
      params: z.object({ id: z.string() }),
      responses: {
        200: { description: 'Removed.', schema: z.object({ removed: z.string() }) },
        404: { description: 'No such indicator.', schema: errorSchema },
      },
      async handler({ params }) {
        if (!(await store.investigations.removeIndicator(params.id)))
          throw new AutoirError('AUTOIR_E_NOT_FOUND', `no indicator ${params.id}`);
        return { removed: params.id };
      },
    }),
  ];
}
