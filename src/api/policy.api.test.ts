/**
 * The response policy, asset groups, connectors and the audit log over HTTP, on both backends: what an admin does
 * through the API, and what the store and the audit log make of it.
 */
import Database from 'better-sqlite3';
import path from 'node:path';
import pg from 'pg';
import { describe, expect, it } from 'vitest';
import { backends } from '../../test/helpers/stores.js';
import { useApi, type AuditJson, DAY } from '../../test/helpers/api.js';

describe.each(backends)('the response policy, connectors and the audit log over HTTP on %s', (dialect) => {
  const api = useApi(dialect);
  const { call, pending, auditLog } = api;

  it('audits every write with its actor, and the database refuses to change or delete an audit entry', async () => {
    const ws2 = await pending('isolateDevice', 'device:ws2.corp.example');
    const bob = await pending('disableUser', 'user:corp\\bob');
    await call('responder', 'POST', '/api/v1/actions', {
      type: 'isolateDevice',
      targetKey: 'device:ws1.corp.example',
    });
    await call('responder', 'POST', '/api/v1/actions/approve', { ids: [ws2.id], comment: 'go' });
    await call('responder', 'POST', '/api/v1/actions/reject', { ids: [bob.id], comment: 'no' });
    const alert = await call('analyst', 'POST', '/api/v1/alerts', {
      source: 'edr',
      sourceRef: 'a1',
      title: 'Suspicious logon',
      severity: 'high',
      createdAt: '2024-05-01T10:00:00Z',
      entities: [{ type: 'device', hostname: 'ws1.corp.example' }],
    });
    expect(alert.statusCode, alert.body).toBe(200);
    const incidentId = (await api.t.store.alerts.getAlert(alert.json().results[0].id))!.incidentId!;
    const patched = await call('analyst', 'PATCH', `/api/v1/incidents/${incidentId}`, {
      classification: 'truePositive',
    });
    expect(patched.statusCode, patched.body).toBe(200);
    const token = await call('admin', 'POST', '/api/v1/tokens', { name: 'bot', role: 'viewer' });
    expect(token.statusCode, token.body).toBe(201);
    // Refused writes are not audited.
    expect(
      (await call('viewer', 'PATCH', `/api/v1/incidents/${incidentId}`, { assignedTo: 'x' })).statusCode,
    ).toBe(403);
    expect(
      (await call('analyst', 'PATCH', `/api/v1/incidents/${incidentId}`, { status: 'x' })).statusCode,
    ).toBe(400);

    const entries = await auditLog();
    const find = (operation: string) => entries.filter((entry) => entry.operation === operation);
    // The two pending ones were created by the store directly, as `test`.
    expect(find('action.create').map((entry) => entry.actor)).toEqual(['token:rita', 'test', 'test']);
    expect(find('action.create').slice(0, 1)).toEqual([
      expect.objectContaining({
        actor: 'token:rita',
        after: { type: 'isolateDevice', targetKey: 'device:ws1.corp.example', status: 'queued' },
      }),
    ]);
    expect(find('action.approve')).toEqual([
      expect.objectContaining({
        actor: 'token:rita',
        target: `action:${ws2.id}`,
        before: { status: 'pendingApproval' },
        after: { status: 'queued', comment: 'go' },
      }),
    ]);
    expect(find('action.reject')).toEqual([
      expect.objectContaining({ actor: 'token:rita', target: `action:${bob.id}` }),
    ]);
    // Routes without their own auditing get the server's generic entry: the operation, the path and the body.
    expect(find('updateIncident')).toEqual([
      expect.objectContaining({
        actor: 'token:ann',
        target: `/api/v1/incidents/${incidentId}`,
        after: { classification: 'truePositive' },
      }),
    ]);
    expect(find('ingestAlerts')).toEqual([
      expect.objectContaining({
        actor: 'token:ann',
        target: '/api/v1/alerts',
        after: { bytes: expect.any(Number) },
      }),
    ]);
    expect(find('token.create')).toEqual([
      expect.objectContaining({ actor: 'token:root', target: 'token:bot' }),
    ]);
    expect(JSON.stringify(entries)).not.toContain(token.json().token);
    expect(entries.filter((entry) => entry.actor === 'token:vera')).toEqual([]);
    expect(find('updateIncident')).toHaveLength(1);

    const byActor = await call('admin', 'GET', '/api/v1/audit?actor=token:ann');
    expect(
      byActor
        .json()
        .items.map((entry: AuditJson) => entry.operation)
        .sort(),
    ).toEqual(['ingestAlerts', 'updateIncident']);
    const byTarget = await call('admin', 'GET', `/api/v1/audit?target=action:`);
    expect(byTarget.json().items.length).toBeGreaterThanOrEqual(3);
    for (const entry of byTarget.json().items as AuditJson[])
      expect(entry.target).toMatch(/^action:act_\d+$/);

    // Append-only: even a second connection straight to the database cannot rewrite history.
    const count = entries.length;
    if (api.t.config.kind === 'sqlite') {
      const db = new Database(path.join(api.t.dataDir!, 'autoir.db'));
      try {
        expect(() => db.prepare(`update audit_log set actor = 'x'`).run()).toThrow(/append-only/);
        expect(() => db.prepare('delete from audit_log').run()).toThrow(/append-only/);
      } finally {
        db.close();
      }
    } else {
      const client = new pg.Client({ connectionString: api.t.config.url });
      await client.connect();
      try {
        await client.query(`set search_path to "${api.t.config.schema}"`);
        await expect(client.query(`update audit_log set actor = 'x'`)).rejects.toThrow(/append-only/);
        await expect(client.query('delete from audit_log')).rejects.toThrow(/append-only/);
        const rows = await client.query('select count(*)::int as n from audit_log');
        expect(rows.rows[0].n).toBe(count);
      } finally {
        await client.end();
      }
    }
    const after = await auditLog();
    expect(after).toHaveLength(count);
    expect(after.some((entry) => entry.actor === 'x')).toBe(false);
  });

  it('stores the response policy without ever showing its webhook secret, and names a bad field', async () => {
    const secret = 'a-very-long-secret-123';
    const put = await call('admin', 'PUT', '/api/v1/policy', {
      approvalExpiry: '3d',
      notifications: { webhook: { url: 'https://hooks.example.com/x', secret } },
    });
    expect(put.statusCode, put.body).toBe(200);
    expect(put.json()).toEqual({
      approvalExpiry: '3d',
      notifications: { webhook: { url: 'https://hooks.example.com/x', secret: '***' } },
    });
    expect(put.body).not.toContain(secret);

    const shown = await call('viewer', 'GET', '/api/v1/policy');
    expect(shown.statusCode).toBe(200);
    expect(shown.body).not.toContain(secret);
    expect(shown.json()).toMatchObject({
      stored: { approvalExpiry: '3d', notifications: { webhook: { secret: '***' } } },
      effective: {
        approvalExpiryMs: 3 * DAY,
        notifications: { webhook: { url: 'https://hooks.example.com/x', secret: '***' } },
      },
    });

    const bad = await call('admin', 'PUT', '/api/v1/policy', { approvalExpiry: 'soon' });
    expect(bad.statusCode).toBe(400);
    expect(bad.json().error).toMatchObject({ code: 'AUTOIR_E_BAD_INPUT', field: 'approvalExpiry' });
    expect(bad.json().error.message).toMatch(/approvalExpiry/);
    const unknown = await call('admin', 'PUT', '/api/v1/policy', {
      approvalExpiry: '3d',
      autoApproveAll: true,
    });
    expect(unknown.statusCode).toBe(400);
    expect((await call('viewer', 'GET', '/api/v1/policy')).json().stored.approvalExpiry).toBe('3d');
    expect((await call('responder', 'PUT', '/api/v1/policy', {})).statusCode).toBe(403);

    const audit = await auditLog();
    expect(audit.filter((entry) => entry.operation === 'policy.set')).toEqual([
      expect.objectContaining({ actor: 'token:root', target: 'policy' }),
    ]);
    expect(JSON.stringify(audit)).not.toContain(secret);
  });

  it('ranks device groups before the default group, which cannot be deleted', async () => {
    const put = await call('admin', 'PUT', '/api/v1/device-groups/Servers', {
      rules: [{ name: 'srv*' }],
      level: 'full',
    });
    expect(put.statusCode, put.body).toBe(200);
    expect(put.json()).toMatchObject({ kind: 'device', name: 'Servers', level: 'full', isDefault: false });

    const list = await call('viewer', 'GET', '/api/v1/device-groups');
    expect(list.statusCode).toBe(200);
    const groups = list.json() as { name: string; isDefault: boolean }[];
    expect(groups.map((group) => group.name)).toEqual(['Servers', 'Default']);
    expect(groups.at(-1)?.isDefault).toBe(true);

    const deleteDefault = await call('admin', 'DELETE', '/api/v1/device-groups/Default');
    expect(deleteDefault.statusCode).toBe(409);
    expect(deleteDefault.json().error.code).toBe('AUTOIR_E_CONFLICT');
    const noRules = await call('admin', 'PUT', '/api/v1/device-groups/Laptops', { level: 'none' });
    expect(noRules.statusCode).toBe(400);
    expect(noRules.json().error.field).toBe('rules');
    const rulesOnDefault = await call('admin', 'PUT', '/api/v1/device-groups/Default', {
      rules: [{ name: 'x*' }],
    });
    expect(rulesOnDefault.statusCode).toBe(400);
    const badLevel = await call('admin', 'PUT', '/api/v1/device-groups/Servers', { level: 'yolo' });
    expect(badLevel.statusCode).toBe(400);
    expect(badLevel.json().error.field).toBe('level');
    expect((await call('admin', 'DELETE', '/api/v1/device-groups/Nope')).statusCode).toBe(404);
    expect((await call('admin', 'DELETE', '/api/v1/device-groups/Servers')).statusCode).toBe(200);
    expect((await call('viewer', 'GET', '/api/v1/device-groups')).json()).toHaveLength(1);

    const operations = (await auditLog()).map((entry) => entry.operation);
    expect(operations).toEqual(expect.arrayContaining(['group.create', 'group.delete']));
  });

  it('stores a connector without ever showing its secrets, not even in the audit log', async () => {
    const secret = 'another-long-secret-456';
    const header = 'Bearer header-secret-789';
    const put = await call('admin', 'PUT', '/api/v1/connectors/edr', {
      kind: 'webhook',
      actions: ['isolateDevice', 'releaseDevice'],
      timeout: '45s',
      settings: { url: 'https://soar.example.com/hooks/autoir', secret, headers: { authorization: header } },
    });
    expect(put.statusCode, put.body).toBe(200);
    expect(put.json()).toMatchObject({
      name: 'edr',
      kind: 'webhook',
      actions: ['isolateDevice', 'releaseDevice'],
      settings: {
        url: 'https://soar.example.com/hooks/autoir',
        secret: '***',
        headers: { authorization: '***' },
      },
    });
    expect(put.body).not.toContain(secret);
    expect(put.body).not.toContain(header);

    const list = await call('admin', 'GET', '/api/v1/connectors');
    expect(list.statusCode).toBe(200);
    expect(list.json()).toEqual([
      expect.objectContaining({ name: 'edr', settings: expect.objectContaining({ secret: '***' }) }),
    ]);
    expect(list.body).not.toContain(secret);
    expect(list.body).not.toContain(header);

    const changed = await call('admin', 'PUT', '/api/v1/connectors/edr', {
      kind: 'webhook',
      settings: { url: 'https://soar.example.com/hooks/v2', secret: `${secret}-v2` },
    });
    expect(changed.statusCode, changed.body).toBe(200);

    const bad = await call('admin', 'PUT', '/api/v1/connectors/edr2', {
      kind: 'webhook',
      settings: { url: 'https://soar.example.com/', secret: 'short' },
    });
    expect(bad.statusCode).toBe(400);
    expect(bad.json().error.field).toBe('settings.secret');
    expect((await call('responder', 'GET', '/api/v1/connectors')).statusCode).toBe(403);

    const audit = await auditLog();
    const connectorEntries = audit.filter((entry) => entry.target === 'connector:edr');
    expect(connectorEntries.map((entry) => entry.operation)).toEqual([
      'connector.update',
      'connector.create',
    ]);
    expect(connectorEntries[0]).toMatchObject({
      actor: 'token:root',
      before: { settings: { secret: '***' } },
      after: { settings: { url: 'https://soar.example.com/hooks/v2', secret: '***' } },
    });
    expect(JSON.stringify(audit)).not.toContain(secret);
    expect(JSON.stringify(audit)).not.toContain('header-secret-789');

    expect((await call('admin', 'DELETE', '/api/v1/connectors/edr')).statusCode).toBe(200);
    expect((await call('admin', 'DELETE', '/api/v1/connectors/edr')).statusCode).toBe(404);
    expect((await call('admin', 'GET', '/api/v1/connectors')).json()).toEqual([]);
  });
});
