/**
 * Schema migrations, in order. They run on every start (`migrateToLatest` is idempotent) and never change once
 * released: a change to the schema is a new migration at the end of the list.
 */
import type { Migration, MigrationProvider } from 'kysely/migration';
import { migration as m0001 } from './migrations/0001-alerts-and-tokens.js';
import { migration as m0002 } from './migrations/0002-events.js';
import { migration as m0003 } from './migrations/0003-alert-event-count.js';
import { migration as m0004 } from './migrations/0004-incidents.js';
import { migration as m0005 } from './migrations/0005-investigations.js';
import { migration as m0006 } from './migrations/0006-response.js';
import { migration as m0007 } from './migrations/0007-users-and-sessions.js';
import { migration as m0008 } from './migrations/0008-response-indexes.js';
import { migration as m0009 } from './migrations/0009-alert-entity-timelines.js';
import { migration as m0010 } from './migrations/0010-uninvestigated-by-id.js';
import { migration as m0011 } from './migrations/0011-correlation-generation.js';
import { migration as m0012 } from './migrations/0012-connector-origin.js';
import { migration as m0013 } from './migrations/0013-token-expiry.js';
import { migration as m0014 } from './migrations/0014-evidence-aliases.js';
import { migration as m0015 } from './migrations/0015-agents.js';
import { migration as m0016 } from './migrations/0016-feeds.js';
import { migration as m0017 } from './migrations/0017-mail-reports.js';
import { migration as m0018 } from './migrations/0018-notices.js';
import { migration as m0019 } from './migrations/0019-input-offsets.js';
import { migration as m0020 } from './migrations/0020-inputs.js';
import { migration as m0021 } from './migrations/0021-event-partitions.js';
import { migration as m0022 } from './migrations/0022-device-actions.js';
import { migration as m0023 } from './migrations/0023-incident-lead-category.js';
import { migration as m0024 } from './migrations/0024-shadow-automation.js';

/** Every migration, in order: one file each under migrations/. Names never change once released. */
export const migrations: Record<string, Migration> = {
  '0001_alerts_and_tokens': m0001,
  '0002_events': m0002,
  '0003_alert_event_count': m0003,
  '0004_incidents': m0004,
  '0005_investigations': m0005,
  '0006_response': m0006,
  '0007_users_and_sessions': m0007,
  '0008_response_indexes': m0008,
  '0009_alert_entity_timelines': m0009,
  '0010_uninvestigated_by_id': m0010,
  '0011_correlation_generation': m0011,
  '0012_connector_origin': m0012,
  '0013_token_expiry': m0013,
  '0014_evidence_aliases': m0014,
  '0015_agents': m0015,
  '0016_feeds': m0016,
  '0017_mail_reports': m0017,
  '0018_notices': m0018,
  '0019_input_offsets': m0019,
  '0020_inputs': m0020,
  '0021_event_partitions': m0021,
  '0022_device_actions': m0022,
  '0023_incident_lead_category': m0023,
  '0024_shadow_automation': m0024,
};

export const migrationProvider: MigrationProvider = {
  getMigrations: () => Promise.resolve(migrations),
};
