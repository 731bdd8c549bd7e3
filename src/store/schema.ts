/**
 * The tables, as Kysely sees them. One schema for SQLite and PostgreSQL: times are epoch milliseconds
 * (`bigint`), JSON is text. Column names are snake_case; the ports speak the domain's camelCase.
 */
import type { Generated } from 'kysely';

export interface AlertsTable {
  /** Integer key, assigned by the database; the public id is `alr_<id>`. */
  id: Generated<number>;
  source: string;
  source_ref: string;
  title: string;
  description: string | null;
  severity: string;
  severity_rank: number;
  category: string | null;
  detector: string | null;
  /** JSON array of technique ids. */
  mitre_techniques: string;
  created_at: number;
  first_activity_at: number | null;
  last_activity_at: number | null;
  ingested_at: number;
  updated_at: number;
  incident_id: string | null;
  /** JSON array of entities. */
  entities: string;
  /** The input record as it arrived, for the analyst and for re-parsing. */
  raw: string | null;
  /** The format the record was read as (`msgraph`, `ocsf`…). */
  format: string;
  /** Source events the alert stands for (a detection's repeated matches). */
  event_count: number;
  /** 1 once the alert was handed to an investigation (joined one, or started one). */
  investigated: Generated<number>;
  /** new, inProgress, resolved. */
  status: Generated<string>;
  /** Who set the status: `automation`, or `analyst:<name>`. */
  status_by: string | null;
}

/** One row per (alert, entity): what lets every stage ask "which alerts name this entity". */
export interface AlertEntitiesTable {
  /** `entityHash(key)`: see entity-index.ts. */
  entity_hash: number;
  /** The alert's time (`alerts.created_at`): an entity's rows are its timeline. */
  at: number;
  alert_id: number;
  /** `deviceHashOf` the alert's entities: the device it counts for, 0 for none. */
  device_hash: number;
}

/** Alias key → the entity key it stands for; `null` when two entities claim the alias (ambiguous). */
export interface EntityAliasesTable {
  alias_key: string;
  entity_key: string | null;
  updated_at: number;
}

export interface ApiTokensTable {
  id: string;
  name: string;
  role: string;
  /** sha256 of the token: tokens are 256-bit random, so a fast hash is enough and lookups stay O(1). */
  token_hash: string;
  created_at: number;
  last_used_at: number | null;
  revoked_at: number | null;
  /** When it stops working; null: until revoked. */
  expires_at: number | null;
}

/** A local account (web UI sign-in). */
export interface UsersTable {
  id: string;
  /** Lower-case, unique (domain/access.ts `usernamePattern`). */
  username: string;
  /** argon2id PHC string: `$argon2id$v=19$m=19456,t=2,p=1$<salt>$<hash>` (api/passwords.ts). */
  password_hash: string;
  role: string;
  created_at: number;
  updated_at: number;
  disabled_at: number | null;
  last_login_at: number | null;
}

/** A signed-in browser: the cookie carries a random id, the table only its sha256. */
export interface SessionsTable {
  id_hash: string;
  /** `user:<name>` or `token:<name>`. */
  principal: string;
  /** The role at sign-in; requests use the principal's current role (user-store.ts). */
  role: string;
  /** What a cookie-authenticated write must send in `x-csrf-token`. */
  csrf_token: string;
  created_at: number;
  /** Absolute expiry (7 days after sign-in). */
  expires_at: number;
  /** Last request, at minute precision: the idle timeout counts from here. */
  last_seen_at: number;
}

/** Recent failed sign-ins of one user name (known or not): brute-force damping. */
export interface SignInFailuresTable {
  username: string;
  failures: number;
  /** When the current count started; a count older than the window starts again. */
  window_start: number;
  /** Sign-ins for this name are refused until then. */
  locked_until: number | null;
}

/** One telemetry event (domain/event.ts): the columns investigations search, plus the record as it arrived. */
export interface EventsTable {
  id: Generated<number>;
  /** De-duplication key with `time` (prepared-event.ts): the same record ingested twice is stored once. */
  ref: number;
  /** Event time from the record. */
  time: number;
  ingested_at: number;
  format: string;
  source: string;
  code: string;
  kind: string;
  outcome: string | null;
  device_key: string | null;
  user_key: string | null;
  process_key: string | null;
  parent_process_key: string | null;
  image_path: string | null;
  command_line: string | null;
  sha256: string | null;
  sha1: string | null;
  md5: string | null;
  target_path: string | null;
  target_process_key: string | null;
  target_user_key: string | null;
  registry_path: string | null;
  registry_value: string | null;
  src_ip: string | null;
  src_port: number | null;
  dst_ip: string | null;
  dst_port: number | null;
  protocol: string | null;
  domain: string | null;
  url: string | null;
  mail_sender: string | null;
  /** JSON array of recipient addresses. */
  mail_recipients: string | null;
  mail_message_id: string | null;
  mail_subject: string | null;
  /** JSON array of every entity key the event names. */
  keys: string;
  /** JSON object: what else the source says (e-mail authentication results, attachments…). */
  details: string | null;
  /** The record as it arrived, UTF-8 (a blob: it crosses threads and reaches the database without copies). */
  raw: Uint8Array;
}

/**
 * The events' entity index, like `alert_entities`: with the event's time, so that an entity's events within a time
 * window are one range of the primary key (entity_hash, time, event_id) — and, on PostgreSQL, in that window's
 * day partitions only.
 */
export interface EventEntitiesTable {
  entity_hash: number;
  time: number;
  event_id: number;
}

/** An incident: a group of alerts telling one story (correlate/). Public id `inc_<id>`. */
export interface IncidentsTable {
  id: Generated<number>;
  title: string;
  severity: string;
  severity_rank: number;
  /** active, resolved, redirected. */
  status: string;
  /** The incident this one was merged into (status redirected). */
  redirect_to: number | null;
  classification: string;
  determination: string | null;
  assignee: string | null;
  /** JSON array of strings. */
  tags: string;
  alert_count: number;
  first_activity_at: number;
  last_activity_at: number;
  /** JSON array `[{ type, key, alerts }]`: the incident's main entities. */
  entities: string;
  created_at: number;
  updated_at: number;
  /** When an analyst last changed it (status, classification, determination, assignee, tags). */
  analyst_updated_at: number | null;
  /** The alert the incident was created for. */
  origin_alert_id: number;
  /** Title of its most severe (then first) alert, which leads the incident's title. */
  lead_title: string;
  /** Category of that alert (domain/incident-summary.ts `leadOrder`); null before migration 0023. */
  lead_category: string | null;
  /** JSON array of the keys of every device in it; `"many"` beyond 1,000 (incident-store.ts). */
  devices: string;
}

/** Which alert joined which through which entity. */
export interface IncidentLinksTable {
  alert_id: number;
  other_alert_id: number;
  entity_key: string;
  created_at: number;
}

export interface IncidentMergesTable {
  from_id: number;
  to_id: number;
  merged_at: number;
  /** The link that bridged them. */
  alert_id: number | null;
  entity_key: string | null;
}

export interface IncidentCommentsTable {
  id: Generated<number>;
  incident_id: number;
  author: string;
  text: string;
  created_at: number;
}

export interface InvestigationsTable {
  id: Generated<number>;
  incident_id: number | null;
  status: string;
  /** Why it ended as it did (terminatedBySystem, failed, unsupportedAlertType) or waits (pendingApproval). */
  status_reason: string | null;
  playbook: string;
  /** JSON: what started it (`{ kind: 'alert', alertId }` or `{ kind: 'manual', entityKey, by, comment }`). */
  trigger: string;
  /** The next step to run (engine.ts); `done` once nothing is left. */
  step: string;
  /** JSON: the engine's working state (waiting scope expansions, rounds run). */
  state: string;
  created_at: number;
  /** When it last became runnable (queued, or resumed): queued time is measured from here. */
  queued_at: number;
  started_at: number | null;
  ended_at: number | null;
  updated_at: number;
  /** The worker holding it (`host:pid:n`) until `lease_until`. */
  claimed_by: string | null;
  lease_until: number | null;
  /** Time spent running steps, for the run-time cap. */
  run_ms: number;
}

export interface InvestigationAlertsTable {
  investigation_id: number;
  alert_id: number;
  added_at: number;
}

export interface InvestigationEvidenceTable {
  investigation_id: number;
  entity_key: string;
  type: string;
  /** JSON of the entity. */
  entity: string;
  /** How it joined: `alert`, `related` (found by an analyzer), `expansion`, `manual`. */
  origin: string;
  /** Hops from an alert entity: related entities of related entities are followed only so far. */
  depth: number;
  /** 1 once analyzers ran on it. */
  analyzed: number;
  verdict: string;
  score: number;
  /** JSON array of roles. */
  roles: string;
  remediation_status: string;
  /** JSON: findings of analyzers about this entity alone. */
  own_findings: string;
  /** JSON: own findings plus those from related evidence (verdicts.ts): what decided the verdict. */
  findings: string;
  /** JSON: `[{ kind, key }]` links to other evidence (image, parent, connectedTo, injectedInto…). */
  relations: string;
  /** JSON array: other keys of the same real-world thing merged into this evidence (domain/same-thing.ts). */
  aliases: Generated<string>;
  added_at: number;
}

export interface InvestigationLogTable {
  id: Generated<number>;
  investigation_id: number;
  step: string;
  started_at: number;
  duration_ms: number;
  /** Time spent waiting before this step (queued, pendingApproval, pendingResource). */
  waited_ms: number;
  waited_as: string | null;
  result: string;
  worker: string;
}

export interface ProposedActionsTable {
  id: Generated<number>;
  investigation_id: number;
  type: string;
  target_key: string;
  evidence_key: string;
  /** `proposed` until the response stage plans it; then `planned` (an action exists) or `skipped` (level none). */
  status: string;
  /** JSON array of sentences. */
  reasons: string;
  created_at: number;
  /** The policy rule that decided (for a skipped proposal; actions keep their own). */
  decision_rule: string | null;
}

export interface ActionsTable {
  id: Generated<number>;
  type: string;
  target_key: string;
  device_key: string | null;
  group_kind: string | null;
  group_name: string | null;
  investigation_id: number | null;
  evidence_key: string | null;
  verdict: string | null;
  /** `investigation`, `analyst`, or `undo`. */
  source: string;
  status: string;
  /** `type|target|device` while in flight (unique), NULL otherwise. */
  in_flight: string | null;
  /** JSON: what the connector needs about the target (path, sha256, pid, address…). */
  parameters: string;
  /** JSON array of sentences: why it was proposed. */
  reasons: string;
  requested_by: string;
  decided_by: string | null;
  decided_at: number | null;
  decision_rule: string | null;
  comment: string | null;
  undo_of: number | null;
  undone_by: number | null;
  idempotency_key: string;
  connector: string | null;
  attempts: Generated<number>;
  next_attempt_at: number | null;
  claimed_by: string | null;
  lease_until: number | null;
  /** 1 while a connector that accepted it has yet to post the result. */
  awaiting_callback: Generated<number>;
  unreachable_since: number | null;
  result_message: string | null;
  /** JSON. */
  result_details: string | null;
  notified_at: number | null;
  created_at: number;
  updated_at: number;
  expires_at: number | null;
  started_at: number | null;
  ended_at: number | null;
  /** What the group's shadow level would have done (`approve`, `wait`), NULL outside shadow. */
  shadow_outcome: string | null;
  shadow_rule: string | null;
  shadow_level: string | null;
}

/** Which actions carry out a proposal: one per device, or one already in flight for the same target. */
export interface ProposalActionsTable {
  proposal_id: number;
  action_id: number;
  investigation_id: number;
}

export interface ActionLogTable {
  id: Generated<number>;
  action_id: number;
  at: number;
  from_status: string | null;
  to_status: string;
  by: string;
  message: string | null;
}

export interface AssetGroupsTable {
  id: Generated<number>;
  kind: string;
  name: string;
  rank: number;
  /** JSON array of membership rules. */
  rules: string;
  level: string;
  automate_suspicious: number;
  /** JSON ShadowSetting, NULL when not in shadow. */
  shadow: string | null;
  is_default: number;
  description: string | null;
  created_at: number;
  updated_at: number;
}

export interface AssetTagsTable {
  entity_key: string;
  tag: string;
  created_at: number;
  created_by: string;
}

export interface SettingsTable {
  key: string;
  /** JSON. */
  value: string;
  updated_at: number;
  updated_by: string;
}

export interface ConnectorsTable {
  name: string;
  /** JSON of the connector configuration, secrets included (never returned by the API). */
  config: string;
  created_at: number;
  updated_at: number;
  /** `host` (the CLI on the server) or `api`. */
  defined_on: Generated<string>;
}

export interface AuditLogTable {
  id: Generated<number>;
  at: number;
  /** `token:<name>`, `user:<name>`, `cli:<user>`, `policy`, `system`. */
  actor: string;
  /** `action.approve`, `incident.update`, `policy.set`… */
  operation: string;
  /** The thing written: `action:act_12`, `incident:inc_3`, `policy`. */
  target: string;
  /** JSON, secrets redacted. */
  before: string | null;
  after: string | null;
}

export interface IndicatorsTable {
  id: Generated<number>;
  entity_key: string;
  action: string;
  title: string | null;
  description: string | null;
  source: string;
  source_ref: string | null;
  severity: string | null;
  expires_at: number | null;
  created_at: number;
  created_by: string;
}

/** One row (id 1): see migration 0011. */
export interface CorrelationStateTable {
  id: number;
  /** Bumped by every write that changes the entity index rows of alerts in incidents. */
  generation: number;
}

/** A read-only token for the blocklist feeds (stored hashed). */
export interface FeedTokensTable {
  id: string;
  name: string;
  token_hash: string;
  created_by: string;
  created_at: number;
  last_used_at: number | null;
  revoked_at: number | null;
}

/** A message reported as phishing to the report mailbox (migration 0017). */
export interface MailReportsTable {
  id: string;
  report_message_id: string;
  mailbox: string;
  reporter: string;
  reported_message_id: string | null;
  reported_subject: string | null;
  reported_sender: string | null;
  alert_id: string | null;
  created_at: number;
  replied_at: number | null;
  reply: string | null;
}

/** An incident or investigation announced by a notification (migration 0018). */
export interface NoticesTable {
  kind: string;
  subject: string;
  sent_at: number;
}

/** How far a followed file has been read (migration 0019). */
export interface InputOffsetsTable {
  input: string;
  file_key: string;
  path: string;
  offset: number;
  updated_at: number;
}

/** A configured input's state, reported by the process running it (migration 0020). */
export interface InputsTable {
  name: string;
  kind: string;
  owner: string | null;
  state: string;
  detail: string | null;
  /** JSON: the input's counters and lag. */
  stats: string;
  started_at: number | null;
  heartbeat_at: number;
}

/** A one-time enrollment token for a host agent (stored hashed); used once, within its lifetime. */
export interface AgentEnrollmentsTable {
  id: string;
  token_hash: string;
  group_name: string | null;
  created_by: string;
  created_at: number;
  expires_at: number;
  used_at: number | null;
  agent_id: string | null;
}

/** A host agent: the identity it reported, its credential's hash, when it was last heard from. */
export interface AgentsTable {
  id: string;
  device_key: string;
  hostname: string;
  fqdn: string | null;
  os: string;
  version: string;
  machine_id: string | null;
  /** JSON array. */
  addresses: string;
  group_name: string | null;
  credential_hash: string;
  enrolled_at: number;
  last_seen_at: number;
  revoked_at: number | null;
  revoked_by: string | null;
}

/** A task for an agent: one action to carry out, delivered until its result is reported. */
export interface AgentTasksTable {
  id: string;
  agent_id: string;
  action_id: string;
  request: string;
  created_at: number;
  delivered_at: number | null;
  deliveries: Generated<number>;
  completed_at: number | null;
}

export interface Database {
  alerts: AlertsTable;
  alert_entities: AlertEntitiesTable;
  entity_aliases: EntityAliasesTable;
  api_tokens: ApiTokensTable;
  agents: AgentsTable;
  agent_enrollments: AgentEnrollmentsTable;
  feed_tokens: FeedTokensTable;
  mail_reports: MailReportsTable;
  notices: NoticesTable;
  input_offsets: InputOffsetsTable;
  inputs: InputsTable;
  agent_tasks: AgentTasksTable;
  users: UsersTable;
  sessions: SessionsTable;
  sign_in_failures: SignInFailuresTable;
  events: EventsTable;
  event_entities: EventEntitiesTable;
  incidents: IncidentsTable;
  incident_links: IncidentLinksTable;
  incident_merges: IncidentMergesTable;
  incident_comments: IncidentCommentsTable;
  investigations: InvestigationsTable;
  investigation_alerts: InvestigationAlertsTable;
  investigation_evidence: InvestigationEvidenceTable;
  investigation_log: InvestigationLogTable;
  proposed_actions: ProposedActionsTable;
  indicators: IndicatorsTable;
  actions: ActionsTable;
  action_log: ActionLogTable;
  proposal_actions: ProposalActionsTable;
  asset_groups: AssetGroupsTable;
  asset_tags: AssetTagsTable;
  settings: SettingsTable;
  connectors: ConnectorsTable;
  audit_log: AuditLogTable;
  correlation_state: CorrelationStateTable;
}
