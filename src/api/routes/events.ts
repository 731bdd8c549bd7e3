/**
 * Telemetry search (hunting): the events stored, by device, user, hash, address, domain, URL, process, kind and time
 * — what `autoir events search` and `events show` do, for the UI and for scripts. Storing events is
 * `POST /api/v1/events` (ingest.ts).
 */
import { z } from 'zod';
import { AutoirError } from '../../domain/errors.js';
import { eventKinds } from '../../domain/event.js';
import { eventFilterFrom } from '../../investigate/event-filter.js';
import type { Store } from '../../store/ports.js';
import { defineRoute, errorSchema, type RouteSpec } from '../route.js';

const searchQuery = z.object({
  device: z
    .string()
    .optional()
    .describe('On this device: a `device:` key or a host name (short names match).'),
  user: z
    .string()
    .optional()
    .describe('Naming this user: `domain\\name`, a UPN or a SID (`user:` optional).'),
  sha256: z.string().optional().describe('Naming a file with this SHA-256.'),
  hash: z.string().optional().describe('Naming a file with this SHA-256, SHA-1 or MD5.'),
  ip: z.string().optional().describe('Naming this IP address (source or destination).'),
  domain: z.string().optional().describe('Naming this domain.'),
  url: z.string().optional().describe('Naming this URL.'),
  entity: z
    .union([z.string(), z.array(z.string())])
    .optional()
    .transform((value) => (value === undefined ? undefined : Array.isArray(value) ? value : [value]))
    .describe('Naming this entity key (repeat the parameter for several: each must be named).'),
  process: z.string().optional().describe('Done by this process (`process:` key).'),
  kind: z
    .string()
    .optional()
    .describe(`Only these kinds (comma-separated): ${eventKinds.join(', ')}.`),
  since: z.string().optional().describe('Event time from (inclusive, ISO 8601).'),
  until: z.string().optional().describe('Event time until (exclusive, ISO 8601).'),
  order: z.enum(['desc', 'asc']).default('desc').describe('`desc`: newest first; `asc`: a timeline.'),
  limit: z.coerce.number().int().min(1).max(1000).default(50),
  cursor: z.string().optional().describe('nextCursor of the previous page.'),
});

export const eventSchema = z
  .looseObject({
    id: z.string().describe('`evt_<n>`.'),
    time: z.string().describe('When it happened (ISO 8601).'),
    ingestedAt: z.string(),
    format: z.string(),
    source: z
      .string()
      .describe('The log or product it came from, e.g. Microsoft-Windows-Sysmon/Operational.'),
    code: z.string().describe('The source’s own event id, e.g. Sysmon 1.'),
    kind: z.enum(eventKinds),
    deviceKey: z.string().optional(),
    userKey: z.string().optional(),
    processKey: z.string().optional(),
    parentProcessKey: z.string().optional(),
    imagePath: z.string().optional(),
    commandLine: z.string().optional(),
    sha256: z.string().optional(),
    targetPath: z.string().optional(),
    srcIp: z.string().optional(),
    srcPort: z.number().optional(),
    dstIp: z.string().optional(),
    dstPort: z.number().optional(),
    domain: z.string().optional(),
    url: z.string().optional(),
    keys: z.array(z.string()).describe('The entity keys it names (what it is found by).'),
    raw: z.unknown().optional().describe('The record as it arrived (with include=raw).'),
  })
  .describe('A stored telemetry event: the normalised fields of its kind, then the keys it names.');

export function eventRoutes(store: Store): RouteSpec[] {
  return [
    defineRoute({
      method: 'GET',
      url: '/api/v1/events',
      operationId: 'searchEvents',
      summary: 'Search telemetry events (every term given must match), newest first or as a timeline',
      tag: 'events',
      role: 'viewer',
      query: searchQuery,
      responses: {
        200: {
          description: 'A page of events.',
          schema: z.object({ items: z.array(eventSchema), nextCursor: z.string().nullable() }),
        },
        400: { description: 'A term that is not what it names, or a bad cursor.', schema: errorSchema },
      },
      async handler({ query }) {
        const { order, limit, cursor, ...terms } = query;
        const filter = eventFilterFrom(terms, { field: (term) => term, code: 'AUTOIR_E_BAD_INPUT' });
        const page = await store.events.searchEvents(filter, { order, limit, cursor });
        return { items: page.items, nextCursor: page.nextCursor ?? null };
      },
    }),
    defineRoute({
      method: 'GET',
      url: '/api/v1/events/:id',
      operationId: 'getEvent',
      summary: 'One event, with the record as it arrived if asked',
      tag: 'events',
      role: 'viewer',
      params: z.object({ id: z.string() }),
      query: z.object({
        include: z.enum(['raw']).optional().describe('`raw` adds the record as it arrived.'),
      }),
      responses: {
        200: { description: 'The event.', schema: eventSchema },
        404: { description: 'No such event.', schema: errorSchema },
      },
      async handler({ params, query }) {
        const event = await store.events.getEvent(params.id);
        if (!event) throw new AutoirError('AUTOIR_E_NOT_FOUND', `no event ${params.id}`);
        if (query.include !== 'raw') return event;
        const raw = await store.events.getEventRaw(params.id);
        return { ...event, raw: raw === undefined ? undefined : parseMaybeJson(raw) };
      },
    }),
  ];
}

/** A raw record that is JSON as JSON; a line of text (syslog, CSV) as it is. */
function parseMaybeJson(raw: string): unknown {
  try {
    return JSON.parse(raw) as unknown;
  } catch {
    return raw;
  }
}
