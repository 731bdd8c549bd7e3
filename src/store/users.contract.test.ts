/**
 * Local accounts, sessions and failed sign-ins through the store, on SQLite and PostgreSQL: names are unique,
 * hashes stay inside, a session follows its principal (role, disabled, deleted, revoked), and failures are counted
 * in a window, lock, and start again.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { backends, createTestStore, type TestStore } from '../../test/helpers/stores.js';
import type { SignInDamping } from '../domain/access.js';

const start = new Date('2030-01-01T00:00:00.000Z');
const minutes = (n: number) => new Date(start.getTime() + n * 60_000);
const DAY = 86_400_000;
const damping: SignInDamping = { maxFailures: 3, windowMs: 10 * 60_000, lockMs: 30 * 60_000 };

describe.each(backends)('users and sessions on %s', (dialect) => {
  let t: TestStore;
  beforeEach(async () => {
    t = await createTestStore(dialect);
  });
  afterEach(async () => {
    await t.cleanup();
  });

  const session = (idHash: string, principal: string) =>
    t.store.users.createSession(
      {
        idHash,
        principal,
        role: 'viewer',
        csrfToken: `csrf-${idHash}`,
        expiresAt: new Date(start.getTime() + 7 * DAY),
      },
      start,
    );
  const live = (idHash: string) => t.store.users.getSession(idHash, minutes(1), DAY);

  it('keeps user names unique and lists users by name without their hashes', async () => {
    await t.store.users.createUser({ username: 'zoe', passwordHash: 'h-zoe', role: 'viewer' }, start);
    const amy = await t.store.users.createUser(
      { username: 'amy', passwordHash: 'h-amy', role: 'admin' },
      start,
    );
    expect(amy).toEqual({
      id: expect.stringMatching(/^usr_/),
      username: 'amy',
      role: 'admin',
      createdAt: start.toISOString(),
      updatedAt: start.toISOString(),
      disabledAt: null,
      lastLoginAt: null,
    });
    await expect(
      t.store.users.createUser({ username: 'amy', passwordHash: 'x', role: 'viewer' }, start),
    ).rejects.toMatchObject({ code: 'AUTOIR_E_CONFLICT' });
    const list = await t.store.users.listUsers();
    expect(list.map((user) => user.username)).toEqual(['amy', 'zoe']);
    expect(JSON.stringify(list)).not.toContain('h-');
    expect((await t.store.users.getCredentials('amy'))?.passwordHash).toBe('h-amy');
    expect(await t.store.users.getCredentials('nobody')).toBeUndefined();
  });

  it("gives a session its user's current role, and ends it when the user is disabled, re-keyed or deleted", async () => {
    await t.store.users.createUser({ username: 'amy', passwordHash: 'h1', role: 'responder' }, start);
    await session('s1', 'user:amy');
    expect((await live('s1'))?.role).toBe('responder');
    await t.store.users.setRole('amy', 'viewer', minutes(1));
    expect((await live('s1'))?.role).toBe('viewer');

    expect((await t.store.users.setDisabled('amy', true, minutes(1)))?.disabledAt).toBe(
      minutes(1).toISOString(),
    );
    expect(await live('s1')).toBeUndefined();
    expect((await t.store.users.setDisabled('amy', false, minutes(2)))?.disabledAt).toBeNull();

    await session('s2', 'user:amy');
    await session('s3', 'user:amy');
    await t.store.users.setPassword('amy', 'h2', minutes(1), 's3');
    expect(await live('s2')).toBeUndefined();
    expect(await live('s3')).toBeDefined();
    expect((await t.store.users.getCredentials('amy'))?.passwordHash).toBe('h2');

    expect((await t.store.users.deleteUser('amy'))?.username).toBe('amy');
    expect(await live('s3')).toBeUndefined();
    expect(await t.store.users.deleteUser('amy')).toBeUndefined();
    expect(await t.store.users.setRole('amy', 'admin', minutes(1))).toBeUndefined();
  });

  it('ends the sessions of a revoked token, and deletes sessions one by one or per principal', async () => {
    await t.store.tokens.createToken({ name: 'desk', role: 'analyst', tokenHash: 'th' }, start);
    await session('t1', 'token:desk');
    await session('t2', 'token:desk');
    expect((await live('t1'))?.role).toBe('analyst');
    expect(await t.store.users.deleteSession('t1')).toBe(true);
    expect(await t.store.users.deleteSession('t1')).toBe(false);
    expect(await live('t2')).toBeDefined();
    await t.store.tokens.revokeToken('desk', minutes(1));
    expect(await live('t2')).toBeUndefined();
    expect(await t.store.users.deleteSessionsOf('token:desk')).toBe(1);
    await session('x1', 'nobody:at-all');
    expect(await live('x1')).toBeUndefined();
  });

  it('counts failed sign-ins in a window, locks the name at the limit, and starts again after the lock', async () => {
    const fail = (at: Date, name = 'amy') => t.store.users.recordSignInFailure(name, at, damping);
    expect(await fail(minutes(0))).toBeUndefined();
    expect(await fail(minutes(1))).toBeUndefined();
    // The window is over: the count starts again.
    expect(await fail(minutes(11))).toBeUndefined();
    expect(await fail(minutes(12))).toBeUndefined();
    expect(await fail(minutes(13))).toEqual(minutes(43));
    expect(await t.store.users.signInLockedUntil('amy', minutes(42))).toEqual(minutes(43));
    expect(await t.store.users.signInLockedUntil('amy', minutes(43))).toBeUndefined();
    expect(await t.store.users.signInLockedUntil('bob', minutes(20))).toBeUndefined();
    // After the lock the name has its attempts again.
    expect(await fail(minutes(44))).toBeUndefined();
    await t.store.users.clearSignInFailures('amy');
    expect(await fail(minutes(45))).toBeUndefined();
    expect(await fail(minutes(46))).toBeUndefined();
    expect(await fail(minutes(47))).toBeDefined();
  });

  it('counts concurrent failures one by one', async () => {
    const results = await Promise.all(
      Array.from({ length: 6 }, () => t.store.users.recordSignInFailure('amy', minutes(0), damping)),
    );
    expect(results.filter((result) => result !== undefined).length).toBeGreaterThanOrEqual(1);
    expect(await t.store.users.signInLockedUntil('amy', minutes(1))).toEqual(minutes(30));
  });
});
