/**
 * API tokens with a lifetime, on both backends: one made with `expiresIn` works until then and not after — nor do
 * the browser sessions opened with it — and lists show when it expires and when it was last used.
 */
import { describe, expect, it, vi } from 'vitest';
import { useApi } from '../../test/helpers/api.js';
import { backends } from '../../test/helpers/stores.js';

describe.each(backends)('API tokens that expire, on %s', (dialect) => {
  const api = useApi(dialect);

  it('work until they expire, then get 401, and their sessions end with them', async () => {
    const created = await api.call('admin', 'POST', '/api/v1/tokens', {
      name: 'ci-bot',
      role: 'viewer',
      expiresIn: '1h',
    });
    expect(created.statusCode, created.body).toBe(201);
    const { token, expiresAt } = created.json() as { token: string; expiresAt: string };
    expect(Date.parse(expiresAt) - Date.now()).toBeGreaterThan(59 * 60_000);
    const use = (headers: Record<string, string>) =>
      api.app.inject({ method: 'GET', url: '/api/v1/alerts', headers });
    expect((await use({ authorization: `Bearer ${token}` })).statusCode).toBe(200);
    const session = await api.app.inject({ method: 'POST', url: '/api/v1/session', payload: { token } });
    expect(session.statusCode, session.body).toBe(200);
    const cookie = String(session.headers['set-cookie']).split(';')[0] as string;
    expect((await use({ cookie })).statusCode).toBe(200);

    const listed = await api.call('admin', 'GET', '/api/v1/tokens');
    expect(listed.json()).toContainEqual(
      expect.objectContaining({ name: 'ci-bot', expiresAt, lastUsedAt: expect.any(String) }),
    );

    vi.useFakeTimers({ now: Date.parse(expiresAt) + 1000, toFake: ['Date'] });
    try {
      expect((await use({ authorization: `Bearer ${token}` })).statusCode).toBe(401);
      expect((await use({ cookie })).statusCode).toBe(401);
      // Tokens made without a lifetime go on.
      expect((await api.call('viewer', 'GET', '/api/v1/alerts')).statusCode).toBe(200);
    } finally {
      vi.useRealTimers();
    }
  });

  it('refuses a lifetime that is not a duration of at least a minute, naming the field', async () => {
    for (const expiresIn of ['soon', '10s']) {
      const bad = await api.call('admin', 'POST', '/api/v1/tokens', {
        name: `b-${expiresIn}`,
        role: 'viewer',
        expiresIn,
      });
      expect(bad.statusCode).toBe(400);
      expect(bad.json().error.field).toBe('expiresIn');
    }
  });
});
