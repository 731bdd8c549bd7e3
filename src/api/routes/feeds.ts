/**
 * Blocklist feeds over HTTP (docs/connectors.md#feeds): the plain-text lists and the RPZ zone firewalls and
 * resolvers fetch with a feed token (`Authorization: Bearer`, or `?token=` for devices that take only a URL), and
 * the admin's feed tokens.
 */
import { z } from 'zod';
import { AutoirError } from '../../domain/errors.js';
import { renderList, renderRpz, type FeedKind } from '../../domain/feeds.js';
import { activeBlocks, createFeedToken, feedReader } from '../../respond/feeds.js';
import type { Store } from '../../store/ports.js';
import { actorOf, bearerToken } from '../auth.js';
import { defineRoute, errorSchema, type RouteSpec } from '../route.js';

const tokenSchema = z.object({
  id: z.string(),
  name: z.string(),
  createdBy: z.string(),
  createdAt: z.string(),
  lastUsedAt: z.string().nullable(),
  revokedAt: z.string().nullable(),
});

export function feedRoutes(store: Store): RouteSpec[] {
  const list = (kind: FeedKind | 'rpz') =>
    defineRoute({
      method: 'GET',
      url: kind === 'rpz' ? '/feeds/rpz.zone' : `/feeds/${kind}.txt`,
      operationId: kind === 'rpz' ? 'feedRpz' : `feed${kind[0]?.toUpperCase()}${kind.slice(1)}List`,
      summary:
        kind === 'rpz'
          ? 'The blocked domains and addresses as a DNS response-policy zone (RPZ), for resolvers'
          : `The blocked ${kind === 'ip' ? 'addresses' : kind === 'domain' ? 'domains' : 'URLs'}, one a line (an external dynamic list)`,
      tag: 'feeds',
      role: null,
      query: z.object({ token: z.string().max(200).optional() }),
      responses: {
        200: { description: 'text/plain: the entries in force now.' },
        401: { description: 'No valid feed token.', schema: errorSchema },
      },
      async handler({ query, request, reply }) {
        const now = new Date();
        await feedReader(store.feedTokens, bearerToken(request.headers.authorization) ?? query.token, now);
        const blocks = await activeBlocks(store, now);
        void reply
          .header('content-type', kind === 'rpz' ? 'text/dns; charset=utf-8' : 'text/plain; charset=utf-8')
          .header('cache-control', 'no-store');
        return kind === 'rpz' ? renderRpz(blocks, now) : renderList(blocks, kind);
      },
    });
  return [
    list('ip'),
    list('domain'),
    list('url'),
    list('rpz'),
    defineRoute({
      method: 'GET',
      url: '/api/v1/feeds',
      operationId: 'listFeedEntries',
      summary: 'What the blocklist feeds serve now, with the action behind each entry',
      tag: 'feeds',
      role: 'viewer',
      responses: {
        200: {
          description: 'The entries in force.',
          schema: z.object({
            items: z.array(
              z.object({
                kind: z.enum(['ip', 'domain', 'url']),
                value: z.string(),
                actionId: z.string(),
                since: z.string(),
              }),
            ),
          }),
        },
      },
      handler: async () => ({ items: await activeBlocks(store, new Date()) }),
    }),
    defineRoute({
      method: 'GET',
      url: '/api/v1/feeds/tokens',
      operationId: 'listFeedTokens',
      summary: 'Feed tokens (never their values)',
      tag: 'feeds',
      role: 'admin',
      responses: { 200: { description: 'The tokens.', schema: z.object({ items: z.array(tokenSchema) }) } },
      handler: async () => ({ items: await store.feedTokens.list() }),
    }),
    defineRoute({
      method: 'POST',
      url: '/api/v1/feeds/tokens',
      operationId: 'createFeedToken',
      summary: 'Create a read-only feed token: its value is in this response only',
      tag: 'feeds',
      role: 'admin',
      audited: true,
      body: z
        .object({ name: z.string().min(1).max(100).describe('Who fetches with it: `pa-edge`, `unbound`.') })
        .strict(),
      responses: {
        201: {
          description: 'The token (shown only now) and its record.',
          schema: tokenSchema.extend({ token: z.string() }),
        },
        400: { description: 'A bad name.', schema: errorSchema },
      },
      async handler(context) {
        const { token, record } = await createFeedToken(
          store.feedTokens,
          context.body.name,
          actorOf(context.principal),
          new Date(),
        );
        void context.reply.code(201);
        return { token, ...record };
      },
    }),
    defineRoute({
      method: 'POST',
      url: '/api/v1/feeds/tokens/:id/revoke',
      operationId: 'revokeFeedToken',
      summary: 'Revoke a feed token: the feeds refuse it from now on',
      tag: 'feeds',
      role: 'admin',
      audited: true,
      params: z.object({ id: z.string().max(100) }),
      responses: {
        200: { description: 'The token, revoked.', schema: tokenSchema },
        404: { description: 'No such token.', schema: errorSchema },
      },
      async handler(context) {
        const record = await store.feedTokens.revoke(
          context.params.id,
          actorOf(context.principal),
          new Date(),
        );
        if (!record) throw new AutoirError('AUTOIR_E_NOT_FOUND', `no feed token ${context.params.id}`);
        return record;
      },
    }),
  ];
}
