/**
 * Detection on demand: run the rules over events already stored (`autoir detect --since T`), e.g. after adding
 * rules. Reads the raw records back in time order, matches, merges and stores alerts like ingest does; running it
 * twice over the same events raises no new alerts and no higher counts.
 */
import { isObject } from '../ingest/format.js';
import { readWindowsRecord } from '../ingest/windows-record.js';
import { windowsEventDraft } from '../ingest/windows-telemetry.js';
import type { Store } from '../store/ports.js';
import { AlertMerger, alertFromMatch, detectionRules, type DetectionConfig } from './detector.js';

export interface DetectSummary {
  /** Stored events read (Windows events; other formats have no rules yet). */
  events: number;
  /** Rule matches. */
  detections: number;
  alerts: number;
  created: number;
  updated: number;
  /** Rules that ran. */
  rules: number;
  /** Raw records that could not be read back (should not happen; counted, not fatal). */
  unreadable: number;
}

export async function detectStored(
  store: Store,
  config: DetectionConfig,
  window: { since?: string; until?: string },
  now: () => Date = () => new Date(),
  pageSize = 5000,
): Promise<DetectSummary> {
  const rules = detectionRules(config);
  const merger = new AlertMerger();
  const summary: DetectSummary = {
    events: 0,
    detections: 0,
    alerts: 0,
    created: 0,
    updated: 0,
    rules: rules.rules.length,
    unreadable: 0,
  };
  let cursor: string | undefined;
  do {
    const page = await store.events.scanRaw({ formats: ['windows'], ...window }, { limit: pageSize, cursor });
    for (const item of page.items) {
      summary.events++;
      let value: unknown;
      try {
        value = JSON.parse(item.raw);
      } catch {
        summary.unreadable++;
        continue;
      }
      const record = isObject(value) ? readWindowsRecord(value) : 'not an object';
      if (typeof record === 'string') {
        summary.unreadable++;
        continue;
      }
      const matched = rules.match(record);
      if (matched.length === 0) continue;
      const draft = windowsEventDraft(record);
      for (const rule of matched) {
        summary.detections++;
        merger.add(alertFromMatch(rule, record, draft, config.windowMs));
      }
    }
    cursor = page.nextCursor ?? undefined;
  } while (cursor);
  const drafts = merger.drain();
  for (let start = 0; start < drafts.length; start += 1000) {
    const chunk = drafts.slice(start, start + 1000);
    const results = await store.transaction((target) =>
      target.alerts.upsertAlerts(
        chunk.map((draft) => ({ draft, format: 'sigma' })),
        now(),
      ),
    );
    for (const result of results) summary[result.status]++;
  }
  summary.alerts = summary.created + summary.updated;
  return summary;
}
