/**
 * The API in-process on a fresh test store, with a token per role (`call(role, method, url, body)`), and the
 * action center's usual moves: a pending action, a running one, a succeeded one, the audit log.
 */
import type { FastifyInstance } from 'fastify';
import { afterEach, beforeEach, expect } from 'vitest';
import { createTestStore, type TestStore } from './stores.js';
import type { StoreDialect } from '../../src/store/ports.js';
import type { Role } from '../../src/domain/access.js';
import { type ActionType, type ActionRecord } from '../../src/domain/action.js';
import { createServer, type ServerOptions } from '../../src/api/server.js';
import { hashToken } from '../../src/app/tokens.js';
import { secretBox } from '../../src/connectors/secrets.js';
import { randomBytes } from 'node:crypto';

export const DAY = 24 * 60 * 60 * 1000;

/** Token names per role: `decidedBy` and audit actors read `token:<name>`. */
export const names: Readonly<Record<Role, string>> = {
  ingest: 'shipper',
  viewer: 'vera',
  analyst: 'ann',
  responder: 'rita',
  admin: 'root',
};

export interface ActionJson {
  id: string;
  type: ActionType;
  targetKey: string;
  status: string;
  decidedBy: string | null;
  comment: string | null;
  undoOf: string | null;
  resultDetails: Record<string, unknown> | null;
}

export interface AuditJson {
  actor: string;
  operation: string;
  target: string;
  before: unknown;
  after: unknown;
}

/** RFC 4180, enough for the export: quoted cells with doubled quotes, CRLF between records. */
export function parseCsv(text: string): string[][] {
  const rows: string[][] = [];
  let row: string[] = [];
  let cell = '';
  let quoted = false;
  for (let i = 0; i < text.length; i++) {
    const char = text[i]!;
    if (quoted) {
      if (char === '"' && text[i + 1] === '"') {
        cell += '"';
        i++;
      } else if (char === '"') quoted = false;
      else cell += char;
    } else if (char === '"') quoted = true;
    else if (char === ',') {
      row.push(cell);
      cell = '';
    } else if (char === '\r' && text[i + 1] === '\n') {
      row.push(cell);
      rows.push(row);
      row = [];
      cell = '';
      i++;
    } else cell += char;
  }
  if (cell !== '' || row.length > 0) rows.push([...row, cell]);
  return rows;
}

/** Register a fresh store and server around each test of the calling suite; read them through the returned object. */
export function useApi(dialect: StoreDialect, options: Partial<Omit<ServerOptions, 'store'>> = {}) {
  let t: TestStore;
  let app: FastifyInstance;
  const tokens = new Map<Role, string>();

  const call = async (
    role: Role,
    method: 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE',
    url: string,
    payload?: object,
  ) =>
    app.inject({
      method,
      url,
      headers: { authorization: `Bearer ${tokens.get(role)}` },
      ...(payload === undefined ? {} : { payload }),
    });

  /** An action waiting for approval, as the planner leaves one. */
  const pending = async (type: ActionType, targetKey: string, deviceKey: string | null = null) => {
    const now = new Date();
    const { action, created } = await t.store.actions.create(
      {
        type,
        targetKey,
        deviceKey,
        group: { kind: 'device', name: 'Default' },
        investigationKey: null,
        evidenceKey: null,
        verdict: null,
        source: 'analyst',
        parameters: {},
        reasons: ['test'],
        requestedBy: 'test',
        decision: { outcome: 'wait', by: 'policy', rule: 'test rule' },
        expiresAt: new Date(now.getTime() + 7 * DAY),
      },
      now,
    );
    expect(created).toBe(true);
    return action;
  };

  const status = async (id: string) => (await t.store.actions.get(id))?.status;

  /** Ask for an action and let a worker claim it: it is then running. */
  const running = async (type: ActionType, targetKey: string, deviceKey?: string): Promise<ActionRecord> => {
    const requested = await call('responder', 'POST', '/api/v1/actions', {
      type,
      targetKey,
      ...(deviceKey ? { deviceKey } : {}),
    });
    expect(requested.statusCode, requested.body).toBe(201);
    const claimed = await t.store.actions.claim('w', new Date(), 60_000, 10);
    const action = claimed.find((item) => item.id === requested.json().id);
    expect(action?.status).toBe('running');
    return action!;
  };

  const succeeded = async (type: ActionType, targetKey: string, deviceKey?: string) => {
    const action = await running(type, targetKey, deviceKey);
    const result = await call('responder', 'POST', `/api/v1/actions/${action.id}/result`, {
      status: 'succeeded',
    });
    expect(result.statusCode, result.body).toBe(200);
    return action;
  };

  const auditLog = async (): Promise<AuditJson[]> => {
    const response = await call('admin', 'GET', '/api/v1/audit?limit=500');
    expect(response.statusCode, response.body).toBe(200);
    return response.json().items as AuditJson[];
  };

  beforeEach(async () => {
    t = await createTestStore(dialect);
    // Secrets given in the clear are sealed under a key of the test's own (app/secret-key.ts makes the real one).
    app = createServer({ store: t.store, version: 'test', secrets: secretBox(randomBytes(32)), ...options });
    for (const [role, name] of Object.entries(names) as [Role, string][]) {
      const token = `autoir_${name}_${dialect}`;
      tokens.set(role, token);
      await t.store.tokens.createToken({ name, role, tokenHash: hashToken(token) }, new Date());
    }
  });
  afterEach(async () => {
    await app.close();
    await t.cleanup();
  });

  return {
    get t() {
      return t;
    },
    get app() {
      return app;
    },
    call,
    pending,
    status,
    running,
    succeeded,
    auditLog,
  };
}
