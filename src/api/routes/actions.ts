/**
 * The action center over HTTP (list, one with its history, approve, reject, undo, cancel, export, request, the
 * connector's asynchronous result) and the response policy (policy, groups, tags, connectors), the audit log and
 * tokens. Reading is for viewers; deciding on actions for responders; configuration for admins.
 */
import { z } from 'zod';
import { parseConnectorConfig, redactConnector, type ConnectorConfig } from '../../connectors/config.js';
import { actionStatuses, actionTypes } from '../../domain/action.js';
import { roles } from '../../domain/access.js';
import { AutoirError, isAutoirError } from '../../domain/errors.js';
import { automationLevels, type GroupKind } from '../../domain/policy.js';
import {
  actionsCsv,
  actionView,
  cancelActions,
  decideActions,
  requestAction,
  undoActions,
} from '../../respond/action-center.js';
import { loadPolicyDocument, parsePolicy, redactPolicy, resolvePolicy } from '../../respond/policy-config.js';
import type { ActionFilter } from '../../store/action-store.js';
import type { Store } from '../../store/ports.js';
import { actorOf, generateToken, hashToken } from '../auth.js';
import { commaList, defineRoute, errorSchema, type RouteContext, type RouteSpec } from '../route.js';
import type { ActionRecord } from '../../domain/action.js';

const dateTime = z
  .string()
  .refine((value) => Number.isFinite(Date.parse(value)), 'must be an ISO 8601 date-time');

const actionSchema = z
  .object({
    id: z.string(),
    type: z.enum(actionTypes),
    title: z.string(),
    targetKey: z.string(),
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
  })
  .describe('An action (DESIGN.md §5 shape, and what the action center shows besides).');

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

const groupSchema = z.object({
  kind: z.enum(['device', 'mailbox', 'user']),
  name: z.string(),
  rank: z.number(),
  rules: z.array(z.record(z.string(), z.string())),
  level: z.enum(automationLevels),
  automateSuspicious: z.boolean(),
  isDefault: z.boolean(),
  description: z.string().nullable(),
  createdAt: z.string(),
  updatedAt: z.string(),
});

const ruleSchema = z
  .object({
    name: z.string().min(1).max(200).optional(),
    domain: z.string().min(1).max(200).optional(),
    tag: z.string().min(1).max(100).optional(),
    os: z.string().min(1).max(100).optional(),
  })
  .strict()
  .refine((rule) => Object.keys(rule).length > 0, 'a rule needs at least one of name, domain, tag, os');

function groupRoutes(store: Store, kind: GroupKind): RouteSpec[] {
  const base = `/api/v1/${kind}-groups`;
  const Kind = `${kind[0]?.toUpperCase()}${kind.slice(1)}`;
  return [
    defineRoute({
      method: 'GET',
      url: base,
      operationId: `list${Kind}Groups`,
      summary: `${Kind} groups by rank (the default group last) with their automation levels`,
      tag: 'policy',
      role: 'viewer',
      responses: { 200: { description: 'The groups.', schema: z.array(groupSchema) } },
      handler: () => store.policy.listGroups(kind),
    }),
    defineRoute({
      method: 'PUT',
      url: `${base}/:name`,
      operationId: `put${Kind}Group`,
      summary: `Create or change a ${kind} group (rules, rank, automation level)`,
      tag: 'policy',
      role: 'admin',
      audited: true,
      params: z.object({ name: z.string().min(1).max(100) }),
      body: z
        .object({
          rules: z.array(ruleSchema).max(100).optional(),
          rank: z.number().int().optional(),
          level: z.enum(automationLevels).optional(),
          automateSuspicious: z.boolean().optional(),
          description: z.string().max(1000).nullable().optional(),
        })
        .strict(),
      responses: {
        200: { description: 'The group.', schema: groupSchema },
        400: { description: 'A bad field.', schema: errorSchema },
      },
      handler: (context) =>
        store.policy.putGroup(
          { kind, name: context.params.name, ...context.body },
          actor(context),
          new Date(),
        ),
    }),
    defineRoute({
      method: 'DELETE',
      url: `${base}/:name`,
      operationId: `delete${Kind}Group`,
      summary: `Delete a ${kind} group (not the default one)`,
      tag: 'policy',
      role: 'admin',
      audited: true,
      params: z.object({ name: z.string() }),
      responses: {
        200: { description: 'Deleted.', schema: z.object({ deleted: z.literal(true) }) },
        404: { description: 'No such group.', schema: errorSchema },
        409: { description: 'The default group.', schema: errorSchema },
      },
      async handler(context) {
        if (!(await store.policy.deleteGroup(kind, context.params.name, actor(context), new Date())))
          throw new AutoirError('AUTOIR_E_NOT_FOUND', `no ${kind} group ${context.params.name}`);
        return { deleted: true as const };
      },
    }),
  ];
}

function storedConnectors(store: Store): Promise<ConnectorConfig[]> {
  return store.policy
    .listConnectors()
    .then((rows) => rows.map((row) => parseConnectorConfig(row.config, `stored connector ${row.name}`)));
}

export function actionRoutes(store: Store): RouteSpec[] {
  const view = (actions: readonly ActionRecord[]) => ({ items: actions.map(actionView) });
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
        view(await run(context.body.ids, actor(context), context.body.comment ?? null)),
    });

  return [
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
      async handler({ query }) {
        const filter = filterOf(query);
        const [page, total] = await Promise.all([
          store.actions.list(filter, {
            limit: query.limit,
            ...(query.cursor ? { cursor: query.cursor } : {}),
          }),
          store.actions.count(filter),
        ]);
        return { items: page.items.map(actionView), nextCursor: page.nextCursor, total };
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
      async handler({ params }) {
        const action = await store.actions.get(params.id);
        if (!action) throw new AutoirError('AUTOIR_E_NOT_FOUND', `no action ${params.id}`);
        return { ...actionView(action), history: await store.actions.history(params.id) };
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
        })
        .strict(),
      responses: {
        201: { description: 'The action.', schema: actionSchema },
        400: { description: 'A bad type or target.', schema: errorSchema },
        409: {
          description: 'The same action is already in flight.',
          schema: errorSchema.extend({ action: actionSchema }),
        },
      },
      async handler(context) {
        try {
          const action = await requestAction(store, context.body, actor(context), new Date());
          void context.reply.code(201);
          return actionView(action);
        } catch (error) {
          const existing = isAutoirError(error)
            ? (error.details as { action?: ActionRecord } | undefined)?.action
            : undefined;
          if (!existing) throw error;
          void context.reply.code(409);
          return {
            error: { code: 'AUTOIR_E_CONFLICT', message: (error as Error).message },
            action: actionView(existing),
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
        actionView(
          await store.actions.recordCallback(context.params.id, context.body, actor(context), new Date()),
        ),
    }),

    // policy ------------------------------------------------------------------------------------------------
    defineRoute({
      method: 'GET',
      url: '/api/v1/policy',
      operationId: 'getPolicy',
      summary: 'The response policy: what is stored, and what is in force (stored over defaults)',
      tag: 'policy',
      role: 'viewer',
      responses: { 200: { description: 'The policy (secrets shown as ***).' } },
      async handler() {
        const document = await loadPolicyDocument(store);
        const effective = resolvePolicy(document);
        const webhook = effective.notifications.webhook;
        return {
          stored: redactPolicy(document),
          effective: {
            ...effective,
            notifications: {
              ...effective.notifications,
              webhook: webhook ? { url: webhook.url, secret: '***' } : null,
            },
          },
        };
      },
    }),
    defineRoute({
      method: 'PUT',
      url: '/api/v1/policy',
      operationId: 'putPolicy',
      summary: 'Replace the stored policy document (fields left out take their defaults)',
      tag: 'policy',
      role: 'admin',
      audited: true,
      body: z.record(z.string(), z.unknown()),
      responses: {
        200: { description: 'The stored policy (secrets shown as ***).' },
        400: { description: 'A bad field (named).', schema: errorSchema },
      },
      async handler(context) {
        const document = parsePolicy(context.body);
        await store.policy.setSetting('policy', document, actor(context), new Date(), redactPolicy);
        return redactPolicy(document);
      },
    }),
    ...groupRoutes(store, 'device'),
    ...groupRoutes(store, 'mailbox'),
    ...groupRoutes(store, 'user'),
    defineRoute({
      method: 'GET',
      url: '/api/v1/tags',
      operationId: 'listTags',
      summary: 'Tags on assets (used by group rules and protected tags)',
      tag: 'policy',
      role: 'viewer',
      query: z.object({ entity: z.string().optional() }),
      responses: { 200: { description: 'The tags.' } },
      handler: ({ query }) => store.policy.listTags(query.entity),
    }),
    defineRoute({
      method: 'POST',
      url: '/api/v1/tags',
      operationId: 'addTag',
      summary: 'Tag an asset',
      tag: 'policy',
      role: 'admin',
      audited: true,
      body: z.object({ entityKey: z.string().min(3).max(2000), tag: z.string().min(1).max(100) }).strict(),
      responses: {
        200: { description: 'Tagged.' },
        400: { description: 'A bad field.', schema: errorSchema },
      },
      async handler(context) {
        await store.policy.addTag(context.body.entityKey, context.body.tag, actor(context), new Date());
        return { entityKey: context.body.entityKey, tag: context.body.tag };
      },
    }),
    defineRoute({
      method: 'DELETE',
      url: '/api/v1/tags',
      operationId: 'removeTag',
      summary: 'Remove a tag from an asset',
      tag: 'policy',
      role: 'admin',
      audited: true,
      query: z.object({ entity: z.string(), tag: z.string() }),
      responses: {
        200: { description: 'Removed.' },
        404: { description: 'No such tag.', schema: errorSchema },
      },
      async handler(context) {
        if (
          !(await store.policy.removeTag(context.query.entity, context.query.tag, actor(context), new Date()))
        )
          throw new AutoirError(
            'AUTOIR_E_NOT_FOUND',
            `${context.query.entity} has no tag ${context.query.tag}`,
          );
        return { deleted: true };
      },
    }),

    // connectors --------------------------------------------------------------------------------------------
    defineRoute({
      method: 'GET',
      url: '/api/v1/connectors',
      operationId: 'listConnectors',
      summary: 'Stored connectors (secrets shown as ***)',
      tag: 'connectors',
      role: 'admin',
      responses: { 200: { description: 'The connectors.' } },
      handler: async () => (await storedConnectors(store)).map(redactConnector),
    }),
    defineRoute({
      method: 'PUT',
      url: '/api/v1/connectors/:name',
      operationId: 'putConnector',
      summary: 'Create or replace a stored connector (docs/connectors.md)',
      tag: 'connectors',
      role: 'admin',
      audited: true,
      params: z.object({ name: z.string() }),
      body: z.record(z.string(), z.unknown()),
      responses: {
        200: { description: 'The connector (secrets shown as ***).' },
        400: { description: 'A bad setting (named).', schema: errorSchema },
      },
      async handler(context) {
        const config = parseConnectorConfig({ ...context.body, name: context.params.name }, 'body');
        await store.policy.putConnector(
          config.name,
          config as unknown as Record<string, unknown>,
          actor(context),
          new Date(),
          (c) => redactConnector(c as unknown as ConnectorConfig),
        );
        return redactConnector(config);
      },
    }),
    defineRoute({
      method: 'DELETE',
      url: '/api/v1/connectors/:name',
      operationId: 'deleteConnector',
      summary: 'Delete a stored connector',
      tag: 'connectors',
      role: 'admin',
      audited: true,
      params: z.object({ name: z.string() }),
      responses: {
        200: { description: 'Deleted.' },
        404: { description: 'No such connector.', schema: errorSchema },
      },
      async handler(context) {
        if (!(await store.policy.deleteConnector(context.params.name, actor(context), new Date())))
          throw new AutoirError('AUTOIR_E_NOT_FOUND', `no stored connector ${context.params.name}`);
        return { deleted: true };
      },
    }),

    // audit and tokens --------------------------------------------------------------------------------------
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
    defineRoute({
      method: 'GET',
      url: '/api/v1/tokens',
      operationId: 'listTokens',
      summary: 'API tokens (never their values)',
      tag: 'tokens',
      role: 'admin',
      responses: { 200: { description: 'The tokens.' } },
      handler: () => store.tokens.listTokens(),
    }),
    defineRoute({
      method: 'POST',
      url: '/api/v1/tokens',
      operationId: 'createToken',
      summary: 'Create an API token: its value is in this response only',
      tag: 'tokens',
      role: 'admin',
      audited: true,
      body: z.object({ name: z.string().min(1).max(100), role: z.enum(roles) }).strict(),
      responses: {
        201: { description: 'The token and its value.' },
        409: { description: 'The name is taken.', schema: errorSchema },
      },
      async handler(context) {
        const value = generateToken();
        const token = await store.transaction(async (inner) => {
          const created = await inner.tokens.createToken(
            { name: context.body.name, role: context.body.role, tokenHash: hashToken(value) },
            new Date(),
          );
          await inner.audit.record(
            {
              actor: actor(context),
              operation: 'token.create',
              target: `token:${created.name}`,
              after: created,
            },
            new Date(),
          );
          return created;
        });
        void context.reply.code(201);
        return { ...token, token: value };
      },
    }),
    defineRoute({
      method: 'DELETE',
      url: '/api/v1/tokens/:id',
      operationId: 'revokeToken',
      summary: 'Revoke a token (by id or name)',
      tag: 'tokens',
      role: 'admin',
      audited: true,
      params: z.object({ id: z.string() }),
      responses: {
        200: { description: 'The revoked token.' },
        404: { description: 'No such token.', schema: errorSchema },
      },
      async handler(context) {
        const token = await store.tokens.revokeToken(context.params.id, new Date());
        if (!token) throw new AutoirError('AUTOIR_E_TOKEN_NOT_FOUND', `no active token ${context.params.id}`);
        await store.audit.record(
          {
            actor: actor(context),
            operation: 'token.revoke',
            target: `token:${token.name}`,
            before: { revokedAt: null },
            after: token,
          },
          new Date(),
        );
        return token;
      },
    }),
  ];
}
