/**
 * Splitting a byte stream into JSON records without holding the whole input: NDJSON (one value per line), one
 * top-level JSON array (each element a record, streamed), or one or more concatenated JSON values (a single
 * pretty-printed object is the common case). The mode is chosen from the first bytes.
 */

/** The text of one JSON value and where it starts. */
export interface RawRecord {
  readonly kind: 'record';
  readonly line: number;
  readonly text: string;
}

/** Something in the input that is not a usable record. `fatal` problems end the file. */
export interface RecordProblem {
  readonly kind: 'problem';
  readonly line: number;
  readonly message: string;
  readonly fatal: boolean;
}

export interface ReadRecordsOptions {
  /** A record larger than this is reported and skipped (default 16 MiB). */
  readonly maxRecordBytes?: number;
}

export const DEFAULT_MAX_RECORD_BYTES = 16 * 1024 * 1024;

type Mode = 'lines' | 'array' | 'values';

const NEWLINE = 10;
const SPACE = 32;
const TAB = 9;
const CR = 13;
const QUOTE = 34;
const BACKSLASH = 92;
const COMMA = 44;
const OPEN_BRACE = 123;
const CLOSE_BRACE = 125;
const OPEN_BRACKET = 91;
const CLOSE_BRACKET = 93;

function isSpace(code: number): boolean {
  return code === SPACE || code === NEWLINE || code === CR || code === TAB || code === 0xfeff;
}

/**
 * The push-based splitter behind readRecords: feed it chunks of one input as they come, get back the records
 * (and problems) they complete. Once it has reported a fatal problem it reads nothing more.
 */
export class RecordSplitter {
  private head: Buffer[] = [];
  private headBytes = 0;
  private reader: LineReader | ValueScanner | undefined;
  private stopped = false;
  private readonly maxBytes: number;

  constructor(options: ReadRecordsOptions = {}) {
    this.maxBytes = options.maxRecordBytes ?? DEFAULT_MAX_RECORD_BYTES;
  }

  push(chunk: Buffer): (RawRecord | RecordProblem)[] {
    if (this.stopped) return [];
    if (this.reader) return this.collect(this.reader.push(chunk));
    this.head.push(chunk);
    this.headBytes += chunk.length;
    const headBuffer = this.head.length === 1 ? chunk : Buffer.concat(this.head, this.headBytes);
    const decided = decideMode(headBuffer.toString('utf8'));
    if (decided === 'wait' || decided === 'empty') {
      if (this.headBytes <= this.maxBytes) return [];
      return this.collect([
        {
          kind: 'problem',
          line: 1,
          message: `no JSON value ends within the first ${formatBytes(this.maxBytes)}`,
          fatal: true,
        },
      ]);
    }
    if (typeof decided === 'object') return this.collect([decided]);
    this.reader =
      decided === 'lines' ? new LineReader(this.maxBytes) : new ValueScanner(decided, this.maxBytes);
    this.head = [];
    return this.collect(this.reader.push(headBuffer));
  }

  end(): (RawRecord | RecordProblem)[] {
    if (this.stopped) return [];
    if (!this.reader) {
      const bytes = Buffer.concat(this.head, this.headBytes);
      const text = bytes.toString('utf8');
      if (text.trim() === '') return [];
      const decided = decideMode(text, true);
      if (typeof decided === 'object') return this.collect([decided]);
      this.reader =
        decided === 'lines'
          ? new LineReader(this.maxBytes)
          : new ValueScanner(decided === 'array' ? 'array' : 'values', this.maxBytes);
      const records = this.collect(this.reader.push(bytes));
      return this.stopped ? records : [...records, ...this.collect(this.reader.end())];
    }
    return this.collect(this.reader.end());
  }

  private collect(items: Iterable<RawRecord | RecordProblem>): (RawRecord | RecordProblem)[] {
    const out: (RawRecord | RecordProblem)[] = [];
    for (const item of items) {
      out.push(item);
      if (item.kind === 'problem' && item.fatal) {
        this.stopped = true;
        break;
      }
    }
    return out;
  }
}

export async function* readRecords(
  chunks: AsyncIterable<Buffer | string>,
  options: ReadRecordsOptions = {},
): AsyncGenerator<RawRecord | RecordProblem> {
  const splitter = new RecordSplitter(options);
  for await (const chunk of chunks)
    yield* splitter.push(typeof chunk === 'string' ? Buffer.from(chunk) : chunk);
  yield* splitter.end();
}

/**
 * From the start of the input: `[` → a streamed array; `{` whose first line is a whole JSON value → NDJSON;
 * `{` otherwise → concatenated values. Anything else is not JSON.
 */
function decideMode(head: string, atEnd = false): Mode | 'wait' | 'empty' | RecordProblem {
  let index = 0;
  let line = 1;
  while (index < head.length && isSpace(head.charCodeAt(index))) {
    if (head.charCodeAt(index) === NEWLINE) line++;
    index++;
  }
  if (index === head.length) return 'empty';
  const first = head.charCodeAt(index);
  if (first === OPEN_BRACKET) return 'array';
  if (first !== OPEN_BRACE) {
    const sample = head.slice(index, index + 24).replace(/[^\x20-\x7e]/g, '?');
    return {
      kind: 'problem',
      line,
      message: `not JSON: the input starts with ${JSON.stringify(sample)}`,
      fatal: true,
    };
  }
  const newline = head.indexOf('\n', index);
  if (newline < 0 && !atEnd) return 'wait';
  const firstLine = newline < 0 ? head.slice(index) : head.slice(index, newline);
  if (isJson(firstLine)) return 'lines';
  // A broken first line of NDJSON must not turn the whole file into one broken value: if the next line that
  // starts a value is whole JSON by itself, this is NDJSON.
  const next = /\n[ \t\r]*(\{[^\n]*)(\n|$)/.exec(head.slice(newline < 0 ? head.length : newline));
  if (!next) return newline >= 0 && !atEnd && !/\n[ \t\r]*\{/.test(head.slice(newline)) ? 'wait' : 'values';
  if (next[2] === '' && !atEnd) return 'wait';
  return isJson((next[1] as string).replace(/\r$/, '')) ? 'lines' : 'values';
}

function isJson(text: string): boolean {
  try {
    JSON.parse(text);
    return true;
  } catch {
    return false;
  }
}

/**
 * NDJSON: every non-blank line is one record. Lines are cut from the bytes and decoded one by one, so each record
 * is a string of its own: a slice of a large decoded chunk would keep the whole chunk alive for as long as any
 * value parsed from it is kept (V8 parses long strings as slices of their source).
 */
class LineReader {
  private carry: Buffer | undefined;
  private line = 1;
  private skipping = false;

  constructor(private readonly maxBytes: number) {}

  *push(chunk: Buffer): Generator<RawRecord | RecordProblem> {
    let data = chunk;
    let start = 0;
    if (this.carry) {
      // Join the carried partial line with the start of this chunk only, not the whole chunk.
      const newline = chunk.indexOf(NEWLINE);
      if (newline < 0) {
        data = Buffer.concat([this.carry, chunk]);
      } else {
        const joined = Buffer.concat([this.carry, chunk.subarray(0, newline)]);
        if (this.skipping) this.skipping = false;
        else yield* this.emit(joined, 0, joined.length);
        this.line++;
        start = newline + 1;
      }
      this.carry = undefined;
    }
    for (;;) {
      const newline = data.indexOf(NEWLINE, start);
      if (newline < 0) break;
      if (this.skipping) this.skipping = false;
      else yield* this.emit(data, start, newline);
      this.line++;
      start = newline + 1;
    }
    if (this.skipping) return;
    if (data.length - start > this.maxBytes) {
      yield {
        kind: 'problem',
        line: this.line,
        message: `line is longer than ${formatBytes(this.maxBytes)}`,
        fatal: false,
      };
      this.skipping = true;
      return;
    }
    if (start < data.length) this.carry = data.subarray(start);
  }

  *end(): Generator<RawRecord | RecordProblem> {
    if (!this.skipping && this.carry) yield* this.emit(this.carry, 0, this.carry.length);
    this.carry = undefined;
  }

  private *emit(data: Buffer, from: number, end: number): Generator<RawRecord | RecordProblem> {
    // A UTF-8 byte order mark before the first line is not part of the record.
    const start =
      this.line === 1 && data[from] === 0xef && data[from + 1] === 0xbb && data[from + 2] === 0xbf
        ? from + 3
        : from;
    let stop = end;
    if (stop > start && data[stop - 1] === CR) stop--;
    let first = start;
    while (first < stop && isSpaceByte(data[first] as number)) first++;
    if (first === stop) return;
    if (stop - start > this.maxBytes) {
      yield {
        kind: 'problem',
        line: this.line,
        message: `line is longer than ${formatBytes(this.maxBytes)}`,
        fatal: false,
      };
      return;
    }
    yield { kind: 'record', line: this.line, text: data.toString('utf8', start, stop) };
  }
}

function isSpaceByte(byte: number): boolean {
  return byte === SPACE || byte === NEWLINE || byte === CR || byte === TAB;
}

/**
 * Character scanner for values that span lines. In `array` mode the records are the elements of top-level
 * arrays; in `values` mode they are the top-level values themselves.
 */
class ValueScanner {
  private readonly target: number;
  private depth = 0;
  private inString = false;
  private escaped = false;
  /** Text of the record being read, from earlier chunks. */
  private pending = '';
  private recording = false;
  private primitive = false;
  private skipping = false;
  private recordLine = 0;
  private line = 1;
  private failed = false;

  private readonly decoder = new TextDecoder('utf-8');

  constructor(
    private readonly mode: 'array' | 'values',
    private readonly maxBytes: number,
  ) {
    this.target = mode === 'array' ? 1 : 0;
  }

  *push(chunk: Buffer): Generator<RawRecord | RecordProblem> {
    yield* this.scan(this.decoder.decode(chunk, { stream: true }));
  }

  private *scan(text: string): Generator<RawRecord | RecordProblem> {
    if (this.failed) return;
    let start = this.recording ? 0 : -1;
    const length = text.length;
    for (let index = 0; index < length; index++) {
      const code = text.charCodeAt(index);
      if (code === NEWLINE) this.line++;
      if (this.inString) {
        if (this.escaped) this.escaped = false;
        else if (code === BACKSLASH) this.escaped = true;
        else if (code === QUOTE) {
          this.inString = false;
          if (this.depth === this.target && this.recording) {
            yield* this.finish(text, start, index + 1);
            start = -1;
          }
        }
        continue;
      }
      if (this.depth > this.target) {
        if (code === QUOTE) this.inString = true;
        else if (code === OPEN_BRACE || code === OPEN_BRACKET) this.depth++;
        else if (code === CLOSE_BRACE || code === CLOSE_BRACKET) {
          this.depth--;
          if (this.depth === this.target) {
            yield* this.finish(text, start, index + 1);
            start = -1;
          }
        }
        continue;
      }
      // At record level (depth === target), or before/after the array in array mode (depth 0).
      if (this.primitive) {
        if (
          isSpace(code) ||
          code === COMMA ||
          code === CLOSE_BRACKET ||
          code === OPEN_BRACE ||
          code === OPEN_BRACKET
        ) {
          yield* this.finish(text, start, index);
          start = -1;
        } else continue;
      }
      if (isSpace(code)) continue;
      if (this.mode === 'array' && this.depth === 0) {
        if (code === OPEN_BRACKET) {
          this.depth = 1;
          continue;
        }
        this.failed = true;
        yield {
          kind: 'problem',
          line: this.line,
          message: `unexpected ${JSON.stringify(text[index])} after the end of the JSON array`,
          fatal: true,
        };
        return;
      }
      if (this.mode === 'array' && code === COMMA) continue;
      if (this.mode === 'array' && code === CLOSE_BRACKET) {
        this.depth = 0;
        continue;
      }
      // A record starts here.
      this.recording = true;
      this.recordLine = this.line;
      start = index;
      if (code === OPEN_BRACE || code === OPEN_BRACKET) this.depth++;
      else if (code === QUOTE) this.inString = true;
      else this.primitive = true;
    }
    if (this.recording && start >= 0 && !this.skipping) {
      this.pending += text.slice(start);
      if (this.pending.length > this.maxBytes) {
        yield {
          kind: 'problem',
          line: this.recordLine,
          message: `the JSON value starting here is larger than ${formatBytes(this.maxBytes)}`,
          fatal: false,
        };
        this.pending = '';
        this.skipping = true;
      }
    }
  }

  *end(): Generator<RawRecord | RecordProblem> {
    const tail = this.decoder.decode();
    if (tail !== '') yield* this.scan(tail);
    if (this.failed) return;
    if (this.primitive) {
      yield* this.finish('', 0, 0);
      return;
    }
    if (this.recording || this.inString || this.depth > 0) {
      const where = this.recording ? this.recordLine : this.line;
      yield {
        kind: 'problem',
        line: where,
        message: this.recording
          ? 'truncated input: the JSON value starting here does not end'
          : 'truncated input: the JSON array does not end',
        fatal: true,
      };
    }
  }

  private *finish(text: string, start: number, end: number): Generator<RawRecord | RecordProblem> {
    const skipped = this.skipping;
    const body = skipped ? '' : this.pending + text.slice(Math.max(start, 0), end);
    this.pending = '';
    this.recording = false;
    this.primitive = false;
    this.skipping = false;
    if (skipped) return;
    if (body.length > this.maxBytes) {
      yield {
        kind: 'problem',
        line: this.recordLine,
        message: `the JSON value starting here is larger than ${formatBytes(this.maxBytes)}`,
        fatal: false,
      };
      return;
    }
    // A copy, not a slice of the chunk: see LineReader.
    yield { kind: 'record', line: this.recordLine, text: ` ${body}`.slice(1) };
  }
}

export function formatBytes(bytes: number): string {
  if (bytes >= 1024 * 1024) return `${Math.round((bytes / 1024 / 1024) * 10) / 10} MiB`;
  if (bytes >= 1024) return `${Math.round((bytes / 1024) * 10) / 10} KiB`;
  return `${bytes} bytes`;
}

/**
 * `JSON.parse` with the error placed: the line (and column) inside the input where the syntax breaks.
 */
export function parseJsonRecord(
  record: RawRecord,
): { ok: true; value: unknown } | { ok: false; line: number; message: string } {
  try {
    return { ok: true, value: JSON.parse(record.text) };
  } catch (error) {
    const reason = (error as Error).message
      .replace(/\s*in JSON at position \d+.*$/s, '')
      .replace(/, ".*" is not valid JSON$/s, '');
    const offset = syntaxErrorOffset(record.text);
    let line = record.line;
    let lineStart = 0;
    for (let index = 0; index < offset; index++) {
      if (record.text.charCodeAt(index) === NEWLINE) {
        line++;
        lineStart = index + 1;
      }
    }
    return { ok: false, line, message: `not valid JSON: ${reason} (column ${offset - lineStart + 1})` };
  }
}

/** Where a JSON text stops being valid JSON (only called once `JSON.parse` has failed). */
export function syntaxErrorOffset(text: string): number {
  let index = 0;
  const fail = (): never => {
    throw index;
  };
  const space = () => {
    while (index < text.length && isSpace(text.charCodeAt(index))) index++;
  };
  const literal = (word: string) => {
    for (const char of word) {
      if (text[index] !== char) fail();
      index++;
    }
  };
  const string = () => {
    index++;
    for (;;) {
      if (index >= text.length) fail();
      const code = text.charCodeAt(index);
      if (code === QUOTE) return void index++;
      if (code < 0x20) fail();
      if (code === BACKSLASH) {
        index++;
        const escape = text[index];
        if (escape === 'u') {
          if (!/^[0-9a-fA-F]{4}$/.test(text.slice(index + 1, index + 5))) fail();
          index += 4;
        } else if (escape === undefined || !'"\\/bfnrt'.includes(escape)) fail();
      }
      index++;
    }
  };
  const number = () => {
    const match = /^-?(0|[1-9]\d*)(\.\d+)?([eE][+-]?\d+)?/.exec(text.slice(index, index + 400));
    if (!match || match[0] === '' || match[0] === '-') fail();
    index += (match as RegExpExecArray)[0].length;
  };
  const value = (): void => {
    space();
    const char = text[index];
    if (char === '{') {
      index++;
      space();
      if (text[index] === '}') return void index++;
      for (;;) {
        space();
        if (text[index] !== '"') fail();
        string();
        space();
        if (text[index] !== ':') fail();
        index++;
        value();
        space();
        if (text[index] === ',') index++;
        else if (text[index] === '}') return void index++;
        else fail();
      }
    }
    if (char === '[') {
      index++;
      space();
      if (text[index] === ']') return void index++;
      for (;;) {
        value();
        space();
        if (text[index] === ',') index++;
        else if (text[index] === ']') return void index++;
        else fail();
      }
    }
    if (char === '"') return string();
    if (char === 't') return literal('true');
    if (char === 'f') return literal('false');
    if (char === 'n') return literal('null');
    return number();
  };
  try {
    value();
    space();
    return index < text.length ? index : text.length;
  } catch (offset) {
    return Math.min(offset as number, text.length);
  }
}
