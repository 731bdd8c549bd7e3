/**
 * One JSON value → alert inputs: envelopes unwrapped, format sniffed or forced, parsed. Shared by file ingest
 * (inline or in worker threads) and the API.
 */
import { AutoirError, isAutoirError, type InputLocation } from '../domain/errors.js';
import type { AlertInput } from '../store/ports.js';
import { isObject, type InputFormat } from './format.js';
import { describeFormats, sniffFormat } from './formats/index.js';
import { parseJsonRecord, readRecords } from './records.js';

export interface IngestError {
  readonly file?: string;
  readonly line?: number;
  readonly field?: string;
  readonly message: string;
}

/** One parsed item, or the reason it could not be. */
export type ItemOutcome =
  | {
      readonly ok: true;
      readonly format: InputFormat;
      readonly inputs: readonly AlertInput[];
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
    const result = format.parse(value, { text });
    if ('skipped' in result) return { ok: true, format, inputs: [], skipped: result.skipped };
    return {
      ok: true,
      format,
      // A canonical record is the alert itself: keeping it again as the raw record would add nothing.
      inputs: result.alerts.map((draft) => ({
        draft,
        raw: format.id === 'autoir' ? undefined : text,
        format: format.id,
      })),
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
 * The items inside a JSON value: a Graph list response (`{ value: [...] }`), an Elasticsearch search response
 * (`{ hits: { hits: [...] } }`) or hit (`{ _source }`), an array, or the value itself.
 */
export function unwrapEnvelope(value: unknown, text: string): { value: unknown; text: string }[] {
  if (Array.isArray(value)) return value.flatMap((item) => unwrapEnvelope(item, JSON.stringify(item)));
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
    return hits.flatMap((hit) => unwrapEnvelope(hit, JSON.stringify(hit)));
  }
  if (isObject(value._source) && typeof value._index === 'string') {
    const document = { ...value._source, _id: value._id, _index: value._index };
    return [{ value: document, text: JSON.stringify(document) }];
  }
  return [{ value, text }];
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

/** One item of an in-memory body (an API request): where it was, and what parsing it gave. */
export interface BodyItem {
  readonly index: number;
  readonly line: number;
  readonly outcome: ItemOutcome;
}

/**
 * Parse a whole text (one object, an array, or NDJSON) into items, in order. Used where the input is already in
 * memory and bounded, as an API request body is.
 */
export async function parseBody(
  text: string,
  forced?: InputFormat,
  maxRecordBytes?: number,
): Promise<BodyItem[]> {
  const items: BodyItem[] = [];
  const fail = (line: number, error: AutoirError) =>
    items.push({ index: items.length, line, outcome: { ok: false, error } });
  async function* chunks() {
    yield text;
  }
  for await (const item of readRecords(chunks(), { maxRecordBytes })) {
    if (item.kind === 'problem') {
      fail(item.line, new AutoirError('AUTOIR_E_BAD_INPUT', item.message, { location: { line: item.line } }));
      if (item.fatal) break;
      continue;
    }
    const parsed = parseJsonRecord(item);
    if (!parsed.ok) {
      fail(
        parsed.line,
        new AutoirError('AUTOIR_E_BAD_INPUT', parsed.message, { location: { line: parsed.line } }),
      );
      continue;
    }
    for (const unwrapped of unwrapEnvelope(parsed.value, item.text)) {
      items.push({
        index: items.length,
        line: item.line,
        outcome: parseItem(unwrapped.value, unwrapped.text, forced),
      });
    }
  }
  return items;
}
