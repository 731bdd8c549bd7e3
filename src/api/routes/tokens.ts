/**
 * API tokens over HTTP: list, create (the token is shown once), revoke. Admins only.
 */
import { z } from 'zod';
import { durationMs } from '../../domain/duration.js';
import { tokenRoles } from '../../domain/access.js';
import { AutoirError } from '../../domain/errors.js';
import type { Store } from '../../store/ports.js';
import { defineRoute, errorSchema, type RouteSpec } from '../route.js';
import type { RouteContext } from '../route.js';
import { actorOf } from '../auth.js';
import { generateToken, hashToken } from '../../app/tokens.js';

/** `token:<name>` or `user:<name>`: who decided, as the audit log names them. */
const actor = (context: Pick<RouteContext<unknown, unknown, unknown>, 'principal'>) =>
  actorOf(context.principal);

export function tokenRoutes(store: Store): RouteSpec[] {
  return [
    defineRoute({
      method: 'GET',
      url: '/api/v1/tokens',
      operationId: 'listTokens',
      summary: 'API tokens (never their values)',
      tag: 'tokens',
      role: 'admin',
      responses: {
        200: {
          description: 'The tokens (never their secret).',
          schema: z.array(
            z.object({
              id: z.string(),
              name: z.string(),
              role: z.enum(tokenRoles),
              createdAt: z.string(),
              lastUsedAt: z.string().nullable().describe('Last use, to the minute.'),
              revokedAt: z.string().nullable(),
              expiresAt: z.string().nullable().describe('When it stops working; null: until revoked.'),
            }),
          ),
        },
      },
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
      body: z
        .object({
          name: z.string().min(1).max(100),
          role: z.enum(tokenRoles),
          expiresIn: z
            .string()
            .refine((text) => (durationMs(text) ?? 0) >= 60_000, 'a duration of at least 1m, like 30d or 12h')
            .optional()
            .describe('How long it works (`90d`, `12h`); left out, until revoked.'),
        })
        .strict(),
      responses: {
        201: { description: 'The token and its value.' },
        409: { description: 'The name is taken.', schema: errorSchema },
      },
      async handler(context) {
        const value = generateToken();
        const token = await store.transaction(async (inner) => {
          const created = await inner.tokens.createToken(
            {
              name: context.body.name,
              role: context.body.role,
              tokenHash: hashToken(value),
              ...(context.body.expiresIn
                ? { expiresAt: new Date(Date.now() + (durationMs(context.body.expiresIn) as number)) }
                : {}),
            },
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
