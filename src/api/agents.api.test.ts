/**
 * Host agents over HTTP, on both backends: an admin's one-time enrollment token, an agent trading it for its own
 * credential, heartbeats, the list with who is online, revocation — and what is refused.
 */
import { describe, expect, it } from 'vitest';
import { backends } from '../../test/helpers/stores.js';
import { useApi } from '../../test/helpers/api.js';
import { agentView } from '../respond/agents.js';

const identity = {
  hostname: 'web1',
  fqdn: 'web1.corp.example',
  os: 'linux 6.1.0-18-amd64',
  version: '0.1.0',
  machineId: '4c4c4544003451108036b3c04f4d3732',
  addresses: ['10.0.0.21', 'fe80::1'],
};

describe.each(backends)('host agents over HTTP on %s', (dialect) => {
  const api = useApi(dialect);
  const { call, auditLog } = api;
  const anonymous = (url: string, payload: object, credential?: string) =>
    api.app.inject({
      method: 'POST',
      url,
      payload,
      ...(credential ? { headers: { authorization: `Bearer ${credential}` } } : {}),
    });

  it('enrolls an agent once with an admin’s token, keeps it online by heartbeats, and refuses it once revoked', async () => {
    expect((await call('responder', 'POST', '/api/v1/agents/enrollment-tokens', {})).statusCode).toBe(403);
    const created = await call('admin', 'POST', '/api/v1/agents/enrollment-tokens', {
      group: 'Linux servers',
      expiresIn: '2h',
    });
    expect(created.statusCode, created.body).toBe(201);
    const { token, expiresAt, group } = created.json() as { token: string; expiresAt: string; group: string };
    expect(token).toMatch(/^autoir_enroll_[\w-]{43}$/);
    expect(group).toBe('Linux servers');
    expect(Date.parse(expiresAt) - Date.now()).toBeGreaterThan(119 * 60_000);

    const enrolled = await anonymous('/api/v1/agent/enroll', { token, identity });
    expect(enrolled.statusCode, enrolled.body).toBe(201);
    const { agentId, credential, deviceKey } = enrolled.json() as {
      agentId: string;
      credential: string;
      deviceKey: string;
    };
    expect(deviceKey).toBe('device:web1.corp.example');
    expect(credential).toMatch(/^autoir_agent_/);
    // The token works once.
    const again = await anonymous('/api/v1/agent/enroll', { token, identity });
    expect(again.statusCode).toBe(401);
    expect(again.json().error.message).toMatch(/already used or expired/);

    const beat = await anonymous(
      '/api/v1/agent/heartbeat',
      { identity: { ...identity, version: '0.1.1' } },
      credential,
    );
    expect(beat.statusCode, beat.body).toBe(200);
    expect(beat.json()).toMatchObject({ agentId, deviceKey, heartbeatIntervalMs: 30_000 });
    expect((await anonymous('/api/v1/agent/heartbeat', {}, 'autoir_agent_forged')).statusCode).toBe(401);
    expect((await anonymous('/api/v1/agent/heartbeat', {})).statusCode).toBe(401);
    // An API token is no agent credential, whatever its role.
    const asAdmin = await call('admin', 'POST', '/api/v1/agent/tasks/act_1/result', { status: 'succeeded' });
    expect(asAdmin.statusCode).toBe(401);
    const noTask = await anonymous('/api/v1/agent/tasks/act_1/result', { status: 'succeeded' }, credential);
    expect(noTask.statusCode).toBe(404);

    const list = await call('admin', 'GET', '/api/v1/agents');
    expect(list.statusCode).toBe(200);
    expect(list.json().items).toEqual([
      expect.objectContaining({
        id: agentId,
        deviceKey,
        hostname: 'web1',
        os: 'linux 6.1.0-18-amd64',
        version: '0.1.1',
        group: 'Linux servers',
        addresses: ['10.0.0.21', 'fe80::1'],
        online: true,
        revokedAt: null,
      }),
    ]);
    expect((await call('analyst', 'GET', '/api/v1/agents')).statusCode).toBe(403);
    // The credential is stored hashed, never as given.
    const stored = JSON.stringify(await api.t.store.agents.list());
    expect(stored).not.toContain(credential);

    const revoked = await call('admin', 'POST', `/api/v1/agents/${agentId}/revoke`);
    expect(revoked.statusCode, revoked.body).toBe(200);
    expect(revoked.json()).toMatchObject({ online: false });
    expect((await anonymous('/api/v1/agent/heartbeat', {}, credential)).statusCode).toBe(401);
    expect((await call('admin', 'POST', '/api/v1/agents/agt_none/revoke')).statusCode).toBe(404);

    const operations = (await auditLog()).map((entry) => entry.operation);
    expect(operations).toEqual(
      expect.arrayContaining(['agent.enrollmentToken.create', 'agent.enroll', 'agent.revoke']),
    );
    // Heartbeats are not audited: one every 30 s per host would drown the log.
    expect(operations.filter((operation) => /heartbeat/i.test(operation))).toEqual([]);
  });

  it('refuses an expired token, a bad identity and a bad lifetime, storing nothing', async () => {
    const stale = await api.t.store.agents.createEnrollment(
      { tokenHash: 'x'.repeat(64), group: null, expiresAt: new Date(Date.now() - 1000) },
      'token:root',
      new Date(Date.now() - 120_000),
    );
    expect(stale.usedAt).toBeNull();
    const agent = { identity, deviceKey: 'device:web1.corp.example', credentialHash: 'c'.repeat(64) };
    expect(await api.t.store.agents.enroll('x'.repeat(64), agent, new Date())).toBeUndefined();
    expect(await api.t.store.agents.enroll('unknown', agent, new Date())).toBeUndefined();
    const created = await call('admin', 'POST', '/api/v1/agents/enrollment-tokens', {});
    const { token } = created.json() as { token: string };
    const bad = await api.app.inject({
      method: 'POST',
      url: '/api/v1/agent/enroll',
      payload: { token, identity: { ...identity, hostname: 'not a host!', fqdn: undefined } },
    });
    expect(bad.statusCode).toBe(400);
    expect(bad.json().error.field).toBe('identity');
    expect(await api.t.store.agents.list()).toEqual([]);
    // The token was not used up by the refused attempt.
    const good = await api.app.inject({
      method: 'POST',
      url: '/api/v1/agent/enroll',
      payload: { token, identity },
    });
    expect(good.statusCode, good.body).toBe(201);
    // Found by its device; offline once three heartbeats are missed.
    const found = await api.t.store.agents.forDevice('device:web1.corp.example');
    expect(found?.id).toBe(good.json().agentId);
    // A source that names the computer by its bare host name reaches the same agent; another host does not.
    expect((await api.t.store.agents.forDevice('device:web1'))?.id).toBe(found?.id);
    expect(await api.t.store.agents.forDevice('device:web10')).toBeUndefined();
    expect(await api.t.store.agents.forDevice('device:web1.other.example')).toBeUndefined();
    const later = new Date(Date.parse(found!.lastSeenAt) + 91_000);
    expect(agentView(found!, later).online).toBe(false);
    expect(agentView(found!, new Date(Date.parse(found!.lastSeenAt) + 89_000)).online).toBe(true);
    expect(
      (await call('admin', 'POST', '/api/v1/agents/enrollment-tokens', { expiresIn: '30d' })).statusCode,
    ).toBe(400);
  });
});
