/**
 * What the stages need from storage, in the domain's words. One implementation (kysely-store.ts) serves SQLite
 * and PostgreSQL; the contract suite (store.contract.test.ts) runs against both.
 */
import type { Role } from '../domain/access.js';
import type { AlertStatus, Severity } from '../domain/alert.js';
import type { EventKind } from '../domain/event.js';
import type { AlertSink, EventSink, StoredRawEvents } from '../ingest/ports.js';
import type { IncidentStore } from './incident-store.js';
import type { InvestigationStore } from './investigation-store.js';
import type { ActionStore } from './action-store.js';
import type { AuditStore } from './audit-store.js';
import type { PolicyStore } from './policy-store.js';
import type { UserStore } from './user-store.js';
import type { AlertRecord } from '../domain/alert.js';
import type { ApiToken } from '../domain/access.js';
import type { EventRecord } from '../domain/event.js';
import type { Page, PageRequest } from '../domain/page.js';

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

/** Alerts: ingest's sink (ingest/ports.ts), and what the API, CLI and investigations read and change. */
export interface AlertStore extends AlertSink {
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

/** Events: ingest's sink (ingest/ports.ts), and what the API, CLI and detection read. */
export interface EventStore extends EventSink, StoredRawEvents {
  getEvent(id: string): Promise<EventRecord | undefined>;
  getEventRaw(id: string): Promise<string | undefined>;
  searchEvents(filter: EventFilter, page: EventPageRequest): Promise<Page<EventRecord>>;
  countEvents(filter?: EventFilter): Promise<number>;
  /** Delete events older than `before` (event time); returns how many. */
  pruneEvents(before: Date): Promise<number>;
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
