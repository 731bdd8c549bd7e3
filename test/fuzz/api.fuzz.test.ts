/**
 * Fuzzing every API body (property-based, fast-check), on both backends: for each operation of the OpenAPI document
 * that takes a body, valid bodies mutated and any JSON at all, sent by an admin. Whatever arrives: never a 500, and
 * a refused request (4xx) writes nothing — every write is audited in its own transaction, so the audit log's newest
 * entry and the store's counts must be as they were.
 *
 * `AUTOIR_FUZZ_RUNS` sets the cases per operation (CI: a bounded sample; `npm run fuzz`: 10,000). Bodies a run
 * finds become fixtures in test/fixtures/fuzz/api/ (`{ "method", "url", "body" }`) and are replayed first.
 */
import { randomBytes } from 'node:crypto';
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import fc from 'fast-check';
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { backends, createTestStore, type TestStore } from '../helpers/stores.js';
import { createServer } from '../../src/api/server.js';
import { hashToken } from '../../src/app/tokens.js';
import { secretBox } from '../../src/connectors/secrets.js';
import { anyJson, apiFuzzRuns, fuzzTimeout, mutatedJson } from './arbitraries.js';

const openapi = JSON.parse(
  readFileSync(path.resolve(import.meta.dirname, '../../docs/api/openapi.json'), 'utf8'),
) as { paths: Record<string, Record<string, { requestBody?: unknown }>> };

/** Every operation that takes a body. */
const operations = Object.entries(openapi.paths).flatMap(([url, methods]) =>
  Object.entries(methods)
    .filter(([, operation]) => operation.requestBody !== undefined)
    .map(([method, _operation]) => ({ method: method.toUpperCase() as 'POST' | 'PUT' | 'PATCH', url })),
);

/** A valid body per operation, the seed of its mutations. */
const valid: Record<string, unknown> = {
  'POST /api/v1/alerts': {
    source: 'edr',
    sourceRef: 'fuzz-1',
    title: 'Suspicious logon',
    severity: 'high',
    createdAt: '2024-05-01T10:00:00Z',
    entities: [{ type: 'device', hostname: 'ws1.corp.example' }],
  },
  'PATCH /api/v1/alerts/{id}': { status: 'resolved', classification: 'truePositive' },
  'POST /api/v1/alerts/status': { ids: ['alr_1', 'alr_2'], status: 'resolved' },
  'PUT /api/v1/rules/{id}/enabled': { enabled: false, reason: 'noisy on the build servers' },
  'PATCH /api/v1/incidents/{id}': { status: 'active', assignedTo: 'kim', classification: 'truePositive' },
  'POST /api/v1/incidents/{id}/comments': { text: 'looked at it' },
  'POST /api/v1/investigations': { incidentId: 'inc_1' },
  'POST /api/v1/investigations/{id}/cancel': { comment: 'done' },
  'POST /api/v1/investigations/{id}/feedback': {
    evidenceKey: 'file:sha256:aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa',
    verdict: 'wrong',
    reason: 'our build tool',
    lesson: { for: '30d' },
  },
  'POST /api/v1/indicators': { type: 'fileSha256', value: 'a'.repeat(64), action: 'block' },
  'POST /api/v1/indicators/import': {
    type: 'bundle',
    id: 'bundle--5d0092c5-5f74-4287-9642-33f4c354e56d',
    objects: [
      {
        type: 'indicator',
        spec_version: '2.1',
        id: 'indicator--00000000-0000-4000-8000-000000000001',
        created: '2024-03-01T09:00:00.000Z',
        modified: '2024-03-01T09:00:00.000Z',
        pattern_type: 'stix',
        pattern: "[ipv4-addr:value = '203.0.113.7']",
        valid_from: '2024-03-01T09:00:00Z',
      },
    ],
  },
  'POST /api/v1/actions': { type: 'isolateDevice', targetKey: 'device:ws1.corp.example' },
  'POST /api/v1/actions/approve': { ids: ['act_1'], comment: 'go' },
  'POST /api/v1/actions/reject': { ids: ['act_1'], comment: 'no' },
  'POST /api/v1/actions/undo': { ids: ['act_1'] },
  'POST /api/v1/actions/cancel': { ids: ['act_1'] },
  'POST /api/v1/actions/{id}/result': { status: 'succeeded', message: 'done' },
  'PUT /api/v1/policy': { approvalExpiry: '3d', notifications: { digest: '5m' } },
  'PUT /api/v1/device-groups/{name}': {
    rules: [{ name: 'srv*' }],
    level: 'full',
    shadow: { level: 'full', actionTypes: ['isolateDevice'] },
  },
  'PUT /api/v1/mailbox-groups/{name}': { rules: [{ address: '*@corp.example' }], level: 'semi' },
  'PUT /api/v1/user-groups/{name}': { rules: [{ name: 'adm*' }], level: 'none' },
  'POST /api/v1/tags': { entityKey: 'device:ws1.corp.example', tag: 'vip' },
  'PUT /api/v1/connectors/{name}': {
    kind: 'webhook',
    settings: { url: 'https://edr.example.com/', secret: 'a-long-enough-secret' },
  },
  'POST /api/v1/tokens': { name: 'fuzz', role: 'viewer', expiresIn: '1d' },
  'POST /api/v1/session': { username: 'root', password: 'not-the-password-1' },
  'POST /api/v1/users': { username: 'fuzzer', role: 'viewer', password: 'a-long-password-123' },
  'PATCH /api/v1/users/{name}': { role: 'analyst' },
  'POST /api/v1/agents/enrollment-tokens': { group: 'Linux servers', expiresIn: '2h' },
  'POST /api/v1/agent/enroll': {
    token: 'autoir_enroll_fuzz',
    identity: {
      hostname: 'web1',
      fqdn: 'web1.corp.example',
      os: 'linux 6.1',
      version: '0.1.0',
      addresses: ['10.0.0.21'],
    },
  },
  'POST /api/v1/agent/heartbeat': {
    identity: { hostname: 'web1', os: 'linux 6.1', version: '0.1.0', addresses: ['10.0.0.21'] },
  },
  'POST /api/v1/agent/tasks/{id}/result': { status: 'succeeded', message: 'done' },
  'POST /api/v1/feeds/tokens': { name: 'pa-edge' },
  'POST /api/v1/feeds/tokens/{id}/revoke': {},
  'POST /api/v1/events': {
    '@timestamp': '2024-05-01T10:00:00Z',
    event: { kind: 'event', category: ['process'], type: ['start'] },
    host: { name: 'ws1.corp.example' },
    process: { name: 'cmd.exe', pid: 4 },
  },
  'POST /es/_bulk': { create: { _index: 'logs' } },
  'POST /es/{index}/_bulk': { index: {} },
  'POST /services/collector/event': { event: { message: 'hello' }, time: 1714557600 },
  'POST /services/collector': { event: 'a line', host: 'ws1' },
  'POST /services/collector/event/1.0': { event: { message: { a: 1 }, severity: 'info' } },
  'POST /services/collector/raw': { line: 'hello' },
  'POST /services/collector/raw/1.0': { line: 'hello' },
};

const paramValues = {
  id: ['inc_1', 'act_1', 'inv_1', 'alt_1', 'x', '%00', '..%2F..', 'inc_99999999999999999999'],
  name: ['Servers', 'Default', 'root', 'edr', 'fuzz', '%F0%9F%92%A3', 'a'.repeat(300)],
  index: ['logs', 'winlogbeat-8.17', '%00', 'a'.repeat(300)],
};

/** Found bodies, replayed first. */
const foundDir = path.resolve(import.meta.dirname, '../fixtures/fuzz/api');
const found = readdirSync(foundDir)
  .filter((file) => file.endsWith('.json'))
  .map((file) => ({
    file,
    ...(JSON.parse(readFileSync(path.join(foundDir, file), 'utf8')) as {
      method: string;
      url: string;
      body: unknown;
    }),
  }));

describe.each(backends)('API bodies under fuzzing on %s', (dialect) => {
  let t: TestStore;
  let app: FastifyInstance;
  const TOKEN = `autoir_fuzz_${randomBytes(8).toString('hex')}`;
  beforeAll(async () => {
    t = await createTestStore(dialect);
    await t.store.tokens.createToken(
      { name: 'root', role: 'admin', tokenHash: hashToken(TOKEN) },
      new Date(),
    );
    app = createServer({
      store: t.store,
      version: 'fuzz',
      webRoot: null,
      secrets: secretBox(randomBytes(32)),
      rateLimits: { perAddress: 1e9, signInPerAddress: 1e9, signInOverall: 1e9 },
    });
    // Something to refer to: an alert (and its incident) and an action.
    const send = (method: 'POST', url: string, body: unknown) =>
      app.inject({ method, url, payload: body as object, headers: { authorization: `Bearer ${TOKEN}` } });
    expect((await send('POST', '/api/v1/alerts', valid['POST /api/v1/alerts'])).statusCode).toBe(200);
    expect((await send('POST', '/api/v1/actions', valid['POST /api/v1/actions'])).statusCode).toBe(201);
  });
  afterAll(async () => {
    await app?.close();
    await t?.cleanup();
  });

  /** What a refused request must leave as it was. */
  const snapshot = async () => {
    const [audit, alerts, actions] = await Promise.all([
      t.store.audit.list({}, { limit: 1 }),
      t.store.alerts.countAlerts(),
      t.store.actions.count({}),
    ]);
    return JSON.stringify([audit.items[0] ?? null, alerts, actions]);
  };

  async function check(method: string, url: string, body: unknown): Promise<void> {
    const before = await snapshot();
    const response = await app.inject({
      method: method as 'POST',
      url,
      headers: { authorization: `Bearer ${TOKEN}`, 'content-type': 'application/json' },
      payload: JSON.stringify(body) ?? 'null',
    });
    expect(
      response.statusCode,
      `${method} ${url} ${JSON.stringify(body)?.slice(0, 300)}: ${response.body.slice(0, 300)}`,
    ).toBeLessThan(500);
    if (response.statusCode >= 400)
      expect(await snapshot(), `${method} ${url} answered ${response.statusCode} but wrote`).toBe(before);
  }

  it.each(found)('replays $file', async ({ method, url, body }) => {
    await check(method, url, body);
  });

  it.each(operations)(
    '$method $url: never 500, and a refused body writes nothing',
    async ({ method, url }) => {
      const seed = valid[`${method} ${url}`];
      expect(seed, `a valid body for ${method} ${url} (add it to this suite)`).toBeDefined();
      const concrete = fc
        .tuple(fc.constantFrom(...paramValues.id), fc.constantFrom(...paramValues.name))
        .map(([id, name]) => url.replace('{id}', id).replace('{name}', name));
      await fc.assert(
        fc.asyncProperty(
          concrete,
          fc.oneof(mutatedJson([seed]), anyJson(), fc.constant(seed)),
          (target, body) => check(method, target, body),
        ),
        { numRuns: apiFuzzRuns },
      );
    },
    fuzzTimeout,
  );
});
