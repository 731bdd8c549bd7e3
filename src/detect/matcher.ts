/**
 * Detection as ingest runs it on each Windows event where the event is parsed: the configured Sigma rules that
 * match a record, as alert drafts. Made from plain settings (`DetectionConfig`), so that a parse thread makes the
 * same matcher from the settings that cross to it.
 */
import type { AlertDraft } from '../domain/alert.js';
import type { EventDraft } from '../domain/event.js';
import type { WindowsRecord } from '../records/windows-record.js';
import { alertFromMatch, detectionRules, type DetectionConfig } from './detector.js';

export interface WindowsMatcher {
  match(record: WindowsRecord, event: EventDraft): AlertDraft[];
}

/**
 * A matcher of the rules `config` names, loaded at its first match (once per process and thread): a process that
 * hands its parsing to threads never loads them itself.
 */
export function windowsMatcher(config: DetectionConfig): WindowsMatcher {
  let rules: ReturnType<typeof detectionRules> | undefined;
  return {
    match(record, event) {
      rules ??= detectionRules(config);
      return rules.match(record).map((rule) => alertFromMatch(rule, record, event, config.windowMs));
    },
  };
}

/** Detection to hand to ingest: the matcher for this thread, and the settings parse threads make theirs from. */
export function windowsDetection(config: DetectionConfig): {
  matcher: WindowsMatcher;
  settings: DetectionConfig;
} {
  return { matcher: windowsMatcher(config), settings: config };
}
