/**
 * Bytes of one document → prepared alerts: split into records, parse, validate, prepare for the store. Plain data
 * in and out, so that the same code runs inline or in a worker thread (parse-pool.ts).
 */
import { prepareAlert, type PreparedAlert } from '../store/prepared-alert.js';
import { formatById } from './formats/index.js';
import { errorAt, parseRecordItems, type IngestError } from './items.js';
import { RecordSplitter, type RawRecord, type RecordProblem } from './records.js';

/** One item of a record (a record may hold several, e.g. a Graph list response), or a problem. */
export type ParsedItem =
  | {
      readonly ok: true;
      readonly format: string;
      readonly skipped: boolean;
      readonly prepared: readonly PreparedAlert[];
    }
  | { readonly ok: false; readonly error: Omit<IngestError, 'file'>; readonly fatal?: true };

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

function parseRecords(records: readonly (RawRecord | RecordProblem)[], formatId?: string): ParsedItem[] {
  const forced = formatId === undefined ? undefined : formatById(formatId);
  return parseRecordItems(records, forced).map(({ line, outcome, fatal }): ParsedItem => {
    if (!outcome.ok)
      return { ok: false, error: errorAt(outcome.error, { line }), ...(fatal ? { fatal } : {}) };
    try {
      return {
        ok: true,
        format: outcome.format.id,
        skipped: outcome.skipped !== undefined,
        prepared: outcome.inputs.map(prepareAlert),
      };
    } catch (error) {
      return { ok: false, error: { line, message: (error as Error).message } };
    }
  });
}
