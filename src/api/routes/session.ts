/**
 * Browser sessions for the web UI: sign in with a user name and password or with an API token, see who is signed
 * in (and the CSRF token, after a reload), sign out. The session lives in an HttpOnly, SameSite=Strict cookie; the
 * store keeps only the sha256 of its id.
 */
import type { FastifyReply, FastifyRequest } from 'fastify';
import { z } from 'zod';
import { isUsername, normalizeUsername, roles } from '../../domain/access.js';
import { AutoirError } from '../../domain/errors.js';
import type { Store } from '../../store/ports.js';
import {
  cookieValue,
  generateSessionSecrets,
  hashSessionId,
  principalId,
  sessionCookie,
  sessionCookieHeader,
  type Principal,
} from '../auth.js';
import { verifyNothing, verifyPassword } from '../passwords.js';
import { UnknownNameFailures } from '../sign-in-failures.js';
import { OIDC_COOKIE, type OidcSignIn } from '../oidc.js';
import { defineRoute, errorSchema, type RouteSpec } from '../route.js';
import type { Session } from '../../domain/access.js';
import { SESSION_MAX_AGE_MS, signInDamping } from '../../domain/access.js';
import type { SessionOptions } from '../../domain/access.js';
import { hashToken } from '../../app/tokens.js';

const WRONG_CREDENTIALS = 'wrong username or password';

/**
 * True when the request came over https: directly, or through a proxy that says so (`X-Forwarded-Proto`). Marking
 * a cookie `Secure` when it need not be costs nothing, so the header is believed here.
 */
export function isSecureRequest(request: FastifyRequest): boolean {
  const forwarded = request.headers['x-forwarded-proto'];
  const first = (Array.isArray(forwarded) ? forwarded[0] : forwarded)?.split(',')[0]?.trim().toLowerCase();
  return request.protocol === 'https' || first === 'https';
}

const sessionSchema = z
  .object({
    principal: z.string().describe('`user:<name>` or `token:<name>`: the actor of what this session writes.'),
    kind: z.enum(['user', 'token']),
    name: z.string(),
    role: z.enum(roles),
    csrfToken: z
      .string()
      .nullable()
      .describe('Send it as `x-csrf-token` with every write; `null` for a bearer-token caller.'),
    expiresAt: z
      .string()
      .nullable()
      .describe('When the session ends at the latest (it ends sooner after the idle timeout).'),
  })
  .describe('Who is signed in.');

function sessionView(principal: Pick<Principal, 'kind' | 'name' | 'role'>, session: Session | undefined) {
  return {
    principal: principalId(principal),
    kind: principal.kind,
    name: principal.name,
    role: principal.role,
    csrfToken: session?.csrfToken ?? null,
    expiresAt: session?.expiresAt ?? null,
  };
}

const signInBody = z
  .object({
    username: z.string().min(1).max(256).optional(),
    password: z.string().min(1).max(4096).optional(),
    token: z.string().min(1).max(512).optional(),
  })
  .strict()
  .superRefine((body, context) => {
    const withPassword = body.username !== undefined || body.password !== undefined;
    if (withPassword === (body.token !== undefined))
      context.addIssue({ code: 'custom', message: 'give username and password, or token' });
    else if (withPassword && (body.username === undefined || body.password === undefined))
      context.addIssue({
        code: 'custom',
        path: [body.username === undefined ? 'username' : 'password'],
        message: 'give username and password together',
      });
  })
  .describe('`{ username, password }` for a local account, or `{ token }` for an API token.');

export function sessionRoutes(store: Store, options: SessionOptions, sso?: OidcSignIn): RouteSpec[] {
  const secure = (request: FastifyRequest) => options.cookieSecure || isSecureRequest(request);
  const unknownNames = new UnknownNameFailures(signInDamping);

  /** The principal the credentials name, or a 401 (429 while the name is locked). */
  async function signIn(
    body: z.output<typeof signInBody>,
    request: FastifyRequest,
    reply: FastifyReply,
    now: Date,
  ): Promise<Principal> {
    if (body.token !== undefined) {
      // 256-bit tokens cannot be guessed, so they need no damping.
      const token = await store.tokens.useToken(hashToken(body.token), now);
      if (!token)
        throw new AutoirError('AUTOIR_E_UNAUTHENTICATED', 'the token is not valid (unknown or revoked)');
      return { kind: 'token', name: token.name, role: token.role };
    }
    const username = normalizeUsername(body.username ?? '');
    const password = body.password ?? '';
    const lockedUntil =
      (await store.users.signInLockedUntil(username, now)) ?? unknownNames.lockedUntil(username, now);
    if (lockedUntil) {
      void reply.header('retry-after', String(Math.ceil((lockedUntil.getTime() - now.getTime()) / 1000)));
      throw tooManyAttempts(lockedUntil, now);
    }
    const credentials = isUsername(username) ? await store.users.getCredentials(username) : undefined;
    // An unknown name takes as long as a wrong password, and gets the same answer.
    const verified = credentials
      ? await verifyPassword(password, credentials.passwordHash)
      : await verifyNothing(password);
    if (!verified || !credentials) {
      // Names that cannot exist are not counted; names without an account are counted in memory (bounded), so
      // that a flood of random names adds no rows.
      const locked = !isUsername(username)
        ? undefined
        : credentials
          ? await store.users.recordSignInFailure(username, now, signInDamping)
          : unknownNames.record(username, now);
      request.log.warn({ username, ip: request.ip, locked: locked !== undefined }, 'failed sign-in');
      throw new AutoirError('AUTOIR_E_UNAUTHENTICATED', WRONG_CREDENTIALS);
    }
    // A disabled account gets the same answer: the right password tells its holder nothing more.
    if (credentials.user.disabledAt !== null) {
      request.log.warn({ username, ip: request.ip }, 'sign-in to a disabled account');
      throw new AutoirError('AUTOIR_E_UNAUTHENTICATED', WRONG_CREDENTIALS);
    }
    await store.users.clearSignInFailures(username);
    return { kind: 'user', name: username, role: credentials.user.role };
  }

  /** A new session for `principal`, signed in `how`: its cookie set, the sign-in audited. */
  async function openSession(
    principal: Principal,
    how: 'password' | 'token' | 'oidc',
    request: FastifyRequest,
    reply: FastifyReply,
    now: Date,
  ) {
    // A sign-in always gets a new id: a session id planted before sign-in opens nothing after it.
    const previous = sessionCookie(request.headers.cookie);
    if (previous) await store.users.deleteSession(hashSessionId(previous));
    const { sessionId, csrfToken } = generateSessionSecrets();
    const session = await store.transaction(async (inner) => {
      const created = await inner.users.createSession(
        {
          idHash: hashSessionId(sessionId),
          principal: principalId(principal),
          role: principal.role,
          csrfToken,
          expiresAt: new Date(now.getTime() + SESSION_MAX_AGE_MS),
        },
        now,
      );
      if (principal.kind === 'user') await inner.users.recordLogin(principal.name, now);
      await inner.audit.record(
        {
          actor: principalId(principal),
          operation: 'session.create',
          target: principalId(principal),
          after: {
            with: how,
            role: principal.role,
            expiresAt: created.expiresAt,
            ip: request.ip,
            userAgent: request.headers['user-agent'] ?? null,
          },
        },
        now,
      );
      return created;
    });
    // Sessions that ended are swept here, a sign-in being rare enough.
    await store.users.pruneSessions(now, options.idleMs);
    void reply
      .header('set-cookie', sessionCookieHeader(sessionId, SESSION_MAX_AGE_MS / 1000, secure(request)))
      .header('cache-control', 'no-store');
    return sessionView(principal, session);
  }

  return [
    defineRoute({
      method: 'POST',
      url: '/api/v1/session',
      operationId: 'signIn',
      summary: 'Sign in (web UI): a session cookie for a user name and password, or an API token',
      description:
        'Sets `autoir_session` (HttpOnly, SameSite=Strict, Path=/, Secure over https). Send the returned `csrfToken` as `x-csrf-token` with every write made with the cookie. Needs `Content-Type: application/json` (a form on another site cannot send it). Five failed sign-ins for one user name within 15 minutes refuse that name for 15 minutes (429).',
      tag: 'session',
      role: null,
      audited: true,
      body: signInBody,
      responses: {
        200: { description: 'Signed in; the cookie is set.', schema: sessionSchema },
        400: { description: 'Neither username and password nor token, or not JSON.', schema: errorSchema },
        401: {
          description: 'Wrong user name or password (one answer for both), or an unknown token.',
          schema: errorSchema,
        },
        429: { description: 'Too many failed sign-ins for this user name.', schema: errorSchema },
      },
      async handler({ body, request, reply }) {
        if (!/^application\/json\b/i.test(request.headers['content-type'] ?? ''))
          throw new AutoirError('AUTOIR_E_BAD_INPUT', 'sign in with Content-Type: application/json');
        const now = new Date();
        const principal = await signIn(body, request, reply, now);
        return openSession(principal, principal.kind === 'user' ? 'password' : 'token', request, reply, now);
      },
    }),
    defineRoute({
      method: 'GET',
      url: '/api/v1/session',
      operationId: 'getSession',
      summary: 'Who is signed in, with the CSRF token (for a page that was reloaded)',
      tag: 'session',
      role: 'viewer',
      responses: { 200: { description: 'The caller.', schema: sessionSchema } },
      handler: async ({ principal, reply }) => {
        void reply.header('cache-control', 'no-store');
        return principal ? sessionView(principal, principal.session) : undefined;
      },
    }),
    defineRoute({
      method: 'DELETE',
      url: '/api/v1/session',
      operationId: 'signOut',
      summary: 'Sign out: end the session and clear the cookie',
      description:
        'With the cookie, it needs `x-csrf-token` like every write. With a bearer token, nothing ends.',
      tag: 'session',
      role: 'viewer',
      audited: true,
      responses: {
        200: {
          description: 'Signed out.',
          schema: z.object({ signedOut: z.boolean().describe('False when no session was used.') }),
        },
      },
      async handler({ principal, request, reply }) {
        const session = principal?.session;
        if (session && principal)
          await store.transaction(async (inner) => {
            await inner.users.deleteSession(session.idHash);
            await inner.audit.record(
              {
                actor: principalId(principal),
                operation: 'session.delete',
                target: principalId(principal),
                before: { createdAt: session.createdAt, expiresAt: session.expiresAt },
              },
              new Date(),
            );
          });
        void reply.header('set-cookie', sessionCookieHeader('', 0, secure(request)));
        return { signedOut: session !== undefined };
      },
    }),
    defineRoute({
      method: 'GET',
      url: '/api/v1/session/providers',
      operationId: 'signInProviders',
      summary: 'How one may sign in here: whether single sign-on is configured, whether local accounts exist',
      tag: 'session',
      role: null,
      responses: {
        200: {
          description: 'The ways in.',
          schema: z.object({
            oidc: z.boolean(),
            accounts: z
              .boolean()
              .describe(
                'Local accounts exist: false on a fresh or demo store, where only an API token signs in.',
              ),
          }),
        },
      },
      handler: async () => ({
        oidc: sso !== undefined,
        accounts: (await store.users.listUsers()).length > 0,
      }),
    }),
    defineRoute({
      method: 'GET',
      url: '/api/v1/session/oidc',
      operationId: 'startSingleSignOn',
      summary: 'Single sign-on: redirects the browser to the OpenID Connect provider',
      tag: 'session',
      role: null,
      responses: {
        302: { description: 'To the provider.' },
        404: { description: 'Single sign-on is not configured.', schema: errorSchema },
      },
      async handler({ reply, request }) {
        if (!sso) throw new AutoirError('AUTOIR_E_NOT_FOUND', 'single sign-on is not configured here');
        const { url, cookie } = await sso.start();
        void reply
          // Lax, not Strict: the provider sends the browser back with a top-level GET from its own site.
          .header(
            'set-cookie',
            `${OIDC_COOKIE}=${cookie}; HttpOnly; SameSite=Lax; Path=/api/v1/session/oidc; Max-Age=600${secure(request) ? '; Secure' : ''}`,
          )
          .header('cache-control', 'no-store')
          .code(302)
          .header('location', url);
        return '';
      },
    }),
    defineRoute({
      method: 'GET',
      url: '/api/v1/session/oidc/callback',
      operationId: 'finishSingleSignOn',
      summary:
        "Single sign-on: the provider's redirect back; opens a session and sends the browser to the UI",
      tag: 'session',
      role: null,
      responses: {
        303: { description: 'Signed in: to the web UI, with the session cookie.' },
        403: { description: 'The provider refused, or the user has no mapped role.', schema: errorSchema },
      },
      async handler({ request, reply }) {
        if (!sso) throw new AutoirError('AUTOIR_E_NOT_FOUND', 'single sign-on is not configured here');
        const flow = cookieValue(request.headers.cookie, OIDC_COOKIE);
        void reply.header(
          'set-cookie',
          `${OIDC_COOKIE}=; HttpOnly; SameSite=Lax; Path=/api/v1/session/oidc; Max-Age=0`,
        );
        const outcome = await sso.finish(new URL(request.url, 'http://callback.invalid'), flow);
        if (!outcome.ok) {
          request.log.warn({ ip: request.ip, reason: outcome.reason }, 'single sign-on refused');
          throw new AutoirError('AUTOIR_E_FORBIDDEN', outcome.reason);
        }
        const previous = sessionCookie(request.headers.cookie);
        if (previous) await store.users.deleteSession(hashSessionId(previous));
        await openSession(
          { kind: 'sso', name: outcome.name, role: outcome.role },
          'oidc',
          request,
          reply,
          new Date(),
        );
        void reply.code(303).header('location', '/');
        return '';
      },
    }),
  ];
}

function tooManyAttempts(until: Date, now: Date): AutoirError {
  const minutes = Math.max(1, Math.ceil((until.getTime() - now.getTime()) / 60_000));
  return new AutoirError(
    'AUTOIR_E_TOO_MANY_ATTEMPTS',
    `too many failed sign-ins for this user name; try again in ${minutes} minute${minutes === 1 ? '' : 's'}`,
  );
}
