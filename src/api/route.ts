/**
 * One table of routes serves both the HTTP server and the OpenAPI document: each route declares its method,
 * path, role, and zod schemas for query, params, body and responses.
 */
import type { FastifyReply, FastifyRequest } from 'fastify';
import { z } from 'zod';
import type { Role } from '../domain/access.js';
import type { Principal } from './auth.js';

export interface RouteContext<Q, P, B> {
  readonly query: Q;
  readonly params: P;
  readonly body: B;
  /** The caller (a token, or a signed-in user); `undefined` only on routes without a role. */
  readonly principal: Principal | undefined;
  readonly request: FastifyRequest;
  readonly reply: FastifyReply;
}

export interface RouteSpec<
  Q extends z.ZodType = z.ZodType,
  P extends z.ZodType = z.ZodType,
  B extends z.ZodType = z.ZodType,
> {
  readonly method: 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';
  /** Fastify-style path under the server root, e.g. `/api/v1/alerts/:id`. */
  readonly url: string;
  readonly operationId: string;
  readonly summary: string;
  readonly description?: string;
  readonly tag: string;
  /** The least role allowed; `null` for routes that need no token or session. */
  readonly role: Role | null;
  /**
   * The handler writes its own audit entries (with before and after, in the write's transaction). Otherwise every
   * successful write is audited by the server: actor, operation, target path and the body (secrets redacted).
   */
  readonly audited?: boolean;
  readonly query?: Q;
  readonly params?: P;
  /** A JSON body validated by the schema, or `raw` for routes that parse the text themselves. */
  readonly body?:
    B | { readonly raw: true; readonly contentTypes: readonly string[]; readonly description: string };
  readonly responses: Readonly<Record<number, { readonly description: string; readonly schema?: z.ZodType }>>;
  readonly handler: (
    context: RouteContext<z.output<Q>, z.output<P>, B extends z.ZodType ? z.output<B> : string>,
  ) => Promise<unknown>;
}

/** Keeps the handler's types tied to the schemas. */
export function defineRoute<
  Q extends z.ZodType = z.ZodUnknown,
  P extends z.ZodType = z.ZodUnknown,
  B extends z.ZodType = z.ZodUnknown,
>(spec: RouteSpec<Q, P, B>): RouteSpec {
  return spec as unknown as RouteSpec;
}

/** Query values arrive as strings or repeated keys; `a,b` and `?x=a&x=b` both become `['a', 'b']`. */
export function commaList<T extends z.ZodType>(item: T) {
  return z.preprocess((value) => {
    if (value === undefined) return undefined;
    const values = Array.isArray(value) ? value : [value];
    return values
      .flatMap((entry) => (typeof entry === 'string' ? entry.split(',') : [entry]))
      .map((entry) => (typeof entry === 'string' ? entry.trim() : entry))
      .filter((entry) => entry !== '');
  }, z.array(item).optional());
}

export const errorSchema = z
  .object({
    error: z.object({
      code: z.string().describe('A stable code, e.g. AUTOIR_E_BAD_INPUT.'),
      message: z.string(),
      field: z.string().optional().describe('The offending field or parameter, when there is one.'),
    }),
  })
  .describe('Every error response has this shape.');
