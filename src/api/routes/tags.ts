/**
 * Asset tags over HTTP: tags on devices, mailboxes and users (group membership rules read them).
 */
import { z } from 'zod';
import { AutoirError } from '../../domain/errors.js';
import type { Store } from '../../store/ports.js';
import { actorOf } from '../auth.js';
import { defineRoute, errorSchema, type RouteContext, type RouteSpec } from '../route.js';

/** `token:<name>` or `user:<name>`: who decided, as the action history and the audit log name them. */
const actor = (context: Pick<RouteContext<unknown, unknown, unknown>, 'principal'>) =>
  actorOf(context.principal);

export function tagRoutes(store: Store): RouteSpec[] {
  return [
    defineRoute({
      method: 'GET',
      url: '/api/v1/tags',
      operationId: 'listTags',
      summary: 'Tags on assets (used by group rules and protected tags)',
      tag: 'policy',
      role: 'viewer',
      query: z.object({ entity: z.string().optional() }),
      responses: {
        200: {
          description: 'The tags, by entity key then tag.',
          schema: z.array(
            z.object({
              entityKey: z.string(),
              tag: z.string(),
              createdAt: z.string(),
              createdBy: z.string(),
            }),
          ),
        },
      },
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
  ];
}
