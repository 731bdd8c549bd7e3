/**
 * Records → prepared alerts, for a batch of records. Plain data in, plain data out, so that the same function runs
 * inline or in a worker thread (parse-pool.ts).
 */
import { prepareAlert, type PreparedAlert } from '../store/prepared-alert.js';
import { formatById } from './formats/index.js';
import { errorAt, parseItem, unwrapEnvelope, type IngestError } from './items.js';
import { parseJsonRecord } from './records.js';

export interface RecordText {
  readonly line: number;
  readonly text: string;
}

/** One item of a record (a record may hold several, e.g. a Graph list response). */
export type ParsedItem =
  | {
      readonly ok: true;
      readonly format: string;
      readonly skipped: boolean;
      readonly prepared: readonly PreparedAlert[];
    }
  | { readonly ok: false; readonly error: Omit<IngestError, 'file'> };

export function parseRecords(records: readonly RecordText[], formatId?: string): ParsedItem[] {
  const forced = formatId === undefined ? undefined : formatById(formatId);
  const items: ParsedItem[] = [];
  for (const record of records) {
    const parsed = parseJsonRecord({ kind: 'record', line: record.line, text: record.text });
    if (!parsed.ok) {
      items.push({ ok: false, error: { line: parsed.line, message: parsed.message } });
      continue;
    }
    for (const unwrapped of unwrapEnvelope(parsed.value, record.text)) {
      const outcome = parseItem(unwrapped.value, unwrapped.text, forced);
      if (!outcome.ok) {
        items.push({ ok: false, error: errorAt(outcome.error, { line: record.line }) });
        continue;
      }
      try {
        items.push({
          ok: true,
          format: outcome.format.id,
          skipped: outcome.skipped !== undefined,
          prepared: outcome.inputs.map(prepareAlert),
        });
      } catch (error) {
        items.push({ ok: false, error: { line: record.line, message: (error as Error).message } });
      }
    }
  }
  return items;
}
