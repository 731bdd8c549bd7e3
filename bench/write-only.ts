/**
 * The writing stage of ingest on its own: every document parsed and prepared first (not timed), exactly as a parse
 * worker hands items to the writing thread, then only the store's writes timed — one transaction per window of
 * 5,000 alerts or events, as `autoir ingest` commits. No pipeline can store faster than this, whatever runs beside
 * it: it is the ceiling of the ingest benches on this machine.
 */
import { openDocuments, type InputPlan } from '../src/ingest/input.js';
import { DocumentParser, packItems, type ParsedItem } from '../src/ingest/parse-batch.js';
import type { Store } from '../src/store/ports.js';
import type { PreparedAlert, PreparedEvent } from '../src/ingest/ports.js';

const WINDOW = 5000;

/** Seconds the store takes to write what these documents hold. */
export async function timeWritesOnly(plan: InputPlan, store: Store): Promise<number> {
  const windows: { alerts: PreparedAlert[]; events: PreparedEvent[] }[] = [];
  let current = { alerts: [] as PreparedAlert[], events: [] as PreparedEvent[] };
  const take = (items: ParsedItem[]) => {
    packItems(items);
    for (const item of items) {
      if (!item.ok) throw new Error(`bench input has a bad record: ${item.error.message}`);
      current.alerts.push(...item.prepared);
      current.events.push(...item.events);
      if (current.alerts.length + current.events.length >= WINDOW) {
        windows.push(current);
        current = { alerts: [], events: [] };
      }
    }
  };
  for await (const document of openDocuments(plan)) {
    if (!('chunks' in document)) throw new Error(`${document.name}: ${document.message}`);
    const parser = new DocumentParser({ name: document.name });
    for await (const chunk of document.chunks) take(parser.push(chunk));
    take(await parser.end());
  }
  windows.push(current);

  const knownAliases = new Set<string>();
  const start = performance.now();
  for (const window of windows) {
    const at = new Date();
    await store.transaction(async (target) => {
      if (window.events.length > 0) await target.events.insertPrepared(window.events, at, { knownAliases });
      if (window.alerts.length > 0) await target.alerts.upsertPrepared(window.alerts, at);
    });
  }
  return (performance.now() - start) / 1000;
}
