/** Who may do what: four roles for people (and tokens), each including the ones before it. */
export const roles = ['viewer', 'analyst', 'responder', 'admin'] as const;
/**
 * Tokens may also have `ingest`: send alerts and events (the API, Elasticsearch `_bulk`, Splunk HEC) and nothing
 * else — not even read. What a log shipper holds.
 */
export const tokenRoles = ['ingest', ...roles] as const;
export type Role = (typeof tokenRoles)[number];

export function isRole(value: unknown): value is Role {
  return typeof value === 'string' && (tokenRoles as readonly string[]).includes(value);
}

/**
 * True when `role` includes the permissions of `required`: admin ⊇ responder ⊇ analyst ⊇ viewer; `ingest` routes
 * take an ingest token or an analyst and above, and an ingest token takes nothing else.
 */
export function hasRole(role: Role, required: Role): boolean {
  if (required === 'ingest') return role === 'ingest' || hasRole(role, 'analyst');
  if (role === 'ingest') return false;
  return roles.indexOf(role) >= roles.indexOf(required);
}

/**
 * What each role is for:
 * - viewer: read alerts, incidents, investigations and actions.
 * - analyst: also ingest alerts, classify and comment on incidents, start investigations.
 * - responder: also approve, reject and undo remediation actions.
 * - admin: also manage tokens, users, policy and connectors.
 */
export const roleDescriptions: Readonly<Record<Role, string>> = {
  ingest: 'send alerts and events (API, Elasticsearch _bulk, Splunk HEC), nothing else',
  viewer: 'read alerts, incidents, investigations and actions',
  analyst: 'viewer, plus ingest alerts, classify and comment on incidents, start investigations',
  responder: 'analyst, plus approve, reject and undo remediation actions',
  admin: 'responder, plus manage tokens, users, policy and connectors',
};

/** A local account's name: lower-case, 1–64 characters, starting with a letter or digit. */
export const usernamePattern = /^[a-z0-9][a-z0-9._@-]{0,63}$/;

/** `Alice ` → `alice`: names are compared lower-cased, so `Alice` and `alice` are one account. */
export function normalizeUsername(text: string): string {
  return text.trim().toLowerCase();
}

export function isUsername(value: unknown): value is string {
  return typeof value === 'string' && usernamePattern.test(value);
}

export interface ApiToken {
  readonly id: string;
  readonly name: string;
  readonly role: Role;
  readonly createdAt: string;
  readonly lastUsedAt: string | null;
  readonly revokedAt: string | null;
  /** When it stops working; `null`: until it is revoked. */
  readonly expiresAt: string | null;
}

/** A local account, as every caller sees it: never with its password hash. */
export interface User {
  readonly id: string;
  readonly username: string;
  readonly role: Role;
  readonly createdAt: string;
  readonly updatedAt: string;
  readonly disabledAt: string | null;
  readonly lastLoginAt: string | null;
}

/** A signed-in browser. `principal` is `user:<name>` or `token:<name>`. */
export interface Session {
  readonly idHash: string;
  readonly principal: string;
  /** The principal's role now (a changed role applies to sessions at once). */
  readonly role: Role;
  readonly csrfToken: string;
  readonly createdAt: string;
  /** Absolute expiry. */
  readonly expiresAt: string;
  readonly lastSeenAt: string;
}

/** How failed sign-ins are damped: `maxFailures` within `windowMs` lock the name for `lockMs`. */
export interface SignInDamping {
  readonly maxFailures: number;
  readonly windowMs: number;
  readonly lockMs: number;
}

export interface SessionOptions {
  /** A session unused this long ends (`AUTOIR_SESSION_IDLE`). */
  readonly idleMs: number;
  /** Always mark the cookie `Secure` (`AUTOIR_COOKIE_SECURE=1`), e.g. behind a TLS-terminating proxy. */
  readonly cookieSecure: boolean;
}

export const DEFAULT_SESSION_IDLE_MS = 12 * 3_600_000;

/** However active, a session ends a week after sign-in. */
export const SESSION_MAX_AGE_MS = 7 * 86_400_000;

/** Five failed sign-ins for one name within 15 minutes refuse that name for 15 minutes. */
export const signInDamping: SignInDamping = {
  maxFailures: 5,
  windowMs: 15 * 60_000,
  lockMs: 15 * 60_000,
};

/** Single sign-on with an OpenID Connect provider (api/oidc.ts), as configured (`AUTOIR_OIDC_*`). */
export interface OidcSettings {
  /** The provider's issuer URL (discovery at `/.well-known/openid-configuration`). */
  readonly issuer: string;
  readonly clientId: string;
  readonly clientSecret: string;
  /** `${AUTOIR_PUBLIC_URL}/api/v1/session/oidc/callback`, registered at the provider. */
  readonly redirectUri: string;
  /** The claim holding the user's groups or roles (default `groups`). */
  readonly roleClaim: string;
  /** For each autoir role, the claim values that give it; the highest role a user has wins. */
  readonly roles: Readonly<Partial<Record<Role, readonly string[]>>>;
  /** The claim naming the user in autoir (default `preferred_username`, else `email`, else `sub`). */
  readonly nameClaim: string;
}

/**
 * `admin=soc-admins,secops;responder=soc-responders` → `{ admin: ['soc-admins', 'secops'], responder: [...] }`; a
 * problem message for anything else.
 */
export function parseRoleMapping(text: string): Partial<Record<Role, string[]>> | string {
  const mapping: Partial<Record<Role, string[]>> = {};
  for (const part of text
    .split(';')
    .map((item) => item.trim())
    .filter(Boolean)) {
    const [role, values] = part.split('=') as [string, string | undefined];
    if (!(roles as readonly string[]).includes(role.trim()) || !values)
      return `${part}: ROLE=VALUE[,VALUE…] with ROLE one of ${roles.join(', ')}`;
    mapping[role.trim() as Role] = values
      .split(',')
      .map((value) => value.trim())
      .filter(Boolean);
  }
  return Object.keys(mapping).length > 0 ? mapping : 'map at least one role, e.g. admin=soc-admins';
}
