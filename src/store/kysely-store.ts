/**
 * The store, written once against Kysely and run on SQLite and PostgreSQL alike. Dialect files (sqlite.ts,
 * postgres.ts) only open connections.
 */
import { sql, type Kysely, type Transaction } from 'kysely';
import { createAlertStatements, createAlertStore, type AlertStatements } from './alert-store.js';
import type { RunMany } from './bulk-insert.js';
import type { RowTable } from './row-table.js';
import { createEventStatements, createEventStore, type EventStatements } from './event-store.js';
import type { ConnectionStats, Store, StoreDialect } from './ports.js';
import type { Database } from './schema.js';
import { createIncidentStore } from './incident-store.js';
import { createInvestigationStore } from './investigation-store.js';
import { createTokenStore } from './token-store.js';
import { createAgentStore } from './agent-store.js';
import { createFeedTokenStore } from './feed-token-store.js';
import { createMailReportStore } from './mail-report-store.js';
import { createNoticeStore } from './notice-store.js';
import { createInputOffsetStore } from './input-offset-store.js';
import { createInputStatusStore } from './input-status-store.js';
import { createActionStore } from './action-store.js';
import { createAuditStore } from './audit-store.js';
import { createPolicyStore } from './policy-store.js';
import { createRuleSwitches, type RuleSwitchCache } from './rule-switches.js';
import { createChartReader } from './charts.js';
import { createUserStore } from './user-store.js';
import { createEventQuery } from './events/query.js';
import { createEventPartitions, type EventPartitions } from './events/partitions.js';
import { createWorkloadReader } from './workload.js';

export interface KyselyStoreOptions {
  readonly dialect: StoreDialect;
  readonly location: string;
  /** An embedded dialect's way to run one statement for many rows in-process (SQLite). */
  readonly runMany?: RunMany;
  /** An embedded dialect's way to read rows in memory as a table (SQLite); PostgreSQL unnests arrays. */
  readonly rowTable?: RowTable;
  /** The connection pool's state (PostgreSQL). */
  readonly connections?: () => ConnectionStats;
  /**
   * PostgreSQL: opens a connection of its own for making the events' day partitions (events/partitions.ts), when
   * first needed. Without it, events are not partitioned (SQLite).
   */
  readonly partitionConnection?: () => Promise<Kysely<Database>>;
}

export function createKyselyStore(db: Kysely<Database>, options: KyselyStoreOptions): Store {
  return bind(db, options, false, {
    alerts: createAlertStatements(options.runMany),
    events: createEventStatements(options.runMany),
    partitions: options.partitionConnection ? createEventPartitions(options.partitionConnection) : undefined,
    rules: {},
  });
}

function bind(
  db: Kysely<Database>,
  options: KyselyStoreOptions,
  inTransaction: boolean,
  statements: {
    readonly alerts: AlertStatements;
    readonly events: EventStatements;
    readonly partitions: EventPartitions | undefined;
    /** The rule switches last read: one per opened store. */
    readonly rules: RuleSwitchCache;
  },
): Store {
  /** Run `work` in the current transaction, or in a new one when there is none. */
  const atomically = <T>(work: (executor: Kysely<Database>) => Promise<T>): Promise<T> =>
    inTransaction ? work(db) : db.transaction().execute((trx: Transaction<Database>) => work(trx));

  const store: Store = {
    dialect: options.dialect,
    location: options.location,
    alerts: createAlertStore(db, atomically, statements.alerts),
    events: createEventStore(db, atomically, statements.events, statements.partitions),
    eventQuery: createEventQuery(db),
    incidents: createIncidentStore(db, atomically, options.runMany, options.rowTable),
    investigations: createInvestigationStore(db, atomically),
    tokens: createTokenStore(db),
    agents: createAgentStore(db, atomically),
    feedTokens: createFeedTokenStore(db, atomically),
    mailReports: createMailReportStore(db),
    notices: createNoticeStore(db),
    inputOffsets: createInputOffsetStore(db),
    inputs: createInputStatusStore(db),
    users: createUserStore(db, atomically),
    actions: createActionStore(db, atomically, options.dialect === 'sqlite', options.runMany),
    policy: createPolicyStore(db, atomically),
    audit: createAuditStore(db),
    rules: createRuleSwitches(db, atomically, statements.rules),
    ping: async () => {
      await sql`select 1`.execute(db);
    },
    workload: createWorkloadReader(db),
    charts: createChartReader(db),
    connections: () => options.connections?.(),
    transaction: <T>(work: (inner: Store) => Promise<T>) =>
      inTransaction
        ? work(store)
        : db.transaction().execute((trx) => work(bind(trx, options, true, statements))),
    close: async () => {
      if (inTransaction) return;
      await statements.partitions?.close();
      await db.destroy();
    },
  };
  return store;
}
