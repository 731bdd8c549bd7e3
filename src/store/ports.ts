/**
 * What the stages need from storage, in the domain's words. One implementation (kysely-store.ts) serves SQLite
 * and PostgreSQL; the contract suite (store.contract.test.ts) runs against both.
 */
import type { Role } from '../domain/access.js';
import type { AlertStatus, Severity } from '../domain/alert.js';
import type { AlertSink, EventSink, StoredRawEvents } from '../ingest/ports.js';
import type { EventFilter, EventQuery, EventSearch } from '../investigate/ports.js';
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

/** Events: ingest's sink (ingest/ports.ts), and what the API, CLI and detection read. */
export interface EventStore extends EventSink, StoredRawEvents, EventSearch {
  getEvent(id: string): Promise<EventRecord | undefined>;
  getEventRaw(id: string): Promise<string | undefined>;
  countEvents(filter?: EventFilter): Promise<number>;
  /** Delete events older than `before` (event time); returns how many. */
  pruneEvents(before: Date): Promise<number>;
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
