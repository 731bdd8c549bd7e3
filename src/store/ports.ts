/**
 * What the stages need from storage, in the domain's words. One implementation (kysely-store.ts) serves SQLite
 * and PostgreSQL; the contract suite (store.contract.test.ts) runs against both.
 */
import type { RuleSwitches } from '../ingest/ports.js';
import type { ChartRange, DashboardCharts } from './charts.js';
import type { EventQuery } from '../investigate/ports.js';
import type { IncidentStore } from './incident-store.js';
import type { InvestigationStore } from './investigation-store.js';
import type { ActionStore } from './action-store.js';
import type { AuditStore } from './audit-store.js';
import type { PolicyStore } from './policy-store.js';
import type { UserStore } from './user-store.js';
import type { AlertStore } from './alert-store.js';
import type { EventStore } from './event-store.js';
import type { TokenStore } from './token-store.js';
import type { MailReportStore } from './mail-report-store.js';
import type { InputOffsets, InputStatuses } from '../ingest/ports.js';
import type { AgentRegistry, FeedTokenStore, NoticeLedger } from '../respond/ports.js';

export type StoreDialect = 'sqlite' | 'postgres';

/** What waits to be done (store/workload.ts). Times are ISO 8601; null when nothing waits. */
export interface Workload {
  readonly alertsUncorrelated: number;
  readonly oldestUncorrelatedAt: string | null;
  readonly alertsUninvestigated: number;
  readonly oldestUninvestigatedAt: string | null;
  readonly investigationsQueued: number;
  readonly oldestQueuedInvestigationAt: string | null;
}

/** A connection pool's state: connections open, idle among them, clients waiting for one, and the most allowed. */
export interface ConnectionStats {
  readonly total: number;
  readonly idle: number;
  readonly waiting: number;
  readonly max: number;
}

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
  /** Host agents and their enrollment tokens. */
  readonly agents: AgentRegistry;
  /** Read-only tokens for the blocklist feeds. */
  readonly feedTokens: FeedTokenStore;
  /** Messages reported as phishing to the report mailbox, and the replies sent. */
  readonly mailReports: MailReportStore;
  /** How far each followed file was read. */
  readonly inputOffsets: InputOffsets;
  /** The configured inputs: which process runs each, and how each is doing. */
  readonly inputs: InputStatuses;
  /** Incidents and investigations announced by notifications. */
  readonly notices: NoticeLedger;
  /** Local accounts, browser sessions and failed sign-ins (the web UI). */
  readonly users: UserStore;
  readonly actions: ActionStore;
  readonly policy: PolicyStore;
  readonly audit: AuditStore;
  /** Detection rules switched off (detect/switches.ts). */
  readonly rules: RuleSwitches;
  /** The dashboard's charts over a time range. */
  charts(range: ChartRange): Promise<DashboardCharts>;
  /** A cheap round trip, for health checks. */
  ping(): Promise<void>;
  /** What waits to be done, for monitoring. */
  workload(): Promise<Workload>;
  /** The connection pool (PostgreSQL); undefined for an embedded store. */
  connections(): ConnectionStats | undefined;
  /** Run `work` in one transaction: everything it writes commits together, or nothing does. */
  transaction<T>(work: (store: Store) => Promise<T>): Promise<T>;
  close(): Promise<void>;
}
