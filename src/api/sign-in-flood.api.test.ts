/**
 * A flood of sign-ins, as an attacker would send it, on both backends: random user names from one address, from
 * many addresses, all at once. Each is answered — 401, or 429 once a limit is reached — never 500; random names
 * add no rows to the store; and password hashing, the costly part, runs a bounded few at a time.
 */
import { randomBytes } from 'node:crypto';
import { sql, type Kysely } from 'kysely';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { FastifyInstance } from 'fastify';
import { backends, createTestStore, type TestStore } from '../../test/helpers/stores.js';
import { createPostgresKysely } from '../store/postgres.js';
import type { Database } from '../store/schema.js';
import { createSqliteKysely } from '../store/sqlite.js';
import { UnknownNameFailures } from './sign-in-failures.js';
import { createServer, type RateLimits } from './server.js';

describe.each(backends)('a sign-in flood on %s', (dialect) => {
  let t: TestStore;
  let app: FastifyInstance;
  const start = (rateLimits?: Partial<RateLimits>) => {
    app = createServer({
      store: t.store,
      version: 'test',
      webRoot: null,
      ...(rateLimits ? { rateLimits } : {}),
    });
  };
  beforeEach(async () => {
    t = await createTestStore(dialect);
  });
  afterEach(async () => {
    await app?.close();
    await t.cleanup();
  });

  const signIn = (username: string, remoteAddress = '203.0.113.7') =>
    app.inject({
      method: 'POST',
      url: '/api/v1/session',
      payload: { username, password: 'not-the-password-123' },
      remoteAddress,
    });

  const failureRows = async () => {
    const db: Kysely<Database> =
      t.config.kind === 'sqlite'
        ? createSqliteKysely({ dataDir: t.config.dataDir }).db
        : await createPostgresKysely(t.config);
    try {
      const result = await sql<{ n: number }>`select count(*) as n from sign_in_failures`.execute(db);
      return Number(result.rows[0]?.n);
    } finally {
      await db.destroy();
    }
  };

  it('limits sign-ins per address, and random names add no rows', async () => {
    start();
    const statuses: number[] = [];
    for (let i = 0; i < 14; i++)
      statuses.push((await signIn(`nobody-${randomBytes(4).toString('hex')}`)).statusCode);
    expect(statuses.slice(0, 10)).toEqual(Array(10).fill(401));
    expect(statuses.slice(10)).toEqual(Array(4).fill(429));
    const refused = await signIn('someone');
    expect(refused.json().error.code).toBe('AUTOIR_E_TOO_MANY_ATTEMPTS');
    expect(Number(refused.headers['retry-after'])).toBeGreaterThan(0);
    // Another address is not held back by this one.
    expect((await signIn('someone', '198.51.100.9')).statusCode).toBe(401);
    expect(await failureRows()).toBe(0);
  });

  it('caps sign-ins from all addresses together', async () => {
    start({ signInOverall: 12 });
    const statuses: number[] = [];
    for (let i = 0; i < 15; i++) statuses.push((await signIn(`n${i}`, `198.18.0.${i + 1}`)).statusCode);
    expect(statuses.filter((status) => status === 401)).toHaveLength(12);
    expect(statuses.slice(12)).toEqual([429, 429, 429]);
  });

  it('hashes a bounded few passwords at a time, and turns the rest away rather than queueing without end', async () => {
    start({ signInOverall: 1000 });
    const responses = await Promise.all(
      Array.from({ length: 100 }, (_, i) =>
        signIn(`bogus-${i}`, `198.18.${Math.floor(i / 200)}.${(i % 200) + 1}`),
      ),
    );
    const statuses = responses.map((response) => response.statusCode);
    expect(statuses.filter((status) => status !== 401 && status !== 429)).toEqual([]);
    const busy = responses.filter((response) => response.statusCode === 429);
    expect(busy.length).toBeGreaterThan(0);
    expect(busy[0]!.json().error.message).toMatch(/busy checking passwords/);
    expect(await failureRows()).toBe(0);
  });

  it('limits requests per address on every route', async () => {
    start({ perAddress: 5 });
    const statuses: number[] = [];
    for (let i = 0; i < 7; i++)
      statuses.push(
        (await app.inject({ method: 'GET', url: '/api/v1/health', remoteAddress: '192.0.2.1' })).statusCode,
      );
    expect(statuses).toEqual([200, 200, 200, 200, 200, 429, 429]);
  });
});

describe('failed sign-ins for names without an account', () => {
  it('are locked like a real account’s, and remembered for a bounded number of names', () => {
    const failures = new UnknownNameFailures({ maxFailures: 3, windowMs: 60_000, lockMs: 120_000 }, 100);
    const now = new Date('2026-01-01T00:00:00Z');
    expect(failures.record('ghost', now)).toBeUndefined();
    expect(failures.record('ghost', now)).toBeUndefined();
    expect(failures.record('ghost', now)).toEqual(new Date(now.getTime() + 120_000));
    expect(failures.lockedUntil('ghost', new Date(now.getTime() + 60_000))).toBeDefined();
    expect(failures.lockedUntil('ghost', new Date(now.getTime() + 121_000))).toBeUndefined();
    for (let i = 0; i < 1000; i++) failures.record(`random-${i}`, now);
    expect(failures.size).toBe(100);
  });
});
