/**
 * The action center over HTTP: list, one with its history, approve, reject, undo, cancel, export, request, and
 * the connector's asynchronous result. Reading is for viewers; deciding on actions for responders.
 */
import { z } from 'zod';
import { normalizeEntityKey } from '../../domain/entity.js';
import { actionCatalog, actionStatuses, actionTypes, undoOf } from '../../domain/action.js';
import { entityTypes } from '../../domain/entity.js';
import { AutoirError, isAutoirError } from '../../domain/errors.js';
import {
  actionsCsv,
  actionView,
  cancelActions,
  decideActions,
  requestAction,
  undoActions,
  withoutReply,
} from '../../respond/action-center.js';
import type { Store } from '../../store/ports.js';
import { hasRole } from '../../domain/access.js';
import { actorOf } from '../auth.js';
import { commaList, defineRoute, errorSchema, type RouteContext, type RouteSpec } from '../route.js';
import type { ActionRecord } from '../../domain/action.js';
import type { ActionFilter } from '../../store/actions/rows.js';

const dateTime = z
  .string()
  .refine((value) => Number.isFinite(Date.parse(value)), 'must be an ISO 8601 date-time');

const actionSchema = z
  .object({
    id: z.string(),
    type: z.enum(actionTypes),
    title: z.string(),
    targetKey: z.string(),
    targetName: z
      .string()
      .describe('The target as an analyst names it: `winx64_payload.exe (pid 1988) on MKT01`.'),
    deviceKey: z.string().nullable(),
    group: z.object({ kind: z.string(), name: z.string() }).nullable(),
    investigationId: z.string().nullable(),
    evidenceKey: z.string().nullable(),
    verdict: z.string().nullable(),
    source: z.enum(['investigation', 'analyst', 'undo']),
    status: z.enum(actionStatuses),
    parameters: z.record(z.string(), z.unknown()),
    reasons: z.array(z.string()),
    requestedBy: z.string(),
    decidedBy: z
      .string()
      .nullable()
      .describe('`token:<name>` / `user:<name>` / `cli:<user>` for a person, `policy` for automation.'),
    decidedAt: z.string().nullable(),
    decisionRule: z.string().nullable().describe('The policy rule that decided, in words.'),
    comment: z.string().nullable(),
    undoOf: z.string().nullable(),
    undoneBy: z.string().nullable(),
    idempotencyKey: z.string(),
    connector: z.string().nullable(),
    attempts: z.number(),
    nextAttemptAt: z.string().nullable(),
    awaitingCallback: z.boolean(),
    unreachableSince: z.string().nullable(),
    resultMessage: z.string().nullable(),
    resultDetails: z.record(z.string(), z.unknown()).nullable(),
    createdAt: z.string(),
    updatedAt: z.string(),
    expiresAt: z.string().nullable(),
    startedAt: z.string().nullable(),
    endedAt: z.string().nullable(),
    shadow: z
      .object({ level: z.string(), outcome: z.enum(['approve', 'wait']), rule: z.string() })
      .nullable()
      .describe(
        'A group in shadow: what its shadow level would have done (`approve`: run at once) and the rule; the action itself waited for an analyst.',
      ),
  })
  .describe('An action, as `--json` prints it (docs/api.md), and what the action center shows besides.');

const historySchema = z.array(
  z.object({
    at: z.string(),
    from: z.string().nullable(),
    to: z.string(),
    by: z.string(),
    message: z.string().nullable(),
  }),
);

const filterQuery = z.object({
  status: commaList(z.enum(actionStatuses)),
  type: commaList(z.enum(actionTypes)),
  source: commaList(z.enum(['investigation', 'analyst', 'undo'])),
  investigation: z.string().optional(),
  group: z.string().optional(),
  target: z.string().optional(),
  device: z
    .string()
    .optional()
    .describe('Actions on this device (`device:` key): its own and those on what runs on it.'),
  since: dateTime.optional(),
  until: dateTime.optional(),
});

function filterOf(query: z.output<typeof filterQuery>): ActionFilter {
  return {
    ...(query.status ? { statuses: query.status } : {}),
    ...(query.type ? { types: query.type } : {}),
    ...(query.source ? { sources: query.source } : {}),
    ...(query.investigation ? { investigationId: query.investigation } : {}),
    ...(query.group ? { groupName: query.group } : {}),
    ...(query.target ? { targetKey: query.target } : {}),
    ...(query.device ? { deviceKey: normalizeEntityKey(query.device) } : {}),
    ...(query.since ? { since: query.since } : {}),
    ...(query.until ? { until: query.until } : {}),
  };
}

const bulkBody = z
  .object({
    ids: z.array(z.string()).min(1).max(1000),
    comment: z.string().max(2000).optional(),
  })
  .strict();

/** `token:<name>` or `user:<name>`: who decided, as the action history and the audit log name them. */
const actor = (context: Pick<RouteContext<unknown, unknown, unknown>, 'principal'>) =>
  actorOf(context.principal);

/** An action as the caller may see it: receivers' replies for admins only. */
const viewFor =
  (context: Pick<RouteContext<unknown, unknown, unknown>, 'principal'>) => (action: ActionRecord) =>
    actionView(
      context.principal !== undefined && hasRole(context.principal.role, 'admin')
        ? action
        : withoutReply(action),
    );

export function actionRoutes(store: Store): RouteSpec[] {
  const view = (
    context: Pick<RouteContext<unknown, unknown, unknown>, 'principal'>,
    actions: readonly ActionRecord[],
  ) => ({
    items: actions.map(viewFor(context)),
  });
  const itemsSchema = z.object({ items: z.array(actionSchema) });
  const bulk = (
    verb: 'approve' | 'reject' | 'undo' | 'cancel',
    summary: string,
    run: (ids: readonly string[], by: string, comment: string | null) => Promise<ActionRecord[]>,
  ) =>
    defineRoute({
      method: 'POST',
      url: `/api/v1/actions/${verb}`,
      operationId: `${verb}Actions`,
      summary,
      tag: 'actions',
      role: 'responder',
      audited: true,
      body: bulkBody,
      responses: {
        200: { description: 'The actions after the change.', schema: itemsSchema },
        400: { description: 'A bad id list, or actions of several types.', schema: errorSchema },
        404: { description: 'An id names no action (nothing was changed).', schema: errorSchema },
        409: { description: 'An action is in the wrong status (nothing was changed).', schema: errorSchema },
      },
      handler: async (context) =>
        view(context, await run(context.body.ids, actor(context), context.body.comment ?? null)),
    });

  return [
    defineRoute({
      method: 'GET',
      url: '/api/v1/actions/types',
      operationId: 'listActionTypes',
      summary: 'The action types: what each is called, what it acts on, and the action that undoes it',
      tag: 'actions',
      role: 'viewer',
      responses: {
        200: {
          description: 'Every action type autoir knows, in catalog order.',
          schema: z.object({
            items: z.array(
              z.object({
                type: z.enum(actionTypes),
                title: z.string(),
                targets: z.array(z.enum(entityTypes)).describe('Entity types its target may be.'),
                scope: z
                  .enum(['device', 'mailbox', 'user', 'organization'])
                  .describe("Whose group's automation level decides it."),
                undoType: z.enum(actionTypes).nullable().describe('The action that undoes it, if any.'),
              }),
            ),
          }),
        },
      },
      handler: async () => ({
        items: actionTypes.map((type) => ({
          type,
          title: actionCatalog[type].title,
          targets: [...actionCatalog[type].targets],
          scope: actionCatalog[type].scope,
          undoType: undoOf[type] ?? null,
        })),
      }),
    }),
    defineRoute({
      method: 'GET',
      url: '/api/v1/actions',
      operationId: 'listActions',
      summary: 'The action center: actions newest first, with filters and cursor pagination',
      tag: 'actions',
      role: 'viewer',
      query: filterQuery.extend({
        limit: z.coerce.number().int().min(1).max(500).default(50),
        cursor: z.string().optional(),
      }),
      responses: {
        200: {
          description: 'A page of actions, and how many match.',
          schema: itemsSchema.extend({ nextCursor: z.string().nullable(), total: z.number() }),
        },
        400: { description: 'A bad filter.', schema: errorSchema },
      },
      async handler(context) {
        const { query } = context;
        const filter = filterOf(query);
        const [page, total] = await Promise.all([
          store.actions.list(filter, {
            limit: query.limit,
            ...(query.cursor ? { cursor: query.cursor } : {}),
          }),
          store.actions.count(filter),
        ]);
        return { items: page.items.map(viewFor(context)), nextCursor: page.nextCursor, total };
      },
    }),
    defineRoute({
      method: 'GET',
      url: '/api/v1/actions/export',
      operationId: 'exportActions',
      summary: 'Every action matching the filters as CSV',
      tag: 'actions',
      role: 'viewer',
      query: filterQuery,
      responses: { 200: { description: 'text/csv, one row per action.' } },
      async handler({ query, reply }) {
        const filter = filterOf(query);
        const all: ActionRecord[] = [];
        let cursor: string | undefined;
        do {
          const page = await store.actions.list(filter, { limit: 500, ...(cursor ? { cursor } : {}) });
          all.push(...page.items);
          cursor = page.nextCursor ?? undefined;
        } while (cursor && all.length < 100_000);
        void reply
          .header('content-type', 'text/csv; charset=utf-8')
          .header('content-disposition', 'attachment; filename="autoir-actions.csv"');
        return actionsCsv(all);
      },
    }),
    defineRoute({
      method: 'GET',
      url: '/api/v1/actions/:id',
      operationId: 'getAction',
      summary: 'One action with its history: every status change, who or what made it, and why',
      tag: 'actions',
      role: 'viewer',
      params: z.object({ id: z.string() }),
      responses: {
        200: { description: 'The action.', schema: actionSchema.extend({ history: historySchema }) },
        404: { description: 'No such action.', schema: errorSchema },
      },
      async handler(context) {
        const { params } = context;
        const action = await store.actions.get(params.id);
        if (!action) throw new AutoirError('AUTOIR_E_NOT_FOUND', `no action ${params.id}`);
        return { ...viewFor(context)(action), history: await store.actions.history(params.id) };
      },
    }),
    defineRoute({
      method: 'POST',
      url: '/api/v1/actions',
      operationId: 'requestAction',
      summary: 'Request an action (queued at once: the request is the decision)',
      description: 'The same type and target already in flight → 409 with that action in `action`.',
      tag: 'actions',
      role: 'responder',
      audited: true,
      body: z
        .object({
          type: z.enum(actionTypes),
          targetKey: z.string().min(3).max(2000),
          deviceKey: z.string().max(500).nullable().optional(),
          parameters: z.record(z.string(), z.unknown()).optional(),
          comment: z.string().max(2000).optional(),
          override: z
            .object({ reason: z.string().trim().min(3).max(2000) })
            .strict()
            .optional()
            .describe(
              'Request it even though a critical-asset guardrail forbids it (killing a process the OS needs, quarantining an OS binary…), for this reason; recorded in the audit log as `action.override`.',
            ),
        })
        .strict(),
      responses: {
        201: { description: 'The action.', schema: actionSchema },
        400: { description: 'A bad type or target.', schema: errorSchema },
        422: {
          description:
            'A critical-asset guardrail forbids it: `details.rule` says why, `details.instead` what to do; nothing was stored.',
          schema: errorSchema,
        },
        409: {
          description: 'The same action is already in flight.',
          schema: errorSchema.extend({ action: actionSchema }),
        },
      },
      async handler(context) {
        try {
          const action = await requestAction(store, context.body, actor(context), new Date());
          void context.reply.code(201);
          return viewFor(context)(action);
        } catch (error) {
          const existing = isAutoirError(error)
            ? (error.details as { action?: ActionRecord } | undefined)?.action
            : undefined;
          if (!existing) throw error;
          void context.reply.code(409);
          return {
            error: { code: 'AUTOIR_E_CONFLICT', message: (error as Error).message },
            action: viewFor(context)(existing),
          };
        }
      },
    }),
    bulk(
      'approve',
      'Approve pending actions of one type, with a comment (they are queued at once)',
      (ids, by, comment) => decideActions(store, ids, 'approve', by, comment, new Date()),
    ),
    bulk('reject', 'Reject pending actions of one type, with a comment', (ids, by, comment) =>
      decideActions(store, ids, 'reject', by, comment, new Date()),
    ),
    bulk('undo', 'Undo succeeded actions: each gets its inverse action, queued at once', (ids, by, comment) =>
      undoActions(store, ids, by, comment, new Date()),
    ),
    bulk('cancel', 'Cancel actions not yet in a final state', (ids, by, comment) =>
      cancelActions(store, ids, by, comment, new Date()),
    ),
    defineRoute({
      method: 'POST',
      url: '/api/v1/actions/:id/result',
      operationId: 'postActionResult',
      summary: "A connector's asynchronous result for an action it accepted (202)",
      tag: 'actions',
      role: 'responder',
      audited: true,
      params: z.object({ id: z.string() }),
      body: z
        .object({
          status: z.enum(['succeeded', 'failed']),
          message: z.string().max(10_000).optional(),
          details: z.record(z.string(), z.unknown()).optional(),
        })
        .strict(),
      responses: {
        200: { description: 'The action, finished.', schema: actionSchema },
        404: { description: 'No such action.', schema: errorSchema },
        409: { description: 'The action is not running (its result is already in).', schema: errorSchema },
      },
      handler: async (context) =>
        viewFor(context)(
          await store.actions.recordCallback(context.params.id, context.body, actor(context), new Date()),
        ),
    }),
  ];
}
