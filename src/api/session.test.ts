/**
 * Browser sessions and local accounts over HTTP, on both stores: sign-in with a password or a token, the cookie's
 * attributes, CSRF, brute-force damping, roles exactly as for tokens, sign-out, and what is stored and audited.
 */
import type { FastifyInstance, LightMyRequestResponse } from 'fastify';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { backends, createTestStore, type TestStore } from '../../test/helpers/stores.js';
import type { Role } from '../domain/access.js';
import { createServer } from './server.js';
import { generateToken, hashToken } from '../app/tokens.js';

const PASSWORD = 'correct horse battery staple';

/** A canonical alert, for a write an analyst may make. */
const alert = (ref: string) => ({
  source: 'edr',
  sourceRef: ref,
  title: `Alert ${ref}`,
  severity: 'high',
  createdAt: '2024-05-01T10:00:00Z',
  entities: [{ type: 'device', hostname: 'ws1.corp.example' }],
});

function setCookie(response: LightMyRequestResponse): string {
  const header = response.headers['set-cookie'];
  const value = Array.isArray(header) ? header.join('\n') : header;
  expect(value, 'a Set-Cookie header').toBeTypeOf('string');
  return value as string;
}

/** `autoir_session=<id>` from a sign-in response, as a browser would send it back. */
function cookieOf(response: LightMyRequestResponse): string {
  const match = /autoir_session=([^;]*)/.exec(setCookie(response));
  expect(match?.[1], 'a session id').toBeTruthy();
  return `autoir_session=${match?.[1]}`;
}

describe.each(backends)('browser sessions on %s', (dialect) => {
  let t: TestStore;
  let app: FastifyInstance;
  let adminToken: string;

  beforeEach(async () => {
    t = await createTestStore(dialect);
    app = createServer({ store: t.store, version: 'test' });
    adminToken = generateToken();
    await t.store.tokens.createToken(
      { name: 'root', role: 'admin', tokenHash: hashToken(adminToken) },
      new Date(),
    );
  });
  afterEach(async () => {
    await app.close();
    await t.cleanup();
  });

  const admin = () => ({ authorization: `Bearer ${adminToken}` });

  async function addUser(username: string, role: Role, password = PASSWORD) {
    const response = await app.inject({
      method: 'POST',
      url: '/api/v1/users',
      headers: admin(),
      payload: { username, password, role },
    });
    expect(response.statusCode, response.body).toBe(201);
    return response.json() as { username: string; role: Role };
  }

  it('tells the sign-in page whether local accounts exist, so it opens on a way in that can work', async () => {
    const providers = async () =>
      (await app.inject({ method: 'GET', url: '/api/v1/session/providers' })).json<{
        oidc: boolean;
        accounts: boolean;
      }>();
    expect(await providers()).toEqual({ oidc: false, accounts: false });
    await addUser('kim', 'analyst');
    expect(await providers()).toEqual({ oidc: false, accounts: true });
  });

  function signIn(payload: Record<string, unknown>, headers: Record<string, string> = {}) {
    return app.inject({ method: 'POST', url: '/api/v1/session', payload, headers });
  }

  async function session(username: string, password = PASSWORD) {
    const response = await signIn({ username, password });
    expect(response.statusCode, response.body).toBe(200);
    return { cookie: cookieOf(response), csrf: (response.json() as { csrfToken: string }).csrfToken };
  }

  it('signs a user in with a password: an HttpOnly, SameSite=Strict cookie for the whole site, and a CSRF token', async () => {
    await addUser('alice', 'analyst');
    const response = await signIn({ username: 'Alice', password: PASSWORD });
    expect(response.statusCode, response.body).toBe(200);
    const body = response.json();
    expect(body).toMatchObject({ principal: 'user:alice', kind: 'user', name: 'alice', role: 'analyst' });
    expect(body.csrfToken).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(Date.parse(body.expiresAt) - Date.now()).toBeGreaterThan(6.9 * 86_400_000);
    const cookie = setCookie(response);
    expect(cookie).toMatch(/^autoir_session=[A-Za-z0-9_-]{43}; /);
    const attributes = cookie.split('; ').slice(1);
    expect(attributes).toEqual(
      expect.arrayContaining(['HttpOnly', 'SameSite=Strict', 'Path=/', 'Max-Age=604800']),
    );
    expect(attributes).not.toContain('Secure');
    expect(response.headers['cache-control']).toBe('no-store');

    const headers = { cookie: cookieOf(response) };
    const alerts = await app.inject({ method: 'GET', url: '/api/v1/alerts', headers });
    expect(alerts.statusCode, alerts.body).toBe(200);
    const again = await app.inject({ method: 'GET', url: '/api/v1/session', headers });
    expect(again.json()).toEqual(body);
  });

  it('refuses a write with the cookie but without the CSRF token, or with a wrong one, and takes it with the right one', async () => {
    await addUser('alice', 'analyst');
    const { cookie, csrf } = await session('alice');
    const post = (headers: Record<string, string>) =>
      app.inject({
        method: 'POST',
        url: '/api/v1/alerts',
        headers: { cookie, ...headers },
        payload: alert('a'),
      });

    const wrong: Record<string, string>[] = [
      {},
      { 'x-csrf-token': 'x'.repeat(csrf.length) },
      { 'x-csrf-token': '' },
    ];
    for (const headers of wrong) {
      const refused = await post(headers);
      expect(refused.statusCode, refused.body).toBe(403);
      expect(refused.json().error.code).toBe('AUTOIR_E_CSRF');
    }
    expect(await t.store.alerts.countAlerts()).toBe(0);

    const taken = await post({ 'x-csrf-token': csrf });
    expect(taken.statusCode, taken.body).toBe(200);
    expect(await t.store.alerts.countAlerts()).toBe(1);
    // What a session writes is written by the user.
    const audit = await t.store.audit.list({ operation: 'ingestAlerts' }, { limit: 10 });
    expect(audit.items.map((entry) => entry.actor)).toEqual(['user:alice']);
  });

  it('marks the cookie Secure when the request came over https, or when told to always', async () => {
    await addUser('alice', 'viewer');
    const proxied = await signIn({ username: 'alice', password: PASSWORD }, { 'x-forwarded-proto': 'https' });
    expect(setCookie(proxied).split('; ')).toContain('Secure');

    const always = createServer({ store: t.store, version: 'test', sessions: { cookieSecure: true } });
    try {
      const response = await always.inject({
        method: 'POST',
        url: '/api/v1/session',
        payload: { username: 'alice', password: PASSWORD },
      });
      expect(setCookie(response).split('; ')).toContain('Secure');
    } finally {
      await always.close();
    }
  });

  it("signs in with an API token: the session has the token's role and writes as token:<name>", async () => {
    const value = generateToken();
    await t.store.tokens.createToken(
      { name: 'soc-desk', role: 'responder', tokenHash: hashToken(value) },
      new Date(),
    );
    const response = await signIn({ token: value });
    expect(response.statusCode, response.body).toBe(200);
    expect(response.json()).toMatchObject({ principal: 'token:soc-desk', kind: 'token', role: 'responder' });
    const cookie = cookieOf(response);
    const csrf = response.json().csrfToken as string;
    const approve = await app.inject({
      method: 'POST',
      url: '/api/v1/actions/approve',
      headers: { cookie, 'x-csrf-token': csrf },
      payload: { ids: ['act_999999'] },
    });
    expect([401, 403]).not.toContain(approve.statusCode);

    // Revoking the token ends the sessions it opened.
    await t.store.tokens.revokeToken('soc-desk', new Date());
    const after = await app.inject({ method: 'GET', url: '/api/v1/session', headers: { cookie } });
    expect(after.statusCode).toBe(401);

    const unknown = await signIn({ token: generateToken() });
    expect(unknown.statusCode).toBe(401);
  });

  it('answers a wrong password, an unknown user and a disabled user alike', async () => {
    await addUser('alice', 'analyst');
    await addUser('bob', 'analyst');
    await app.inject({
      method: 'PATCH',
      url: '/api/v1/users/bob',
      headers: admin(),
      payload: { disabled: true },
    });
    const answers = await Promise.all([
      signIn({ username: 'alice', password: 'wrong password, long enough' }),
      signIn({ username: 'mallory', password: PASSWORD }),
      signIn({ username: 'bob', password: PASSWORD }),
    ]);
    for (const answer of answers) {
      expect(answer.statusCode).toBe(401);
      expect(answer.json().error).toEqual({
        code: 'AUTOIR_E_UNAUTHENTICATED',
        message: 'wrong username or password',
      });
      expect(answer.headers['set-cookie']).toBeUndefined();
    }
  });

  it('refuses a user name for 15 minutes after five failed sign-ins, even with the right password', async () => {
    await addUser('alice', 'analyst');
    await addUser('bob', 'analyst');
    for (let attempt = 1; attempt <= 5; attempt++) {
      const failed = await signIn({ username: 'alice', password: `wrong password ${attempt}` });
      expect(failed.statusCode, `attempt ${attempt}`).toBe(401);
    }
    const locked = await signIn({ username: 'alice', password: PASSWORD });
    expect(locked.statusCode).toBe(429);
    expect(locked.json().error.code).toBe('AUTOIR_E_TOO_MANY_ATTEMPTS');
    expect(Number(locked.headers['retry-after'])).toBeGreaterThan(14 * 60);
    expect(locked.headers['set-cookie']).toBeUndefined();
    // Another name is not affected; an admin's password reset lifts the lock.
    expect((await signIn({ username: 'bob', password: PASSWORD })).statusCode).toBe(200);
    const reset = await app.inject({
      method: 'PATCH',
      url: '/api/v1/users/alice',
      headers: admin(),
      payload: { password: 'a brand new passphrase' },
    });
    expect(reset.statusCode, reset.body).toBe(200);
    expect((await signIn({ username: 'alice', password: 'a brand new passphrase' })).statusCode).toBe(200);
  });

  it('refuses a viewer session on a responder route with 403, exactly as a viewer token', async () => {
    await addUser('vera', 'viewer');
    const { cookie, csrf } = await session('vera');
    const value = generateToken();
    await t.store.tokens.createToken(
      { name: 'viewer', role: 'viewer', tokenHash: hashToken(value) },
      new Date(),
    );
    const approve = (headers: Record<string, string>) =>
      app.inject({ method: 'POST', url: '/api/v1/actions/approve', headers, payload: { ids: ['act_1'] } });
    const bySession = await approve({ cookie, 'x-csrf-token': csrf });
    const byToken = await approve({ authorization: `Bearer ${value}` });
    expect(bySession.statusCode).toBe(403);
    expect(byToken.statusCode).toBe(403);
    expect(bySession.json().error.code).toBe('AUTOIR_E_FORBIDDEN');
    expect(byToken.json().error.code).toBe('AUTOIR_E_FORBIDDEN');
    expect(bySession.json().error.message).toBe('this route needs the responder role; user vera has viewer');
    const users = await app.inject({ method: 'GET', url: '/api/v1/users', headers: { cookie } });
    expect(users.statusCode).toBe(403);
  });

  it('signs out: the cookie is cleared and the old cookie gets 401', async () => {
    await addUser('alice', 'analyst');
    const { cookie, csrf } = await session('alice');
    const unchecked = await app.inject({ method: 'DELETE', url: '/api/v1/session', headers: { cookie } });
    expect(unchecked.statusCode).toBe(403);
    expect(unchecked.json().error.code).toBe('AUTOIR_E_CSRF');

    const out = await app.inject({
      method: 'DELETE',
      url: '/api/v1/session',
      headers: { cookie, 'x-csrf-token': csrf },
    });
    expect(out.statusCode, out.body).toBe(200);
    expect(out.json()).toEqual({ signedOut: true });
    expect(setCookie(out)).toMatch(/^autoir_session=; HttpOnly; SameSite=Strict; Path=\/; Max-Age=0/);

    const stale = await app.inject({ method: 'GET', url: '/api/v1/alerts', headers: { cookie } });
    expect(stale.statusCode).toBe(401);
    expect(stale.json().error.code).toBe('AUTOIR_E_UNAUTHENTICATED');
    expect(setCookie(stale)).toMatch(/Max-Age=0/);
    const audit = await t.store.audit.list({ operation: 'session.delete' }, { limit: 10 });
    expect(audit.items.map((entry) => entry.actor)).toEqual(['user:alice']);
  });

  it("ends a user's sessions when they are disabled, deleted, or get a new password, and applies a new role at once", async () => {
    await addUser('alice', 'responder');
    const get = (cookie: string) =>
      app.inject({ method: 'GET', url: '/api/v1/session', headers: { cookie } });
    const patch = (payload: Record<string, unknown>, name = 'alice') =>
      app.inject({ method: 'PATCH', url: `/api/v1/users/${name}`, headers: admin(), payload });

    const first = await session('alice');
    expect((await patch({ role: 'viewer' })).json()).toMatchObject({ role: 'viewer' });
    expect((await get(first.cookie)).json()).toMatchObject({ role: 'viewer' });

    expect((await patch({ disabled: true })).json().disabledAt).toBeTypeOf('string');
    expect((await get(first.cookie)).statusCode).toBe(401);
    expect((await signIn({ username: 'alice', password: PASSWORD })).statusCode).toBe(401);
    expect((await patch({ disabled: false })).json().disabledAt).toBeNull();

    const second = await session('alice');
    expect((await patch({ password: 'another long passphrase' })).statusCode).toBe(200);
    expect((await get(second.cookie)).statusCode).toBe(401);

    const third = await session('alice', 'another long passphrase');
    const deleted = await app.inject({ method: 'DELETE', url: '/api/v1/users/alice', headers: admin() });
    expect(deleted.statusCode).toBe(200);
    expect((await get(third.cookie)).statusCode).toBe(401);
    expect((await patch({ role: 'admin' }, 'alice')).statusCode).toBe(404);
  });

  it('stores the password as an argon2id hash with OWASP parameters, and never returns it', async () => {
    await addUser('alice', 'analyst');
    const credentials = await t.store.users.getCredentials('alice');
    expect(credentials?.passwordHash).toMatch(
      /^\$argon2id\$v=19\$m=19456,t=2,p=1\$[A-Za-z0-9+/]{22}\$[A-Za-z0-9+/]{43}$/,
    );
    const list = await app.inject({ method: 'GET', url: '/api/v1/users', headers: admin() });
    expect(list.statusCode).toBe(200);
    expect(list.json()).toEqual([
      {
        id: expect.stringMatching(/^usr_/),
        username: 'alice',
        role: 'analyst',
        createdAt: expect.any(String),
        updatedAt: expect.any(String),
        disabledAt: null,
        lastLoginAt: null,
      },
    ]);
    expect(list.body).not.toMatch(/argon2|password|horse/i);
    await session('alice');
    expect((await t.store.users.getUser('alice'))?.lastLoginAt).toBeTypeOf('string');
  });

  it('audits accounts and sign-ins, never with the password or its hash', async () => {
    await addUser('alice', 'analyst');
    await session('alice');
    await app.inject({
      method: 'PATCH',
      url: '/api/v1/users/alice',
      headers: admin(),
      payload: { password: 'yet another passphrase' },
    });
    const audit = await t.store.audit.list({}, { limit: 50 });
    const entries = audit.items.map(({ actor, operation, target }) => ({ actor, operation, target }));
    expect(entries).toEqual(
      expect.arrayContaining([
        { actor: 'token:root', operation: 'user.create', target: 'user:alice' },
        { actor: 'user:alice', operation: 'session.create', target: 'user:alice' },
        { actor: 'token:root', operation: 'user.update', target: 'user:alice' },
      ]),
    );
    const created = audit.items.find((entry) => entry.operation === 'session.create');
    expect(created?.after).toMatchObject({ with: 'password', role: 'analyst' });
    const text = JSON.stringify(audit.items);
    expect(text).not.toMatch(/horse|yet another|argon2/);
    expect(audit.items.find((entry) => entry.operation === 'user.update')?.after).toMatchObject({
      passwordChanged: true,
    });
  });

  it('checks new accounts: a valid lower-case name, a 12-character password, a role, a free name', async () => {
    const post = (payload: Record<string, unknown>) =>
      app.inject({ method: 'POST', url: '/api/v1/users', headers: admin(), payload });
    const shortPassword = await post({ username: 'alice', password: 'short', role: 'viewer' });
    expect(shortPassword.statusCode).toBe(400);
    expect(shortPassword.json().error.field).toBe('password');
    const badName = await post({ username: '-alice', password: PASSWORD, role: 'viewer' });
    expect(badName.statusCode).toBe(400);
    expect(badName.json().error.field).toBe('username');
    const badRole = await post({ username: 'alice', password: PASSWORD, role: 'root' });
    expect(badRole.statusCode).toBe(400);
    expect((await post({ username: 'Alice', password: PASSWORD, role: 'viewer' })).json().username).toBe(
      'alice',
    );
    const taken = await post({ username: 'alice', password: PASSWORD, role: 'admin' });
    expect(taken.statusCode).toBe(409);
    const nothing = await app.inject({
      method: 'PATCH',
      url: '/api/v1/users/alice',
      headers: admin(),
      payload: {},
    });
    expect(nothing.statusCode).toBe(400);
  });

  it('keeps an admin from demoting, disabling or deleting their own account', async () => {
    await addUser('ada', 'admin');
    const { cookie, csrf } = await session('ada');
    const headers = { cookie, 'x-csrf-token': csrf };
    for (const [method, payload] of [
      ['PATCH', { role: 'viewer' }],
      ['PATCH', { disabled: true }],
      ['DELETE', undefined],
    ] as const) {
      const refused = await app.inject({ method, url: '/api/v1/users/ada', headers, payload });
      expect(refused.statusCode, refused.body).toBe(409);
    }
    // A new password of one's own keeps the session it was set in.
    const own = await app.inject({
      method: 'PATCH',
      url: '/api/v1/users/ada',
      headers,
      payload: { password: 'my own new passphrase' },
    });
    expect(own.statusCode, own.body).toBe(200);
    expect(
      (await app.inject({ method: 'GET', url: '/api/v1/session', headers: { cookie } })).statusCode,
    ).toBe(200);
  });

  it('refuses a sign-in that is not JSON, and one without credentials', async () => {
    await addUser('alice', 'analyst');
    const text = await app.inject({
      method: 'POST',
      url: '/api/v1/session',
      headers: { 'content-type': 'text/plain' },
      payload: JSON.stringify({ username: 'alice', password: PASSWORD }),
    });
    expect(text.statusCode).toBe(400);
    expect(text.headers['set-cookie']).toBeUndefined();
    const empty = await app.inject({ method: 'POST', url: '/api/v1/session' });
    expect(empty.statusCode).toBe(400);
    expect(empty.json().error.message).toMatch(/username and password, or token/);
  });

  it('replaces the session a browser had when it signs in again', async () => {
    await addUser('alice', 'analyst');
    const first = await session('alice');
    const again = await signIn({ username: 'alice', password: PASSWORD }, { cookie: first.cookie });
    expect(again.statusCode).toBe(200);
    expect(cookieOf(again)).not.toBe(first.cookie);
    const old = await app.inject({
      method: 'GET',
      url: '/api/v1/session',
      headers: { cookie: first.cookie },
    });
    expect(old.statusCode).toBe(401);
  });

  it('ends a session after the idle timeout and a week after sign-in, whatever the activity', async () => {
    await addUser('alice', 'analyst');
    const start = new Date('2030-01-01T00:00:00Z');
    const hour = 3_600_000;
    await t.store.users.createSession(
      {
        idHash: 'h1',
        principal: 'user:alice',
        role: 'analyst',
        csrfToken: 'c',
        expiresAt: new Date(start.getTime() + 7 * 24 * hour),
      },
      start,
    );
    const at = (hours: number) => new Date(start.getTime() + hours * hour);
    expect(await t.store.users.getSession('h1', at(11), 12 * hour)).toBeDefined();
    expect(await t.store.users.getSession('h1', at(12), 12 * hour)).toBeUndefined();
    // Used every 11 hours, it lives until the week is over, and no longer.
    for (let hours = 11; hours < 7 * 24; hours += 11) {
      expect(await t.store.users.getSession('h1', at(hours), 12 * hour), `${hours} h`).toBeDefined();
      await t.store.users.touchSession('h1', at(hours));
    }
    expect(await t.store.users.getSession('h1', at(7 * 24), 12 * hour)).toBeUndefined();
    expect(await t.store.users.pruneSessions(at(7 * 24), 12 * hour)).toBe(1);
  });
});
