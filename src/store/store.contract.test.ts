/**
 * The store contract: every adapter (SQLite, PostgreSQL) must pass the same suite.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { backends, createTestStore, type TestStore } from '../../test/helpers/stores.js';
import { draftAlert, endpointEntities } from '../../test/helpers/alerts.js';
import { openStore } from './open-store.js';
import { writeAlerts } from '../ingest/prepare-alert.js';
import { createDevice, createProcess } from '../domain/entity-builders.js';

const SHA_A = 'a'.repeat(64);
const SHA_B = 'b'.repeat(64);
const now = new Date('2024-05-02T00:00:00.000Z');

describe.each(backends)('store on %s', (dialect) => {
  let t: TestStore;
  beforeEach(async () => {
    t = await createTestStore(dialect);
  });
  afterEach(async () => {
    await t.cleanup();
  });

  it('runs migrations again on an existing store without harm', async () => {
    const again = await openStore(t.config);
    await writeAlerts(again.alerts, [{ draft: draftAlert({ sourceRef: 'm1' }), format: 'autoir' }], now);
    await again.close();
    expect(await t.store.alerts.countAlerts()).toBe(1);
  });

  it('creates an alert, and updates it in place when the same source and sourceRef come again', async () => {
    const first = await writeAlerts(
      t.store.alerts,
      [
        {
          draft: draftAlert({ sourceRef: 'r1', entities: endpointEntities('MKT01.pandalab.com', SHA_A) }),
          raw: '{"v":1}',
          format: 'autoir',
        },
      ],
      now,
    );
    expect(first).toEqual([{ id: expect.stringMatching(/^alr_/), status: 'created' }]);
    const id = first[0]!.id;

    const later = new Date('2024-05-03T00:00:00.000Z');
    const second = await writeAlerts(
      t.store.alerts,
      [
        {
          draft: draftAlert({
            sourceRef: 'r1',
            title: 'Renamed',
            severity: 'high',
            entities: endpointEntities('MKT01.pandalab.com', SHA_B),
          }),
          raw: '{"v":2}',
          format: 'autoir',
        },
      ],
      later,
    );
    expect(second).toEqual([{ id, status: 'updated' }]);
    expect(await t.store.alerts.countAlerts()).toBe(1);

    const alert = await t.store.alerts.getAlert(id);
    expect(alert).toMatchObject({
      id,
      title: 'Renamed',
      severity: 'high',
      ingestedAt: now.toISOString(),
      updatedAt: later.toISOString(),
    });
    expect(await t.store.alerts.getAlertRaw(id)).toBe('{"v":2}');
    // The entity index follows the new version: the old file no longer finds the alert, the new one does.
    expect(await t.store.alerts.countAlerts({ entityKey: `file:sha256:${SHA_A}` })).toBe(0);
    expect(await t.store.alerts.countAlerts({ entityKey: `file:sha256:${SHA_B}` })).toBe(1);
  });

  it('keeps the last version when one batch repeats an alert', async () => {
    const results = await writeAlerts(
      t.store.alerts,
      [
        { draft: draftAlert({ sourceRef: 'dup', title: 'v1' }), format: 'autoir' },
        { draft: draftAlert({ sourceRef: 'other' }), format: 'autoir' },
        { draft: draftAlert({ sourceRef: 'dup', title: 'v2' }), format: 'autoir' },
      ],
      now,
    );
    expect(results.map((result) => result.status)).toEqual(['created', 'created', 'updated']);
    expect(results[0]!.id).toBe(results[2]!.id);
    expect((await t.store.alerts.getAlert(results[0]!.id))?.title).toBe('v2');
    expect(await t.store.alerts.countAlerts()).toBe(2);
  });

  it('treats the same sourceRef from two sources as two alerts', async () => {
    await writeAlerts(
      t.store.alerts,
      [
        { draft: draftAlert({ source: 'a', sourceRef: 'x' }), format: 'autoir' },
        { draft: draftAlert({ source: 'b', sourceRef: 'x' }), format: 'autoir' },
      ],
      now,
    );
    expect(await t.store.alerts.countAlerts()).toBe(2);
  });

  it('resolves a bare host name to the FQDN of the device seen before, and device-scoped entities with it', async () => {
    await writeAlerts(
      t.store.alerts,
      [
        {
          draft: draftAlert({
            sourceRef: 'fqdn',
            entities: [createDevice({ hostname: 'MKT01.pandalab.com' })!],
          }),
          format: 'autoir',
        },
      ],
      now,
    );
    const [result] = await writeAlerts(
      t.store.alerts,
      [
        {
          draft: draftAlert({
            sourceRef: 'bare',
            entities: [createDevice({ hostname: 'MKT01' })!, createProcess({ device: 'MKT01', pid: 7 })!],
          }),
          format: 'autoir',
        },
      ],
      now,
    );
    const alert = await t.store.alerts.getAlert(result!.id);
    expect(alert?.entities.map((entity) => entity.key)).toEqual([
      'device:mkt01.pandalab.com',
      'process:mkt01.pandalab.com:7',
    ]);
    expect(await t.store.alerts.countAlerts({ entityKey: 'device:mkt01.pandalab.com' })).toBe(2);
  });

  it('leaves a bare host name alone when two domains have a device of that name', async () => {
    await writeAlerts(
      t.store.alerts,
      [
        {
          draft: draftAlert({ sourceRef: 'a', entities: [createDevice({ hostname: 'web1.a.example' })!] }),
          format: 'autoir',
        },
        {
          draft: draftAlert({ sourceRef: 'b', entities: [createDevice({ hostname: 'web1.b.example' })!] }),
          format: 'autoir',
        },
      ],
      now,
    );
    const [result] = await writeAlerts(
      t.store.alerts,
      [
        {
          draft: draftAlert({ sourceRef: 'c', entities: [createDevice({ hostname: 'WEB1' })!] }),
          format: 'autoir',
        },
      ],
      now,
    );
    expect((await t.store.alerts.getAlert(result!.id))?.entities[0]?.key).toBe('device:web1');
  });

  it('stores nothing of a transaction that fails', async () => {
    await expect(
      t.store.transaction(async (tx) => {
        await writeAlerts(tx.alerts, [{ draft: draftAlert({ sourceRef: 'in-tx' }), format: 'autoir' }], now);
        expect(await tx.alerts.countAlerts()).toBe(1);
        throw new Error('boom');
      }),
    ).rejects.toThrow('boom');
    expect(await t.store.alerts.countAlerts()).toBe(0);
  });

  it('filters by severity, source, time, technique, entity, title and incident', async () => {
    await writeAlerts(
      t.store.alerts,
      [
        {
          draft: draftAlert({
            sourceRef: '1',
            source: 'sigma',
            severity: 'low',
            createdAt: '2024-05-01T01:00:00Z',
            mitreTechniques: ['T1003.001'],
            title: 'LSASS Access',
          }),
          format: 'autoir',
        },
        {
          draft: draftAlert({
            sourceRef: '2',
            source: 'sigma',
            severity: 'high',
            createdAt: '2024-05-01T02:00:00Z',
            mitreTechniques: ['T1059'],
            entities: endpointEntities('h1', SHA_A),
          }),
          format: 'autoir',
        },
        {
          draft: draftAlert({
            sourceRef: '3',
            source: 'suricata',
            severity: 'critical',
            createdAt: '2024-05-01T03:00:00Z',
            mitreTechniques: ['T1003'],
          }),
          format: 'autoir',
        },
      ],
      now,
    );
    const refs = async (filter: Parameters<typeof t.store.alerts.listAlerts>[0]) =>
      (await t.store.alerts.listAlerts(filter, { limit: 10 })).items.map((alert) => alert.sourceRef);
    expect(await refs({})).toEqual(['3', '2', '1']);
    expect(await refs({ severities: ['low', 'critical'] })).toEqual(['3', '1']);
    expect(await refs({ minSeverity: 'high' })).toEqual(['3', '2']);
    expect(await refs({ sources: ['sigma'] })).toEqual(['2', '1']);
    expect(await refs({ since: '2024-05-01T02:00:00Z', until: '2024-05-01T03:00:00Z' })).toEqual(['2']);
    expect(await refs({ mitreTechnique: 'T1003' })).toEqual(['3', '1']);
    expect(await refs({ mitreTechnique: 'T1003.001' })).toEqual(['1']);
    expect(await refs({ entityKey: 'device:h1' })).toEqual(['2']);
    expect(await refs({ text: 'lsass' })).toEqual(['1']);
    expect(await refs({ text: '%' })).toEqual([]);
    expect(await refs({ incidentId: null })).toEqual(['3', '2', '1']);
    expect(await refs({ incidentId: 'inc_x' })).toEqual([]);
    expect(await t.store.alerts.countAlerts({ sources: ['sigma'] })).toBe(2);
  });

  it('pages through every alert exactly once, newest first', async () => {
    const drafts = Array.from({ length: 23 }, (_, index) => ({
      // Pairs share a timestamp, so the id decides the order inside a pair.
      draft: draftAlert({
        sourceRef: `p${index}`,
        createdAt: new Date(Date.UTC(2024, 0, 1, 0, Math.floor(index / 2))).toISOString(),
      }),
      format: 'autoir',
    }));
    await writeAlerts(t.store.alerts, drafts, now);
    const seen: { createdAt: string; id: string; sourceRef: string }[] = [];
    let cursor: string | undefined;
    let pages = 0;
    do {
      const page = await t.store.alerts.listAlerts({}, { limit: 5, cursor });
      seen.push(...page.items);
      cursor = page.nextCursor ?? undefined;
      pages++;
    } while (cursor);
    expect(pages).toBe(5);
    expect(new Set(seen.map((alert) => alert.sourceRef)).size).toBe(23);
    // Newest first; inside one timestamp, the later-stored (higher id) first.
    const order = seen.map((alert) => [alert.createdAt, Number(alert.id.slice('alr_'.length))] as const);
    const sorted = [...order].sort(([timeA, idA], [timeB, idB]) =>
      timeA === timeB ? idB - idA : timeA < timeB ? 1 : -1,
    );
    expect(order).toEqual(sorted);
  });

  it('refuses a cursor it did not hand out', async () => {
    await expect(t.store.alerts.listAlerts({}, { limit: 5, cursor: 'garbage' })).rejects.toMatchObject({
      code: 'AUTOIR_E_BAD_INPUT',
    });
  });

  it('returns nothing for an unknown alert id', async () => {
    expect(await t.store.alerts.getAlert('alr_nope')).toBeUndefined();
  });

  it('stores tokens by hash, finds active ones, refuses a duplicate name and forgets revoked ones', async () => {
    const token = await t.store.tokens.createToken({ name: 'soar', role: 'analyst', tokenHash: 'h1' }, now);
    expect(token).toMatchObject({ name: 'soar', role: 'analyst', revokedAt: null, lastUsedAt: null });
    await expect(
      t.store.tokens.createToken({ name: 'soar', role: 'viewer', tokenHash: 'h2' }, now),
    ).rejects.toMatchObject({
      code: 'AUTOIR_E_CONFLICT',
    });
    expect(await t.store.tokens.useToken('h1', now)).toMatchObject({
      id: token.id,
      lastUsedAt: now.toISOString(),
    });
    expect(await t.store.tokens.useToken('nope', now)).toBeUndefined();
    expect((await t.store.tokens.revokeToken('soar', now))?.revokedAt).toBe(now.toISOString());
    expect(await t.store.tokens.useToken('h1', now)).toBeUndefined();
    expect(await t.store.tokens.revokeToken('soar', now)).toBeUndefined();
    expect((await t.store.tokens.listTokens()).map((listed) => listed.revokedAt)).toEqual([
      now.toISOString(),
    ]);
  });
});
