/**
 * The automation policy's ports (respond/ports.ts `PolicySettings`, `AssetPolicy`, `ConnectorSettings`) and the
 * audit log as the store implements them, on SQLite and PostgreSQL: groups ranked with the default group last,
 * tags, settings, stored connectors — every change audited in its own transaction, the audit log append-only.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { backends, createTestStore, type TestStore } from '../../test/helpers/stores.js';

const T0 = Date.parse('2030-01-01T00:00:00.000Z');
const at = (minutes: number) => new Date(T0 + minutes * 60_000);

describe.each(backends)('the policy store and the audit log on %s', (dialect) => {
  let t: TestStore;
  beforeEach(async () => {
    t = await createTestStore(dialect);
  });
  afterEach(async () => {
    await t.cleanup();
  });

  it('ranks groups before the default group of their kind, which keeps no rules and cannot be deleted', async () => {
    await t.store.policy.putGroup(
      { kind: 'device', name: 'servers', rules: [{ tag: 'server' }], level: 'semiCore' },
      'user:root',
      at(0),
    );
    await t.store.policy.putGroup(
      { kind: 'device', name: 'kiosks', rules: [{ name: 'kiosk-*' }], level: 'full' },
      'user:root',
      at(1),
    );
    const devices = await t.store.policy.listGroups('device');
    expect(devices.map((group) => [group.name, group.level])).toEqual([
      ['servers', 'semiCore'],
      ['kiosks', 'full'],
      ['Default', expect.any(String)],
    ]);
    expect(devices[1]!.rank).toBeGreaterThan(devices[0]!.rank);
    await expect(
      t.store.policy.putGroup({ kind: 'device', name: 'Default', rules: [{ tag: 'x' }] }, 'user:root', at(2)),
    ).rejects.toMatchObject({ code: 'AUTOIR_E_BAD_INPUT' });
    await expect(t.store.policy.deleteGroup('device', 'Default', 'user:root', at(2))).rejects.toMatchObject({
      code: 'AUTOIR_E_CONFLICT',
    });
    expect(await t.store.policy.deleteGroup('device', 'kiosks', 'user:root', at(3))).toBe(true);
    expect(await t.store.policy.deleteGroup('device', 'kiosks', 'user:root', at(3))).toBe(false);
    expect((await t.store.policy.listGroups('mailbox')).map((group) => group.name)).toEqual(['Default']);
  });

  it('tags assets, reads the tags of many at once, and removes them', async () => {
    await t.store.policy.addTag('device:ws1.corp.example', 'vip', 'user:root', at(0));
    await t.store.policy.addTag('device:ws1.corp.example', 'finance', 'user:root', at(0));
    await t.store.policy.addTag('user:corp\\kim', 'vip', 'user:root', at(0));
    const tags = await t.store.policy.tagsOf(['device:ws1.corp.example', 'user:corp\\kim', 'device:other']);
    expect(tags.get('device:ws1.corp.example')?.sort()).toEqual(['finance', 'vip']);
    expect(tags.get('user:corp\\kim')).toEqual(['vip']);
    expect(tags.get('device:other') ?? []).toEqual([]);
    expect(await t.store.policy.removeTag('device:ws1.corp.example', 'vip', 'user:root', at(1))).toBe(true);
    expect(await t.store.policy.removeTag('device:ws1.corp.example', 'vip', 'user:root', at(1))).toBe(false);
    expect((await t.store.policy.listTags('device:ws1.corp.example')).map((tag) => tag.tag)).toEqual([
      'finance',
    ]);
  });

  it('keeps settings and stored connectors, and audits each change with what the audit log may show', async () => {
    expect(await t.store.policy.getSetting('policy')).toBeUndefined();
    const policy = {
      notifications: { webhook: { url: 'https://hooks.example/x', secret: 'super-secret-value' } },
    };
    await t.store.policy.setSetting('policy', policy, 'user:root', at(0), () => ({ notifications: '***' }));
    expect(await t.store.policy.getSetting('policy')).toEqual(policy);
    const connector = {
      name: 'edr',
      kind: 'webhook',
      settings: { url: 'https://edr.example', secret: 'abcdefghijklmnop' },
    };
    await t.store.policy.putConnector(
      { name: 'edr', config: connector, definedOn: 'api' },
      'user:root',
      at(1),
      (config) => ({
        ...config,
        settings: '***',
      }),
    );
    expect((await t.store.policy.listConnectors()).map((row) => [row.config, row.definedOn])).toEqual([
      [connector, 'api'],
    ]);
    await t.store.policy.putConnector(
      { name: 'edr', config: connector, definedOn: 'host' },
      'cli:root',
      at(1),
      (config) => config,
    );
    expect((await t.store.policy.listConnectors()).map((row) => row.definedOn)).toEqual(['host']);
    expect(await t.store.policy.deleteConnector('edr', 'user:root', at(2))).toBe(true);
    expect(await t.store.policy.listConnectors()).toEqual([]);
    const log = await t.store.audit.list({ actor: 'user:root' }, { limit: 10 });
    expect(log.items.map((entry) => entry.operation)).toEqual([
      'connector.delete',
      'connector.create',
      'policy.set',
    ]);
    expect(
      (await t.store.audit.list({ actor: 'cli:root' }, { limit: 10 })).items.map((e) => e.operation),
    ).toEqual(['connector.update']);
    expect(JSON.stringify(log.items)).not.toMatch(/super-secret|abcdefghijklmnop/);
  });

  it('lists the audit log newest first, by actor, operation, target (or a target prefix) and time, a page at a time', async () => {
    await t.store.audit.record(
      [
        {
          actor: 'user:kim',
          operation: 'action.approve',
          target: 'action:act_1',
          after: { status: 'queued' },
        },
        { actor: 'user:kim', operation: 'action.reject', target: 'action:act_2' },
      ],
      at(0),
    );
    await t.store.audit.record(
      { actor: 'cli:root', operation: 'incident.update', target: 'incident:inc_1' },
      at(5),
    );
    await t.store.audit.record(
      { actor: 'user:kim', operation: 'action.approve', target: 'action:act_3' },
      at(10),
    );
    const all = await t.store.audit.list({}, { limit: 10 });
    expect(all.items.map((entry) => entry.target)).toEqual([
      'action:act_3',
      'incident:inc_1',
      'action:act_2',
      'action:act_1',
    ]);
    expect(all.items[3]).toMatchObject({
      at: at(0).toISOString(),
      after: { status: 'queued' },
      before: null,
    });
    expect((await t.store.audit.list({ target: 'action:' }, { limit: 10 })).items).toHaveLength(3);
    expect((await t.store.audit.list({ target: 'action:act_2' }, { limit: 10 })).items).toHaveLength(1);
    expect((await t.store.audit.list({ operation: 'action.approve' }, { limit: 10 })).items).toHaveLength(2);
    expect(
      (
        await t.store.audit.list({ since: at(5).toISOString(), until: at(10).toISOString() }, { limit: 10 })
      ).items.map((entry) => entry.actor),
    ).toEqual(['cli:root']);
    const first = await t.store.audit.list({}, { limit: 3 });
    expect(first.nextCursor).not.toBeNull();
    const second = await t.store.audit.list({}, { limit: 3, cursor: first.nextCursor! });
    expect([...first.items, ...second.items].map((entry) => entry.id)).toEqual(
      all.items.map((entry) => entry.id),
    );
    expect(second.nextCursor).toBeNull();
  });
});
