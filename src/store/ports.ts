/**
 * What the stages need from storage, in the domain's words. One implementation (kysely-store.ts) serves SQLite
 * and PostgreSQL; the contract suite (store.contract.test.ts) runs against both.
 */
import type { Role } from '../domain/access.js';
import type { Alert, AlertDraft, Severity } from '../domain/alert.js';
import type { PreparedAlert } from './prepared-alert.js';

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
  /** The record the alert was parsed from, as it arrived. */
  getAlertRaw(id: string): Promise<string | undefined>;
  /** Newest first (alert time, then id). */
  listAlerts(filter: AlertFilter, page: PageRequest): Promise<Page<AlertRecord>>;
  countAlerts(filter?: AlertFilter): Promise<number>;
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
  readonly tokens: TokenStore;
  /** A cheap round trip, for health checks. */
  ping(): Promise<void>;
  /** Run `work` in one transaction: everything it writes commits together, or nothing does. */
  transaction<T>(work: (store: Store) => Promise<T>): Promise<T>;
  close(): Promise<void>;
}
