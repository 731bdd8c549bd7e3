/** OTRF LSASS_campaign_01 ingested into a store with the bundled rules, and investigated to rest, in-process. */
import { windowsDetection } from '../../src/detect/matcher.js';
import { openDocuments, planInput } from '../../src/ingest/input.js';
import { ingestDocuments } from '../../src/ingest/pipeline.js';
import { loadPlaybooks } from '../../src/investigate/playbooks.js';
import type { Store } from '../../src/store/ports.js';
import { runUntilIdle } from '../../src/worker/worker.js';
import { lsassCampaign01 } from './shared-data.js';

export async function investigateLsass(store: Store): Promise<void> {
  const ingested = await ingestDocuments(openDocuments(await planInput(lsassCampaign01)), {
    store,
    workers: 0,
    detection: windowsDetection({}),
  });
  if (ingested.errorCount > 0)
    throw new Error(`LSASS_campaign_01 did not ingest: ${ingested.errors[0]?.message}`);
  await runUntilIdle(store, { correlation: {}, playbooks: loadPlaybooks() });
}
