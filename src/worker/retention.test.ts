/**
 * Telemetry retention in a long-running worker, on both stores: events older than the retention by their time
 * are kept while they arrived within it (a historical dataset ingested now), and deleted once both are older.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { backends, createTestStore, type TestStore } from '../../test/helpers/stores.js';
import { singleDocument } from '../ingest/input.js';
import { ingestDocuments } from '../ingest/pipeline.js';
import { loadPlaybooks } from '../investigate/playbooks.js';
import { runWorker } from './worker.js';
import { recordingLog } from '../../test/helpers/log.js';

const sample = readFileSync(
  path.resolve(import.meta.dirname, '../../test/fixtures/events/otrf/lsass_campaign_01_sample.ndjson'),
);
const DAY = 24 * 3_600_000;
const arrived = new Date('2026-11-01T00:00:00.000Z');

describe.each(backends)('event retention (%s)', (dialect) => {
  let t: TestStore;
  beforeEach(async () => {
    t = await createTestStore(dialect);
    // Events of 2023, ingested on 2026-11-01.
    await ingestDocuments(singleDocument('sample.ndjson', sample), { store: t.store, now: () => arrived });
  });
  afterEach(async () => t?.cleanup());

  /** One worker pass at `at`, with 30 days of retention. */
  const workAt = async (at: Date) => {
    const stop = new AbortController();
    const { log, lines } = recordingLog();
    const running = runWorker(
      t.store,
      {
        correlation: {},
        playbooks: loadPlaybooks(),
        now: () => at,
        eventRetention: { afterMs: 30 * DAY },
        log,
      },
      stop.signal,
      10,
    );
    setTimeout(() => stop.abort(), 200);
    await running;
    return lines;
  };

  it('keeps old events that arrived within it, and deletes them once they arrived before it', async () => {
    const stored = await t.store.events.countEvents();
    expect(stored).toBeGreaterThan(0);
    await workAt(new Date(arrived.getTime() + 10 * DAY));
    expect(await t.store.events.countEvents()).toBe(stored);
    const logged = await workAt(new Date(arrived.getTime() + 31 * DAY));
    expect(await t.store.events.countEvents()).toBe(0);
    expect(logged).toContainEqual({
      level: 'info',
      message: `retention: deleted ${stored} events older than 2026-11-02T00:00:00.000Z`,
      fields: expect.objectContaining({ deleted: stored, before: '2026-11-02T00:00:00.000Z' }),
    });
  });
});
