/**
 * What the stages need from storage, in the domain's words. One implementation (kysely-store.ts) serves SQLite
 * and PostgreSQL; the contract suite (store.contract.test.ts) runs against both.
 */
import type { Role } from '../domain/access.js';
import type { Alert, AlertDraft, AlertStatus, Severity } from '../domain/alert.js';
import type { EventDraft, EventKind } from '../domain/event.js';
import type { PreparedAlert } from './prepared-alert.js';
import type { PreparedEvent } from './prepared-event.js';
import type { IncidentStore } from './incident-store.js';
import type { InvestigationStore } from './investigation-store.js';
import type { ActionStore } from './action-store.js';
import type { AuditStore } from './audit-store.js';
import type { PolicyStore } from './policy-store.js';
import type { UserStore } from './user-store.js';

/** One alert to store, as a parser produced it. */
export interface AlertInput {
  readonly draft: AlertDraft;
  /** The record as it arrived (kept for the analyst and for re-parsing). */
  readonly raw?: string;
  /** The format it was read as. */
  readonly format: string;
}

export interface AlertWriteResult {
  readonly id: string;
  /** `created` for a new (source, sourceRef), `updated` when it replaced an alert stored before. */
  readonly status: 'created' | 'updated';
}

/** A stored alert with what autoir knows about how it arrived. */
export interface AlertRecord extends Alert {
  readonly format: string;
}

export interface AlertFilter {
  readonly severities?: readonly Severity[];
  readonly minSeverity?: Severity;
  readonly sources?: readonly string[];
  readonly categories?: readonly string[];
  readonly detector?: string;
  /** Matches the technique and its sub-techniques: `T1003` matches `T1003.001`. */
  readonly mitreTechnique?: string;
  /** Alerts naming this entity key. */
  readonly entityKey?: string;
  /** An incident id, or `null` for alerts not yet in an incident. */
  readonly incidentId?: string | null;
  /** Alert time (`createdAt`) from, inclusive (ISO 8601). */
  readonly since?: string;
  /** Alert time until, exclusive (ISO 8601). */
  readonly until?: string;
  /** Case-insensitive substring of the title. */
  readonly text?: string;
}

export interface PageRequest {
  readonly limit: number;
  /** The `nextCursor` of the previous page. */
  readonly cursor?: string;
}

export interface Page<T> {
  readonly items: readonly T[];
  /** Pass back to get the next page; `null` on the last page. */
  readonly nextCursor: string | null;
}

export interface AlertStore {
  /**
   * Store a batch of alerts, all or nothing. A (source, sourceRef) seen before updates that alert in place (its id
   * and incident stay); a new one is created. Entity keys are resolved through known aliases first.
   */
  upsertAlerts(inputs: readonly AlertInput[], now: Date): Promise<AlertWriteResult[]>;
  /** Like upsertAlerts, for alerts already prepared (prepared-alert.ts) — e.g. by an ingest worker thread. */
  upsertPrepared(prepared: readonly PreparedAlert[], now: Date): Promise<AlertWriteResult[]>;
  getAlert(id: string): Promise<AlertRecord | undefined>;
  /**
   * Set an alert's status, recording who set it (`analyst:<name>`, or `automation`). Automation never changes a
   * status an analyst set.
   */
  setAlertStatus(id: string, status: AlertStatus, by: string, now: Date): Promise<AlertRecord>;
  /** The record the alert was parsed from, as it arrived. */
  getAlertRaw(id: string): Promise<string | undefined>;
  /** Newest first (alert time, then id). */
  listAlerts(filter: AlertFilter, page: PageRequest): Promise<Page<AlertRecord>>;
  countAlerts(filter?: AlertFilter): Promise<number>;
}

/** A stored telemetry event, as searches return it: the normalised event with its id and times as ISO 8601. */
export type EventRecord = Omit<EventDraft, 'time' | 'aliases'> & {
  /** `evt_<n>`. */
  readonly id: string;
  readonly time: string;
  readonly ingestedAt: string;
};

/** Which events: every condition given must hold. Entity keys are widened to their known aliases. */
export interface EventFilter {
  readonly deviceKey?: string;
  /** Events naming each of these entity keys (a user, a file hash, an IP, a domain, a URL, a mailbox…). */
  readonly entityKeys?: readonly string[];
  readonly kinds?: readonly EventKind[];
  readonly processKey?: string;
  readonly parentProcessKey?: string;
  readonly userKey?: string;
  /** Event time from, inclusive (ISO 8601). */
  readonly since?: string;
  /** Event time until, exclusive (ISO 8601). */
  readonly until?: string;
}

export interface EventPageRequest extends PageRequest {
  /** `desc` (newest first, the default) or `asc` (a timeline). */
  readonly order?: 'asc' | 'desc';
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

export interface EventStore {
  /** Store prepared events (prepared-event.ts), all or nothing; a record stored before is not stored again. */
  insertPrepared(
    prepared: readonly PreparedEvent[],
    now: Date,
    options?: EventWriteOptions,
  ): Promise<EventWriteResult>;
  getEvent(id: string): Promise<EventRecord | undefined>;
  getEventRaw(id: string): Promise<string | undefined>;
  searchEvents(filter: EventFilter, page: EventPageRequest): Promise<Page<EventRecord>>;
  countEvents(filter?: EventFilter): Promise<number>;
  /** Delete events older than `before` (event time); returns how many. */
  pruneEvents(before: Date): Promise<number>;
  /** Raw records in event-time order (oldest first), for re-reading stored events (detection on demand). */
  scanRaw(filter: RawScanFilter, page: PageRequest): Promise<Page<RawEvent>>;
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

/** A device seen with something (a file, an IP, a domain), and when. */
export interface DeviceSighting {
  readonly deviceKey: string;
  readonly firstSeen: string;
  readonly lastSeen: string;
  readonly events: number;
}

export interface TimeWindow {
  readonly since?: string;
  readonly until?: string;
}

/** A message like another, and what they share. */
export interface SimilarMessage {
  readonly event: EventRecord;
  /** `sender`, `sendingIp`, `subject`, `url:<url>`, `attachment:<sha256>`. */
  readonly shared: readonly string[];
}

/** The questions investigations ask of telemetry (DESIGN.md §3). */
export interface EventQuery {
  /** How many devices the events store has seen (the fleet, for prevalence). */
  countDevices(): Promise<number>;
  /** Devices where a file with this hash was seen (run, loaded, written). `hash` is sha256, sha1 or md5. */
  devicesWithFile(hash: string, window?: TimeWindow): Promise<DeviceSighting[]>;
  /** Devices that contacted an IP address or resolved/contacted a domain (`ip:…` or `domain:…` key, or bare). */
  devicesContacting(target: string, window?: TimeWindow): Promise<DeviceSighting[]>;
  /** The process start events of a process and its ancestors, the process first. */
  processAncestors(processKey: string, maxDepth?: number): Promise<EventRecord[]>;
  /** The process start events of a process's descendants, breadth first. */
  processDescendants(processKey: string, maxDepth?: number): Promise<EventRecord[]>;
  /** What a process did: its network, file, registry, module, access… events, oldest first. */
  processActivity(processKey: string, kinds?: readonly EventKind[], limit?: number): Promise<EventRecord[]>;
  /** A device's events in a window, oldest first. */
  deviceTimeline(deviceKey: string, window: TimeWindow, limit?: number): Promise<EventRecord[]>;
  /** Delivered messages sharing the sender, sending IP, subject, a URL or an attachment with a message. */
  similarMessages(messageId: string, limit?: number): Promise<SimilarMessage[]>;
  /** Every mailbox a message (by Internet Message-ID) was delivered to. */
  messageRecipients(messageId: string): Promise<string[]>;
  /** Clicks on a URL (URL click events, and HTTP requests to it). */
  urlClicks(url: string, window?: TimeWindow): Promise<EventRecord[]>;
  /** A user's logons, sign-ins and authentication attempts. */
  userLogons(userKey: string, window?: TimeWindow, limit?: number): Promise<EventRecord[]>;
}

export interface ApiToken {
  readonly id: string;
  readonly name: string;
  readonly role: Role;
  readonly createdAt: string;
  readonly lastUsedAt: string | null;
  readonly revokedAt: string | null;
}

export interface TokenStore {
  /** Store a token by its hash. A name already in use → `AUTOIR_E_CONFLICT`. */
  createToken(input: { name: string; role: Role; tokenHash: string }, now: Date): Promise<ApiToken>;
  /** The active (not revoked) token with this hash, marking it used. */
  useToken(tokenHash: string, now: Date): Promise<ApiToken | undefined>;
  listTokens(): Promise<ApiToken[]>;
  /** Revoke by id or name; `undefined` when there is no such active token. */
  revokeToken(idOrName: string, now: Date): Promise<ApiToken | undefined>;
}

export type StoreDialect = 'sqlite' | 'postgres';

export interface Store {
  readonly dialect: StoreDialect;
  /** Where the data lives, for messages: a file path or a URL without password. */
  readonly location: string;
  readonly alerts: AlertStore;
  readonly events: EventStore;
  readonly eventQuery: EventQuery;
  readonly incidents: IncidentStore;
  readonly investigations: InvestigationStore;
  readonly tokens: TokenStore;
  /** Local accounts, browser sessions and failed sign-ins (the web UI). */
  readonly users: UserStore;
  readonly actions: ActionStore;
  readonly policy: PolicyStore;
  readonly audit: AuditStore;
  /** A cheap round trip, for health checks. */
  ping(): Promise<void>;
  /** Run `work` in one transaction: everything it writes commits together, or nothing does. */
  transaction<T>(work: (store: Store) => Promise<T>): Promise<T>;
  close(): Promise<void>;
}
