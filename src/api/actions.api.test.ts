/**
 * The action center over HTTP, on both backends: what a responder does through the API, and what the store and
 * the audit log make of it.
 */
import { describe, expect, it } from 'vitest';
import { backends } from '../../test/helpers/stores.js';
import { actionTypes } from '../domain/action.js';
import { parseCsv, useApi, type ActionJson } from '../../test/helpers/api.js';

describe.each(backends)('the action center over HTTP on %s', (dialect) => {
  const api = useApi(dialect);
  const { call, pending, status, running, succeeded, auditLog } = api;

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
      'removePersistence',
      'softDeleteEmail',
      'blockSender',
      'blockUrl',
      'disableUser',
      'removePrivilegedGroups',
      'blockIp',
    ]);
    expect((await api.app.inject({ method: 'GET', url: '/api/v1/actions/types' })).statusCode).toBe(401);
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

    expect(await api.t.store.actions.count({})).toBe(1);
  });

  it('refuses a request a critical-asset guardrail forbids with 422 and the rule, and takes it with an audited override', async () => {
    const kill = {
      type: 'killProcess',
      targetKey: 'process:ws1.corp.example:4',
      deviceKey: 'device:ws1.corp.example',
    };
    const refused = await call('responder', 'POST', '/api/v1/actions', kill);
    expect(refused.statusCode, refused.body).toBe(422);
    expect(refused.json().error).toMatchObject({ code: 'AUTOIR_E_GUARDRAIL' });
    expect(refused.json().error.message).toMatch(/System process: ending it stops the operating system/);
    // The program named with the request (or found in telemetry) is what is judged.
    const services = await call('responder', 'POST', '/api/v1/actions', {
      type: 'killProcess',
      targetKey: 'process:ws1.corp.example:460',
      parameters: { imagePath: 'C:\\Windows\\System32\\services.exe' },
    });
    expect(services.statusCode).toBe(422);
    expect(services.json().error.message).toMatch(/service control manager/);
    expect(await api.t.store.actions.count({})).toBe(0);

    const taken = await call('responder', 'POST', '/api/v1/actions', {
      ...kill,
      override: { reason: 'lab host, rebuilding it anyway' },
    });
    expect(taken.statusCode, taken.body).toBe(201);
    expect(taken.json().decisionRule).toMatch(/overriding the critical-asset guardrail/);
    expect(taken.json().reasons.join(' ')).toMatch(
      /overridden by token:rita \(lab host, rebuilding it anyway\)/,
    );
    const audit = (await auditLog()).find((entry) => entry.operation === 'action.override');
    expect(audit?.actor).toBe('token:rita');
    expect(JSON.stringify(audit?.after)).toMatch(/lab host, rebuilding it anyway/);
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
    const historyLength = async (id: string) => (await api.t.store.actions.history(id)).length;
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
    expect(await api.t.store.actions.get(ws2.id)).toMatchObject({
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
    expect(await api.t.store.actions.get(ws2.id)).toMatchObject({
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
    await api.t.store.actions.claim('w', new Date(), 60_000, 10);
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
    expect(await api.t.store.actions.count({ types: ['releaseDevice'] })).toBe(1);
  });
});
