/**
 * Detection on demand: run a matcher over events already stored (`autoir detect --since T`), e.g. after adding
 * rules. Reads the raw records back in time order, matches, merges and stores alerts like ingest does; running it
 * twice over the same events raises no new alerts and no higher counts.
 */
import { readWindowsRecord } from '../records/windows-record.js';
import { isObject } from '../records/json.js';
import { AlertMerger } from './alert-merger.js';
import { ruleOfDetector } from '../domain/rule-switches.js';
import type { RuleSwitches } from './ports.js';
import type { AlertSink, EventMatcher, StoredRawEvents } from './ports.js';
import { writeAlerts } from './prepare-alert.js';
import { windowsEventDraft } from './windows-telemetry.js';

export interface RescanSummary {
  /** Stored events read (Windows events; other formats have no rules yet). */
  events: number;
  /** Rule matches. */
  detections: number;
  alerts: number;
  created: number;
  updated: number;
  /** Raw records that could not be read back (should not happen; counted, not fatal). */
  unreadable: number;
}

/** What a rescan reads from and writes to. */
export interface RescanPorts {
  readonly events: StoredRawEvents;
  /** Detection rules switched off: their matches make no alert. */
  readonly rules?: Pick<RuleSwitches, 'switchedOff'>;
  transaction<T>(work: (tx: { readonly alerts: AlertSink }) => Promise<T>): Promise<T>;
}

/** Run detection over stored Windows events in `window` and store the alerts it raises. */
export async function rescanStoredEvents(
  store: RescanPorts,
  matcher: EventMatcher,
  window: { since?: string; until?: string },
  now: () => Date = () => new Date(),
  pageSize = 5000,
): Promise<RescanSummary> {
  const merger = new AlertMerger();
  const summary: RescanSummary = {
    events: 0,
    detections: 0,
    alerts: 0,
    created: 0,
    updated: 0,
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
      const drafts = matcher.match(record, windowsEventDraft(record));
      for (const draft of drafts) {
        summary.detections++;
        merger.add(draft);
      }
    }
    cursor = page.nextCursor ?? undefined;
  } while (cursor);
  const switchedOff = (await store.rules?.switchedOff()) ?? new Map();
  const drafts = merger.drain().filter((draft) => !switchedOff.has(ruleOfDetector(draft.detector) ?? ''));
  for (let start = 0; start < drafts.length; start += 1000) {
    const chunk = drafts.slice(start, start + 1000);
    const results = await store.transaction((tx) =>
      writeAlerts(
        tx.alerts,
        chunk.map((draft) => ({ draft, format: 'sigma' })),
        now(),
      ),
    );
    for (const result of results) summary[result.status]++;
  }
  summary.alerts = summary.created + summary.updated;
  return summary;
}
