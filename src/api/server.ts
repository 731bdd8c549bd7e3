/**
 * The HTTP server: the route table of routes/*.ts, authentication (bearer tokens, or a browser session cookie
 * with CSRF protection) and roles, zod validation, one error mapping, and the OpenAPI document at
 * /api/v1/openapi.json.
 */
import { randomUUID } from 'node:crypto';
import rateLimit from '@fastify/rate-limit';
import Fastify, {
  LogController,
  type FastifyBaseLogger,
  type FastifyInstance,
  type FastifyReply,
  type FastifyRequest,
} from 'fastify';
import type { z } from 'zod';
import { hasRole, type Role, DEFAULT_SESSION_IDLE_MS, type SessionOptions } from '../domain/access.js';
import { AutoirError, isAutoirError, type ErrorCode } from '../domain/errors.js';
import { formatPath } from '../ingest/format.js';
import type { Store } from '../store/ports.js';
import { DEFAULT_BODY_LIMIT } from '../app/config.js';
import { isStoreUnavailable } from '../store/errors.js';
import {
  actorOf,
  bearerToken,
  CSRF_HEADER,
  csrfMatches,
  hashSessionId,
  parsePrincipalId,
  sessionCookie,
  sessionCookieHeader,
  type Principal,
} from './auth.js';
import { buildOpenApi } from './openapi.js';
import type { RouteSpec } from './route.js';
import { alertRoutes } from './routes/alerts.js';
import { eventRoutes } from './routes/events.js';
import { ruleRoutes } from './routes/rules.js';
import { healthRoutes } from './routes/health.js';
import { createMetrics } from '../app/metrics.js';
import { incidentRoutes } from './routes/incidents.js';
import { investigationRoutes } from './routes/investigations.js';
import { actionRoutes } from './routes/actions.js';
import { auditRoutes } from './routes/audit.js';
import { ingestRoutes } from './routes/ingest.js';
import type { Detection } from '../ingest/ports.js';
import type { InputDefinition } from '../ingest/inputs.js';
import type { HttpIngestCounters } from '../ingest/http-input.js';
import { connectorRoutes } from './routes/connectors.js';
import { policyRoutes } from './routes/policy.js';
import { groupRoutes } from './routes/groups.js';
import { indicatorRoutes } from './routes/indicators.js';
import { dashboardRoutes } from './routes/dashboard.js';
import { tagRoutes } from './routes/tags.js';
import { tokenRoutes } from './routes/tokens.js';
import { agentRoutes } from './routes/agents.js';
import { feedRoutes } from './routes/feeds.js';
import { isSecureRequest, sessionRoutes } from './routes/session.js';
import { userRoutes } from './routes/users.js';
import { streamRoutes } from './routes/stream.js';
import { defaultWebRoot, registerStatic } from './static.js';
import { loadPlaybooks, type PlaybookSet } from '../investigate/playbooks.js';
import type { CorrelationOptions } from '../correlate/correlate.js';
import { hashToken } from '../app/tokens.js';
import { publicOnly, type OutboundPolicy } from '../connectors/outbound.js';
import type { SecretBox } from '../connectors/secrets.js';
import type { OidcSignIn } from './oidc.js';

export interface ServerOptions {
  readonly store: Store;
  readonly version: string;
  /** Largest request body in bytes (default 10 MiB); larger → 413. */
  readonly bodyLimit?: number;
  /**
   * The process's log (app/log.ts: pino, with the request id in each line; no credentials): server errors and
   * refused sign-ins always, each request too with `requests` (`AUTOIR_LOG_REQUESTS=1`). Without it (tests),
   * nothing is logged.
   */
  readonly log?: { readonly requests: boolean; readonly logger: FastifyBaseLogger };
  /** How posted alerts are correlated into incidents (defaults: docs/correlation.md). */
  readonly correlation?: CorrelationOptions;
  /** Detection run on telemetry sent over HTTP (`/api/v1/events`, `/es/_bulk`, HEC); none when absent. */
  readonly detection?: Detection;
  /** Ingest requests waiting or being stored before others are asked to come back (default 32). */
  readonly ingestQueue?: number;
  /** The inputs configured in this process (`AUTOIR_INPUTS`), for `GET /api/v1/inputs`. */
  readonly inputs?: readonly InputDefinition[];
  /** Prometheus metrics, served at `/metrics` to a viewer token (app/metrics.ts). */
  readonly metrics?: { text(): Promise<string>; readonly contentType: string };
  /** Told when alerts arrive through the API (`alerts` events): a worker in this process looks at once. */
  readonly arrivals?: EventTarget;
  /** Counts what the HTTP ingest endpoints store (serve reports them as an input). */
  readonly ingestCounters?: HttpIngestCounters;
  /** The built web UI to serve at `/` (default dist/web); `null` for the API alone. */
  readonly webRoot?: string | null;
  /** Playbooks for investigations started over the API (default: the shipped ones, loaded on first use). */
  readonly playbooks?: PlaybookSet;
  /**
   * Browser sessions: idle timeout (default 12 h, `AUTOIR_SESSION_IDLE`) and whether the cookie is always
   * `Secure` (`AUTOIR_COOKIE_SECURE=1`; it is anyway when the request came over https).
   */
  readonly sessions?: Partial<SessionOptions>;
  /** Where URLs configured through the API may point (default: public addresses only; `AUTOIR_OUTBOUND_ALLOW`). */
  readonly outbound?: OutboundPolicy;
  /** Seals secrets given in the clear before they are stored; without it only references are taken. */
  readonly secrets?: SecretBox;
  /** Single sign-on for the web UI (OpenID Connect), when configured. */
  readonly oidc?: OidcSignIn;
  /** Serve HTTPS with this certificate and key (PEM). */
  readonly tls?: { readonly cert: Buffer; readonly key: Buffer };
  /** Requests a minute per client address, and sign-ins a minute per address and overall. */
  readonly rateLimits?: Partial<RateLimits>;
}

export interface RateLimits {
  readonly perAddress: number;
  readonly signInPerAddress: number;
  readonly signInOverall: number;
  /** Requests a minute per address to the ingest routes (shippers send many): their own, higher limit. */
  readonly ingestPerAddress: number;
}

/**
 * 1,200 requests a minute per address; 10 sign-ins a minute per address, 120 overall; 60,000 a minute per address
 * to the ingest routes.
 */
export const DEFAULT_RATE_LIMITS: RateLimits = {
  perAddress: 1200,
  signInPerAddress: 10,
  signInOverall: 120,
  ingestPerAddress: 60_000,
};

export function createServer(options: ServerOptions): FastifyInstance {
  const bodyLimit = options.bodyLimit ?? DEFAULT_BODY_LIMIT;
  const sessions: SessionOptions = {
    idleMs: options.sessions?.idleMs ?? DEFAULT_SESSION_IDLE_MS,
    cookieSecure: options.sessions?.cookieSecure ?? false,
  };
  let playbooks: PlaybookSet | undefined;
  const host = {
    outbound: options.outbound ?? publicOnly,
    ...(options.secrets ? { secrets: options.secrets } : {}),
  };
  const app = Fastify({
    bodyLimit,
    ...(options.tls ? { https: { cert: options.tls.cert, key: options.tls.key } } : {}),
    // The process's one log (its level, format and redaction of credentials: app/log.ts).
    ...(options.log ? { loggerInstance: options.log.logger } : { logger: false }),
    logController: new LogController({ disableRequestLogging: !options.log?.requests }),
    // A fresh id per request, returned as `x-request-id` and in server errors, to find its log lines.
    genReqId: () => randomUUID(),
  });
  app.addHook('onRequest', async (request, reply) => {
    void reply.header('x-request-id', request.id);
  });
  const routes = [
    ...healthRoutes(
      options.store,
      options.version,
      options.metrics ?? createMetrics(options.store, { role: 'server', version: options.version }),
    ),
    ...alertRoutes(options.store, options.correlation, options.arrivals),
    ...ingestRoutes(options.store, {
      ...(options.correlation ? { correlation: options.correlation } : {}),
      ...(options.detection ? { detection: options.detection } : {}),
      ...(options.ingestQueue ? { maxQueued: options.ingestQueue } : {}),
      ...(options.inputs ? { inputs: options.inputs } : {}),
      ...(options.ingestCounters ? { counters: options.ingestCounters } : {}),
      ...(options.arrivals ? { arrivals: options.arrivals } : {}),
    }),
    ...eventRoutes(options.store),
    ...ruleRoutes(options.store, options.detection),
    ...incidentRoutes(options.store),
    ...investigationRoutes(options.store, () => (playbooks ??= options.playbooks ?? loadPlaybooks())),
    ...indicatorRoutes(options.store),
    ...actionRoutes(options.store),
    ...policyRoutes(options.store, host),
    ...groupRoutes(options.store),
    ...tagRoutes(options.store),
    ...connectorRoutes(options.store, host),
    ...auditRoutes(options.store),
    ...tokenRoutes(options.store),
    ...agentRoutes(options.store),
    ...feedRoutes(options.store),
    ...sessionRoutes(options.store, sessions, options.oidc),
    ...userRoutes(options.store),
    ...dashboardRoutes(options.store),
    ...streamRoutes(options.store),
  ];
  const openapi = buildOpenApi(routes, options.version);

  // Every body arrives as text: routes with a schema parse JSON through one path (so its errors look the same),
  // and ingest routes read NDJSON themselves.
  app.removeAllContentTypeParsers();
  app.addContentTypeParser('*', { parseAs: 'string', bodyLimit }, (_request, body, done) => done(null, body));

  app.setErrorHandler((error: Error & { code?: string; statusCode?: number }, request, reply) => {
    const mapped = toApiError(error, bodyLimit);
    if (mapped.status >= 500) {
      request.log.error(
        { err: error, url: request.url.split('?')[0], method: request.method },
        'request failed',
      );
      void reply.code(mapped.status).send({ error: { ...mapped.body, requestId: request.id } });
      return;
    }
    void reply.code(mapped.status).send({ error: mapped.body });
  });
  app.setNotFoundHandler((request, reply) => {
    void reply.code(404).send({
      error: {
        code: 'AUTOIR_E_NOT_FOUND',
        message: `no route ${request.method} ${request.url.split('?')[0]}`,
      },
    });
  });

  // Requests per client address (and sign-ins per address and overall) are limited before anything else runs:
  // a flood is answered 429 without a database lookup or a password hash.
  const limits = { ...DEFAULT_RATE_LIMITS, ...options.rateLimits };
  void app.register(rateLimit, {
    global: true,
    max: limits.perAddress,
    timeWindow: 60_000,
    cache: 10_000,
    errorResponseBuilder: (_request, context) =>
      new AutoirError(
        'AUTOIR_E_TOO_MANY_ATTEMPTS',
        `too many requests: at most ${context.max} a minute; try again in ${context.after}`,
      ),
  });
  void app.register(async (scope) => {
    // One count for all sign-ins, whoever sends them (the per-address limit is the route's own).
    const signInsOverall = scope.createRateLimit({
      max: limits.signInOverall,
      timeWindow: 60_000,
      keyGenerator: () => 'sign-in',
    });
    scope.get('/api/v1/openapi.json', async () => openapi);
    // The web UI, when it was built (npm run build); the API works without it.
    if (options.webRoot !== null) registerStatic(scope, options.webRoot ?? defaultWebRoot());
    // Who is calling, per request: set by the route's onRequest hook, before any body is read.
    const principals = new WeakMap<FastifyRequest, Principal>();
    for (const route of routes) {
      const role = route.role;
      const signIn = route.method === 'POST' && route.url === '/api/v1/session';
      scope.route({
        method: route.method,
        url: route.url,
        ...(role === 'ingest'
          ? { config: { rateLimit: { max: limits.ingestPerAddress, timeWindow: 60_000 } } }
          : {}),
        // Sign-in: fewer attempts per address, and a cap on all of them together (each costs a password hash).
        ...(signIn
          ? {
              config: { rateLimit: { max: limits.signInPerAddress, timeWindow: 60_000 } },
              preHandler: async (request: FastifyRequest, reply: FastifyReply) => {
                const overall = await signInsOverall(request);
                if (overall.isAllowed || !overall.isExceeded) return;
                void reply.header('retry-after', String(overall.ttlInSeconds));
                throw new AutoirError(
                  'AUTOIR_E_TOO_MANY_ATTEMPTS',
                  `too many sign-ins on this server: at most ${overall.max} a minute; try again in ${overall.ttlInSeconds} s`,
                );
              },
            }
          : {}),
        ...(role
          ? {
              onRequest: async (request: FastifyRequest, reply: FastifyReply) => {
                principals.set(request, await authenticate(role, request, reply, options.store, sessions));
              },
            }
          : {}),
        handler: async (request, reply) => {
          const result = await handle(route, request, reply, principals.get(request));
          if (route.method !== 'GET' && route.role && !route.audited && reply.statusCode < 400)
            await auditWrite(options.store, route, request, principals.get(request));
          return result;
        },
      });
    }
  });
  return app;
}

/** Keys whose values never reach the audit log. */
const SECRET_KEYS = /secret|password|token|authorization|env/i;

function redactBody(value: unknown, depth = 0): unknown {
  if (depth > 6 || value === null || typeof value !== 'object') return value;
  if (Array.isArray(value)) return value.slice(0, 100).map((item) => redactBody(item, depth + 1));
  return Object.fromEntries(
    Object.entries(value as Record<string, unknown>).map(([key, item]) => [
      key,
      SECRET_KEYS.test(key) ? '***' : redactBody(item, depth + 1),
    ]),
  );
}

/** The generic audit entry of a write: who, which operation, on what path, with what (raw bodies by size). */
async function auditWrite(
  store: Store,
  route: RouteSpec,
  request: FastifyRequest,
  principal: Principal | undefined,
): Promise<void> {
  const body = request.body;
  let after: unknown = null;
  if (typeof body === 'string' && body.length > 0) {
    if (route.body && 'raw' in route.body) after = { bytes: Buffer.byteLength(body) };
    else {
      try {
        after = redactBody(JSON.parse(body));
      } catch {
        after = { bytes: Buffer.byteLength(body) };
      }
    }
  }
  await store.audit.record(
    {
      actor: actorOf(principal),
      operation: route.operationId,
      target: request.url.split('?')[0] ?? route.url,
      after,
    },
    new Date(),
  );
}

/** Methods that change nothing: a cookie-authenticated request needs no CSRF token for them. */
const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);

/**
 * The caller, if they have `role`; otherwise a 401 or 403. `Authorization: Bearer <token>` when the header is
 * there; otherwise the session cookie, whose writes must carry the session's CSRF token in `x-csrf-token`.
 */
async function authenticate(
  role: Role,
  request: FastifyRequest,
  reply: FastifyReply,
  store: Store,
  sessions: SessionOptions,
): Promise<Principal> {
  const principal =
    request.headers.authorization !== undefined
      ? await tokenPrincipal(request, reply, store)
      : await sessionPrincipal(request, reply, store, sessions);
  if (!hasRole(principal.role, role)) {
    throw new AutoirError(
      'AUTOIR_E_FORBIDDEN',
      `this route needs the ${role} role; ${principal.kind} ${principal.name} has ${principal.role}`,
    );
  }
  return principal;
}

async function tokenPrincipal(
  request: FastifyRequest,
  reply: FastifyReply,
  store: Store,
): Promise<Principal> {
  const token = bearerToken(request.headers.authorization);
  const found = token ? await store.tokens.useToken(hashToken(token), new Date()) : undefined;
  if (!found) {
    void reply.header('www-authenticate', 'Bearer realm="autoir"');
    throw new AutoirError(
      'AUTOIR_E_UNAUTHENTICATED',
      token
        ? 'the bearer token is not valid (unknown or revoked)'
        : 'the Authorization header must be Bearer <token>',
    );
  }
  return { kind: 'token', name: found.name, role: found.role };
}

async function sessionPrincipal(
  request: FastifyRequest,
  reply: FastifyReply,
  store: Store,
  sessions: SessionOptions,
): Promise<Principal> {
  const id = sessionCookie(request.headers.cookie);
  const now = new Date();
  const session = id ? await store.users.getSession(hashSessionId(id), now, sessions.idleMs) : undefined;
  const principal = session ? parsePrincipalId(session.principal) : undefined;
  if (!session || !principal) {
    void reply.header('www-authenticate', 'Bearer realm="autoir"');
    // A cookie that no longer opens anything is cleared, so the browser stops sending it.
    if (id)
      void reply.header(
        'set-cookie',
        sessionCookieHeader('', 0, sessions.cookieSecure || isSecureRequest(request)),
      );
    throw new AutoirError(
      'AUTOIR_E_UNAUTHENTICATED',
      id
        ? 'the session has expired or was signed out; sign in again'
        : 'this route needs Authorization: Bearer <token>, or a session (POST /api/v1/session)',
    );
  }
  // SameSite=Strict already keeps other sites' pages from sending the cookie; the token is the second lock.
  if (!SAFE_METHODS.has(request.method) && !csrfMatches(request.headers[CSRF_HEADER], session.csrfToken))
    throw new AutoirError(
      'AUTOIR_E_CSRF',
      `a write with a session cookie needs the header ${CSRF_HEADER} with the session's CSRF token (GET /api/v1/session)`,
    );
  // Last seen at minute precision: the idle timeout is that precise, and it spares a write per request.
  if (now.getTime() - Date.parse(session.lastSeenAt) > 60_000)
    await store.users.touchSession(session.idHash, now);
  return { ...principal, role: session.role, session };
}

async function handle(
  route: RouteSpec,
  request: FastifyRequest,
  reply: FastifyReply,
  principal: Principal | undefined,
): Promise<unknown> {
  const query = parseWith(route.query, request.query, 'query parameter');
  const params = parseWith(route.params, request.params, 'path parameter');
  let body: unknown = request.body;
  if (route.body && !('raw' in route.body)) {
    let json: unknown;
    try {
      json = typeof body === 'string' ? JSON.parse(body) : body;
    } catch (error) {
      throw new AutoirError('AUTOIR_E_BAD_INPUT', `the body is not valid JSON: ${(error as Error).message}`);
    }
    body = parseWith(route.body as z.ZodType, json, 'body field');
  } else if (route.body && typeof body !== 'string') {
    body = '';
  }
  return route.handler({ query, params, body, principal, request, reply } as never);
}

function parseWith(schema: z.ZodType | undefined, value: unknown, what: string): unknown {
  if (!schema) return value;
  const result = schema.safeParse(value ?? {});
  if (result.success) return result.data;
  const issue = result.error.issues[0];
  const field = issue ? formatPath(issue.path) : '';
  throw new AutoirError('AUTOIR_E_BAD_INPUT', `${what} ${field}: ${issue?.message ?? 'invalid'}`, {
    location: { field },
  });
}

function toApiError(
  error: Error & { code?: string; statusCode?: number },
  bodyLimit: number,
): { status: number; body: { code: ErrorCode; message: string; field?: string } } {
  if (isAutoirError(error) && error.family !== 'unexpected') {
    const field = error.location?.field;
    return {
      status: error.httpStatus,
      body: { code: error.code, message: error.message, ...(field ? { field } : {}) },
    };
  }
  if (isStoreUnavailable(error)) {
    return {
      status: 503,
      body: { code: 'AUTOIR_E_STORE_UNAVAILABLE', message: 'the store is busy or unreachable; try again' },
    };
  }
  if (error.code === 'FST_ERR_CTP_BODY_TOO_LARGE') {
    return {
      status: 413,
      body: {
        code: 'AUTOIR_E_PAYLOAD_TOO_LARGE',
        message: `the body is larger than the limit of ${bodyLimit} bytes`,
      },
    };
  }
  if (error.code === 'FST_ERR_CTP_EMPTY_JSON_BODY' || error.code === 'FST_ERR_CTP_INVALID_CONTENT_LENGTH') {
    return { status: 400, body: { code: 'AUTOIR_E_BAD_INPUT', message: error.message } };
  }
  if (typeof error.statusCode === 'number' && error.statusCode >= 400 && error.statusCode < 500) {
    return { status: error.statusCode, body: { code: 'AUTOIR_E_BAD_INPUT', message: error.message } };
  }
  return {
    status: 500,
    body: { code: 'AUTOIR_E_INTERNAL', message: 'internal error (logged on the server)' },
  };
}
