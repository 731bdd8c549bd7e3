/**
 * Who is calling. Two ways in:
 * - API tokens (app/tokens.ts): shown once, stored as their sha256, looked up by it.
 * - Browser sessions (the web UI): a 256-bit random id in an HttpOnly, SameSite=Strict cookie, stored as its
 *   sha256, with a CSRF token that every cookie-authenticated write must echo in `x-csrf-token`.
 */
import { randomBytes, timingSafeEqual } from 'node:crypto';
import type { Role, Session } from '../domain/access.js';
import { hashToken } from '../app/tokens.js';

/** The session cookie's name. */
export const SESSION_COOKIE = 'autoir_session';

/** The header a cookie-authenticated write must carry, equal to the session's CSRF token. */
export const CSRF_HEADER = 'x-csrf-token';

/**
 * The caller of a route: an API token, or a local user, each with its current role. A browser session carries
 * the principal that signed in (a user, or a token pasted into the sign-in form) and the session itself.
 */
export interface Principal {
  /** `sso`: a person signed in through the OpenID Connect provider, with the role its claims gave at sign-in. */
  readonly kind: 'token' | 'user' | 'sso';
  readonly name: string;
  readonly role: Role;
  /** The session the request was authenticated by (cookie); absent for `Authorization: Bearer`. */
  readonly session?: Session;
}

/** `token:<name>` or `user:<name>`: the principal as audit entries and sessions name it. */
export function principalId(principal: Pick<Principal, 'kind' | 'name'>): string {
  return `${principal.kind}:${principal.name}`;
}

/** The actor of a write, for the audit log and action history; `token:unknown` when there is no principal. */
export function actorOf(principal: Principal | undefined): string {
  return principal ? principalId(principal) : 'token:unknown';
}

/** `user:alice` → `{ kind: 'user', name: 'alice' }`; `undefined` for anything else. */
export function parsePrincipalId(id: string): Pick<Principal, 'kind' | 'name'> | undefined {
  const match = /^(token|user|sso):(.+)$/.exec(id);
  return match ? { kind: match[1] as Principal['kind'], name: match[2] as string } : undefined;
}

/** A new session id (the cookie's value) and CSRF token: 256 bits each. */
export function generateSessionSecrets(): { readonly sessionId: string; readonly csrfToken: string } {
  return {
    sessionId: randomBytes(32).toString('base64url'),
    csrfToken: randomBytes(32).toString('base64url'),
  };
}

/** What the store keys a session by: the cookie's value never reaches the database. */
export const hashSessionId = hashToken;

/**
 * The token of an `Authorization` header, as API clients (`Bearer TOKEN`), Elasticsearch clients (`ApiKey TOKEN`,
 * or `ApiKey base64(id:TOKEN)`), Splunk HEC senders (`Splunk TOKEN`) and shippers that know only a user and a
 * password (`Basic base64(user:TOKEN)`) present it; `undefined` otherwise.
 */
export function bearerToken(header: string | undefined): string | undefined {
  if (!header) return undefined;
  const match = /^(Bearer|ApiKey|Splunk|Basic)\s+(\S+)\s*$/i.exec(header);
  if (!match) return undefined;
  const value = match[2] as string;
  // Shippers that know only user and password (Fluent Bit, Beats, Logstash, Vector): the password is the token.
  if (match[1]?.toLowerCase() === 'basic') {
    const decoded = Buffer.from(value, 'base64').toString('utf8');
    return decoded.includes(':') ? decoded.slice(decoded.indexOf(':') + 1) : undefined;
  }
  // Elasticsearch clients send `ApiKey base64(id:key)` when given an id and a key: the key is the token.
  if (match[1]?.toLowerCase() === 'apikey' && !value.startsWith('autoir_')) {
    const decoded = Buffer.from(value, 'base64').toString('utf8');
    const key = decoded.slice(decoded.indexOf(':') + 1);
    if (decoded.includes(':') && key.startsWith('autoir_')) return key;
  }
  return value;
}

/** The value of the session cookie in a `Cookie` header, or `undefined`. */
/** The value of cookie `name` in a `Cookie` header, or `undefined`. */
export function cookieValue(header: string | undefined, name: string): string | undefined {
  for (const part of (header ?? '').split(';')) {
    const index = part.indexOf('=');
    if (index > 0 && part.slice(0, index).trim() === name) return part.slice(index + 1).trim();
  }
  return undefined;
}

export function sessionCookie(header: string | undefined): string | undefined {
  if (!header) return undefined;
  for (const part of header.split(';')) {
    const index = part.indexOf('=');
    if (index < 0 || part.slice(0, index).trim() !== SESSION_COOKIE) continue;
    const value = part.slice(index + 1).trim();
    // Ids are base64url; anything else is not one of ours.
    if (/^[A-Za-z0-9_-]{16,128}$/.test(value)) return value;
  }
  return undefined;
}

/**
 * The `Set-Cookie` value for a session id: HttpOnly (no script reads it), SameSite=Strict (no other site's page
 * sends it), Path=/, `Secure` over https. `maxAgeSeconds` 0 clears it.
 */
export function sessionCookieHeader(value: string, maxAgeSeconds: number, secure: boolean): string {
  return [
    `${SESSION_COOKIE}=${value}`,
    'HttpOnly',
    'SameSite=Strict',
    'Path=/',
    `Max-Age=${Math.max(0, Math.floor(maxAgeSeconds))}`,
    ...(secure ? ['Secure'] : []),
  ].join('; ');
}

/** Constant-time comparison of the CSRF header with the session's token. */
export function csrfMatches(header: string | string[] | undefined, expected: string): boolean {
  if (typeof header !== 'string') return false;
  const given = Buffer.from(header);
  const wanted = Buffer.from(expected);
  return given.length === wanted.length && timingSafeEqual(given, wanted);
}
