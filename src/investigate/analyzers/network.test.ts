import { inputDocuments } from '../../../test/helpers/documents.js';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { backends, createTestStore, type TestStore } from '../../../test/helpers/stores.js';
import { type Entity } from '../../domain/entity.js';
import { ingestDocuments } from '../../ingest/pipeline.js';
import type { AnalysisContext } from './analyzer.js';
import { newlySeenAnalyzer } from './network.js';
import type { AlertRecord } from '../../domain/alert.js';
import { newEvidence } from '../../domain/evidence.js';
import { createDomain, createUrl } from '../../domain/entity-builders.js';

const DAY = 86_400_000;
const NOW = Date.parse('2026-04-01T12:00:00.000Z');

/** OCSF DNS Activity: a device looked `name` up at `time`. */
const lookup = (name: string, time: number) =>
  JSON.stringify({
    class_uid: 4003,
    activity_id: 2,
    time,
    device: { hostname: 'ws1', domain: 'corp.example' },
    query: { hostname: name },
    rcode_id: 0,
  });

const documents = (text: string) => inputDocuments([{ name: 'dns.ndjson', bytes: text }]);

describe.each(backends)('newlySeen on %s', (backend) => {
  let t: TestStore;
  beforeEach(async () => {
    t = await createTestStore(backend);
  });
  afterEach(async () => {
    await t.cleanup();
  });

  const context = (alertTime: number): AnalysisContext => ({
    query: t.store.eventQuery,
    events: t.store.events,
    now: new Date(NOW),
    alerts: [{ createdAt: new Date(alertTime).toISOString() } as AlertRecord],
    indicators: new Map(),
    fleetSize: () => Promise.resolve(1),
  });
  const judge = async (entity: Entity, alertTime = NOW) =>
    (await newlySeenAnalyzer.analyze(newEvidence(entity, 'alert', 0), context(alertTime))).findings;

  it('calls a domain new when the store knew it for less than a week out of a long history', async () => {
    const lines = [
      lookup('intranet.corp.example', NOW - 40 * DAY),
      lookup('intranet.corp.example', NOW - DAY),
      lookup('login-verify.example.net', NOW - 2 * DAY),
    ];
    await ingestDocuments(documents(lines.join('\n')), { store: t.store, now: () => new Date(NOW) });
    const fresh = await judge(createDomain({ name: 'login-verify.example.net' }) as Entity);
    expect(fresh).toEqual([
      expect.objectContaining({
        weight: 15,
        text: expect.stringMatching(/login-verify\.example\.net is new here/),
      }),
    ]);
    // The same through a URL on it.
    const viaUrl = await judge(createUrl({ url: 'https://login-verify.example.net/a' }) as Entity);
    expect(viaUrl[0]?.weight).toBe(15);
    const old = await judge(createDomain({ name: 'intranet.corp.example' }) as Entity);
    expect(old).toEqual([expect.objectContaining({ weight: 0 })]);
    // Nothing is new in a store without two weeks of history.
    expect(await judge(createDomain({ name: 'login-verify.example.net' }) as Entity, NOW - 30 * DAY)).toEqual(
      [],
    );
  });
});
