/**
 * What ingest needs from the rest of autoir, in its own words.
 *
 * - **Sinks**: where prepared alerts and events are written. Ingest prepares rows where records are parsed (in
 *   parse threads, off the writing one) in the write format declared here — column values in a fixed order, entity
 *   key hashes, aliases — and the store writes them as they are (store/alert-store.ts, store/event-store.ts).
 * - **Detection**: an `EventMatcher` run on each Windows event where it is parsed. Ingest knows nothing of Sigma;
 *   the composition root hands it detect's matcher (and, for parse threads, the script that makes one).
 */
import type { SwitchedOff } from '../domain/rule-switches.js';
import type { AlertDraft, AlertWriteResult } from '../domain/alert.js';
import type { EventDraft, EventKind, EventRecord } from '../domain/event.js';
import type { MailReport, NewMailReport } from '../domain/report.js';
import type { Page, PageRequest } from '../domain/page.js';
import type { WindowsRecord } from '../records/windows-record.js';

// --- the write format --------------------------------------------------------------------------------------------

/** The columns an alert is written with, in order; `values` of a prepared alert follow it. */
export const alertWriteColumns = [
  'source',
  'source_ref',
  'title',
  'description',
  'severity',
  'severity_rank',
  'category',
  'detector',
  'mitre_techniques',
  'created_at',
  'first_activity_at',
  'last_activity_at',
  'ingested_at',
  'updated_at',
  'incident_id',
  'entities',
  'raw',
  'format',
  'event_count',
] as const;

/** Position of each column in a prepared alert's `values`. */
export const alertAt = Object.fromEntries(
  alertWriteColumns.map((column, index) => [column, index]),
) as Record<(typeof alertWriteColumns)[number], number>;

export interface PreparedAlert {
  /**
   * Column values in `alertWriteColumns` order (a flat array crosses threads much faster than an object);
   * `ingested_at` and `updated_at` are filled in when written.
   */
  readonly values: unknown[];
  /** `entityHash` of each entity key, in entity order. */
  readonly entityHashes: ArrayLike<number>;
  /** `deviceHashOf` the entities: the device the alert counts for in the entity index. */
  readonly deviceHash: number;
  /** Aliases this alert's entities establish: [alias key, entity key]. Absent when none. */
  readonly aliases?: readonly (readonly [string, string])[];
  /** Alias keys that, if known, would change this alert's entities (bare host names, UPNs, SIDs). Absent when none. */
  readonly lookups?: readonly string[];
}

/** The columns an event is written with, in order; `values` of a prepared event follow it. */
export const eventWriteColumns = [
  'ref',
  'time',
  'ingested_at',
  'format',
  'source',
  'code',
  'kind',
  'outcome',
  'device_key',
  'user_key',
  'process_key',
  'parent_process_key',
  'image_path',
  'command_line',
  'sha256',
  'sha1',
  'md5',
  'target_path',
  'target_process_key',
  'target_user_key',
  'registry_path',
  'registry_value',
  'src_ip',
  'src_port',
  'dst_ip',
  'dst_port',
  'protocol',
  'domain',
  'url',
  'mail_sender',
  'mail_recipients',
  'mail_message_id',
  'mail_subject',
  'keys',
  'details',
  'raw',
] as const;

/** Position of each column in a prepared event's `values`. */
export const eventAt = Object.fromEntries(
  eventWriteColumns.map((column, index) => [column, index]),
) as Record<(typeof eventWriteColumns)[number], number>;

export interface PreparedEvent {
  /**
   * Column values in `eventWriteColumns` order; `ingested_at` is filled in when written. The raw record is its
   * UTF-8 bytes (packRawRecords), stored as a blob.
   */
  readonly values: unknown[];
  /** `entityHash` of each key the event is indexed by. */
  readonly entityHashes: ArrayLike<number>;
  readonly aliases?: readonly (readonly [string, string])[];
}

// --- sinks -------------------------------------------------------------------------------------------------------

export interface AlertSink {
  /**
   * Store prepared alerts, all or nothing. A (source, sourceRef) seen before updates that alert in place (its id
   * and incident stay); a new one is created. Entity keys are resolved through known aliases first.
   */
  upsertPrepared(prepared: readonly PreparedAlert[], now: Date): Promise<AlertWriteResult[]>;
}

export interface EventWriteResult {
  /** Events stored. */
  readonly inserted: number;
  /** Events already stored (the same record ingested before). */
  readonly duplicates: number;
}

export interface EventWriteOptions {
  /**
   * Aliases (`alias\u0000key`) already recorded by this writer: skipped, and those recorded now are added. For a
   * long ingest, where every event of a host teaches the same alias again.
   */
  readonly knownAliases?: Set<string>;
}

export interface EventSink {
  /** Store prepared events, all or nothing; a record stored before is not stored again. */
  insertPrepared(
    prepared: readonly PreparedEvent[],
    now: Date,
    options?: EventWriteOptions,
  ): Promise<EventWriteResult>;
}

/** Where ingest writes. */
export interface IngestPorts {
  readonly alerts: AlertSink;
  readonly events: EventSink;
  /** Detection rules switched off: their matches make no alert. Without it, every loaded rule's do. */
  readonly rules?: Pick<RuleSwitches, 'switchedOff'>;
  /**
   * Run `work` in one transaction: everything it writes commits together, or nothing does. Within a transaction,
   * `work` runs in it (strict mode wraps the whole ingest in one, and writes within it).
   */
  transaction<T>(work: (tx: IngestPorts) => Promise<T>): Promise<T>;
}

export interface PruneOptions {
  /** Only events also stored before this (the retention: a historical dataset ingested now is kept). */
  readonly arrivedBefore?: Date;
  /**
   * Drop whole partitions only (PostgreSQL, the retention): the week the cutoff falls in stays until the cutoff has
   * passed it, rather than having its rows deleted one by one as the cutoff moves through it. SQLite deletes exactly
   * either way, in bounded chunks.
   */
  readonly whole?: boolean;
}

/** Telemetry retention: what a long-running worker deletes (store/event-store.ts). */
export interface EventRetention {
  readonly events: {
    /** Delete events older than `before` (event time) and, with `arrivedBefore`, stored before it; how many. */
    pruneEvents(before: Date, options?: PruneOptions): Promise<number>;
  };
}

/** How far a followed file was read: by input and file identity (`<device>:<inode>`). */
export interface InputOffset {
  readonly fileKey: string;
  readonly path: string;
  readonly offset: number;
  readonly updatedAt: string;
}

/** Offsets of followed files (store/input-offset-store.ts). */
export interface InputOffsets {
  list(input: string): Promise<InputOffset[]>;
  /** Record that `fileKey` (now at `path`) has been read up to `offset`. */
  set(input: string, fileKey: string, path: string, offset: number, now: Date): Promise<void>;
}

/** What the process running an input reports of it (store/input-status-store.ts). */
export interface InputStatus {
  readonly name: string;
  readonly kind: string;
  /** The process running it (`host:pid:inputs`), or null once it let it go. */
  readonly owner: string | null;
  /** `running`, `paused` (the store is behind), `failed` (retrying), `stopped`. */
  readonly state: string;
  /** Why it failed, where it listens, what it follows. */
  readonly detail: string | null;
  readonly stats: Readonly<Record<string, unknown>>;
  readonly startedAt: string | null;
  readonly heartbeatAt: string;
}

/** Which process runs each input, and how each is doing. */
export interface InputStatuses {
  /**
   * Hold `name` for `owner`: true when nobody holds it, `owner` already does, the holder has not reported for
   * `leaseMs`, or `takeOver` says the holder is gone (a dead process of this host).
   */
  claim(
    name: string,
    kind: string,
    owner: string,
    now: Date,
    leaseMs: number,
    takeOver?: (holder: string) => boolean,
  ): Promise<boolean>;
  /** Report the state of an input `owner` holds; false when another process has taken it over. */
  report(
    name: string,
    owner: string,
    status: { state: string; detail: string | null; stats: Record<string, unknown>; startedAt: Date | null },
    now: Date,
  ): Promise<boolean>;
  /** Let it go (state `stopped`). */
  release(name: string, owner: string, now: Date): Promise<void>;
  list(): Promise<InputStatus[]>;
}

/** Reports of suspicious mail taken from the report mailbox (store/mail-report-store.ts). */
export interface MailReportLedger {
  /** The report with this Message-ID, if it was taken before. */
  get(reportMessageId: string): Promise<MailReport | undefined>;
  /** Record a report; a second report with the same Message-ID returns the first (`created: false`). */
  record(
    input: NewMailReport,
    now: Date,
  ): Promise<{ readonly report: MailReport; readonly created: boolean }>;
}

/** Delivered messages already stored, to find the copy an inline forward quotes. */
export interface DeliveredMail {
  searchEvents(
    filter: { readonly entityKeys: readonly string[]; readonly kinds: readonly EventKind[] },
    page: { readonly limit: number },
  ): Promise<{ readonly items: readonly EventRecord[] }>;
}

/** Stored events read back as they arrived (detection on demand). */
export interface StoredRawEvents {
  /** Raw records in event-time order (oldest first). */
  scanRaw(filter: RawScanFilter, page: PageRequest): Promise<Page<RawEvent>>;
}

// --- detection ---------------------------------------------------------------------------------------------------

/** Detection run on Windows events as they are parsed: one alert draft per rule a record matches. */
export interface EventMatcher {
  match(record: WindowsRecord, event: EventDraft): AlertDraft[];
}

/**
 * Detection handed to ingest: a matcher for parsing in this thread, and the plain settings (they cross to parse
 * threads) from which a parse thread's script makes the same matcher.
 */
export interface Detection {
  readonly matcher: EventMatcher;
  readonly settings: unknown;
}

export interface RawScanFilter {
  readonly formats?: readonly string[];
  readonly since?: string;
  readonly until?: string;
}

export interface RawEvent {
  readonly id: string;
  readonly time: string;
  readonly format: string;
  readonly raw: string;
}

/** Where rule switches are read and set (the store implements it). */
export interface RuleSwitches {
  /** The rules switched off — as stored a few seconds ago at most (another process's switch shows within 5 s). */
  switchedOff(): Promise<ReadonlyMap<string, SwitchedOff>>;
  /** Switch a rule on or off, audited; this process sees it at once. */
  set(ruleId: string, on: boolean, by: string, now: Date, reason?: string): Promise<void>;
}
