/**
 * The action center, the response policy, connectors and the audit log over HTTP, on both backends: what a
 * responder or an admin does through the API, and what the store and the audit log make of it.
 */
import path from 'node:path';
import Database from 'better-sqlite3';
import type { FastifyInstance } from 'fastify';
import pg from 'pg';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { backends, createTestStore, type TestStore } from '../../test/helpers/stores.js';
import type { Role } from '../domain/access.js';
import { actionTypes, type ActionType, type ActionRecord } from '../domain/action.js';
import { createServer } from './server.js';
import { hashToken } from '../app/tokens.js';

const DAY = 24 * 60 * 60 * 1000;

/** Token names per role: `decidedBy` and audit actors read `token:<name>`. */
const names: Readonly<Record<Role, string>> = {
  viewer: 'vera',
  analyst: 'ann',
  responder: 'rita',
  admin: 'root',
};

interface ActionJson {
  id: string;
  type: ActionType;
  targetKey: string;
  status: string;
  decidedBy: string | null;
  comment: string | null;
  undoOf: string | null;
  resultDetails: Record<string, unknown> | null;
}

interface AuditJson {
  actor: string;
  operation: string;
  target: string;
  before: unknown;
  after: unknown;
}

/** RFC 4180, enough for the export: quoted cells with doubled quotes, CRLF between records. */
function parseCsv(text: string): string[][] {
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

describe.each(backends)('the action center over HTTP on %s', (dialect) => {
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
    app = createServer({ store: t.store, version: 'test' });
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

  it('lists every action type with its title, what it acts on and the action that undoes it, to viewers', async () => {
    const response = await call('viewer', 'GET', '/api/v1/actions/types');
    expect(response.statusCode).toBe(200);
    const items = (
      response.json() as { items: { type: string; undoType: string | null; targets: string[] }[] }
    ).items;
    expect(items.map((item) => item.type)).toEqual([...actionTypes]);
    expect(items.find((item) => item.type === 'isolateDevice')).toMatchObject({
      title: 'Isolate device',
      targets: ['device'],
      scope: 'device',
      undoType: 'releaseDevice',
    });
    expect(items.find((item) => item.type === 'killProcess')?.undoType).toBeNull();
    expect(items.filter((item) => item.undoType !== null).map((item) => item.type)).toEqual([
      'isolateDevice',
      'quarantineFile',
      'softDeleteEmail',
      'disableUser',
    ]);
    expect((await app.inject({ method: 'GET', url: '/api/v1/actions/types' })).statusCode).toBe(401);
  });

  it('queues a requested action at once, answers the same request with 409 and the first action, and names a bad target', async () => {
    const body = { type: 'isolateDevice', targetKey: 'device:ws1.corp.example', comment: 'test' };
    const first = await call('responder', 'POST', '/api/v1/actions', body);
    expect(first.statusCode, first.body).toBe(201);
    expect(first.json()).toMatchObject({
      type: 'isolateDevice',
      targetKey: 'device:ws1.corp.example',
      deviceKey: 'device:ws1.corp.example',
      status: 'queued',
      source: 'analyst',
      decidedBy: 'token:rita',
      requestedBy: 'token:rita',
      comment: 'test',
      title: 'Isolate device',
    });

    const again = await call('responder', 'POST', '/api/v1/actions', body);
    expect(again.statusCode).toBe(409);
    expect(again.json()).toMatchObject({
      error: { code: 'AUTOIR_E_CONFLICT' },
      action: { id: first.json().id, status: 'queued' },
    });

    // Keys are canonical: another spelling of the same device is the same action.
    const shouted = await call('responder', 'POST', '/api/v1/actions', {
      type: 'isolateDevice',
      targetKey: 'device:WS1.Corp.Example',
    });
    expect(shouted.statusCode).toBe(409);
    expect(shouted.json().action.id).toBe(first.json().id);

    const wrongTarget = await call('responder', 'POST', '/api/v1/actions', {
      type: 'isolateDevice',
      targetKey: 'user:x\\y',
    });
    expect(wrongTarget.statusCode).toBe(400);
    expect(wrongTarget.json().error).toMatchObject({ code: 'AUTOIR_E_BAD_INPUT', field: 'targetKey' });

    const loopback = await call('responder', 'POST', '/api/v1/actions', {
      type: 'blockIp',
      targetKey: 'ip:127.0.0.1',
    });
    expect(loopback.statusCode).toBe(400);
    expect(loopback.json().error.field).toBe('targetKey');

    const unknownType = await call('responder', 'POST', '/api/v1/actions', {
      type: 'formatDisk',
      targetKey: 'device:ws1.corp.example',
    });
    expect(unknownType.statusCode).toBe(400);
    expect(unknownType.json().error.field).toBe('type');

    expect(await t.store.actions.count({})).toBe(1);
  });

  it('lists pending actions with their total, filters them by type, and exports them as CSV with formulas neutralised', async () => {
    const ws2 = await pending('isolateDevice', 'device:ws2.corp.example');
    const ws3 = await pending('isolateDevice', 'device:ws3.corp.example');
    const bob = await pending('disableUser', 'user:corp\\bob');
    const queued = await call('responder', 'POST', '/api/v1/actions', {
      type: 'isolateDevice',
      targetKey: 'device:ws1.corp.example',
    });
    expect(queued.statusCode).toBe(201);

    const list = await call('viewer', 'GET', '/api/v1/actions?status=pendingApproval');
    expect(list.statusCode, list.body).toBe(200);
    expect(list.json().total).toBe(3);
    expect(list.json().items.map((item: ActionJson) => item.id)).toEqual([bob.id, ws3.id, ws2.id]);
    expect(list.json().items[0]).toMatchObject({ status: 'pendingApproval', decidedBy: null });

    const users = await call('viewer', 'GET', '/api/v1/actions?status=pendingApproval&type=disableUser');
    expect(users.json()).toMatchObject({ total: 1, items: [{ id: bob.id }] });
    const devices = await call('viewer', 'GET', '/api/v1/actions?type=isolateDevice');
    expect(devices.json().total).toBe(3);
    const both = await call('viewer', 'GET', '/api/v1/actions?type=isolateDevice,disableUser&status=queued');
    expect(both.json()).toMatchObject({ total: 1, items: [{ id: queued.json().id }] });
    const paged = await call('viewer', 'GET', '/api/v1/actions?limit=2');
    expect(paged.json()).toMatchObject({ total: 4, nextCursor: expect.any(String) });
    expect(paged.json().items).toHaveLength(2);
    const badFilter = await call('viewer', 'GET', '/api/v1/actions?type=formatDisk');
    expect(badFilter.statusCode).toBe(400);
    expect(badFilter.json().error.field).toBe('type[0]');

    const formula = '=HYPERLINK("http://evil.example","click")';
    const rejected = await call('responder', 'POST', '/api/v1/actions/reject', {
      ids: [bob.id],
      comment: formula,
    });
    expect(rejected.statusCode, rejected.body).toBe(200);

    const csv = await call('viewer', 'GET', '/api/v1/actions/export');
    expect(csv.statusCode).toBe(200);
    expect(csv.headers['content-type']).toMatch(/^text\/csv/);
    const rows = parseCsv(csv.body);
    const [header, ...records] = rows;
    expect(header?.slice(0, 5)).toEqual(['id', 'type', 'targetKey', 'deviceKey', 'status']);
    expect(records).toHaveLength(4);
    for (const record of records) expect(record).toHaveLength(header!.length);
    const column = (name: string) => header!.indexOf(name);
    const bobRow = records.find((record) => record[column('id')] === bob.id)!;
    expect(bobRow[column('status')]).toBe('rejected');
    expect(bobRow[column('targetKey')]).toBe('user:corp\\bob');
    expect(bobRow[column('comment')]).toBe(`'${formula}`);
    for (const record of records) for (const cell of record) expect(cell).not.toMatch(/^[=+\-@]/);

    const filtered = parseCsv(
      (await call('viewer', 'GET', '/api/v1/actions/export?status=pendingApproval')).body,
    );
    expect(filtered.slice(1).map((record) => record[0])).toEqual([ws3.id, ws2.id]);
  });

  it('approves pending actions of one type with a comment, all or nothing, and keeps each step in its history', async () => {
    const ws2 = await pending('isolateDevice', 'device:ws2.corp.example');
    const ws3 = await pending('isolateDevice', 'device:ws3.corp.example');
    const bob = await pending('disableUser', 'user:corp\\bob');
    const historyLength = async (id: string) => (await t.store.actions.history(id)).length;
    const before = await Promise.all([ws2, ws3, bob].map((action) => historyLength(action.id)));

    const mixed = await call('responder', 'POST', '/api/v1/actions/approve', { ids: [ws2.id, bob.id] });
    expect(mixed.statusCode).toBe(400);
    expect(mixed.json().error).toMatchObject({ code: 'AUTOIR_E_BAD_INPUT', field: 'ids' });
    expect(mixed.json().error.message).toMatch(/one type/);
    expect([await status(ws2.id), await status(bob.id)]).toEqual(['pendingApproval', 'pendingApproval']);

    const unknown = await call('responder', 'POST', '/api/v1/actions/approve', {
      ids: [ws2.id, 'act_999999'],
    });
    expect(unknown.statusCode).toBe(404);
    expect(await status(ws2.id)).toBe('pendingApproval');

    // ws2 named twice is approved once (one history step per change, one audit entry).
    const approved = await call('responder', 'POST', '/api/v1/actions/approve', {
      ids: [ws2.id, ws3.id, ws2.id],
      comment: 'confirmed with the desk',
    });
    expect(approved.statusCode, approved.body).toBe(200);
    for (const item of approved.json().items as ActionJson[])
      expect(item).toMatchObject({
        status: 'queued',
        decidedBy: 'token:rita',
        comment: 'confirmed with the desk',
      });
    expect(
      approved
        .json()
        .items.map((item: ActionJson) => item.id)
        .sort(),
    ).toEqual([ws2.id, ws3.id].sort());
    expect(await t.store.actions.get(ws2.id)).toMatchObject({
      status: 'queued',
      decidedBy: 'token:rita',
      comment: 'confirmed with the desk',
      decidedAt: expect.any(String),
    });

    expect((await auditLog()).filter((entry) => entry.operation === 'action.approve')).toHaveLength(2);
    const audited = (await auditLog()).length;
    const twice = await call('responder', 'POST', '/api/v1/actions/approve', { ids: [ws2.id] });
    expect(twice.statusCode).toBe(409);
    expect(twice.json().error.code).toBe('AUTOIR_E_ILLEGAL_TRANSITION');
    // A pending action next to a decided one: the call fails as a whole.
    const ws4 = await pending('isolateDevice', 'device:ws4.corp.example');
    const partly = await call('responder', 'POST', '/api/v1/actions/approve', { ids: [ws4.id, ws3.id] });
    expect(partly.statusCode).toBe(409);
    expect(await status(ws4.id)).toBe('pendingApproval');
    expect(await t.store.actions.get(ws2.id)).toMatchObject({
      status: 'queued',
      comment: 'confirmed with the desk',
    });
    expect(await historyLength(ws2.id)).toBe(before[0]! + 2);
    expect(await historyLength(ws3.id)).toBe(before[1]! + 2);
    // Refused decisions leave no audit entry: the one new entry is ws4's creation.
    const audit = await auditLog();
    expect(audit).toHaveLength(audited + 1);
    expect(audit[0]).toMatchObject({ operation: 'action.create', target: `action:${ws4.id}` });

    const rejected = await call('responder', 'POST', '/api/v1/actions/reject', {
      ids: [bob.id],
      comment: 'known admin activity',
    });
    expect(rejected.statusCode, rejected.body).toBe(200);
    expect(rejected.json().items).toEqual([
      expect.objectContaining({
        id: bob.id,
        status: 'rejected',
        decidedBy: 'token:rita',
        comment: 'known admin activity',
      }),
    ]);
    const rejectAgain = await call('responder', 'POST', '/api/v1/actions/reject', { ids: [bob.id] });
    expect(rejectAgain.statusCode).toBe(409);

    const shown = await call('viewer', 'GET', `/api/v1/actions/${ws2.id}`);
    expect(shown.statusCode).toBe(200);
    expect(shown.json()).toMatchObject({ id: ws2.id, status: 'queued', decisionRule: 'test rule' });
    const history = shown.json().history as {
      from: string | null;
      to: string;
      by: string;
      message: string | null;
    }[];
    expect(history.map((entry) => [entry.from, entry.to, entry.by])).toEqual([
      [null, 'pendingApproval', 'test'],
      ['pendingApproval', 'pendingApproval', 'policy'],
      ['pendingApproval', 'approved', 'token:rita'],
      ['approved', 'queued', 'token:rita'],
    ]);
    expect(history[1]?.message).toBe('test rule');
    expect(history[2]?.message).toBe('confirmed with the desk');
    expect((await call('viewer', 'GET', '/api/v1/actions/act_999999')).statusCode).toBe(404);
    expect((await call('viewer', 'GET', '/api/v1/actions/nonsense')).statusCode).toBe(404);
  });

  it('cancels a queued action, and takes a connector result only for a running one', async () => {
    const queued = await call('responder', 'POST', '/api/v1/actions', {
      type: 'runAntivirusScan',
      targetKey: 'device:ws5.corp.example',
    });
    const cancelled = await call('responder', 'POST', '/api/v1/actions/cancel', {
      ids: [queued.json().id],
      comment: 'wrong host',
    });
    expect(cancelled.statusCode, cancelled.body).toBe(200);
    expect(cancelled.json().items).toEqual([expect.objectContaining({ status: 'cancelled' })]);
    const cancelAgain = await call('responder', 'POST', '/api/v1/actions/cancel', {
      ids: [queued.json().id],
    });
    expect(cancelAgain.statusCode).toBe(409);
    const early = await call('responder', 'POST', `/api/v1/actions/${queued.json().id}/result`, {
      status: 'succeeded',
    });
    expect(early.statusCode).toBe(409);

    const action = await running('isolateDevice', 'device:ws1.corp.example');
    const result = await call('responder', 'POST', `/api/v1/actions/${action.id}/result`, {
      status: 'succeeded',
      details: { x: 1 },
    });
    expect(result.statusCode, result.body).toBe(200);
    expect(result.json()).toMatchObject({ id: action.id, status: 'succeeded', resultDetails: { x: 1 } });
    expect(await status(action.id)).toBe('succeeded');
    const late = await call('responder', 'POST', `/api/v1/actions/${action.id}/result`, { status: 'failed' });
    expect(late.statusCode).toBe(409);
    expect(late.json().error.code).toBe('AUTOIR_E_ILLEGAL_TRANSITION');
    expect(await status(action.id)).toBe('succeeded');
    const missing = await call('responder', 'POST', '/api/v1/actions/act_999999/result', {
      status: 'failed',
    });
    expect(missing.statusCode).toBe(404);
    const badStatus = await call('responder', 'POST', `/api/v1/actions/${action.id}/result`, {
      status: 'done',
    });
    expect(badStatus.statusCode).toBe(400);
    expect(badStatus.json().error.field).toBe('status');
  });

  it('undoes a succeeded isolation with a queued release, and refuses what has not succeeded or has no inverse', async () => {
    const isolation = await succeeded('isolateDevice', 'device:ws1.corp.example');
    const undo = await call('responder', 'POST', '/api/v1/actions/undo', {
      ids: [isolation.id, isolation.id],
      comment: 'cleaned',
    });
    expect(undo.statusCode, undo.body).toBe(200);
    expect(undo.json().items).toEqual([
      expect.objectContaining({
        type: 'releaseDevice',
        targetKey: 'device:ws1.corp.example',
        undoOf: isolation.id,
        status: 'queued',
        source: 'undo',
        decidedBy: 'token:rita',
      }),
    ]);
    const undoAgain = await call('responder', 'POST', '/api/v1/actions/undo', { ids: [isolation.id] });
    expect(undoAgain.statusCode).toBe(409);
    // Once the release has run, the isolation reads undone, naming its undo.
    const release = undo.json().items[0] as ActionJson;
    await t.store.actions.claim('w', new Date(), 60_000, 10);
    const released = await call('responder', 'POST', `/api/v1/actions/${release.id}/result`, {
      status: 'succeeded',
    });
    expect(released.statusCode, released.body).toBe(200);
    expect((await call('viewer', 'GET', `/api/v1/actions/${isolation.id}`)).json()).toMatchObject({
      status: 'undone',
      undoneBy: release.id,
    });

    const pendingScan = await pending('isolateDevice', 'device:ws2.corp.example');
    const notYet = await call('responder', 'POST', '/api/v1/actions/undo', { ids: [pendingScan.id] });
    expect(notYet.statusCode).toBe(409);
    expect(notYet.json().error.code).toBe('AUTOIR_E_ILLEGAL_TRANSITION');

    const kill = await succeeded(
      'killProcess',
      'process:ws1.corp.example:4242@1714557600',
      'device:ws1.corp.example',
    );
    const noInverse = await call('responder', 'POST', '/api/v1/actions/undo', { ids: [kill.id] });
    expect(noInverse.statusCode).toBe(400);
    expect(noInverse.json().error.message).toMatch(/killProcess cannot be undone/);
    expect(await t.store.actions.count({ types: ['releaseDevice'] })).toBe(1);
  });

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
    const incidentId = (await t.store.alerts.getAlert(alert.json().results[0].id))!.incidentId!;
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
    if (t.config.kind === 'sqlite') {
      const db = new Database(path.join(t.dataDir!, 'autoir.db'));
      try {
        expect(() => db.prepare(`update audit_log set actor = 'x'`).run()).toThrow(/append-only/);
        expect(() => db.prepare('delete from audit_log').run()).toThrow(/append-only/);
      } finally {
        db.close();
      }
    } else {
      const client = new pg.Client({ connectionString: t.config.url });
      await client.connect();
      try {
        await client.query(`set search_path to "${t.config.schema}"`);
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
      notifications: { webhook: { url: 'http://127.0.0.1:9/x', secret } },
    });
    expect(put.statusCode, put.body).toBe(200);
    expect(put.json()).toEqual({
      approvalExpiry: '3d',
      notifications: { webhook: { url: 'http://127.0.0.1:9/x', secret: '***' } },
    });
    expect(put.body).not.toContain(secret);

    const shown = await call('viewer', 'GET', '/api/v1/policy');
    expect(shown.statusCode).toBe(200);
    expect(shown.body).not.toContain(secret);
    expect(shown.json()).toMatchObject({
      stored: { approvalExpiry: '3d', notifications: { webhook: { secret: '***' } } },
      effective: {
        approvalExpiryMs: 3 * DAY,
        notifications: { webhook: { url: 'http://127.0.0.1:9/x', secret: '***' } },
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
