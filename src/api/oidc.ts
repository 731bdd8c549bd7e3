/**
 * Single sign-on for the web UI with OpenID Connect, through openid-client (a certified relying party): the
 * authorization code flow with PKCE, state and nonce; the role from a claim of the ID token or UserInfo (e.g. the
 * user's groups) mapped to autoir's roles; no mapped role, no session. What the flow needs between the two legs
 * (PKCE verifier, state, nonce) travels in a short-lived cookie, signed with a key derived from the client secret,
 * so any API process of the deployment can finish a sign-in another one started.
 */
import { createHmac, timingSafeEqual } from 'node:crypto';
import * as client from 'openid-client';
import { roles, type OidcSettings, type Role } from '../domain/access.js';
import { AutoirError } from '../domain/errors.js';

/** The cookie that carries the flow between its two legs. */
export const OIDC_COOKIE = 'autoir_oidc';
const FLOW_LIFETIME_MS = 10 * 60_000;

interface Flow {
  readonly verifier: string;
  readonly state: string;
  readonly nonce: string;
  readonly expires: number;
}

/** Who signed in, or why not. */
export type OidcOutcome =
  | { readonly ok: true; readonly name: string; readonly role: Role; readonly subject: string }
  | { readonly ok: false; readonly reason: string };

export interface OidcSignIn {
  /** Where to send the browser, and the cookie value to set first. */
  start(): Promise<{ url: string; cookie: string }>;
  /** The outcome of the provider's redirect back (`callbackUrl` as the browser asked for it). */
  finish(callbackUrl: URL, cookie: string | undefined): Promise<OidcOutcome>;
}

/** A loopback `http://` issuer (a provider on this machine, as in tests) is allowed; any other must be https. */
function isLoopbackHttp(url: URL): boolean {
  return url.protocol === 'http:' && ['127.0.0.1', 'localhost', '[::1]'].includes(url.hostname);
}

export function oidcSignIn(settings: OidcSettings): OidcSignIn {
  const issuer = new URL(settings.issuer);
  let discovered: Promise<client.Configuration> | undefined;
  const configuration = () => {
    discovered ??= client
      .discovery(
        issuer,
        settings.clientId,
        settings.clientSecret,
        undefined,
        isLoopbackHttp(issuer) ? { execute: [client.allowInsecureRequests] } : undefined,
      )
      .catch((error: unknown) => {
        discovered = undefined;
        throw new AutoirError(
          'AUTOIR_E_STORE_UNAVAILABLE',
          `the sign-on provider ${settings.issuer} cannot be reached: ${(error as Error).message}`,
          { cause: error },
        );
      });
    return discovered;
  };
  const key = createHmac('sha256', settings.clientSecret).update('autoir oidc flow').digest();
  const sign = (payload: string) => createHmac('sha256', key).update(payload).digest('base64url');

  const readFlow = (cookie: string | undefined): Flow | undefined => {
    const [payload, signature] = (cookie ?? '').split('.');
    if (!payload || !signature) return undefined;
    const expected = Buffer.from(sign(payload));
    const given = Buffer.from(signature);
    if (expected.length !== given.length || !timingSafeEqual(expected, given)) return undefined;
    const flow = JSON.parse(Buffer.from(payload, 'base64url').toString('utf8')) as Flow;
    return flow.expires > Date.now() ? flow : undefined;
  };

  const roleOf = (claims: Record<string, unknown>): Role | undefined => {
    const value = claims[settings.roleClaim];
    const held = new Set((Array.isArray(value) ? value : [value]).filter((item) => typeof item === 'string'));
    // Roles from the highest down: the first one the user's claim values give.
    for (const role of [...roles].reverse())
      if ((settings.roles[role] ?? []).some((group) => held.has(group))) return role;
    return undefined;
  };

  return {
    async start() {
      const config = await configuration();
      const flow: Flow = {
        verifier: client.randomPKCECodeVerifier(),
        state: client.randomState(),
        nonce: client.randomNonce(),
        expires: Date.now() + FLOW_LIFETIME_MS,
      };
      const url = client.buildAuthorizationUrl(config, {
        redirect_uri: settings.redirectUri,
        scope: `openid profile email ${settings.roleClaim}`,
        code_challenge: await client.calculatePKCECodeChallenge(flow.verifier),
        code_challenge_method: 'S256',
        state: flow.state,
        nonce: flow.nonce,
      });
      const payload = Buffer.from(JSON.stringify(flow)).toString('base64url');
      return { url: url.href, cookie: `${payload}.${sign(payload)}` };
    },

    async finish(callbackUrl, cookie) {
      const flow = readFlow(cookie);
      if (!flow) return { ok: false, reason: 'the sign-in took too long or did not start here: start again' };
      const config = await configuration();
      let tokens: Awaited<ReturnType<typeof client.authorizationCodeGrant>>;
      try {
        // The redirect URI the provider knows, with the parameters it sent back (the Host header is not trusted).
        const redirected = new URL(settings.redirectUri);
        redirected.search = callbackUrl.search;
        tokens = await client.authorizationCodeGrant(config, redirected, {
          pkceCodeVerifier: flow.verifier,
          expectedState: flow.state,
          expectedNonce: flow.nonce,
          idTokenExpected: true,
        });
      } catch (error) {
        return {
          ok: false,
          reason: `the sign-on provider's answer was refused: ${(error as Error).message}`,
        };
      }
      const idClaims: Record<string, unknown> = tokens.claims() ?? {};
      const subject = String(idClaims.sub);
      const userInfo = await client
        .fetchUserInfo(config, tokens.access_token, subject)
        .catch(() => ({}) as Record<string, unknown>);
      const claims: Record<string, unknown> = { ...userInfo, ...idClaims };
      const nameValue = [settings.nameClaim, 'preferred_username', 'email', 'sub']
        .map((claim) => claims[claim])
        .find((value) => typeof value === 'string' && value !== '');
      const name = String(nameValue ?? subject);
      const role = roleOf(claims);
      if (!role)
        return {
          ok: false,
          reason: `${name} has no autoir role: none of their ${settings.roleClaim} is mapped (AUTOIR_OIDC_ROLES)`,
        };
      return { ok: true, name, role, subject };
    },
  };
}
