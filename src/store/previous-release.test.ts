/**
 * A data directory written by the previous release opens with this code and upgrades in place: what was stored is
 * read back whole, and work goes on from where it stood (test/fixtures/store/NOTICE.md says how it was made).
 */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { gunzipSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fixture } from '../../test/helpers/shared-data.js';
import { indexedEventKey } from '../domain/event.js';
import { openStore } from './open-store.js';
import type { Store } from './ports.js';

describe('a data directory of the previous release', () => {
  let dir: string;
  let store: Store;
  beforeAll(async () => {
    dir = mkdtempSync(path.join(os.tmpdir(), 'autoir-previous-'));
    writeFileSync(
      path.join(dir, 'autoir.db'),
      gunzipSync(readFileSync(fixture('store/previous-release.autoir.db.gz'))),
    );
    store = await openStore({ kind: 'sqlite', dataDir: dir });
  });
  afterAll(async () => {
    await store?.close();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  it('reads its alerts, incident, events, investigation, actions and tokens as they were', async () => {
    const alerts = await store.alerts.listAlerts({}, { limit: 100 });
    expect(alerts.items).toHaveLength(6);
    expect(new Set(alerts.items.map((alert) => alert.incidentId))).toEqual(new Set(['inc_1']));
    expect(await store.events.countEvents()).toBe(15);
    // Its entity index was rebuilt with each event's time (migration 0021): every event is found by its entities.
    let looked = 0;
    for (const event of (await store.events.searchEvents({}, { limit: 100 })).items) {
      const key = event.keys.find(indexedEventKey);
      if (!key) continue;
      const found = await store.events.searchEvents({ entityKeys: [key], since: event.time }, { limit: 100 });
      expect(found.items.map((item) => item.id)).toContain(event.id);
      looked++;
    }
    expect(looked).toBe(15);
    const incident = await store.incidents.getIncident('inc_1');
    expect(incident?.alertIds).toHaveLength(6);
    const investigation = await store.investigations.get('inv_1');
    expect(investigation).toMatchObject({ status: 'pendingApproval', playbook: 'credentialAccess' });
    expect(investigation?.evidence.some((row) => row.verdict === 'malicious')).toBe(true);
    expect(await store.actions.count({ statuses: ['pendingApproval'] })).toBe(8);
    expect((await store.tokens.listTokens()).map((token) => token.name)).toEqual(['old']);
  });

  it('goes on from where it stood: an approval queues the action, and the investigation follows it', async () => {
    const pending = await store.actions.list({ statuses: ['pendingApproval'] }, { limit: 100 });
    const decided = await store.actions.decide(
      pending.items.map((action) => action.id),
      'reject',
      'user:kim',
      'upgrade test',
      new Date(),
    );
    expect(decided.every((action) => action.status === 'rejected')).toBe(true);
    expect((await store.investigations.get('inv_1'))?.status).toBe('running');
  });
});
