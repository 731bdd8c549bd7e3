/**
 * What a device's page asks the API, on both backends: the investigations holding the device as evidence and the
 * actions on it — only those, whichever way its key is written.
 */
import { describe, expect, it } from 'vitest';
import { useApi } from '../../test/helpers/api.js';
import { backends } from '../../test/helpers/stores.js';
import { createDevice } from '../domain/entity-builders.js';
import type { Entity } from '../domain/entity.js';
import { newEvidence } from '../domain/evidence.js';

describe.each(backends)('device filters of the API on %s', (dialect) => {
  const api = useApi(dialect);

  /** An investigation whose evidence is `device`. */
  const investigate = async (device: Entity) => {
    const store = api.t.store;
    const id = await store.investigations.create(
      {
        incidentId: null,
        playbook: 'general',
        trigger: { kind: 'manual', target: device.key, by: 'user:kim' },
        status: 'queued',
        alertIds: [],
      },
      new Date(),
    );
    const claimed = (await store.investigations.claim('w1', new Date(), 60_000, 10))!;
    await store.investigations.commitStep(
      claimed.key,
      'w1',
      {
        step: 'collect',
        startedAt: Date.now(),
        durationMs: 1,
        result: 'collected',
        next: 'analyze',
        state: {},
        evidence: [newEvidence(device, 'manual', 0)],
        release: true,
      },
      new Date(),
    );
    return id;
  };

  it('lists the investigations holding a device and the actions on it, and nothing of another', async () => {
    const mkt01 = createDevice({ hostname: 'mkt01.pandalab.com' }) as Entity;
    const ws2 = createDevice({ hostname: 'ws2.pandalab.com' }) as Entity;
    const first = await investigate(mkt01);
    await investigate(ws2);
    const isolate = await api.pending('isolateDevice', mkt01.key, mkt01.key);
    const kill = await api.pending('killProcess', 'process:mkt01.pandalab.com:1988', mkt01.key);
    await api.pending('isolateDevice', ws2.key, ws2.key);

    const investigations = await api.call(
      'viewer',
      'GET',
      '/api/v1/investigations?entity=device:MKT01.pandalab.com',
    );
    expect(investigations.statusCode, investigations.body).toBe(200);
    expect(investigations.json().items.map((item: { id: string }) => item.id)).toEqual([first]);
    const actions = await api.call(
      'viewer',
      'GET',
      `/api/v1/actions?device=${encodeURIComponent(mkt01.key)}`,
    );
    expect(actions.statusCode, actions.body).toBe(200);
    expect(
      actions
        .json()
        .items.map((item: { id: string }) => item.id)
        .sort(),
    ).toEqual([isolate.id, kill.id].sort());
    const none = await api.call('viewer', 'GET', '/api/v1/actions?device=device:ws9.pandalab.com');
    expect(none.json().items).toEqual([]);
  });
});
