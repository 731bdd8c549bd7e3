/**
 * Bytes of one document → prepared alerts: split into records, parse, validate, prepare for the store. Plain data
 * in and out, so that the same code runs inline or in a worker thread (parse-pool.ts).
 */
import { prepareAlert, type PreparedAlert } from '../store/prepared-alert.js';
import { formatById } from './formats/index.js';
import { errorAt, parseItem, unwrapEnvelope, type IngestError } from './items.js';
import { parseJsonRecord, RecordSplitter, type RawRecord, type RecordProblem } from './records.js';

/** One item of a record (a record may hold several, e.g. a Graph list response), or a problem. */
export type ParsedItem =
  | {
      readonly ok: true;
      readonly format: string;
      readonly skipped: boolean;
      readonly prepared: readonly PreparedAlert[];
    }
  | { readonly ok: false; readonly error: Omit<IngestError, 'file'> };

export interface DocumentParserOptions {
  readonly formatId?: string;
  readonly maxRecordBytes?: number;
}

/** Parses one document, chunk by chunk. */
export class DocumentParser {
  private readonly splitter: RecordSplitter;
  private readonly formatId: string | undefined;

  constructor(options: DocumentParserOptions = {}) {
    this.splitter = new RecordSplitter({ maxRecordBytes: options.maxRecordBytes });
    this.formatId = options.formatId;
  }

  push(chunk: Buffer): ParsedItem[] {
    return parseRecords(this.splitter.push(chunk), this.formatId);
  }

  end(): ParsedItem[] {
    return parseRecords(this.splitter.end(), this.formatId);
  }
}

export function parseRecords(
  records: readonly (RawRecord | RecordProblem)[],
  formatId?: string,
): ParsedItem[] {
  const forced = formatId === undefined ? undefined : formatById(formatId);
  const items: ParsedItem[] = [];
  for (const record of records) {
    if (record.kind === 'problem') {
      items.push({ ok: false, error: { line: record.line, message: record.message } });
      continue;
    }
    const parsed = parseJsonRecord(record);
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
