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
}

/** One row per (alert, entity): what lets every stage ask "which alerts name this entity". */
export interface AlertEntitiesTable {
  /** `entityHash(key)`: see entity-index.ts. */
  entity_hash: number;
  alert_id: number;
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

/** The events' entity index, like `alert_entities`. */
export interface EventEntitiesTable {
  entity_hash: number;
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
  /** JSON array of the keys of every device in it. */
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

export interface Database {
  alerts: AlertsTable;
  alert_entities: AlertEntitiesTable;
  entity_aliases: EntityAliasesTable;
  api_tokens: ApiTokensTable;
  events: EventsTable;
  event_entities: EventEntitiesTable;
  incidents: IncidentsTable;
  incident_links: IncidentLinksTable;
  incident_merges: IncidentMergesTable;
  incident_comments: IncidentCommentsTable;
}
