/**
 * The RBAC matrix, generated from the route table (through the OpenAPI document, which is generated from it): every
 * route is called without a token and with a token of each role, so a route added tomorrow is covered without
 * touching this file.
 */
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { backends, createTestStore, type TestStore } from '../../test/helpers/stores.js';
import { hasRole, isRole, tokenRoles, type Role } from '../domain/access.js';
import { createServer } from './server.js';
import { hashToken } from '../app/tokens.js';

interface RouteEntry {
  readonly method: string;
  /** As the OpenAPI document writes it: `/api/v1/actions/{id}`. */
  readonly path: string;
  /** What the test calls: path parameters replaced by values that name nothing. */
  readonly url: string;
  readonly role: Role | null;
}

/** Ids in each collection's own format, numbered so high that no test row has them. */
const dummyIds: Readonly<Record<string, string>> = {
  actions: 'act_999999',
  alerts: 'alr_999999',
  incidents: 'inc_999999',
  investigations: 'inv_999999',
  indicators: 'ind_999999',
  tokens: 'tok_999999',
};

function dummyUrl(path: string): string {
  // The event stream never ends; `once` makes it answer one snapshot and close, so the call can be checked.
  if (path === '/api/v1/stream') return `${path}?once=true`;
  return path.replace(/\/([^/]+)\/\{([A-Za-z0-9_]+)\}/g, (_match, collection: string, parameter: string) => {
    const value = parameter === 'id' ? (dummyIds[collection] ?? 'x_999999') : 'dummy-999999';
    return `/${collection}/${value}`;
  });
}

/** The routes of a freshly built server, as its OpenAPI document lists them, with the role each needs. */
async function routeTable(): Promise<RouteEntry[]> {
  const t = await createTestStore('sqlite');
  const app = createServer({ store: t.store, version: 'test' });
  try {
    const response = await app.inject({ method: 'GET', url: '/api/v1/openapi.json' });
    const document = response.json() as {
      paths: Record<string, Record<string, { 'x-autoir-role'?: unknown; security?: unknown[] }>>;
    };
    return Object.entries(document.paths).flatMap(([path, operations]) =>
      Object.entries(operations).map(([method, operation]) => {
        const role = operation['x-autoir-role'];
        if (role !== undefined && !isRole(role))
          throw new Error(`${method} ${path}: x-autoir-role ${String(role)} is not a role`);
        return { method: method.toUpperCase(), path, url: dummyUrl(path), role: role ?? null };
      }),
    );
  } finally {
    await app.close();
    await t.cleanup();
  }
}

const routes = await routeTable();

type Caller = Role | 'none';

interface MatrixCase {
  readonly sentence: string;
  readonly route: RouteEntry;
  readonly caller: Caller;
  readonly expected: 'unauthenticated' | 'forbidden' | 'allowed';
}

// (`POST /api/v1/agent/tasks/{id}/result` checks its body first: agents.api.test.ts shows its 401.)
const AGENT_CREDENTIAL_ROUTES = new Set(['POST /api/v1/agent/heartbeat', 'GET /api/v1/agent/tasks']);

const article = (role: Role) => (role === 'analyst' || role === 'admin' || role === 'ingest' ? 'an' : 'a');

const matrix: MatrixCase[] = routes.flatMap((route) =>
  (['none', ...tokenRoles] as const).map((caller): MatrixCase => {
    const name = `${route.method} ${route.path}`;
    // An agent's own calls after enrollment take its credential, never an API token or a session.
    if (route.role === null && AGENT_CREDENTIAL_ROUTES.has(`${route.method} ${route.path}`))
      return {
        sentence: `${name} takes only an agent's credential: it refuses ${caller === 'none' ? 'a caller without one' : `${article(caller)} ${caller}'s API token`} with 401`,
        route,
        caller,
        expected: 'unauthenticated',
      };
    // The blocklist feeds take only a feed token (read-only, for firewalls and resolvers).
    if (route.role === null && route.path.startsWith('/feeds/'))
      return {
        sentence: `${name} takes only a feed token: it refuses ${caller === 'none' ? 'a caller without one' : `${article(caller)} ${caller}'s API token`} with 401`,
        route,
        caller,
        expected: 'unauthenticated',
      };
    if (route.role === null)
      return {
        sentence: `${name} needs no token: it answers ${caller === 'none' ? 'a caller without one' : `${article(caller)} ${caller}`}`,
        route,
        caller,
        expected: 'allowed',
      };
    if (caller === 'none')
      return {
        sentence: `${name} refuses a caller without a token with 401`,
        route,
        caller,
        expected: 'unauthenticated',
      };
    if (!hasRole(caller, route.role))
      return {
        sentence: `${name} refuses ${article(caller)} ${caller} with 403: it needs ${route.role}`,
        route,
        caller,
        expected: 'forbidden',
      };
    return {
      sentence: `${name} lets ${article(caller)} ${caller} through (it needs ${route.role})`,
      route,
      caller,
      expected: 'allowed',
    };
  }),
);

const roleOf = (method: string, path: string) =>
  routes.find((route) => route.method === method && route.path === path)?.role;

describe('the route table behind the RBAC matrix', () => {
  it('has routes for no token and for every role', () => {
    const levels = new Set(routes.map((route) => route.role));
    expect([...levels].sort()).toEqual([...tokenRoles, null].sort());
    expect(routes.length).toBeGreaterThanOrEqual(30);
  });

  it.each([
    ['GET', '/api/v1/health', 'no token'],
    ['GET', '/api/v1/actions', 'viewer'],
    ['GET', '/api/v1/inputs', 'viewer'],
    ['GET', '/metrics', 'viewer'],
    ['POST', '/api/v1/investigations', 'analyst'],
    ['POST', '/api/v1/actions', 'responder'],
    ['POST', '/api/v1/actions/approve', 'responder'],
    ['POST', '/api/v1/actions/reject', 'responder'],
    ['POST', '/api/v1/actions/undo', 'responder'],
    ['PUT', '/api/v1/policy', 'admin'],
    ['GET', '/api/v1/audit', 'admin'],
    ['POST', '/api/v1/tokens', 'admin'],
    ['POST', '/api/v1/indicators', 'admin'],
    ['GET', '/api/v1/connectors', 'admin'],
    ['POST', '/api/v1/connectors/{name}/test', 'admin'],
  ] as const)('%s %s needs %s', (method, path, role) => {
    expect(roleOf(method, path) ?? 'no token').toBe(role);
  });

  it('names only routes the server has', async () => {
    const t = await createTestStore('sqlite');
    const app = createServer({ store: t.store, version: 'test' });
    try {
      await app.ready();
      for (const route of routes)
        expect(
          app.hasRoute({
            method: route.method as 'GET',
            url: route.path.replace(/\{([A-Za-z0-9_]+)\}/g, ':$1'),
          }),
          `${route.method} ${route.path}`,
        ).toBe(true);
    } finally {
      await app.close();
      await t.cleanup();
    }
  });
});

describe.each(backends)('the RBAC matrix on %s', (dialect) => {
  let t: TestStore;
  let app: FastifyInstance;
  const tokens = new Map<Role, string>();

  beforeAll(async () => {
    t = await createTestStore(dialect);
    app = createServer({ store: t.store, version: 'test' });
    for (const role of tokenRoles) {
      const token = `autoir_rbac_${role}_${dialect}`;
      tokens.set(role, token);
      await t.store.tokens.createToken(
        { name: `rbac-${role}`, role, tokenHash: hashToken(token) },
        new Date(),
      );
    }
  });
  afterAll(async () => {
    await app?.close();
    await t?.cleanup();
  });

  it.each(matrix.map((entry) => [entry.sentence, entry] as const))('%s', async (_sentence, entry) => {
    const { route, caller, expected } = entry;
    const response = await app.inject({
      method: route.method as 'GET',
      url: route.url,
      headers: caller === 'none' ? {} : { authorization: `Bearer ${tokens.get(caller)}` },
    });
    const what = `${route.method} ${route.url} as ${caller}: ${response.statusCode} ${response.body.slice(0, 300)}`;
    switch (expected) {
      case 'unauthenticated':
        expect(response.statusCode, what).toBe(401);
        expect(response.json().error.code, what).toBe('AUTOIR_E_UNAUTHENTICATED');
        break;
      case 'forbidden':
        expect(response.statusCode, what).toBe(403);
        expect(response.json().error.code, what).toBe('AUTOIR_E_FORBIDDEN');
        break;
      case 'allowed':
        expect([401, 403], what).not.toContain(response.statusCode);
        // A made-up id or a missing body is the caller's mistake, never the server's.
        expect(response.statusCode, what).toBeLessThan(500);
        break;
    }
  });
});
