/**
 * Investigations over HTTP: list, one with its evidence (verdicts, roles, findings), alerts, proposed actions and
 * log; start one by hand; cancel; approve a waiting scope expansion. Indicators: list, add, remove, import.
 */
import { z } from 'zod';
import { normalizeEntityKey } from '../../domain/entity.js';
import { AutoirError } from '../../domain/errors.js';
import { investigationStatuses } from '../../domain/investigation.js';
import { startManualInvestigation } from '../../investigate/manual.js';
import type { PlaybookSet } from '../../investigate/playbooks.js';
import { investigationView } from '../../investigate/view.js';
import type { Store } from '../../store/ports.js';
import { commaList, defineRoute, errorSchema, type RouteSpec } from '../route.js';
import { actorOf } from '../auth.js';
import { durationMs } from '../../domain/duration.js';
import { giveFeedback } from '../../investigate/feedback.js';
import { indicatorSchema } from './indicators.js';

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
  thresholds: z
    .object({ malicious: z.number(), suspicious: z.number(), block: z.number(), allow: z.number() })
    .describe(
      'How a score becomes a verdict (docs/verdicts.md): ≥ malicious → malicious, ≥ suspicious → suspicious; a finding of weight ≥ block (a block indicator) convicts, ≤ allow (an allow indicator) clears.',
    ),
  evidence: z.array(
    z.object({
      type: z.string(),
      key: z.string(),
      aliases: z
        .array(z.string())
        .describe(
          'Other keys of the same thing merged into this evidence (a process pid key, a file path key).',
        ),
      label: z.string().describe('The evidence in words: `process winx64_payload.exe (pid 1988) on mkt01…`.'),
      name: z.string().describe('As an analyst names it: `winx64_payload.exe (pid 1988) on MKT01`.'),
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
      targetName: z.string().describe('The target as an analyst names it.'),
      deviceKey: z.string().nullable(),
      status: z
        .string()
        .describe(
          '`proposed`, `skipped`, `refused` (a critical-asset guardrail forbids it), or the action status.',
        ),
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
        entity: z.string().optional().describe('Only investigations holding this entity key as evidence.'),
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
            ...(query.entity ? { entityKey: normalizeEntityKey(query.entity) } : {}),
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
      url: '/api/v1/investigations/:id/feedback',
      operationId: 'giveEvidenceFeedback',
      summary:
        'Mark an evidence verdict wrong, with why; optionally a dated lesson that allows the same thing later',
      tag: 'investigations',
      role: 'analyst',
      audited: true,
      params: z.object({ id: z.string() }),
      body: z
        .object({
          evidenceKey: z.string().min(1).max(2000).describe('The evidence, by its key in the investigation.'),
          verdict: z.literal('wrong'),
          reason: z.string().trim().min(1).max(1000),
          lesson: z
            .object({ for: z.string().describe('How long it holds: 30d, 12h… (at most 365 days).') })
            .strict()
            .optional()
            .describe(
              'Allow what the evidence is (a process: the file it runs) in later investigations until then: a finding of its own, listed with the indicators (source lesson), removed to undo.',
            ),
        })
        .strict(),
      responses: {
        200: {
          description: 'Recorded (in the audit log); the lesson, when asked for.',
          schema: z.object({
            investigationId: z.string(),
            evidenceKey: z.string(),
            lesson: indicatorSchema.nullable(),
          }),
        },
        400: { description: 'A bad field (a duration beyond a year).', schema: errorSchema },
        404: { description: 'No such investigation or evidence.', schema: errorSchema },
      },
      handler({ params, body, principal }) {
        const lessonForMs = body.lesson ? durationMs(body.lesson.for) : undefined;
        if (body.lesson && lessonForMs === undefined)
          throw new AutoirError('AUTOIR_E_BAD_INPUT', `lesson.for: not a duration: ${body.lesson.for}`, {
            location: { field: 'lesson.for' },
          });
        return giveFeedback(
          store,
          {
            investigationId: params.id,
            evidenceKey: body.evidenceKey,
            verdict: body.verdict,
            reason: body.reason,
            ...(lessonForMs !== undefined ? { lessonForMs } : {}),
          },
          actorOf(principal),
          new Date(),
        );
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
  ];
}
