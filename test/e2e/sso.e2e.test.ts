/**
 * Single sign-on for the web UI against a real OpenID Connect provider (oidc-provider, run by the test), through
 * Debian's Chromium: the provider's sign-in and consent pages, back to autoir with a session whose role comes from
 * the user's groups; a user whose groups map to no role gets none.
 */
import { createServer as createHttpServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { FastifyInstance } from 'fastify';
import Provider from 'oidc-provider';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchChromium } from '../../bench/browser.js';
import { oidcSignIn } from '../../src/api/oidc.js';
import { createServer } from '../../src/api/server.js';
import { backends, createTestStore, type TestStore } from '../helpers/stores.js';

const groups: Record<string, string[]> = {
  alice: ['soc-responders', 'staff'],
  bob: ['soc'],
  mallory: ['staff'],
};

describe.each(backends)('single sign-on with OpenID Connect on %s', (dialect) => {
  let t: TestStore;
  let providerServer: Server;
  let app: FastifyInstance;
  let autoir: string;
  let browser: Browser;

  beforeAll(async () => {
    t = await createTestStore(dialect);
    // autoir first, to know its address (the redirect URI the provider must know).
    providerServer = createHttpServer();
    await new Promise<void>((resolve) => providerServer.listen(0, '127.0.0.1', resolve));
    const issuer = `http://127.0.0.1:${(providerServer.address() as AddressInfo).port}`;
    app = createServer({
      store: t.store,
      version: 'test',
      webRoot: null,
      oidc: {
        start: (...args) => signIn.start(...args),
        finish: (...args) => signIn.finish(...args),
      },
    });
    autoir = await app.listen({ host: '127.0.0.1', port: 0 });
    const signIn = oidcSignIn({
      issuer,
      clientId: 'autoir',
      clientSecret: 'autoir-client-secret-0123456789',
      redirectUri: `${autoir}/api/v1/session/oidc/callback`,
      roleClaim: 'groups',
      roles: { admin: ['soc-admins'], responder: ['soc-responders'], viewer: ['soc'] },
      nameClaim: 'preferred_username',
    });
    const provider = new Provider(issuer, {
      clients: [
        {
          client_id: 'autoir',
          client_secret: 'autoir-client-secret-0123456789',
          redirect_uris: [`${autoir}/api/v1/session/oidc/callback`],
          grant_types: ['authorization_code'],
          response_types: ['code'],
        },
      ],
      findAccount: async (_ctx: unknown, id: string) => ({
        accountId: id,
        claims: async () => ({ sub: `sub-${id}`, preferred_username: id, groups: groups[id] ?? [] }),
      }),
      claims: { openid: ['sub'], profile: ['preferred_username'], groups: ['groups'], email: ['email'] },
      scopes: ['openid', 'profile', 'email', 'groups'],
      features: { devInteractions: { enabled: true } },
      cookies: { keys: ['a-test-cookie-key-0123456789'] },
    });
    providerServer.on('request', provider.callback());
    browser = await launchChromium();
  });
  afterAll(async () => {
    await browser?.close();
    await app?.close();
    await new Promise((resolve) => providerServer?.close(resolve));
    await t?.cleanup();
  });

  /** Sign in as `login` through the provider's pages; the answer autoir gave at the end. */
  async function signInAs(login: string) {
    const context = await browser.newContext();
    const page = await context.newPage();
    await page.goto(`${autoir}/api/v1/session/oidc`);
    await page.fill('input[name=login]', login);
    await page.fill('input[name=password]', 'anything');
    await Promise.all([page.waitForNavigation(), page.click('button[type=submit]')]);
    // The consent page, the first time.
    const last = await Promise.all([page.waitForNavigation(), page.click('button[type=submit]')]).then(
      ([response]) => response,
    );
    const session = await context.request.get(`${autoir}/api/v1/session`);
    const result = {
      finalStatus: last?.status(),
      finalText: await page.content(),
      session: session.status() === 200 ? ((await session.json()) as Record<string, unknown>) : undefined,
      status: session.status(),
    };
    await context.close();
    return result;
  }

  it('opens a session with the role the user’s groups give, audited', async () => {
    const { session } = await signInAs('alice');
    expect(session).toMatchObject({ principal: 'sso:alice', kind: 'sso', name: 'alice', role: 'responder' });
    const audit = await t.store.audit.list({ actor: 'sso:alice' }, { limit: 5 });
    expect(audit.items).toContainEqual(
      expect.objectContaining({
        operation: 'session.create',
        after: expect.objectContaining({ with: 'oidc', role: 'responder' }),
      }),
    );
    expect((await signInAs('bob')).session).toMatchObject({ name: 'bob', role: 'viewer' });
  });

  it('opens none for a user whose groups map to no role', async () => {
    const { session, status, finalStatus, finalText } = await signInAs('mallory');
    expect(session).toBeUndefined();
    expect(status).toBe(401);
    expect(finalStatus).toBe(403);
    expect(finalText).toMatch(/mallory has no autoir role/);
  });

  it('refuses a callback that did not start here', async () => {
    const response = await fetch(`${autoir}/api/v1/session/oidc/callback?code=forged&state=forged`);
    expect(response.status).toBe(403);
    expect(((await response.json()) as { error: { message: string } }).error.message).toMatch(
      /did not start here/,
    );
  });
});
