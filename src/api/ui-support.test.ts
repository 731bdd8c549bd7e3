/**
 * What the web UI needs from the server, on both stores: the incidents queue sorted and counted with cursor
 * pages, the dashboard's figures, the change stream, and the built UI served with the single-page fallback.
 */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { backends, createTestStore, type TestStore } from '../../test/helpers/stores.js';
import { createServer } from './server.js';
import { generateToken, hashToken } from '../app/tokens.js';

let web: string;
beforeAll(() => {
  web = mkdtempSync(path.join(os.tmpdir(), 'autoir-web-'));
  mkdirSync(path.join(web, 'assets'));
  writeFileSync(path.join(web, 'index.html'), '<!doctype html><title>autoir</title><div id="root"></div>');
  writeFileSync(path.join(web, 'assets', 'app-1234.js'), 'console.log("ui")');
});
afterAll(() => rmSync(web, { recursive: true, force: true }));

const severities = ['low', 'critical', 'medium', 'high', 'critical', 'low', 'high'] as const;

describe.each(backends)('UI support on %s', (dialect) => {
  let t: TestStore;
  let app: ReturnType<typeof createServer>;
  const token = generateToken();
  const auth = { authorization: `Bearer ${token}` };

  beforeEach(async () => {
    t = await createTestStore(dialect);
    app = createServer({ store: t.store, version: 'test', webRoot: web });
    await t.store.tokens.createToken(
      { name: 'ui', role: 'analyst', tokenHash: hashToken(token) },
      new Date(),
    );
    // One alert per device: seven incidents of known severities.
    const lines = severities.map((severity, index) =>
      JSON.stringify({
        source: 'edr',
        sourceRef: `a${index}`,
        title: `Alert ${index}`,
        severity,
        createdAt: `2024-05-01T10:${String(index).padStart(2, '0')}:00Z`,
        entities: [{ type: 'device', hostname: `ws${index}.corp.example` }],
      }),
    );
    const posted = await app.inject({
      method: 'POST',
      url: '/api/v1/alerts',
      headers: { ...auth, 'content-type': 'application/x-ndjson' },
      payload: lines.join('\n'),
    });
    expect(posted.statusCode).toBe(200);
  });
  afterEach(async () => {
    await app.close();
    await t.cleanup();
  });

  it('sorts the incidents queue by severity over cursor pages, and counts every match', async () => {
    const seen: string[] = [];
    let cursor: string | null = null;
    do {
      const response = await app.inject({
        method: 'GET',
        url: `/api/v1/incidents?sort=severity&limit=3&count=true${cursor ? `&cursor=${cursor}` : ''}`,
        headers: auth,
      });
      expect(response.statusCode).toBe(200);
      const page = response.json() as {
        items: { severity: string }[];
        nextCursor: string | null;
        total: number;
        bySeverity: Record<string, number>;
      };
      expect(page.total).toBe(7);
      expect(page.bySeverity).toEqual({ critical: 2, high: 2, medium: 1, low: 2 });
      seen.push(...page.items.map((item) => item.severity));
      cursor = page.nextCursor;
    } while (cursor);
    expect(seen).toEqual(['critical', 'critical', 'high', 'high', 'medium', 'low', 'low']);
    const only = await app.inject({
      method: 'GET',
      url: '/api/v1/incidents?severity=high,low',
      headers: auth,
    });
    expect(only.json().items).toHaveLength(4);
    const mixed = await app.inject({
      method: 'GET',
      url: `/api/v1/incidents?sort=alerts&cursor=${Buffer.from('[1,2]').toString('base64url')}`,
      headers: auth,
    });
    expect(mixed.statusCode).toBe(400);
    expect(mixed.json().error.field).toBe('cursor');
  });

  it("gives the dashboard's figures", async () => {
    const response = await app.inject({ method: 'GET', url: '/api/v1/dashboard', headers: auth });
    expect(response.statusCode).toBe(200);
    expect(response.json()).toMatchObject({
      incidents: { total: 7, bySeverity: { critical: 2, high: 2, medium: 1, low: 2 } },
      actions: { pending: 0, oldestPendingAt: null },
    });
  });

  it('streams the latest change times as server-sent events', async () => {
    const response = await app.inject({ method: 'GET', url: '/api/v1/stream?once=true', headers: auth });
    expect(response.statusCode).toBe(200);
    expect(response.headers['content-type']).toMatch(/^text\/event-stream/);
    const event = /event: change\ndata: (.*)\n\n/.exec(response.body);
    expect(JSON.parse(event?.[1] ?? '{}')).toEqual({ investigations: expect.any(Number), actions: 0 });
    const anonymous = await app.inject({ method: 'GET', url: '/api/v1/stream?once=true' });
    expect(anonymous.statusCode).toBe(401);
  });

  it('serves the UI at / with its routes falling back to index.html, and assets cached', async () => {
    const index = await app.inject({ method: 'GET', url: '/' });
    expect(index.statusCode).toBe(200);
    expect(index.headers['content-type']).toMatch(/^text\/html/);
    expect(index.headers['content-security-policy']).toMatch(/default-src 'self'/);
    const deep = await app.inject({ method: 'GET', url: '/incidents/inc_3?tab=x' });
    expect(deep.body).toBe(index.body);
    const asset = await app.inject({ method: 'GET', url: '/assets/app-1234.js' });
    expect(asset.headers['content-type']).toMatch(/^text\/javascript/);
    expect(asset.headers['cache-control']).toMatch(/immutable/);
    const escape = await app.inject({ method: 'GET', url: '/../../package.json' });
    expect(escape.body).toBe(index.body);
    const api = await app.inject({ method: 'GET', url: '/api/v1/nothing-here' });
    expect(api.statusCode).toBe(404);
    expect(api.json().error.code).toBe('AUTOIR_E_NOT_FOUND');
  });
});
