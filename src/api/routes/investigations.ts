/**
 * Investigations over HTTP: list, one with its evidence (verdicts, roles, findings), alerts, proposed actions and
 * log; start one by hand; cancel; approve a waiting scope expansion. Indicators: list, add, remove, import.
 */
import { z } from 'zod';
import { severities } from '../../domain/alert.js';
import { entityTypeOfKey, normalizeEntityKey } from '../../domain/entity.js';
import { AutoirError } from '../../domain/errors.js';
import { indicatorActions } from '../../domain/indicator.js';
import { investigationStatuses } from '../../domain/investigation.js';
import { startManualInvestigation } from '../../investigate/manual.js';
import type { PlaybookSet } from '../../investigate/playbooks.js';
import { investigationView } from '../../investigate/view.js';
import type { Store } from '../../store/ports.js';
import { commaList, defineRoute, errorSchema, type RouteSpec } from '../route.js';

const findingSchema = z.object({ analyzer: z.string(), weight: z.number(), text: z.string() });

const summarySchema = z.object({
  id: z.string(),
  incidentId: z.string().nullable(),
  status: z.enum(investigationStatuses),
  statusReason: z.string().nullable(),
  playbook: z.string(),
  createdAt: z.string(),
  startedAt: z.string().nullable(),
  endedAt: z.string().nullable(),
  alertCount: z.number(),
});

const detailSchema = z.object({
  id: z.string(),
  incidentId: z.string().nullable(),
  status: z.enum(investigationStatuses),
  statusReason: z.string().nullable(),
  playbook: z.string(),
  trigger: z.record(z.string(), z.unknown()),
  createdAt: z.string(),
  startedAt: z.string().nullable(),
  endedAt: z.string().nullable(),
  alertIds: z.array(z.string()),
  evidence: z.array(
    z.object({
      type: z.string(),
      key: z.string(),
      label: z.string().describe('The evidence in words: `process winx64_payload.exe (pid 1988) on mkt01…`.'),
      verdict: z.enum(['malicious', 'suspicious', 'noThreatsFound', 'unknown']),
      score: z.number(),
      roles: z.array(z.string()),
      remediationStatus: z.string(),
      origin: z.string(),
      findings: z.array(findingSchema).describe('What decided the verdict (docs/verdicts.md).'),
      relations: z.array(z.object({ kind: z.string(), key: z.string() })),
    }),
  ),
  actions: z.array(
    z.object({
      id: z.string().describe('The action (`act_<n>`) once planned, the proposal (`prp_<n>`) before.'),
      type: z.string(),
      targetKey: z.string(),
      deviceKey: z.string().nullable(),
      status: z.string().describe('`proposed`, `skipped`, or the action status.'),
      proposalId: z.string(),
      decisionRule: z.string().nullable(),
      reasons: z.array(z.string()),
    }),
  ),
  log: z.array(
    z.object({
      step: z.string(),
      startedAt: z.string(),
      durationMs: z.number(),
      result: z.string(),
      waitedMs: z.number(),
      waitedAs: z.string().nullable(),
      worker: z.string(),
    }),
  ),
});

const indicatorSchema = z.object({
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

export function investigationRoutes(store: Store, playbooks: () => PlaybookSet): RouteSpec[] {
  const detail = async (id: string) => {
    const found = await store.investigations.get(id);
    if (!found) throw new AutoirError('AUTOIR_E_NOT_FOUND', `no investigation ${id}`);
    return investigationView(found);
  };
  return [
    defineRoute({
      method: 'GET',
      url: '/api/v1/investigations',
      operationId: 'listInvestigations',
      summary: 'List investigations, newest first',
      tag: 'investigations',
      role: 'viewer',
      query: z.object({
        status: commaList(z.enum(investigationStatuses)),
        incidentId: z.string().optional(),
        playbook: z.string().optional(),
        limit: z.coerce.number().int().min(1).max(500).default(50),
        cursor: z.string().optional(),
      }),
      responses: {
        200: {
          description: 'A page of investigations.',
          schema: z.object({ items: z.array(summarySchema), nextCursor: z.string().nullable() }),
        },
        400: { description: 'A bad filter or cursor.', schema: errorSchema },
      },
      async handler({ query }) {
        const page = await store.investigations.list(
          {
            ...(query.status ? { statuses: query.status } : {}),
            ...(query.incidentId ? { incidentId: query.incidentId } : {}),
            ...(query.playbook ? { playbook: query.playbook } : {}),
          },
          { limit: query.limit, ...(query.cursor ? { cursor: query.cursor } : {}) },
        );
        return {
          items: page.items.map((item) => ({
            id: item.id,
            incidentId: item.incidentId,
            status: item.status,
            statusReason: item.statusReason,
            playbook: item.playbook,
            createdAt: item.createdAt,
            startedAt: item.startedAt,
            endedAt: item.endedAt,
            alertCount: item.alertCount,
          })),
          nextCursor: page.nextCursor,
        };
      },
    }),
    defineRoute({
      method: 'GET',
      url: '/api/v1/investigations/:id',
      operationId: 'getInvestigation',
      summary: 'One investigation: evidence with verdicts, roles and findings; alerts; proposed actions; log',
      tag: 'investigations',
      role: 'viewer',
      params: z.object({ id: z.string() }),
      responses: {
        200: { description: 'The investigation.', schema: detailSchema },
        404: { description: 'No such investigation.', schema: errorSchema },
      },
      handler: ({ params }) => detail(params.id),
    }),
    defineRoute({
      method: 'POST',
      url: '/api/v1/investigations',
      operationId: 'startInvestigation',
      summary: 'Start an investigation by hand: of an incident, a device, a user or a mailbox',
      tag: 'investigations',
      role: 'analyst',
      body: z
        .object({
          target: z.string().min(1).describe('inc_…, device:host, user:domain\\name or mailbox:address'),
          comment: z.string().max(10_000).optional(),
          playbook: z.string().optional(),
        })
        .strict(),
      responses: {
        201: { description: 'Queued.', schema: detailSchema },
        400: { description: 'Not something to investigate, or an unknown playbook.', schema: errorSchema },
        404: { description: 'No such incident.', schema: errorSchema },
      },
      async handler({ body, principal, reply }) {
        const id = await startManualInvestigation(
          store,
          {
            target: body.target,
            by: principal?.name ?? 'api',
            ...(body.comment ? { comment: body.comment } : {}),
            ...(body.playbook ? { playbook: body.playbook } : {}),
          },
          playbooks(),
          new Date(),
        );
        void reply.code(201);
        return detail(id);
      },
    }),
    defineRoute({
      method: 'POST',
      url: '/api/v1/investigations/:id/cancel',
      operationId: 'cancelInvestigation',
      summary: 'Cancel an investigation (terminatedByUser)',
      tag: 'investigations',
      role: 'responder',
      params: z.object({ id: z.string() }),
      body: z.object({ comment: z.string().max(10_000).optional() }).strict(),
      responses: {
        200: { description: 'Cancelled.', schema: detailSchema },
        404: { description: 'No such investigation.', schema: errorSchema },
        409: { description: 'It had ended already.', schema: errorSchema },
      },
      async handler({ params, body, principal }) {
        const cancelled = await store.investigations.cancel(
          params.id,
          principal?.name ?? 'api',
          body.comment,
          new Date(),
        );
        return investigationView(cancelled);
      },
    }),
    defineRoute({
      method: 'POST',
      url: '/api/v1/investigations/:id/approve-expansion',
      operationId: 'approveExpansion',
      summary: 'Approve the scope expansion an investigation waits for',
      tag: 'investigations',
      role: 'responder',
      params: z.object({ id: z.string() }),
      responses: {
        200: { description: 'Resumed.', schema: detailSchema },
        404: { description: 'No such investigation.', schema: errorSchema },
        409: { description: 'No expansion waits.', schema: errorSchema },
      },
      async handler({ params, principal }) {
        return investigationView(
          await store.investigations.approveExpansions(params.id, principal?.name ?? 'api', new Date()),
        );
      },
    }),
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
