/**
 * Bytes of one document → prepared alerts and events. The document's first bytes say how to read it: JSON records
 * (one object, an array, NDJSON, concatenated values), a Zeek TSV log, or (document-level formats) an e-mail or
 * an EVTX file. Plain data in and out, so that the same code runs inline or in a worker thread (parse-pool.ts).
 */
import { StringDecoder } from 'node:string_decoder';
import type { AlertDraft } from '../domain/alert.js';
import type { EventDraft } from '../domain/event.js';
import { AutoirError } from '../domain/errors.js';
import type { EventMatcher, PreparedAlert, PreparedEvent } from './ports.js';
import { prepareAlert } from './prepare-alert.js';
import { EventRefs, packRawRecords, prepareEvent } from './prepare-event.js';
import { EVTX_FILE_MAGIC, EvtxReader } from './evtx.js';
import { EMAIL_FORMAT_ID, emailEventDraft, looksLikeEmail } from './formats/email.js';
import { formatById } from './formats/index.js';
import { windowsFormat } from './formats/windows.js';
import { zeekEventDraft, zeekFormat } from './formats/zeek.js';
import { errorAt, parseRecordItems, type IngestError } from './items.js';
import { RecordSplitter, type RawRecord, type RecordProblem } from '../records/json-records.js';
import { readWindowsRecord, type WindowsRecord } from '../records/windows-record.js';
import { windowsEventDraft } from './windows-telemetry.js';
import {
  looksLikeZeekTsv,
  newZeekHeader,
  readZeekHeaderLine,
  readZeekLine,
  type ZeekHeader,
} from './zeek-tsv.js';
import { isObject } from '../records/json.js';

/** One item of a record (a record may hold several, e.g. a Graph list response), or a problem. */
export type ParsedItem =
  | {
      readonly ok: true;
      readonly format: string;
      readonly skipped: boolean;
      readonly prepared: readonly PreparedAlert[];
      readonly events: readonly PreparedEvent[];
      /** Alerts raised by detection rules on this item's events, one per match (merged where written). */
      readonly detections?: readonly AlertDraft[];
    }
  | { readonly ok: false; readonly error: Omit<IngestError, 'file'>; readonly fatal?: true };

export interface DocumentParserOptions {
  readonly formatId?: string;
  readonly maxRecordBytes?: number;
  /** The document's name (a path, or a path inside an archive), for formats told by their extension. */
  readonly name?: string;
  /** Size limit of a document read whole (an e-mail). */
  readonly maxDocumentBytes?: number;
  /** Detection to run on Windows events. */
  readonly detection?: EventMatcher;
  /**
   * The occurrence counts of repeated records, when the document goes on from an earlier one (a followed file read
   * in batches): a record repeated across batches is then told from a record read again, as within one document.
   */
  readonly refs?: EventRefs;
}

/** How a document is read, once its first bytes are known. */
interface DocumentReader {
  push(chunk: Buffer): ParsedItem[];
  /** Document-level formats (an e-mail) parse here, and may take a moment. */
  end(): ParsedItem[] | Promise<ParsedItem[]>;
}

/** What detection raises on one Windows event, as alert drafts. */
function detect(
  matcher: EventMatcher | undefined,
  record: WindowsRecord | undefined,
  draft: EventDraft,
): AlertDraft[] {
  if (!matcher || !record) return [];
  return matcher.match(record, draft);
}

/** Bytes needed to tell the kinds of document apart. */
const SNIFF_BYTES = 64;

/** An e-mail is parsed whole; one larger than this is refused (attachments included). */
const MAX_EMAIL_BYTES = 64 * 1024 * 1024;

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

  async end(): Promise<ParsedItem[]> {
    if (!this.reader) {
      const head = this.takeHead();
      const reader = this.start(head);
      return [...reader.push(head), ...(await reader.end())];
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
    const refs = this.options.refs ?? new EventRefs();
    const forced = this.options.formatId;
    if ((forced === undefined || forced === EMAIL_FORMAT_ID) && looksLikeEmail(this.options.name, text))
      this.reader = new EmailReader(refs, this.options.maxDocumentBytes ?? MAX_EMAIL_BYTES);
    else if ((forced === undefined || forced === 'windows') && text.startsWith(EVTX_FILE_MAGIC))
      this.reader = new EvtxDocumentReader(refs, this.options.detection);
    else if ((forced === undefined || forced === 'zeek') && looksLikeZeekTsv(text))
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
    return parseRecords(this.splitter.push(chunk), this.refs, this.options);
  }

  end(): ParsedItem[] {
    return parseRecords(this.splitter.end(), this.refs, this.options);
  }
}

function parseRecords(
  records: readonly (RawRecord | RecordProblem)[],
  refs: EventRefs,
  options: DocumentParserOptions,
): ParsedItem[] {
  const forced = options.formatId === undefined ? undefined : formatById(options.formatId);
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
        ...detectionsOf(options.detection, outcome.events),
      };
    } catch (error) {
      return { ok: false, error: { line, message: (error as Error).message } };
    }
  });
}

function detectionsOf(
  matcher: EventMatcher | undefined,
  events: readonly { draft: EventDraft; value?: unknown }[],
): { detections?: AlertDraft[] } {
  if (!matcher) return {};
  const detections: AlertDraft[] = [];
  for (const event of events) {
    if (event.draft.format !== 'windows' || !isObject(event.value)) continue;
    const record = readWindowsRecord(event.value);
    if (typeof record !== 'string') detections.push(...detect(matcher, record, event.draft));
  }
  return detections.length > 0 ? { detections } : {};
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

/** A raw EVTX file: records rendered as evtx_dump JSON (evtx.ts), then read as Windows events. */
class EvtxDocumentReader implements DocumentReader {
  private readonly evtx = new EvtxReader();

  constructor(
    private readonly refs: EventRefs,
    private readonly detection: EventMatcher | undefined,
  ) {}

  push(chunk: Buffer): ParsedItem[] {
    try {
      return this.evtx.push(chunk).map((record) => this.item(record));
    } catch (error) {
      return [{ ok: false, error: { message: `evtx: ${(error as Error).message}` }, fatal: true }];
    }
  }

  end(): ParsedItem[] {
    const problem = this.evtx.end();
    return problem ? [{ ok: false, error: { message: `evtx: ${problem}` }, fatal: true }] : [];
  }

  private item(record: ReturnType<EvtxReader['push']>[number]): ParsedItem {
    if (!record.ok) return { ok: false, error: { message: `evtx: ${record.message}` } };
    const read = readWindowsRecord(record.event);
    if (typeof read === 'string')
      return { ok: false, error: { message: `evtx: record ${record.recordId}: ${read}` } };
    const draft = windowsEventDraft(read);
    const detections = detect(this.detection, read, draft);
    return {
      ok: true,
      format: windowsFormat.id,
      skipped: false,
      prepared: [],
      events: [prepareEvent(draft, JSON.stringify(record.event), this.refs)],
      ...(detections.length > 0 ? { detections } : {}),
    };
  }
}

/** One e-mail message (formats/email.ts): gathered whole, parsed at the end. */
class EmailReader implements DocumentReader {
  private parts: Buffer[] = [];
  private size = 0;
  private tooLarge = false;

  constructor(
    private readonly refs: EventRefs,
    private readonly maxBytes: number,
  ) {}

  push(chunk: Buffer): ParsedItem[] {
    if (this.tooLarge) return [];
    this.size += chunk.length;
    if (this.size > this.maxBytes) {
      this.tooLarge = true;
      this.parts = [];
      return [
        {
          ok: false,
          error: { message: `email: the message is larger than ${this.maxBytes} bytes` },
          fatal: true,
        },
      ];
    }
    this.parts.push(Buffer.from(chunk));
    return [];
  }

  async end(): Promise<ParsedItem[]> {
    if (this.tooLarge) return [];
    const bytes = Buffer.concat(this.parts, this.size);
    this.parts = [];
    try {
      const draft = await emailEventDraft(bytes);
      return [
        {
          ok: true,
          format: EMAIL_FORMAT_ID,
          skipped: false,
          prepared: [],
          events: [prepareEvent(draft, bytes.toString('utf8'), this.refs)],
        },
      ];
    } catch (error) {
      const field = error instanceof AutoirError ? error.location?.field : undefined;
      return [{ ok: false, error: { message: (error as Error).message, ...(field ? { field } : {}) } }];
    }
  }
}
