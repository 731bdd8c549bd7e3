/**
 * A worker told that alerts arrived looks at once, on both stores: with a poll of a minute, an alert stored while
 * it waits is investigated within a second of the `alerts` event.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { draftAlert } from '../../test/helpers/alerts.js';
import { backends, createTestStore, type TestStore } from '../../test/helpers/stores.js';
import { until } from '../../test/helpers/until.js';
import { createDevice } from '../domain/entity-builders.js';
import type { Entity } from '../domain/entity.js';
import { writeAlerts } from '../ingest/prepare-alert.js';
import { loadPlaybooks } from '../investigate/playbooks.js';
import { runWorker } from './worker.js';

describe.each(backends)('a worker woken by arriving alerts (%s)', (dialect) => {
  let t: TestStore;
  beforeEach(async () => {
    t = await createTestStore(dialect);
  });
  afterEach(async () => t?.cleanup());

  it('starts their investigation at once instead of at its next poll', async () => {
    const arrivals = new EventTarget();
    const stop = new AbortController();
    const running = runWorker(
      t.store,
      { correlation: {}, playbooks: loadPlaybooks(), wake: arrivals },
      stop.signal,
      60_000,
    );
    try {
      // Let it finish its first pass and go to sleep.
      await new Promise((resolve) => setTimeout(resolve, 500));
      await writeAlerts(
        t.store.alerts,
        [
          {
            draft: draftAlert({
              sourceRef: 'woken',
              category: 'malware',
              entities: [createDevice({ hostname: 'ws9.corp.example' }) as Entity],
            }),
            format: 'autoir',
          },
        ],
        new Date(),
      );
      const told = Date.now();
      arrivals.dispatchEvent(new Event('alerts'));
      await until(
        'the investigation',
        async () =>
          (await t.store.investigations.list({}, { limit: 5 })).items.length > 0 ? true : undefined,
        5000,
        20,
      );
      expect(Date.now() - told).toBeLessThan(2000);
    } finally {
      stop.abort();
      await running;
    }
  });
});
