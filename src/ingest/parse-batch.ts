/**
 * Bytes of one document → prepared alerts and events. The document's first bytes say how to read it: JSON records
 * (one object, an array, NDJSON, concatenated values), a Zeek TSV log, or (document-level formats) an e-mail or
 * an EVTX file. Plain data in and out, so that the same code runs inline or in a worker thread (parse-pool.ts).
 */
import { StringDecoder } from 'node:string_decoder';
import { AutoirError } from '../domain/errors.js';
import { prepareAlert, type PreparedAlert } from '../store/prepared-alert.js';
import { EventRefs, packRawRecords, prepareEvent, type PreparedEvent } from '../store/prepared-event.js';
import { formatById } from './formats/index.js';
import { zeekEventDraft, zeekFormat } from './formats/zeek.js';
import { errorAt, parseRecordItems, type IngestError } from './items.js';
import { RecordSplitter, type RawRecord, type RecordProblem } from './records.js';
import {
  looksLikeZeekTsv,
  newZeekHeader,
  readZeekHeaderLine,
  readZeekLine,
  type ZeekHeader,
} from './zeek-tsv.js';

/** One item of a record (a record may hold several, e.g. a Graph list response), or a problem. */
export type ParsedItem =
  | {
      readonly ok: true;
      readonly format: string;
      readonly skipped: boolean;
      readonly prepared: readonly PreparedAlert[];
      readonly events: readonly PreparedEvent[];
    }
  | { readonly ok: false; readonly error: Omit<IngestError, 'file'>; readonly fatal?: true };

export interface DocumentParserOptions {
  readonly formatId?: string;
  readonly maxRecordBytes?: number;
  /** The document's name (a path, or a path inside an archive), for formats told by their extension. */
  readonly name?: string;
}

/** How a document is read, once its first bytes are known. */
interface DocumentReader {
  push(chunk: Buffer): ParsedItem[];
  end(): ParsedItem[];
}

/** Bytes needed to tell the kinds of document apart. */
const SNIFF_BYTES = 16;

/** Parses one document, chunk by chunk. */
export class DocumentParser {
  private reader: DocumentReader | undefined;
  private head: Buffer[] = [];
  private headLength = 0;

  constructor(private readonly options: DocumentParserOptions = {}) {}

  push(chunk: Buffer): ParsedItem[] {
    if (this.reader) return this.reader.push(chunk);
    this.head.push(chunk);
    this.headLength += chunk.length;
    if (this.headLength < SNIFF_BYTES) return [];
    return this.start().push(this.takeHead());
  }

  end(): ParsedItem[] {
    if (!this.reader) {
      const head = this.takeHead();
      const reader = this.start(head);
      return [...reader.push(head), ...reader.end()];
    }
    return this.reader.end();
  }

  private takeHead(): Buffer {
    const head = Buffer.concat(this.head);
    this.head = [];
    return head;
  }

  private start(first?: Buffer): DocumentReader {
    const head = first ?? Buffer.concat(this.head);
    const text = head
      .subarray(0, SNIFF_BYTES)
      .toString('latin1')
      .replace(/^\uFEFF|^\xEF\xBB\xBF/, '');
    const refs = new EventRefs();
    const forced = this.options.formatId;
    if ((forced === undefined || forced === 'zeek') && looksLikeZeekTsv(text))
      this.reader = new ZeekTsvReader(refs);
    else this.reader = new JsonReader(this.options, refs);
    return this.reader;
  }
}

/**
 * Items with their events' raw records packed into one buffer (packRawRecords), and that buffer to transfer
 * when the items cross to another thread.
 */
export function packItems(items: readonly ParsedItem[]): ArrayBuffer[] {
  const events: PreparedEvent[] = [];
  for (const item of items) if (item.ok) for (const event of item.events) events.push(event);
  const arena = packRawRecords(events);
  return arena ? [arena] : [];
}

/** JSON records: split, parse, sniff or force the format, prepare. */
class JsonReader implements DocumentReader {
  private readonly splitter: RecordSplitter;

  constructor(
    private readonly options: DocumentParserOptions,
    private readonly refs: EventRefs,
  ) {
    this.splitter = new RecordSplitter({ maxRecordBytes: options.maxRecordBytes });
  }

  push(chunk: Buffer): ParsedItem[] {
    return parseRecords(this.splitter.push(chunk), this.refs, this.options.formatId);
  }

  end(): ParsedItem[] {
    return parseRecords(this.splitter.end(), this.refs, this.options.formatId);
  }
}

function parseRecords(
  records: readonly (RawRecord | RecordProblem)[],
  refs: EventRefs,
  formatId?: string,
): ParsedItem[] {
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
        events: outcome.events.map((event) => prepareEvent(event.draft, event.raw, refs)),
      };
    } catch (error) {
      return { ok: false, error: { line, message: (error as Error).message } };
    }
  });
}

/** Text lines of a document, decoded as UTF-8 across chunk boundaries, numbered from 1. */
class LineSplitter {
  private readonly decoder = new StringDecoder('utf8');
  private rest = '';
  private line = 0;

  push(chunk: Buffer, each: (line: string, number: number) => void): void {
    const text = this.rest + this.decoder.write(chunk);
    let start = 0;
    for (;;) {
      const end = text.indexOf('\n', start);
      if (end < 0) break;
      this.line++;
      each(text.charCodeAt(end - 1) === 13 ? text.slice(start, end - 1) : text.slice(start, end), this.line);
      start = end + 1;
    }
    this.rest = text.slice(start);
  }

  end(each: (line: string, number: number) => void): void {
    const text = this.rest + this.decoder.end();
    this.rest = '';
    if (text !== '') each(text.endsWith('\r') ? text.slice(0, -1) : text, ++this.line);
  }
}

/** A Zeek TSV log: header lines, then records (formats/zeek.ts). */
class ZeekTsvReader implements DocumentReader {
  private readonly lines = new LineSplitter();
  private readonly header: ZeekHeader = newZeekHeader();

  constructor(private readonly refs: EventRefs) {}

  push(chunk: Buffer): ParsedItem[] {
    const items: ParsedItem[] = [];
    this.lines.push(chunk, (line, number) => this.read(line, number, items));
    return items;
  }

  end(): ParsedItem[] {
    const items: ParsedItem[] = [];
    this.lines.end((line, number) => this.read(line, number, items));
    return items;
  }

  private read(line: string, number: number, items: ParsedItem[]): void {
    if (line === '') return;
    if (line.startsWith('#')) {
      readZeekHeaderLine(this.header, line);
      return;
    }
    const record = readZeekLine(this.header, line);
    if (typeof record === 'string') {
      items.push({ ok: false, error: { line: number, message: `zeek: ${record}` } });
      return;
    }
    try {
      const draft = zeekEventDraft(record);
      items.push({
        ok: true,
        format: zeekFormat.id,
        skipped: false,
        prepared: [],
        events: [prepareEvent(draft, JSON.stringify(record), this.refs)],
      });
    } catch (error) {
      const field = error instanceof AutoirError ? error.location?.field : undefined;
      items.push({
        ok: false,
        error: { line: number, message: (error as Error).message, ...(field ? { field } : {}) },
      });
    }
  }
}
