/**
 * One JSON value → alert inputs: envelopes unwrapped, format sniffed or forced, parsed. Shared by file ingest
 * (inline or in worker threads) and the API.
 */
import { AutoirError, isAutoirError, type InputLocation } from '../domain/errors.js';
import type { EventDraft } from '../domain/event.js';
import { type InputFormat } from './format.js';
import { describeFormats, sniffFormat } from './formats/index.js';
import {
  parseJsonRecord,
  RecordSplitter,
  type RawRecord,
  type RecordProblem,
} from '../records/json-records.js';
import type { AlertInput } from '../domain/alert.js';
import { isObject } from '../records/json.js';

export interface IngestError {
  readonly file?: string;
  readonly line?: number;
  readonly field?: string;
  readonly message: string;
}

/** One telemetry event as a parser produced it, with the record it came from. */
export interface EventInput {
  readonly draft: EventDraft;
  readonly raw: string;
  /** The parsed record (for detection rules, which read the source's own fields). */
  readonly value?: unknown;
}

/** One parsed item, or the reason it could not be. */
export type ItemOutcome =
  | {
      readonly ok: true;
      readonly format: InputFormat;
      readonly inputs: readonly AlertInput[];
      /** Telemetry events, each with the record it came from. */
      readonly events: readonly EventInput[];
      readonly skipped?: string;
    }
  | { readonly ok: false; readonly error: AutoirError };

/**
 * Parse one JSON value into alert inputs: unwrap envelopes, pick the format, parse. Throws nothing: a bad item is
 * an outcome. `text` is the item as it arrived (stored as the raw record).
 */
export function parseItem(value: unknown, text: string, forced?: InputFormat): ItemOutcome {
  if (!isObject(value)) {
    const kind = value === null ? 'null' : Array.isArray(value) ? 'an array' : typeof value;
    return { ok: false, error: new AutoirError('AUTOIR_E_BAD_INPUT', `expected a JSON object, got ${kind}`) };
  }
  const format = forced ?? sniffFormat(value);
  if (!format) {
    const keys = Object.keys(value).slice(0, 8).join(', ');
    return {
      ok: false,
      error: new AutoirError(
        'AUTOIR_E_UNKNOWN_FORMAT',
        `unknown format (a record with keys ${keys || 'none'}). Supported formats: ${describeFormats()}. Use --format to choose one.`,
      ),
    };
  }
  try {
    const result = format.parse(value);
    if ('skipped' in result) return { ok: true, format, inputs: [], events: [], skipped: result.skipped };
    return {
      ok: true,
      format,
      // A canonical record is the alert itself: keeping it again as the raw record would add nothing.
      inputs: result.alerts.map((draft) => ({
        draft,
        raw: format.id === 'autoir' ? undefined : text,
        format: format.id,
      })),
      events: (result.events ?? []).map((draft) => ({ draft, raw: text, value })),
    };
  } catch (error) {
    if (isAutoirError(error)) return { ok: false, error };
    return {
      ok: false,
      error: new AutoirError('AUTOIR_E_BAD_INPUT', `${format.id}: ${(error as Error).message}`, {
        cause: error,
      }),
    };
  }
}

/**
 * The items inside a JSON value: the elements of an array, a Microsoft Graph list response (`{ value: [...] }`),
 * an Elasticsearch search response (`{ hits: { hits: [...] } }`) or hit (`{ _source }`), an EventBridge event with
 * Security Hub findings, or the value itself. One level only: an array inside an array is an item (and a bad one).
 */
export function unwrapEnvelope(value: unknown, text: string): { value: unknown; text: string }[] {
  if (Array.isArray(value)) return value.map((item) => unwrapDocument(item, undefined));
  if (!isObject(value)) return [{ value, text }];
  if (Array.isArray(value.value) && ('@odata.context' in value || '@odata.nextLink' in value)) {
    return value.value.map((item) => ({ value: item, text: JSON.stringify(item) }));
  }
  // AWS EventBridge delivers Security Hub (OCSF) findings as `{ detail: { findings: [...] } }`.
  if (isObject(value.detail) && Array.isArray(value.detail.findings) && 'detail-type' in value) {
    return value.detail.findings.map((item) => ({ value: item, text: JSON.stringify(item) }));
  }
  const hits = isObject(value.hits) ? value.hits.hits : undefined;
  if (Array.isArray(hits) && ('took' in value || '_shards' in value || 'timed_out' in value)) {
    return hits.map((hit) => unwrapDocument(hit, undefined));
  }
  return [unwrapDocument(value, text)];
}

/** An Elasticsearch hit becomes its document (with `_id` and `_index`); anything else stays as it is. */
function unwrapDocument(value: unknown, text: string | undefined): { value: unknown; text: string } {
  if (isObject(value) && isObject(value._source) && typeof value._index === 'string') {
    const document = { ...value._source, _id: value._id, _index: value._index };
    return { value: document, text: JSON.stringify(document) };
  }
  return { value, text: text ?? JSON.stringify(value) };
}

export function errorAt(error: AutoirError, where: InputLocation): IngestError {
  const field = error.location?.field;
  return {
    ...(where.file !== undefined ? { file: where.file } : {}),
    ...(where.line !== undefined ? { line: where.line } : {}),
    ...(field ? { field } : {}),
    message: error.message,
  };
}

/**
 * The deepest nesting of objects and arrays a record may have. JSON.parse takes any depth, but a value nested
 * thousands deep cannot be written back (JSON.stringify, the API, `alerts show --raw`) nor walked by the parsers.
 */
export const MAX_JSON_DEPTH = 64;

/** Whether `value` nests objects or arrays more than `limit` deep (stops looking as soon as it does). */
export function nestedDeeperThan(value: unknown, limit: number): boolean {
  if (value === null || typeof value !== 'object') return false;
  if (limit === 0) return true;
  if (Array.isArray(value)) {
    for (const item of value) if (nestedDeeperThan(item, limit - 1)) return true;
    return false;
  }
  for (const key in value)
    if (nestedDeeperThan((value as Record<string, unknown>)[key], limit - 1)) return true;
  return false;
}

/** One item of the records of an input, with the line its record starts on. */
export interface RecordItem {
  readonly line: number;
  readonly outcome: ItemOutcome;
  /** The input cannot be read past this point (not JSON, truncated). */
  readonly fatal?: true;
}

/**
 * The items of records, in order: envelopes unwrapped, each item parsed. Every problem — a record that is not
 * JSON, an unknown format, a bad field, a value too deeply nested to handle — is an outcome, never a throw.
 */
export function parseRecordItems(
  records: Iterable<RawRecord | RecordProblem>,
  forced?: InputFormat,
): RecordItem[] {
  const items: RecordItem[] = [];
  const fail = (line: number, message: string, fatal = false) =>
    items.push({
      line,
      outcome: { ok: false, error: new AutoirError('AUTOIR_E_BAD_INPUT', message, { location: { line } }) },
      ...(fatal ? { fatal: true as const } : {}),
    });
  for (const record of records) {
    if (record.kind === 'problem') {
      fail(record.line, record.message, record.fatal);
      continue;
    }
    const parsed = parseJsonRecord(record);
    if (!parsed.ok) {
      fail(parsed.line, parsed.message);
      continue;
    }
    if (nestedDeeperThan(parsed.value, MAX_JSON_DEPTH)) {
      fail(
        record.line,
        `nested more than ${MAX_JSON_DEPTH} levels deep: autoir reads records up to ${MAX_JSON_DEPTH} levels (no security format nests more than a dozen)`,
      );
      continue;
    }
    try {
      for (const unwrapped of unwrapEnvelope(parsed.value, record.text)) {
        items.push({ line: record.line, outcome: parseItem(unwrapped.value, unwrapped.text, forced) });
      }
    } catch (error) {
      // JSON.parse accepts nesting that JSON.stringify and the parsers cannot walk back down.
      fail(record.line, `cannot read this record: ${(error as Error).message}`);
    }
  }
  return items;
}

/** One item of an in-memory body (an API request): its position, where it was, and what parsing it gave. */
export interface BodyItem extends RecordItem {
  readonly index: number;
}

/**
 * Parse a whole text (one object, an array, or NDJSON) into items, in order. For input already in memory and
 * bounded, as an API request body is.
 */
export function parseBody(text: string, forced?: InputFormat, maxRecordBytes?: number): BodyItem[] {
  const splitter = new RecordSplitter({ maxRecordBytes });
  const records = [...splitter.push(Buffer.from(text)), ...splitter.end()];
  return parseRecordItems(records, forced).map((item, index) => ({ ...item, index }));
}
