/**
 * Asset groups over HTTP, one collection per kind (`/device-groups`, `/mailbox-groups`, `/user-groups`): ranked
 * membership rules and the automation level they give. Reading is for viewers; changing for admins.
 */
import { z } from 'zod';
import { AutoirError } from '../../domain/errors.js';
import { automationLevels, type GroupKind } from '../../domain/policy.js';
import { actionTypes } from '../../domain/action.js';
import type { Store } from '../../store/ports.js';
import { actorOf } from '../auth.js';
import { defineRoute, errorSchema, type RouteContext, type RouteSpec } from '../route.js';

/** `token:<name>` or `user:<name>`: who changed it, as the audit log names them. */
const actor = (context: Pick<RouteContext<unknown, unknown, unknown>, 'principal'>) =>
  actorOf(context.principal);

const groupSchema = z.object({
  kind: z.enum(['device', 'mailbox', 'user']),
  name: z.string(),
  rank: z.number(),
  rules: z.array(z.record(z.string(), z.string())),
  level: z.enum(automationLevels),
  automateSuspicious: z.boolean(),
  shadow: z
    .object({ level: z.enum(automationLevels), actionTypes: z.array(z.string()).optional() })
    .nullable()
    .optional(),
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

function groupsOf(store: Store, kind: GroupKind): RouteSpec[] {
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
          shadow: z
            .object({
              level: z.enum(automationLevels),
              actionTypes: z.array(z.enum(actionTypes)).max(50).optional(),
            })
            .strict()
            .nullable()
            .optional()
            .describe(
              'Shadow automation: decide as if `level` were on, run nothing by itself, record what it would have done; null ends it.',
            ),
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

export function groupRoutes(store: Store): RouteSpec[] {
  return [...groupsOf(store, 'device'), ...groupsOf(store, 'mailbox'), ...groupsOf(store, 'user')];
}
