/**
 * What the response stage needs from storage, in its own words: the action queue the executor works, the action
 * center's decisions, the planning of investigations' proposals, digests of pending actions, and the automation
 * policy it is configured with (groups, tags, settings, connectors). The store implements them
 * (store/action-store.ts, store/policy-store.ts); the contract suites run them on SQLite and PostgreSQL.
 */
import type { ShadowDecision } from '../domain/policy.js';
import type { ActionRecord, ActionSource, ActionStatus, ActionType } from '../domain/action.js';
import type { Evidence } from '../domain/evidence.js';
import type { EventKind, EventRecord } from '../domain/event.js';
import type { AgentIdentity, AgentRecord, EnrollmentRecord } from '../domain/agent.js';
import type { AssetGroup, GroupKind } from '../domain/policy.js';
import type { MailReport } from '../domain/report.js';
import type { Severity } from '../domain/alert.js';
import type { IncidentSummary } from '../domain/incident.js';
import type { InvestigationRecord, InvestigationStatus } from '../domain/investigation.js';
import type { Log } from '../domain/log.js';

// --- records -----------------------------------------------------------------------------------------------------

/** An action to create, with who or what decided it and why. */
export interface ActionDraft {
  readonly type: ActionType;
  readonly targetKey: string;
  readonly deviceKey: string | null;
  readonly group: { readonly kind: string; readonly name: string } | null;
  /** Integer key of the investigation. */
  readonly investigationKey: number | null;
  readonly evidenceKey: string | null;
  readonly verdict: string | null;
  readonly source: ActionSource;
  readonly parameters: Readonly<Record<string, unknown>>;
  readonly reasons: readonly string[];
  readonly requestedBy: string;
  /** `approve`: decided now (by policy or by the person asking); `wait`: pendingApproval until `expiresAt`. */
  readonly decision: {
    readonly outcome: 'approve' | 'wait';
    readonly by: string;
    readonly rule: string | null;
  };
  readonly comment?: string | null;
  /** A critical-asset guardrail an analyst overrode to request it, and why (audited as `action.override`). */
  readonly override?: { readonly rule: string; readonly reason: string };
  /** Integer key of the action this undoes. */
  readonly undoOf?: number | null;
  readonly expiresAt: Date | null;
  /** What the group's shadow level would have done (domain/policy.ts `decideWithShadow`). */
  readonly shadow?: ShadowDecision | null;
}

export interface CreateResult {
  readonly action: ActionRecord;
  /** `false` when the same (type, target, device) was already in flight: `action` is that one. */
  readonly created: boolean;
}

/** What the executor decided after an attempt. */
export type AttemptResult =
  | { readonly status: 'succeeded'; readonly message?: string; readonly details?: Record<string, unknown> }
  | {
      readonly status: 'failed' | 'timedOut';
      readonly message: string;
      readonly details?: Record<string, unknown>;
    }
  /** Back to the queue until `nextAttemptAt`. */
  | { readonly status: 'retry'; readonly message: string; readonly nextAttemptAt: Date }
  /** Target unreachable: pendingResource until `nextAttemptAt`. */
  | { readonly status: 'pendingResource'; readonly message: string; readonly nextAttemptAt: Date }
  /** The connector took it; the result comes by callback before `deadline`. */
  | { readonly status: 'accepted'; readonly message?: string; readonly deadline: Date };

/** A proposal of an investigation waiting to be planned, with what the planner needs to know. */
export interface PendingProposal {
  readonly id: number;
  readonly investigationKey: number;
  readonly type: string;
  readonly targetKey: string;
  readonly evidenceKey: string;
  readonly reasons: readonly string[];
  readonly verdict: string | null;
  /** The evidence's entity (JSON), for parameters. */
  readonly entity: Readonly<Record<string, unknown>> | null;
}

/** A proposal planned: the actions it becomes (created now, or already in flight), or why it is skipped. */
export interface ProposalPlan {
  readonly proposalId: number;
  readonly plan: { readonly drafts: readonly ActionDraft[] } | { readonly skip: string };
}

export type ConnectorOrigin = 'host' | 'api';

/** A connector configuration as stored: secrets included; callers redact before showing it. */
export interface StoredConnector {
  readonly name: string;
  readonly config: Readonly<Record<string, unknown>>;
  /**
   * Where it was defined: `host` (a command run on the server) or `api`. A kind that runs programs on the server
   * runs only when defined on the host.
   */
  readonly definedOn: ConnectorOrigin;
  readonly createdAt: string;
  readonly updatedAt: string;
}

// --- actions -----------------------------------------------------------------------------------------------------

/** The executor's queue. */
export interface ActionQueue {
  /** Claim up to `limit` runnable actions for `worker` (queued, due retries, abandoned running ones). */
  claim(worker: string, now: Date, leaseMs: number, limit: number): Promise<ActionRecord[]>;
  /** Write an attempt's result; `false` when `worker` no longer holds the claim (nothing is written). */
  finishAttempt(
    key: number,
    worker: string,
    connector: string | null,
    result: AttemptResult,
    now: Date,
  ): Promise<boolean>;
  /** Pending actions past their expiry become `expired` (counted as rejected). Returns them. */
  expire(now: Date): Promise<ActionRecord[]>;
  /** Actions whose connector accepted them but posted no result by the deadline become `timedOut`. */
  expireCallbacks(now: Date): Promise<ActionRecord[]>;
  /**
   * Forget claims of dead processes of this host (a killed worker's actions run again at once), and those of
   * `holder` (a worker whose pass failed midway; its actions run again with their idempotency keys).
   */
  releaseDeadClaims(holder?: string): Promise<number>;
}

/** The action center's decisions. */
export interface ActionDecisions {
  /** Create an action, unless the same (type, target, device) is in flight: then that one. */
  create(draft: ActionDraft, now: Date): Promise<CreateResult>;
  get(id: string): Promise<ActionRecord | undefined>;
  /** The actions of these ids that exist (in no particular order). */
  getMany(ids: readonly string[]): Promise<ActionRecord[]>;
  /**
   * Approve or reject pending actions, all or none: an action that is not pendingApproval fails the whole call
   * (`AUTOIR_E_ILLEGAL_TRANSITION`, naming it). An approval enqueues the action in the same transaction.
   */
  decide(
    ids: readonly string[],
    decision: 'approve' | 'reject',
    by: string,
    comment: string | null,
    now: Date,
  ): Promise<ActionRecord[]>;
  /** Cancel actions not yet in a final state, all or none. */
  cancel(ids: readonly string[], by: string, comment: string | null, now: Date): Promise<ActionRecord[]>;
}

/** Investigations' proposals, planned into actions. */
export interface ActionPlanning {
  /** Proposals of investigations not yet planned, oldest first. */
  pendingProposals(limit: number): Promise<PendingProposal[]>;
  /**
   * The blast-radius caps: actions of this type decided automatically since `since`; `withShadow`: and those a group in shadow would have
   * run (the caps of a shadow level count them as if they had).
   */
  countAutomatic(type: ActionType, since: Date, options?: { readonly withShadow?: boolean }): Promise<number>;
  /**
   * Plan proposals in one transaction: link each to its actions (created now, or already in flight; one per device
   * for a file) or mark it skipped; then their investigations and evidence follow. A proposal another worker
   * planned meanwhile gets no actions.
   */
  planProposals(items: readonly ProposalPlan[], now: Date): Promise<ActionRecord[][]>;
}

/** Digests of actions waiting for approval. */
export interface ActionNotices {
  /** Pending actions not yet in a notification digest, oldest first. */
  pendingUnnotified(limit: number): Promise<ActionRecord[]>;
  count(filter: { readonly statuses?: readonly ActionStatus[] }): Promise<number>;
  markNotified(keys: readonly number[], now: Date): Promise<void>;
}

// --- policy ------------------------------------------------------------------------------------------------------

/** The response policy document and other settings. */
export interface PolicySettings {
  getSetting(key: string): Promise<unknown>;
}

/** Asset groups and tags: which group's automation level judges an action. */
export interface AssetPolicy {
  /** By kind, then rank (the default group last). */
  listGroups(kind?: GroupKind): Promise<AssetGroup[]>;
  tagsOf(keys: readonly string[]): Promise<Map<string, string[]>>;
}

/** Connector configurations stored through the API. */
export interface ConnectorSettings {
  listConnectors(): Promise<StoredConnector[]>;
}

// --- what each part of the stage is handed -----------------------------------------------------------------------

/** What telemetry says about an action's target (the program a process runs), for the critical-asset guardrails. */
export interface TargetTelemetry {
  searchEvents(
    filter: {
      readonly processKey?: string;
      readonly entityKeys?: readonly string[];
      readonly kinds?: readonly EventKind[];
    },
    page: { readonly limit: number },
  ): Promise<{ readonly items: readonly EventRecord[] }>;
}

export interface ActionCenterPorts {
  readonly actions: ActionDecisions;
  readonly policy: PolicySettings & AssetPolicy;
  /** Where the target is looked up when the request does not say what it is (absent: the request alone). */
  readonly events?: TargetTelemetry;
  /** Run `work` in one transaction: everything it writes commits together, or nothing does. */
  transaction<T>(work: (tx: { readonly actions: ActionDecisions }) => Promise<T>): Promise<T>;
}

export interface PlannerPorts {
  readonly actions: ActionPlanning;
  readonly policy: PolicySettings & AssetPolicy;
  /** The evidence of the investigation a proposal came from. */
  readonly investigations: {
    evidenceOf(id: number): Promise<readonly Evidence[]>;
  };
  /** The hosts' agents: evidence is collected only from a device with one (absent: never). */
  readonly agents?: Pick<AgentRegistry, 'forDevice'>;
}

export interface ExecutorPorts {
  readonly actions: ActionQueue;
  readonly policy: PolicySettings;
  /** The hosts' agents: a device action for a device with one goes to it (absent: connectors only). */
  readonly agents?: AgentDispatch;
}

export interface NotifyPorts {
  readonly actions: ActionNotices;
  readonly policy: PolicySettings;
  /** What was announced already. */
  readonly notices: NoticeLedger;
  /** New incidents, newest first (announced above a severity). */
  readonly incidents: {
    listIncidents(
      filter: { readonly minSeverity?: Severity; readonly since?: string },
      page: { readonly limit: number },
    ): Promise<{ readonly items: readonly IncidentSummary[] }>;
  };
  /** Investigations, newest first (announced as they conclude). */
  readonly investigations: {
    list(
      filter: { readonly statuses?: readonly InvestigationStatus[] },
      page: { readonly limit: number },
    ): Promise<{ readonly items: readonly InvestigationRecord[] }>;
  };
}

export interface ConnectorPorts {
  readonly policy: ConnectorSettings;
}

// --- connectors --------------------------------------------------------------------------------------------------
//
// The Connector port: the adapter that carries out one remediation action on a real system. The executor picks
// the connector configured for an action's type and group, calls `run` with a capability object (`signal`, `log`),
// and maps the outcome onto the action's state machine:
//
//   succeeded → succeeded;  accepted → running until the result arrives by callback;
//   failed (retryable) → queued again with capped backoff;  failed → failed;
//   unreachable → pendingResource (retried for up to 3 days);  signal aborted (timeout) → retried, then timedOut.
//
// Every attempt of one action carries the same idempotency key, so a receiver that remembers keys applies each
// action once even when autoir sends it again (after a timeout, a 5xx, or a worker killed mid-call).

/** What a connector receives: the action, as JSON on the wire (webhook body, command stdin). */
export interface ActionRequest {
  /** `act_<n>`. */
  readonly id: string;
  readonly type: ActionType;
  /** The entity acted on: `device:…`, `file:sha256:…`, `process:…`, `user:…`, `mailMessage:…`, `ip:…`… */
  readonly targetKey: string;
  /** The device the action runs on, when it runs on one (quarantine a file *on* a device). */
  readonly deviceKey: string | null;
  /** What autoir knows about the target, e.g. `{ path, sha256, pid, commandLine, address }`. */
  readonly parameters: Readonly<Record<string, unknown>>;
  readonly investigationId: string | null;
  /** For an undo (releaseDevice, restoreFile…), the action it undoes. */
  readonly undoOf: string | null;
  /** The same for every attempt of this action. */
  readonly idempotencyKey: string;
  /** 1 for the first attempt. */
  readonly attempt: number;
  /** `user:<name>`, `token:<name>` or `policy:<rule>`. */
  readonly decidedBy: string | null;
  /** Where an asynchronous result is posted (`POST /api/v1/actions/:id/result`), when the server knows its URL. */
  readonly callbackUrl: string | null;
}

/** What came of one attempt. */
export type ActionOutcome =
  | {
      readonly status: 'succeeded';
      readonly message?: string;
      readonly details?: Readonly<Record<string, unknown>>;
    }
  /** The system took the action and will post the result later (`POST /api/v1/actions/:id/result`). */
  | { readonly status: 'accepted'; readonly message?: string }
  | {
      readonly status: 'failed';
      /** Worth trying again (a 5xx, a busy system); otherwise the action fails now. */
      readonly retryable: boolean;
      readonly message: string;
      readonly details?: Readonly<Record<string, unknown>>;
    }
  /** The target (or the system that reaches it) cannot be reached now: the action waits as pendingResource. */
  | { readonly status: 'unreachable'; readonly message: string };

/** Capabilities handed to a connector for one attempt; never globals. */
export interface ConnectorCapabilities {
  /** Aborted when the attempt's timeout passes or the worker stops. */
  readonly signal: AbortSignal;
  /** The worker's log, its lines carrying the action and the connector. Never pass secrets. */
  readonly log: Log;
}

/** A configured connector, ready to run actions. */
export interface Connector {
  /** The configured name (`edr`, `local-scripts`). */
  readonly name: string;
  readonly kind: string;
  /** Attempt timeout in ms (the executor aborts `signal` after it). */
  readonly timeoutMs: number;
  run(request: ActionRequest, capabilities: ConnectorCapabilities): Promise<ActionOutcome>;
  /**
   * Whether the connector can do its work now: the system answers, autoir's credentials are taken, and they carry
   * the rights its actions need. Absent for a kind that cannot tell without acting (a webhook).
   */
  check?(capabilities: ConnectorCapabilities): Promise<ConnectorCheck>;
}

/** What a connector check found; a step not reached (or that the kind cannot test) is `null`. */
export interface ConnectorCheck {
  readonly reachable: boolean;
  readonly authenticated: boolean | null;
  readonly permitted: boolean | null;
  /** One line an operator can act on: what works, or what to fix. */
  readonly message: string;
  readonly details?: Readonly<Record<string, unknown>>;
}

/** A configured connector as routing sees it (connectors/config.ts), and the connector it builds. */
export interface ConnectorEntry {
  /** `edr`, `local-scripts`. */
  readonly name: string;
  readonly enabled: boolean;
  /** The action types it takes; `['*']` for every type. */
  readonly actions: readonly (ActionType | '*')[];
  /** The groups whose actions it takes; absent for every group. */
  readonly groups?: readonly string[];
  /** The connector, ready to run (built once per configuration); throws when its configuration cannot be used. */
  connector(): Connector;
}

/** The connectors in force, in routing order (read again on every pass: a change applies without a restart). */
export type ConnectorSource = () => Promise<readonly ConnectorEntry[]>;

/** Where digests of pending actions go (the policy's notification webhook). */
export interface NotificationChannel {
  /** Deliver `body` (JSON) to the webhook, signed with its secret; throws with the reason when it was not taken. */
  send(webhook: { readonly url: string; readonly secret: string }, body: string, now: Date): Promise<void>;
}

// --- host agents -------------------------------------------------------------------------------------------------

/** Host agents and their enrollment tokens, as the response stage keeps them (store/agent-store.ts). */
export interface AgentRegistry {
  createEnrollment(
    input: { readonly tokenHash: string; readonly group: string | null; readonly expiresAt: Date },
    by: string,
    now: Date,
  ): Promise<EnrollmentRecord>;
  /**
   * Use an enrollment token once: in one transaction the token is marked used and the agent created with its
   * credential's hash. `undefined` when the token is unknown, used or expired (nothing is written then).
   */
  enroll(
    tokenHash: string,
    agent: { readonly identity: AgentIdentity; readonly deviceKey: string; readonly credentialHash: string },
    now: Date,
  ): Promise<AgentRecord | undefined>;
  /** The agent holding this credential, if it is not revoked; its identity and last-seen time are updated. */
  heartbeat(
    credentialHash: string,
    identity: AgentIdentity | undefined,
    now: Date,
  ): Promise<AgentRecord | undefined>;
  list(): Promise<AgentRecord[]>;
  get(id: string): Promise<AgentRecord | undefined>;
  /** The newest agent (not revoked) speaking for a device. */
  forDevice(deviceKey: string): Promise<AgentRecord | undefined>;
  /** Revoke an agent's credential (audited); the revoked agent, or `undefined` when there is no such agent. */
  revoke(id: string, by: string, now: Date): Promise<AgentRecord | undefined>;
  /** Give an agent an action to carry out; the same action twice is one task. */
  enqueue(agentId: string, request: ActionRequest, now: Date): Promise<void>;
  /** The agent's open tasks, oldest first, counted as delivered now. */
  deliver(agentId: string, limit: number, now: Date): Promise<AgentTask[]>;
  /** Close a task once its result is recorded; `false` when the agent has no such open task. */
  complete(agentId: string, actionId: string, now: Date): Promise<boolean>;
}

/** What was announced, once each across workers (store/notice-store.ts). */
export interface NoticeLedger {
  /** Claim the announcement of `subject`; `false` when it was claimed before (by this worker or another). */
  claim(kind: string, subject: string, now: Date): Promise<boolean>;
  /** Give a claim back after a failed delivery: the next pass tries again. */
  release(kind: string, subject: string): Promise<void>;
}

/** Sends e-mail (autoir's SMTP relay): replies to reporters, notifications. Throws with the reason when refused. */
export interface MailSender {
  send(message: {
    readonly to: string | readonly string[];
    readonly subject: string;
    readonly text: string;
    /** The Message-ID this answers (threads the reply under the report). */
    readonly inReplyTo?: string | undefined;
  }): Promise<void>;
}

/** Reports of suspicious mail whose reporters are waiting to hear the outcome (store/mail-report-store.ts). */
export interface ReportReplies {
  /** Reports whose reporter has not been answered, oldest first. */
  unreplied(limit: number): Promise<MailReport[]>;
  markReplied(id: string, reply: string, now: Date): Promise<void>;
}

/** A read-only token for the blocklist feeds, as listed (never its value). */
export interface FeedTokenRecord {
  /** `ftk_<ulid>`. */
  readonly id: string;
  readonly name: string;
  readonly createdBy: string;
  readonly createdAt: string;
  readonly lastUsedAt: string | null;
  readonly revokedAt: string | null;
}

/** Feed tokens, stored as SHA-256 of the token (audited). */
export interface FeedTokenStore {
  create(
    input: { readonly name: string; readonly tokenHash: string },
    by: string,
    now: Date,
  ): Promise<FeedTokenRecord>;
  /** The token with this hash, if it is not revoked (its last use noted). */
  use(tokenHash: string, now: Date): Promise<FeedTokenRecord | undefined>;
  list(): Promise<FeedTokenRecord[]>;
  /** Revoke one; `undefined` when there is no such token. */
  revoke(id: string, by: string, now: Date): Promise<FeedTokenRecord | undefined>;
}

/** An action an agent is to carry out. */
export interface AgentTask {
  readonly actionId: string;
  readonly request: ActionRequest;
  readonly deliveries: number;
}

/** What the executor needs to hand device actions to the host's agent. */
export type AgentDispatch = Pick<AgentRegistry, 'forDevice' | 'enqueue'>;
