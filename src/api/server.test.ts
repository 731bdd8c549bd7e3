import { readFileSync } from 'node:fs';
import path from 'node:path';
import type { FastifyInstance } from 'fastify';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { backends, createTestStore, type TestStore } from '../../test/helpers/stores.js';
import { createServer } from './server.js';
import { generateToken, hashToken } from '../app/tokens.js';

const fixtures = path.resolve(import.meta.dirname, '../../test/fixtures/alerts');
const graphAlert = readFileSync(path.join(fixtures, 'msgraph/alert_v2_get_example.json'), 'utf8');
const suricata = readFileSync(path.join(fixtures, 'suricata/beats-eve-alerts-http.ndjson'), 'utf8');

describe.each(backends)('REST API on %s', (dialect) => {
  let t: TestStore;
  let app: FastifyInstance;
  const tokens: Record<string, string> = {};
  const auth = (role: string) => ({ authorization: `Bearer ${tokens[role]}` });

  beforeEach(async () => {
    t = await createTestStore(dialect);
    app = createServer({ store: t.store, version: '0.0.0-test', bodyLimit: 64 * 1024 });
    for (const role of ['viewer', 'analyst', 'responder', 'admin'] as const) {
      tokens[role] = generateToken();
      await t.store.tokens.createToken({ name: role, role, tokenHash: hashToken(tokens[role]) }, new Date());
    }
  });
  afterEach(async () => {
    await app.close();
    await t.cleanup();
  });

  it('answers health without a token', async () => {
    const response = await app.inject({ method: 'GET', url: '/api/v1/health' });
    expect(response.statusCode).toBe(200);
    expect(response.json()).toEqual({ status: 'ok', version: '0.0.0-test', store: { dialect } });
  });

  it('publishes an OpenAPI document that lists every route with its role', async () => {
    const response = await app.inject({ method: 'GET', url: '/api/v1/openapi.json' });
    const document = response.json();
    expect(document.openapi).toBe('3.1.0');
    expect(Object.keys(document.paths).sort()).toEqual([
      '/api/v1/actions',
      '/api/v1/actions/approve',
      '/api/v1/actions/cancel',
      '/api/v1/actions/export',
      '/api/v1/actions/reject',
      '/api/v1/actions/types',
      '/api/v1/actions/undo',
      '/api/v1/actions/{id}',
      '/api/v1/actions/{id}/result',
      '/api/v1/agent/enroll',
      '/api/v1/agent/heartbeat',
      '/api/v1/agent/tasks',
      '/api/v1/agent/tasks/{id}/result',
      '/api/v1/agents',
      '/api/v1/agents/enrollment-tokens',
      '/api/v1/agents/{id}/revoke',
      '/api/v1/alerts',
      '/api/v1/alerts/status',
      '/api/v1/alerts/{id}',
      '/api/v1/audit',
      '/api/v1/connectors',
      '/api/v1/connectors/{name}',
      '/api/v1/connectors/{name}/test',
      '/api/v1/dashboard',
      '/api/v1/dashboard/charts',
      '/api/v1/device-groups',
      '/api/v1/device-groups/{name}',
      '/api/v1/events',
      '/api/v1/events/{id}',
      '/api/v1/feeds',
      '/api/v1/feeds/tokens',
      '/api/v1/feeds/tokens/{id}/revoke',
      '/api/v1/health',
      '/api/v1/incidents',
      '/api/v1/incidents/{id}',
      '/api/v1/incidents/{id}/comments',
      '/api/v1/indicators',
      '/api/v1/indicators/import',
      '/api/v1/indicators/{id}',
      '/api/v1/inputs',
      '/api/v1/investigations',
      '/api/v1/investigations/{id}',
      '/api/v1/investigations/{id}/approve-expansion',
      '/api/v1/investigations/{id}/cancel',
      '/api/v1/investigations/{id}/feedback',
      '/api/v1/mailbox-groups',
      '/api/v1/mailbox-groups/{name}',
      '/api/v1/policy',
      '/api/v1/policy/shadow',
      '/api/v1/precision',
      '/api/v1/rules',
      '/api/v1/rules/{id}/enabled',
      '/api/v1/session',
      '/api/v1/session/oidc',
      '/api/v1/session/oidc/callback',
      '/api/v1/session/providers',
      '/api/v1/stream',
      '/api/v1/tags',
      '/api/v1/tokens',
      '/api/v1/tokens/{id}',
      '/api/v1/user-groups',
      '/api/v1/user-groups/{name}',
      '/api/v1/users',
      '/api/v1/users/{name}',
      '/es/',
      '/es/_bulk',
      '/es/{index}/_bulk',
      '/feeds/domain.txt',
      '/feeds/ip.txt',
      '/feeds/rpz.zone',
      '/feeds/url.txt',
      '/metrics',
      '/services/collector',
      '/services/collector/event',
      '/services/collector/event/1.0',
      '/services/collector/raw',
      '/services/collector/raw/1.0',
    ]);
    expect(document.paths['/api/v1/alerts'].post['x-autoir-role']).toBe('ingest');
    const parameters = document.paths['/api/v1/alerts'].get.parameters.map(
      (parameter: { name: string }) => parameter.name,
    );
    expect(parameters).toEqual(expect.arrayContaining(['severity', 'since', 'entity', 'cursor', 'limit']));
    expect(document.paths['/api/v1/alerts/{id}'].get.parameters[0]).toMatchObject({
      name: 'id',
      in: 'path',
      required: true,
    });
  });

  it('turns posted alerts into incidents, shows why, and takes analyst changes and comments', async () => {
    const alert = (ref: string, host: string, minute: number) =>
      JSON.stringify({
        source: 'edr',
        sourceRef: ref,
        title: `Alert ${ref}`,
        severity: 'high',
        createdAt: `2024-05-01T10:${String(minute).padStart(2, '0')}:00Z`,
        entities: [{ type: 'device', hostname: host }],
      });
    const posted = await app.inject({
      method: 'POST',
      url: '/api/v1/alerts',
      headers: { ...auth('analyst'), 'content-type': 'application/x-ndjson' },
      payload: [
        alert('a', 'ws1.corp.example', 0),
        alert('b', 'ws1.corp.example', 5),
        alert('c', 'ws2.corp.example', 6),
      ].join('\n'),
    });
    expect(posted.statusCode).toBe(200);
    const list = await app.inject({ method: 'GET', url: '/api/v1/incidents', headers: auth('viewer') });
    expect(list.statusCode).toBe(200);
    const items = list.json().items as { id: string; alertCount: number }[];
    expect(items.map((incident) => incident.alertCount).sort()).toEqual([1, 2]);
    const pair = items.find((incident) => incident.alertCount === 2)!;
    const shown = (
      await app.inject({ method: 'GET', url: `/api/v1/incidents/${pair.id}`, headers: auth('viewer') })
    ).json();
    expect(shown.links).toEqual([
      { alertId: shown.alertIds[1], otherAlertId: shown.alertIds[0], entityKey: 'device:ws1.corp.example' },
    ]);

    const patch = { classification: 'truePositive', assignedTo: 'alice', tags: ['lsass'] };
    const denied = await app.inject({
      method: 'PATCH',
      url: `/api/v1/incidents/${pair.id}`,
      headers: auth('viewer'),
      payload: patch,
    });
    expect(denied.statusCode).toBe(403);
    const patched = await app.inject({
      method: 'PATCH',
      url: `/api/v1/incidents/${pair.id}`,
      headers: auth('analyst'),
      payload: patch,
    });
    expect(patched.statusCode).toBe(200);
    expect(patched.json()).toMatchObject({
      classification: 'truePositive',
      assignedTo: 'alice',
      tags: ['lsass'],
    });
    const bad = await app.inject({
      method: 'PATCH',
      url: `/api/v1/incidents/${pair.id}`,
      headers: auth('analyst'),
      payload: { classification: 'maybe' },
    });
    expect(bad.statusCode).toBe(400);
    expect(bad.json().error.field).toBe('classification');
    const commented = await app.inject({
      method: 'POST',
      url: `/api/v1/incidents/${pair.id}/comments`,
      headers: auth('analyst'),
      payload: { text: 'Looking into it.' },
    });
    expect(commented.json().comments).toEqual([
      { author: 'analyst', text: 'Looking into it.', createdAt: expect.any(String) },
    ]);
    expect(
      (await app.inject({ method: 'GET', url: '/api/v1/incidents/inc_999', headers: auth('viewer') }))
        .statusCode,
    ).toBe(404);
  });

  it('refuses a missing, unknown or revoked token with 401, and a too-weak role with 403', async () => {
    expect((await app.inject({ method: 'GET', url: '/api/v1/alerts' })).statusCode).toBe(401);
    const unknown = await app.inject({
      method: 'GET',
      url: '/api/v1/alerts',
      headers: { authorization: 'Bearer autoir_nope' },
    });
    expect(unknown.statusCode).toBe(401);
    expect(unknown.json().error.code).toBe('AUTOIR_E_UNAUTHENTICATED');
    expect(unknown.headers['www-authenticate']).toMatch(/^Bearer/);
    const forbidden = await app.inject({
      method: 'POST',
      url: '/api/v1/alerts',
      headers: auth('viewer'),
      payload: graphAlert,
    });
    expect(forbidden.statusCode).toBe(403);
    expect(await t.store.alerts.countAlerts()).toBe(0);
    await t.store.tokens.revokeToken('analyst', new Date());
    expect(
      (await app.inject({ method: 'GET', url: '/api/v1/alerts', headers: auth('analyst') })).statusCode,
    ).toBe(401);
  });

  it('ingests an object, re-ingesting it updates rather than duplicates, and reads it back', async () => {
    const first = await app.inject({
      method: 'POST',
      url: '/api/v1/alerts',
      headers: { ...auth('analyst'), 'content-type': 'application/json' },
      payload: graphAlert,
    });
    expect(first.statusCode).toBe(200);
    expect(first.json()).toMatchObject({
      created: 1,
      updated: 0,
      errors: 0,
      results: [{ index: 0, line: 1, status: 'created', format: 'msgraph' }],
    });
    const again = await app.inject({
      method: 'POST',
      url: '/api/v1/alerts',
      headers: auth('analyst'),
      payload: graphAlert,
    });
    expect(again.json()).toMatchObject({ created: 0, updated: 1 });
    const id = first.json().results[0].id as string;
    expect(again.json().results[0].id).toBe(id);

    const list = await app.inject({ method: 'GET', url: '/api/v1/alerts', headers: auth('viewer') });
    expect(list.json().items).toHaveLength(1);
    const alert = await app.inject({
      method: 'GET',
      url: `/api/v1/alerts/${id}?include=raw`,
      headers: auth('viewer'),
    });
    expect(alert.json()).toMatchObject({
      id,
      source: 'microsoftDefenderForEndpoint',
      // Posted alerts are correlated at once: this one is its own incident.
      incidentId: expect.stringMatching(/^inc_\d+$/),
      raw: { id: 'da637578995287051192_756343937' },
    });
    expect(alert.json().entities.map((entity: { key: string }) => entity.key)).toContain(
      'file:sha256:8963a19fb992ad9a76576c5638fd68292cffb9aaac29eb8285f9abf6196a7dec',
    );
  });

  it('ingests NDJSON with per-item results, storing the good items and naming the bad line and field', async () => {
    const lines = suricata.trim().split('\n');
    const broken = JSON.parse(lines[1]!) as { alert: Record<string, unknown> };
    broken.alert.signature_id = 'not a number';
    const body = [lines[0], '{"truncated": ', JSON.stringify(broken)].join('\n');
    const response = await app.inject({
      method: 'POST',
      url: '/api/v1/alerts',
      headers: { ...auth('analyst'), 'content-type': 'application/x-ndjson' },
      payload: body,
    });
    expect(response.statusCode).toBe(200);
    const results = response.json().results;
    expect(results.map((result: { status: string }) => result.status)).toEqual(['created', 'error', 'error']);
    expect(results[1]).toMatchObject({
      line: 2,
      error: { code: 'AUTOIR_E_BAD_INPUT', message: expect.stringMatching(/not valid JSON/) },
    });
    expect(results[2]).toMatchObject({
      line: 3,
      error: { field: 'alert.signature_id', message: expect.stringMatching(/expected number/) },
    });
    expect(await t.store.alerts.countAlerts()).toBe(1);
  });

  it('stores nothing in strict mode when one item is bad, and says so with 400', async () => {
    const body = JSON.stringify([JSON.parse(graphAlert), { foo: 1 }]);
    const response = await app.inject({
      method: 'POST',
      url: '/api/v1/alerts?strict=true',
      headers: auth('analyst'),
      payload: body,
    });
    expect(response.statusCode).toBe(400);
    expect(response.json()).toMatchObject({ created: 0, stored: false, errors: 1 });
    expect(response.json().results[1].error.code).toBe('AUTOIR_E_UNKNOWN_FORMAT');
    expect(await t.store.alerts.countAlerts()).toBe(0);
  });

  it('checks the token before reading a body: no token, no 413, just 401', async () => {
    const big = 'x'.repeat(200 * 1024);
    const response = await app.inject({ method: 'POST', url: '/api/v1/alerts', payload: big });
    expect(response.statusCode).toBe(401);
  });

  it('shows investigations with their evidence and findings, starts and cancels them, and keeps indicators', async () => {
    const posted = await app.inject({
      method: 'POST',
      url: '/api/v1/alerts',
      headers: { ...auth('analyst'), 'content-type': 'application/json' },
      payload: JSON.stringify({
        source: 'edr',
        sourceRef: 'm1',
        title: 'Trojan detected',
        severity: 'critical',
        category: 'malware',
        createdAt: '2024-05-01T10:00:00Z',
        entities: [
          { type: 'device', hostname: 'ws9.corp.example' },
          { type: 'file', sha256: 'cd'.repeat(32), path: 'C:\\Users\\bo\\Downloads\\x.exe' },
        ],
      }),
    });
    expect(posted.statusCode).toBe(200);
    const blocked = await app.inject({
      method: 'POST',
      url: '/api/v1/indicators',
      headers: auth('admin'),
      payload: { entityKey: `file:sha256:${'cd'.repeat(32)}`, action: 'block', title: 'known trojan' },
    });
    expect(blocked.statusCode).toBe(201);
    const bad = await app.inject({
      method: 'POST',
      url: '/api/v1/indicators',
      headers: auth('admin'),
      payload: { entityKey: 'device:ws9', action: 'block' },
    });
    expect(bad.statusCode).toBe(400);
    expect(bad.json().error.message).toMatch(/not a file hash, IP, domain, URL or mailbox/);

    const alertId = (await t.store.alerts.listAlerts({}, { limit: 1 })).items[0]!.id;
    const byViewerStatus = await app.inject({
      method: 'PATCH',
      url: `/api/v1/alerts/${alertId}`,
      headers: auth('viewer'),
      payload: { status: 'inProgress' },
    });
    expect(byViewerStatus.statusCode).toBe(403);
    const status = await app.inject({
      method: 'PATCH',
      url: `/api/v1/alerts/${alertId}`,
      headers: auth('analyst'),
      payload: { status: 'inProgress' },
    });
    expect(status.json()).toMatchObject({ status: 'inProgress', statusSetBy: 'analyst:analyst' });
    const badStatus = await app.inject({
      method: 'PATCH',
      url: `/api/v1/alerts/${alertId}`,
      headers: auth('analyst'),
      payload: { status: 'closed' },
    });
    expect(badStatus.statusCode).toBe(400);

    const { runUntilIdle } = await import('../worker/worker.js');
    const { loadPlaybooks } = await import('../investigate/playbooks.js');
    await runUntilIdle(t.store, { correlation: {}, playbooks: loadPlaybooks() });
    const list = await app.inject({ method: 'GET', url: '/api/v1/investigations', headers: auth('viewer') });
    expect(list.statusCode).toBe(200);
    const [summary] = list.json().items;
    expect(summary).toMatchObject({ playbook: 'malware', alertCount: 1 });
    const one = await app.inject({
      method: 'GET',
      url: `/api/v1/investigations/${summary.id}`,
      headers: auth('viewer'),
    });
    const file = one
      .json()
      .evidence.find((row: { key: string }) => row.key === `file:sha256:${'cd'.repeat(32)}`);
    expect(file.verdict).toBe('malicious');
    expect(file.findings).toEqual(
      expect.arrayContaining([expect.objectContaining({ analyzer: 'indicators' })]),
    );
    expect(one.json().log.map((entry: { step: string }) => entry.step)).toContain('conclude');

    const byViewer = await app.inject({
      method: 'POST',
      url: '/api/v1/investigations',
      headers: auth('viewer'),
      payload: { target: 'device:ws9.corp.example' },
    });
    expect(byViewer.statusCode).toBe(403);
    const started = await app.inject({
      method: 'POST',
      url: '/api/v1/investigations',
      headers: auth('analyst'),
      payload: { target: 'device:ws9.corp.example', comment: 'look again' },
    });
    expect(started.statusCode).toBe(201);
    expect(started.json()).toMatchObject({
      status: 'queued',
      playbook: 'general',
      trigger: { by: 'analyst' },
    });
    const cancelled = await app.inject({
      method: 'POST',
      url: `/api/v1/investigations/${started.json().id}/cancel`,
      headers: auth('responder'),
      payload: { comment: 'not needed' },
    });
    expect(cancelled.json()).toMatchObject({ status: 'terminatedByUser' });
    const again = await app.inject({
      method: 'POST',
      url: `/api/v1/investigations/${started.json().id}/cancel`,
      headers: auth('responder'),
      payload: {},
    });
    expect(again.statusCode).toBe(409);
    const unknown = await app.inject({
      method: 'POST',
      url: '/api/v1/investigations',
      headers: auth('analyst'),
      payload: { target: 'ip:1.2.3.4' },
    });
    expect(unknown.statusCode).toBe(400);
    const removed = await app.inject({
      method: 'DELETE',
      url: `/api/v1/indicators/${blocked.json().id}`,
      headers: auth('admin'),
    });
    expect(removed.statusCode).toBe(200);
    const indicators = await app.inject({
      method: 'GET',
      url: '/api/v1/indicators',
      headers: auth('viewer'),
    });
    expect(indicators.json().items).toEqual([]);
  });

  it('refuses a body over the limit with 413 and stores nothing', async () => {
    const big = JSON.stringify({ ...JSON.parse(graphAlert), description: 'x'.repeat(70 * 1024) });
    const response = await app.inject({
      method: 'POST',
      url: '/api/v1/alerts',
      headers: auth('analyst'),
      payload: big,
    });
    expect(response.statusCode).toBe(413);
    expect(response.json().error.code).toBe('AUTOIR_E_PAYLOAD_TOO_LARGE');
    expect(await t.store.alerts.countAlerts()).toBe(0);
  });

  it('answers an unparseable body with 400 naming the line', async () => {
    const response = await app.inject({
      method: 'POST',
      url: '/api/v1/alerts',
      headers: auth('analyst'),
      payload: 'hello',
    });
    expect(response.statusCode).toBe(400);
    expect(response.json().results[0]).toMatchObject({
      line: 1,
      status: 'error',
      error: { message: expect.stringMatching(/not JSON/) },
    });
  });

  it('forces a format with ?format= and refuses an unknown one', async () => {
    const forced = await app.inject({
      method: 'POST',
      url: '/api/v1/alerts?format=wazuh',
      headers: auth('analyst'),
      payload: graphAlert,
    });
    expect(forced.statusCode).toBe(400);
    expect(forced.json().results[0].error.message).toMatch(/not a valid Wazuh alert/);
    const unknown = await app.inject({
      method: 'POST',
      url: '/api/v1/alerts?format=csv',
      headers: auth('analyst'),
      payload: graphAlert,
    });
    expect(unknown.statusCode).toBe(400);
    expect(unknown.json().error).toMatchObject({ code: 'AUTOIR_E_BAD_INPUT', field: 'format' });
  });

  it('filters and pages alerts, and validates its query parameters', async () => {
    await app.inject({ method: 'POST', url: '/api/v1/alerts', headers: auth('analyst'), payload: suricata });
    await app.inject({
      method: 'POST',
      url: '/api/v1/alerts',
      headers: auth('analyst'),
      payload: graphAlert,
    });
    const all = await app.inject({ method: 'GET', url: '/api/v1/alerts?limit=2', headers: auth('viewer') });
    expect(all.json().items).toHaveLength(2);
    const next = await app.inject({
      method: 'GET',
      url: `/api/v1/alerts?limit=2&cursor=${all.json().nextCursor}`,
      headers: auth('viewer'),
    });
    expect(next.json()).toMatchObject({ items: [expect.anything()], nextCursor: null });
    const suricataOnly = await app.inject({
      method: 'GET',
      url: '/api/v1/alerts?source=suricata&severity=medium,low',
      headers: auth('viewer'),
    });
    expect(suricataOnly.json().items.map((alert: { source: string }) => alert.source)).toEqual([
      'suricata',
      'suricata',
    ]);
    const byEntity = await app.inject({
      method: 'GET',
      url: `/api/v1/alerts?entity=${encodeURIComponent('ip:93.184.216.34')}`,
      headers: auth('viewer'),
    });
    expect(byEntity.json().items).toHaveLength(1);
    const byTechnique = await app.inject({
      method: 'GET',
      url: '/api/v1/alerts?technique=t1564',
      headers: auth('viewer'),
    });
    expect(byTechnique.json().items.map((alert: { source: string }) => alert.source)).toEqual([
      'microsoftDefenderForEndpoint',
    ]);
    const bad = await app.inject({
      method: 'GET',
      url: '/api/v1/alerts?severity=urgent',
      headers: auth('viewer'),
    });
    expect(bad.statusCode).toBe(400);
    expect(bad.json().error.field).toBe('severity[0]');
    expect(
      (await app.inject({ method: 'GET', url: '/api/v1/alerts?limit=0', headers: auth('viewer') }))
        .statusCode,
    ).toBe(400);
    expect(
      (await app.inject({ method: 'GET', url: '/api/v1/alerts?cursor=zzz', headers: auth('viewer') }))
        .statusCode,
    ).toBe(400);
  });

  it('answers 404 for an unknown alert and an unknown route', async () => {
    const alert = await app.inject({
      method: 'GET',
      url: '/api/v1/alerts/alr_nope',
      headers: auth('viewer'),
    });
    expect(alert.statusCode).toBe(404);
    expect(alert.json().error.code).toBe('AUTOIR_E_ALERT_NOT_FOUND');
    expect((await app.inject({ method: 'GET', url: '/api/v1/nothing' })).json().error.code).toBe(
      'AUTOIR_E_NOT_FOUND',
    );
  });
});
