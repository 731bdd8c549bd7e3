/**
 * What investigations need from storage, in their own words: the queue of investigations and the steps they
 * commit, the intake of correlated alerts, indicators, and the questions analyzers ask of telemetry. The store
 * implements them (store/investigation-store.ts, store/event-store.ts); the contract suites run them on SQLite and
 * PostgreSQL.
 */
import type { AlertRecord } from '../domain/alert.js';
import type { Entity } from '../domain/entity.js';
import type { EventKind, EventRecord } from '../domain/event.js';
import type { Evidence } from '../domain/evidence.js';
import type { Indicator } from '../domain/indicator.js';
import type {
  EngineState,
  InvestigationDetail,
  InvestigationEvent,
  InvestigationRecord,
  InvestigationTrigger,
  ProposedAction,
} from '../domain/investigation.js';
import type { Page, PageRequest } from '../domain/page.js';

// --- telemetry ---------------------------------------------------------------------------------------------------

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

/** Events matching a filter, a page at a time. */
export interface EventSearch {
  searchEvents(filter: EventFilter, page: EventPageRequest): Promise<Page<EventRecord>>;
}

/** The questions investigations ask of telemetry. */
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

// --- the queue and its steps -------------------------------------------------------------------------------------

/** Everything one step writes, all at once. */
export interface StepCommit {
  readonly step: string;
  readonly startedAt: number;
  readonly durationMs: number;
  readonly result: string;
  /** The step to run next (`done` when nothing is left). */
  readonly next: string;
  /** A transition of the status machine, if the step made one. */
  readonly event?: InvestigationEvent;
  readonly statusReason?: string | null;
  readonly state: EngineState;
  readonly evidence?: readonly Evidence[];
  /** Keys of evidence merged into other evidence this step (aliases of one thing): their rows go. */
  readonly removedEvidence?: readonly string[];
  readonly actions?: readonly (Pick<ProposedAction, 'type' | 'targetKey' | 'evidenceKey' | 'reasons'> & {
    /** A critical-asset guardrail refused it: stored as `refused`, with the rule, never planned. */
    readonly refusal?: { readonly rule: string; readonly instead: string };
  })[];
  /** Release the claim (the investigation waits or ended). */
  readonly release: boolean;
  /** Otherwise renew it for this long. */
  readonly leaseMs?: number;
}

/** The investigations a worker runs: claimed one at a time, each step committed whole. */
export interface InvestigationQueue {
  /**
   * Forget claims held by processes of this host that are no longer running — and those of `holder` (a worker
   * whose pass failed midway lets go of what it held).
   */
  releaseDeadClaims(holder?: string): Promise<number>;
  /**
   * Claim the oldest runnable investigation (queued, or running without a live claim) for `worker`, if fewer than
   * `maxRunning` are claimed. Workers never wait on each other's rows.
   */
  claim(
    worker: string,
    now: Date,
    leaseMs: number,
    maxRunning: number,
  ): Promise<InvestigationRecord | undefined>;
  /** Write a step's results; `false` when `worker` no longer holds the claim (nothing is written then). */
  commitStep(id: number, worker: string, commit: StepCommit, now: Date): Promise<boolean>;
  getByKey(id: number): Promise<InvestigationDetail | undefined>;
  /** The investigation's own row, without its evidence, actions and log: what a step reads to run. */
  getRecord(id: number): Promise<InvestigationRecord | undefined>;
  /** The investigation's evidence, in the order it was added. */
  evidenceOf(id: number): Promise<Evidence[]>;
  alertsOf(id: number): Promise<AlertRecord[]>;
  /** Active indicators on any of these keys. */
  indicatorsFor(keys: readonly string[], now: Date): Promise<Indicator[]>;
  /** Resolve the investigation's alerts, unless an analyst set their status. */
  resolveAlerts(id: number, now: Date): Promise<number>;
}

/** What running investigations is handed. */
export interface EnginePorts {
  readonly investigations: InvestigationQueue;
  readonly eventQuery: EventQuery;
  readonly events: EventSearch;
}

// --- intake ------------------------------------------------------------------------------------------------------

/** An alert correlated into an incident but not yet handed to an investigation. */
export interface UninvestigatedAlert {
  readonly id: number;
  readonly incidentId: number;
  readonly record: AlertRecord;
}

/** A new investigation. */
export interface NewInvestigation {
  readonly incidentId: number | null;
  readonly playbook: string;
  readonly trigger: InvestigationTrigger;
  readonly status: 'queued' | 'unsupportedAlertType';
  readonly statusReason?: string;
  readonly alertIds: readonly number[];
  /** Every alert of the incident joins too (those handed to an earlier investigation included). */
  readonly includeIncidentAlerts?: boolean;
  readonly evidence?: readonly Entity[];
}

/** Correlated alerts handed to investigations. */
export interface InvestigationIntake {
  /** Alerts in an incident not yet handed to an investigation, oldest first. */
  uninvestigatedAlerts(limit: number): Promise<UninvestigatedAlert[]>;
  /** The not-yet-ended investigation of an incident, if any. */
  openInvestigationOf(incidentId: number): Promise<InvestigationRecord | undefined>;
  /** The oldest not-yet-ended investigation holding any of these entities as evidence, if any. */
  openInvestigationWith(entityKeys: readonly string[]): Promise<InvestigationRecord | undefined>;
  /** Start one; its public id. */
  create(input: NewInvestigation, now: Date): Promise<string>;
  /**
   * Alerts join an investigation: it re-evaluates (back to its first step; one waiting for approval resumes).
   * Alerts given are marked handed over.
   */
  joinAlerts(id: number, alertIds: readonly number[], now: Date): Promise<void>;
  /**
   * New telemetry about evidence arrived (a host agent's investigation package, asked for by an action): the open
   * investigations that proposed the action analyze that evidence again and re-evaluate, as when alerts join.
   * Their public ids.
   */
  reanalyze(actionId: string, entityKeys: readonly string[], now: Date): Promise<string[]>;
}

/** What triggering works with, inside its transaction. */
export interface TriggerStep {
  /** Taken so that two workers never both start an investigation for one incident. */
  readonly incidents: { lockForCorrelation(): Promise<void> };
  readonly investigations: InvestigationIntake;
}

export interface TriggerPorts {
  /** Outside a transaction: whether anything waits, before the correlation lock is taken to trigger it. */
  readonly investigations: Pick<TriggerStep['investigations'], 'uninvestigatedAlerts'>;
  transaction<T>(work: (step: TriggerStep) => Promise<T>): Promise<T>;
}

/** What starting an investigation by hand reads and writes. */
export interface ManualPorts {
  readonly incidents: { getIncident(id: string): Promise<object | undefined> };
  readonly alerts: {
    listAlerts(
      filter: { readonly incidentId?: string | null },
      page: PageRequest,
    ): Promise<Page<AlertRecord>>;
  };
  readonly investigations: Pick<InvestigationIntake, 'create'>;
}
