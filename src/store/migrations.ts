/**
 * Schema migrations, in order. They run on every start (`migrateToLatest` is idempotent) and never change once
 * released: a change to the schema is a new migration at the end of the list.
 */
import { SqliteAdapter, sql, type Kysely } from 'kysely';
import type { Migration, MigrationProvider } from 'kysely/migration';
import { deviceHashOf, entityHash } from '../domain/entity-hash.js';

function isSqlite(db: Kysely<unknown>): boolean {
  return db.getExecutor().adapter instanceof SqliteAdapter;
}

/** SQLite only: a table clustered on its primary key saves one b-tree per row written. */
function withoutRowid(db: Kysely<unknown>) {
  return isSqlite(db) ? sql`without rowid` : sql``;
}

export const migrations: Record<string, Migration> = {
  '0001_alerts_and_tokens': {
    async up(db: Kysely<unknown>): Promise<void> {
      await db.schema
        .createTable('alerts')
        // SQLite: the rowid itself. PostgreSQL: an identity column.
        .addColumn('id', isSqlite(db) ? 'integer' : 'bigint', (column) =>
          isSqlite(db) ? column.primaryKey() : column.primaryKey().generatedByDefaultAsIdentity(),
        )
        .addColumn('source', 'text', (column) => column.notNull())
        .addColumn('source_ref', 'text', (column) => column.notNull())
        .addColumn('title', 'text', (column) => column.notNull())
        .addColumn('description', 'text')
        .addColumn('severity', 'text', (column) => column.notNull())
        .addColumn('severity_rank', 'integer', (column) => column.notNull())
        .addColumn('category', 'text')
        .addColumn('detector', 'text')
        .addColumn('mitre_techniques', 'text', (column) => column.notNull())
        .addColumn('created_at', 'bigint', (column) => column.notNull())
        .addColumn('first_activity_at', 'bigint')
        .addColumn('last_activity_at', 'bigint')
        .addColumn('ingested_at', 'bigint', (column) => column.notNull())
        .addColumn('updated_at', 'bigint', (column) => column.notNull())
        .addColumn('incident_id', 'text')
        .addColumn('entities', 'text', (column) => column.notNull())
        .addColumn('raw', 'text')
        .addColumn('format', 'text', (column) => column.notNull())
        .addUniqueConstraint('alerts_source_ref_unique', ['source', 'source_ref'])
        .execute();
      await db.schema
        .createIndex('alerts_created_at_idx')
        .on('alerts')
        .columns(['created_at', 'id'])
        .execute();
      // Partial: alerts arrive without an incident, and should not pay for an index entry until they join one.
      await db.schema
        .createIndex('alerts_incident_idx')
        .on('alerts')
        .column('incident_id')
        .where(sql.ref('incident_id'), 'is not', null)
        .execute();

      // The entity index (store/entity-index.ts), clustered on (entity_hash, alert_id): "which alerts name this
      // entity" is one range scan. The other direction is the alert's own entities column.
      await db.schema
        .createTable('alert_entities')
        .addColumn('entity_hash', 'bigint', (column) => column.notNull())
        .addColumn('alert_id', 'bigint', (column) => column.notNull())
        .addPrimaryKeyConstraint('alert_entities_pk', ['entity_hash', 'alert_id'])
        .modifyEnd(withoutRowid(db))
        .execute();

      await db.schema
        .createTable('entity_aliases')
        .addColumn('alias_key', 'text', (column) => column.primaryKey())
        .addColumn('entity_key', 'text')
        .addColumn('updated_at', 'bigint', (column) => column.notNull())
        .modifyEnd(withoutRowid(db))
        .execute();

      await db.schema
        .createTable('api_tokens')
        .addColumn('id', 'text', (column) => column.primaryKey())
        .addColumn('name', 'text', (column) => column.notNull().unique())
        .addColumn('role', 'text', (column) => column.notNull())
        .addColumn('token_hash', 'text', (column) => column.notNull().unique())
        .addColumn('created_at', 'bigint', (column) => column.notNull())
        .addColumn('last_used_at', 'bigint')
        .addColumn('revoked_at', 'bigint')
        .execute();
    },
    async down(db: Kysely<unknown>): Promise<void> {
      for (const table of ['api_tokens', 'entity_aliases', 'alert_entities', 'alerts']) {
        await sql`drop table if exists ${sql.table(table)}`.execute(db);
      }
    },
  },
  '0002_events': {
    async up(db: Kysely<unknown>): Promise<void> {
      const text = ['format', 'source', 'code', 'kind'];
      const optionalText = [
        'outcome',
        'device_key',
        'user_key',
        'process_key',
        'parent_process_key',
        'image_path',
        'command_line',
        'sha256',
        'sha1',
        'md5',
        'target_path',
        'target_process_key',
        'target_user_key',
        'registry_path',
        'registry_value',
        'src_ip',
      ];
      let table = db.schema
        .createTable('events')
        .addColumn('id', isSqlite(db) ? 'integer' : 'bigint', (column) =>
          isSqlite(db) ? column.primaryKey() : column.primaryKey().generatedByDefaultAsIdentity(),
        )
        .addColumn('ref', 'bigint', (column) => column.notNull())
        .addColumn('time', 'bigint', (column) => column.notNull())
        .addColumn('ingested_at', 'bigint', (column) => column.notNull());
      for (const name of text) table = table.addColumn(name, 'text', (column) => column.notNull());
      for (const name of optionalText) table = table.addColumn(name, 'text');
      table = table
        .addColumn('src_port', 'integer')
        .addColumn('dst_ip', 'text')
        .addColumn('dst_port', 'integer');
      for (const name of [
        'protocol',
        'domain',
        'url',
        'mail_sender',
        'mail_recipients',
        'mail_message_id',
        'mail_subject',
      ])
        table = table.addColumn(name, 'text');
      await table
        .addColumn('keys', 'text', (column) => column.notNull())
        .addColumn('details', 'text')
        .addColumn('raw', isSqlite(db) ? 'blob' : 'bytea', (column) => column.notNull())
        .execute();
      // (time, ref): an event's identity, and the index for time windows and retention; device + time for a
      // device's timeline. Everything else is looked up through the entity index and confirmed on the row.
      await db.schema
        .createIndex('events_time_ref_unique')
        .on('events')
        .columns(['time', 'ref'])
        .unique()
        .execute();
      await db.schema
        .createIndex('events_device_time_idx')
        .on('events')
        .columns(['device_key', 'time'])
        .execute();
      await db.schema
        .createTable('event_entities')
        .addColumn('entity_hash', 'bigint', (column) => column.notNull())
        .addColumn('event_id', 'bigint', (column) => column.notNull())
        .addPrimaryKeyConstraint('event_entities_pk', ['entity_hash', 'event_id'])
        .modifyEnd(withoutRowid(db))
        .execute();
    },
    async down(db: Kysely<unknown>): Promise<void> {
      for (const table of ['event_entities', 'events']) {
        await sql`drop table if exists ${sql.table(table)}`.execute(db);
      }
    },
  },
  '0003_alert_event_count': {
    async up(db: Kysely<unknown>): Promise<void> {
      await db.schema
        .alterTable('alerts')
        .addColumn('event_count', 'integer', (column) => column.notNull().defaultTo(1))
        .execute();
    },
    async down(db: Kysely<unknown>): Promise<void> {
      await db.schema.alterTable('alerts').dropColumn('event_count').execute();
    },
  },
  '0004_incidents': {
    async up(db: Kysely<unknown>): Promise<void> {
      const id = (table: ReturnType<Kysely<unknown>['schema']['createTable']>) =>
        table.addColumn('id', isSqlite(db) ? 'integer' : 'bigint', (column) =>
          isSqlite(db) ? column.primaryKey() : column.primaryKey().generatedByDefaultAsIdentity(),
        );
      await id(db.schema.createTable('incidents'))
        .addColumn('title', 'text', (column) => column.notNull())
        .addColumn('severity', 'text', (column) => column.notNull())
        .addColumn('severity_rank', 'integer', (column) => column.notNull())
        .addColumn('status', 'text', (column) => column.notNull())
        .addColumn('redirect_to', 'bigint')
        .addColumn('classification', 'text', (column) => column.notNull())
        .addColumn('determination', 'text')
        .addColumn('assignee', 'text')
        .addColumn('tags', 'text', (column) => column.notNull())
        .addColumn('alert_count', 'integer', (column) => column.notNull())
        .addColumn('first_activity_at', 'bigint', (column) => column.notNull())
        .addColumn('last_activity_at', 'bigint', (column) => column.notNull())
        .addColumn('entities', 'text', (column) => column.notNull())
        .addColumn('created_at', 'bigint', (column) => column.notNull())
        .addColumn('updated_at', 'bigint', (column) => column.notNull())
        .addColumn('analyst_updated_at', 'bigint')
        .addColumn('origin_alert_id', 'bigint', (column) => column.notNull())
        .addColumn('lead_title', 'text', (column) => column.notNull())
        .addColumn('devices', 'text', (column) => column.notNull())
        .execute();
      // Alerts waiting for correlation, oldest first: a partial index, empty when correlation has caught up.
      await db.schema
        .createIndex('alerts_pending_idx')
        .on('alerts')
        .columns(['created_at', 'id'])
        .where(sql.ref('incident_id'), 'is', null)
        .execute();
      await db.schema
        .createIndex('incidents_activity_idx')
        .on('incidents')
        .columns(['last_activity_at', 'id'])
        .execute();
      await db.schema
        .createTable('incident_links')
        .addColumn('alert_id', 'bigint', (column) => column.notNull())
        .addColumn('other_alert_id', 'bigint', (column) => column.notNull())
        .addColumn('entity_key', 'text', (column) => column.notNull())
        .addColumn('created_at', 'bigint', (column) => column.notNull())
        .addPrimaryKeyConstraint('incident_links_pk', ['alert_id', 'other_alert_id'])
        .modifyEnd(withoutRowid(db))
        .execute();
      await db.schema
        .createIndex('incident_links_other_idx')
        .on('incident_links')
        .column('other_alert_id')
        .execute();
      await db.schema
        .createTable('incident_merges')
        .addColumn('from_id', 'bigint', (column) => column.notNull())
        .addColumn('to_id', 'bigint', (column) => column.notNull())
        .addColumn('merged_at', 'bigint', (column) => column.notNull())
        .addColumn('alert_id', 'bigint')
        .addColumn('entity_key', 'text')
        .execute();
      await db.schema.createIndex('incident_merges_to_idx').on('incident_merges').column('to_id').execute();
      await id(db.schema.createTable('incident_comments'))
        .addColumn('incident_id', 'bigint', (column) => column.notNull())
        .addColumn('author', 'text', (column) => column.notNull())
        .addColumn('text', 'text', (column) => column.notNull())
        .addColumn('created_at', 'bigint', (column) => column.notNull())
        .execute();
      await db.schema
        .createIndex('incident_comments_incident_idx')
        .on('incident_comments')
        .columns(['incident_id', 'id'])
        .execute();
    },
    async down(db: Kysely<unknown>): Promise<void> {
      for (const table of ['incident_comments', 'incident_merges', 'incident_links', 'incidents']) {
        await sql`drop table if exists ${sql.table(table)}`.execute(db);
      }
    },
  },
  '0005_investigations': {
    async up(db: Kysely<unknown>): Promise<void> {
      const id = (table: ReturnType<Kysely<unknown>['schema']['createTable']>) =>
        table.addColumn('id', isSqlite(db) ? 'integer' : 'bigint', (column) =>
          isSqlite(db) ? column.primaryKey() : column.primaryKey().generatedByDefaultAsIdentity(),
        );
      await id(db.schema.createTable('investigations'))
        .addColumn('incident_id', 'bigint')
        .addColumn('status', 'text', (column) => column.notNull())
        .addColumn('status_reason', 'text')
        .addColumn('playbook', 'text', (column) => column.notNull())
        .addColumn('trigger', 'text', (column) => column.notNull())
        .addColumn('step', 'text', (column) => column.notNull())
        .addColumn('state', 'text', (column) => column.notNull())
        .addColumn('created_at', 'bigint', (column) => column.notNull())
        .addColumn('queued_at', 'bigint', (column) => column.notNull())
        .addColumn('started_at', 'bigint')
        .addColumn('ended_at', 'bigint')
        .addColumn('updated_at', 'bigint', (column) => column.notNull())
        .addColumn('claimed_by', 'text')
        .addColumn('lease_until', 'bigint')
        .addColumn('run_ms', 'bigint', (column) => column.notNull().defaultTo(0))
        .execute();
      await db.schema
        .createIndex('investigations_status_idx')
        .on('investigations')
        .columns(['status', 'id'])
        .execute();
      await db.schema
        .createIndex('investigations_incident_idx')
        .on('investigations')
        .column('incident_id')
        .execute();
      await db.schema
        .createTable('investigation_alerts')
        .addColumn('investigation_id', 'bigint', (column) => column.notNull())
        .addColumn('alert_id', 'bigint', (column) => column.notNull())
        .addColumn('added_at', 'bigint', (column) => column.notNull())
        .addPrimaryKeyConstraint('investigation_alerts_pk', ['investigation_id', 'alert_id'])
        .modifyEnd(withoutRowid(db))
        .execute();
      await db.schema
        .createIndex('investigation_alerts_alert_idx')
        .on('investigation_alerts')
        .column('alert_id')
        .execute();
      await db.schema
        .createTable('investigation_evidence')
        .addColumn('investigation_id', 'bigint', (column) => column.notNull())
        .addColumn('entity_key', 'text', (column) => column.notNull())
        .addColumn('type', 'text', (column) => column.notNull())
        .addColumn('entity', 'text', (column) => column.notNull())
        .addColumn('origin', 'text', (column) => column.notNull())
        .addColumn('depth', 'integer', (column) => column.notNull())
        .addColumn('analyzed', 'integer', (column) => column.notNull())
        .addColumn('verdict', 'text', (column) => column.notNull())
        .addColumn('score', 'integer', (column) => column.notNull())
        .addColumn('roles', 'text', (column) => column.notNull())
        .addColumn('remediation_status', 'text', (column) => column.notNull())
        .addColumn('own_findings', 'text', (column) => column.notNull())
        .addColumn('findings', 'text', (column) => column.notNull())
        .addColumn('relations', 'text', (column) => column.notNull())
        .addColumn('added_at', 'bigint', (column) => column.notNull())
        .addPrimaryKeyConstraint('investigation_evidence_pk', ['investigation_id', 'entity_key'])
        .execute();
      await db.schema
        .createIndex('investigation_evidence_key_idx')
        .on('investigation_evidence')
        .column('entity_key')
        .execute();
      await id(db.schema.createTable('investigation_log'))
        .addColumn('investigation_id', 'bigint', (column) => column.notNull())
        .addColumn('step', 'text', (column) => column.notNull())
        .addColumn('started_at', 'bigint', (column) => column.notNull())
        .addColumn('duration_ms', 'integer', (column) => column.notNull())
        .addColumn('waited_ms', 'integer', (column) => column.notNull())
        .addColumn('waited_as', 'text')
        .addColumn('result', 'text', (column) => column.notNull())
        .addColumn('worker', 'text', (column) => column.notNull())
        .execute();
      await db.schema
        .createIndex('investigation_log_investigation_idx')
        .on('investigation_log')
        .columns(['investigation_id', 'id'])
        .execute();
      await id(db.schema.createTable('proposed_actions'))
        .addColumn('investigation_id', 'bigint', (column) => column.notNull())
        .addColumn('type', 'text', (column) => column.notNull())
        .addColumn('target_key', 'text', (column) => column.notNull())
        .addColumn('evidence_key', 'text', (column) => column.notNull())
        .addColumn('status', 'text', (column) => column.notNull())
        .addColumn('reasons', 'text', (column) => column.notNull())
        .addColumn('created_at', 'bigint', (column) => column.notNull())
        .addUniqueConstraint('proposed_actions_target_uq', ['investigation_id', 'type', 'target_key'])
        .execute();
      await id(db.schema.createTable('indicators'))
        .addColumn('entity_key', 'text', (column) => column.notNull())
        .addColumn('action', 'text', (column) => column.notNull())
        .addColumn('title', 'text')
        .addColumn('description', 'text')
        .addColumn('source', 'text', (column) => column.notNull())
        .addColumn('source_ref', 'text')
        .addColumn('severity', 'text')
        .addColumn('expires_at', 'bigint')
        .addColumn('created_at', 'bigint', (column) => column.notNull())
        .addColumn('created_by', 'text', (column) => column.notNull())
        .addUniqueConstraint('indicators_source_uq', ['source', 'source_ref'])
        .execute();
      await db.schema.createIndex('indicators_key_idx').on('indicators').column('entity_key').execute();
      await db.schema
        .alterTable('alerts')
        .addColumn('investigated', 'integer', (column) => column.notNull().defaultTo(0))
        .execute();
      // new, inProgress, resolved; and who set it (`analyst:<name>` or `automation`): automation never overrides
      // an analyst.
      await db.schema
        .alterTable('alerts')
        .addColumn('status', 'text', (column) => column.notNull().defaultTo('new'))
        .execute();
      await db.schema.alterTable('alerts').addColumn('status_by', 'text').execute();
      // Alerts correlated but not yet handed to an investigation: empty when triggering has caught up.
      await db.schema
        .createIndex('alerts_uninvestigated_idx')
        .on('alerts')
        .columns(['incident_id', 'id'])
        .where(sql.ref('investigated'), '=', 0)
        .execute();
    },
    async down(db: Kysely<unknown>): Promise<void> {
      await sql`drop index if exists alerts_uninvestigated_idx`.execute(db);
      for (const column of ['investigated', 'status', 'status_by'])
        await db.schema.alterTable('alerts').dropColumn(column).execute();
      for (const table of [
        'indicators',
        'proposed_actions',
        'investigation_log',
        'investigation_evidence',
        'investigation_alerts',
        'investigations',
      ]) {
        await sql`drop table if exists ${sql.table(table)}`.execute(db);
      }
    },
  },
  '0006_response': {
    async up(db: Kysely<unknown>): Promise<void> {
      const id = (table: ReturnType<Kysely<unknown>['schema']['createTable']>) =>
        table.addColumn('id', isSqlite(db) ? 'integer' : 'bigint', (column) =>
          isSqlite(db) ? column.primaryKey() : column.primaryKey().generatedByDefaultAsIdentity(),
        );
      await id(db.schema.createTable('actions'))
        .addColumn('type', 'text', (column) => column.notNull())
        .addColumn('target_key', 'text', (column) => column.notNull())
        .addColumn('device_key', 'text')
        .addColumn('group_kind', 'text')
        .addColumn('group_name', 'text')
        .addColumn('investigation_id', 'bigint')
        .addColumn('evidence_key', 'text')
        .addColumn('verdict', 'text')
        .addColumn('source', 'text', (column) => column.notNull())
        .addColumn('status', 'text', (column) => column.notNull())
        // `type|target|device` while in flight, NULL after: one unique index keeps a (type, target) from being in
        // flight twice, on both dialects (NULLs never collide).
        .addColumn('in_flight', 'text', (column) => column.unique())
        .addColumn('parameters', 'text', (column) => column.notNull())
        .addColumn('reasons', 'text', (column) => column.notNull())
        .addColumn('requested_by', 'text', (column) => column.notNull())
        .addColumn('decided_by', 'text')
        .addColumn('decided_at', 'bigint')
        .addColumn('decision_rule', 'text')
        .addColumn('comment', 'text')
        .addColumn('undo_of', 'bigint')
        .addColumn('undone_by', 'bigint')
        .addColumn('idempotency_key', 'text', (column) => column.notNull().unique())
        .addColumn('connector', 'text')
        .addColumn('attempts', 'integer', (column) => column.notNull().defaultTo(0))
        .addColumn('next_attempt_at', 'bigint')
        .addColumn('claimed_by', 'text')
        .addColumn('lease_until', 'bigint')
        .addColumn('awaiting_callback', 'integer', (column) => column.notNull().defaultTo(0))
        .addColumn('unreachable_since', 'bigint')
        .addColumn('result_message', 'text')
        .addColumn('result_details', 'text')
        .addColumn('notified_at', 'bigint')
        .addColumn('created_at', 'bigint', (column) => column.notNull())
        .addColumn('updated_at', 'bigint', (column) => column.notNull())
        .addColumn('expires_at', 'bigint')
        .addColumn('started_at', 'bigint')
        .addColumn('ended_at', 'bigint')
        .execute();
      await db.schema.createIndex('actions_status_idx').on('actions').columns(['status', 'id']).execute();
      await db.schema
        .createIndex('actions_investigation_idx')
        .on('actions')
        .columns(['investigation_id', 'id'])
        .execute();
      await db.schema.createIndex('actions_target_idx').on('actions').column('target_key').execute();
      // Every change of an action's status, with who or what made it and the connector's message.
      await id(db.schema.createTable('action_log'))
        .addColumn('action_id', 'bigint', (column) => column.notNull())
        .addColumn('at', 'bigint', (column) => column.notNull())
        .addColumn('from_status', 'text')
        .addColumn('to_status', 'text', (column) => column.notNull())
        .addColumn('by', 'text', (column) => column.notNull())
        .addColumn('message', 'text')
        .execute();
      await db.schema
        .createIndex('action_log_action_idx')
        .on('action_log')
        .columns(['action_id', 'id'])
        .execute();
      // A proposal is carried out by one action per device (a file on three devices: three quarantines), or by an
      // action already in flight for the same target (from another investigation).
      await db.schema
        .createTable('proposal_actions')
        .addColumn('proposal_id', 'bigint', (column) => column.notNull())
        .addColumn('action_id', 'bigint', (column) => column.notNull())
        .addColumn('investigation_id', 'bigint', (column) => column.notNull())
        .addPrimaryKeyConstraint('proposal_actions_pk', ['proposal_id', 'action_id'])
        .execute();
      await db.schema
        .createIndex('proposal_actions_action_idx')
        .on('proposal_actions')
        .column('action_id')
        .execute();
      await db.schema.alterTable('proposed_actions').addColumn('decision_rule', 'text').execute();
      await id(db.schema.createTable('asset_groups'))
        .addColumn('kind', 'text', (column) => column.notNull())
        .addColumn('name', 'text', (column) => column.notNull())
        .addColumn('rank', 'integer', (column) => column.notNull())
        .addColumn('rules', 'text', (column) => column.notNull())
        .addColumn('level', 'text', (column) => column.notNull())
        .addColumn('automate_suspicious', 'integer', (column) => column.notNull())
        .addColumn('is_default', 'integer', (column) => column.notNull())
        .addColumn('description', 'text')
        .addColumn('created_at', 'bigint', (column) => column.notNull())
        .addColumn('updated_at', 'bigint', (column) => column.notNull())
        .addUniqueConstraint('asset_groups_name_uq', ['kind', 'name'])
        .execute();
      // The default group of each kind: matches every asset no other group takes; never deleted. semiAll: nothing
      // runs without approval until an administrator says otherwise.
      const created = Date.now();
      for (const kind of ['device', 'mailbox', 'user'])
        await sql`insert into asset_groups (kind, name, rank, rules, level, automate_suspicious, is_default, description, created_at, updated_at) values (${kind}, ${'Default'}, ${2147483647}, ${'[]'}, ${'semiAll'}, ${0}, ${1}, ${`every ${kind} no other group takes`}, ${created}, ${created})`.execute(
          db,
        );
      await db.schema
        .createTable('asset_tags')
        .addColumn('entity_key', 'text', (column) => column.notNull())
        .addColumn('tag', 'text', (column) => column.notNull())
        .addColumn('created_at', 'bigint', (column) => column.notNull())
        .addColumn('created_by', 'text', (column) => column.notNull())
        .addPrimaryKeyConstraint('asset_tags_pk', ['entity_key', 'tag'])
        .execute();
      await db.schema
        .createTable('settings')
        .addColumn('key', 'text', (column) => column.primaryKey())
        .addColumn('value', 'text', (column) => column.notNull())
        .addColumn('updated_at', 'bigint', (column) => column.notNull())
        .addColumn('updated_by', 'text', (column) => column.notNull())
        .execute();
      await db.schema
        .createTable('connectors')
        .addColumn('name', 'text', (column) => column.primaryKey())
        .addColumn('config', 'text', (column) => column.notNull())
        .addColumn('created_at', 'bigint', (column) => column.notNull())
        .addColumn('updated_at', 'bigint', (column) => column.notNull())
        .execute();
      await id(db.schema.createTable('audit_log'))
        .addColumn('at', 'bigint', (column) => column.notNull())
        .addColumn('actor', 'text', (column) => column.notNull())
        .addColumn('operation', 'text', (column) => column.notNull())
        .addColumn('target', 'text', (column) => column.notNull())
        .addColumn('before', 'text')
        .addColumn('after', 'text')
        .execute();
      await db.schema.createIndex('audit_log_target_idx').on('audit_log').columns(['target', 'id']).execute();
      // Append-only, enforced by the database itself: no update or delete of an audit entry succeeds.
      if (isSqlite(db)) {
        for (const verb of ['update', 'delete'])
          await sql
            .raw(
              `create trigger audit_log_no_${verb} before ${verb} on audit_log begin select raise(abort, 'the audit log is append-only'); end`,
            )
            .execute(db);
      } else {
        await sql
          .raw(
            `create or replace function autoir_audit_append_only() returns trigger language plpgsql as $$ begin raise exception 'the audit log is append-only'; end $$`,
          )
          .execute(db);
        await sql
          .raw(
            `create trigger audit_log_append_only before update or delete on audit_log for each statement execute function autoir_audit_append_only()`,
          )
          .execute(db);
      }
    },
    async down(db: Kysely<unknown>): Promise<void> {
      for (const table of [
        'audit_log',
        'connectors',
        'settings',
        'asset_tags',
        'asset_groups',
        'proposal_actions',
        'action_log',
        'actions',
      ])
        await sql`drop table if exists ${sql.table(table)}`.execute(db);
      await db.schema.alterTable('proposed_actions').dropColumn('decision_rule').execute();
    },
  },
  '0007_users_and_sessions': {
    async up(db: Kysely<unknown>): Promise<void> {
      // Local accounts for the web UI. The password is an argon2id PHC string (api/passwords.ts), never returned.
      await db.schema
        .createTable('users')
        .addColumn('id', 'text', (column) => column.primaryKey())
        .addColumn('username', 'text', (column) => column.notNull().unique())
        .addColumn('password_hash', 'text', (column) => column.notNull())
        .addColumn('role', 'text', (column) => column.notNull())
        .addColumn('created_at', 'bigint', (column) => column.notNull())
        .addColumn('updated_at', 'bigint', (column) => column.notNull())
        .addColumn('disabled_at', 'bigint')
        .addColumn('last_login_at', 'bigint')
        .execute();
      // Signed-in browsers. The key is the sha256 of the cookie's 256-bit random id: a copy of this table does not
      // let anyone sign in. `principal` is `user:<name>` or `token:<name>`.
      await db.schema
        .createTable('sessions')
        .addColumn('id_hash', 'text', (column) => column.primaryKey())
        .addColumn('principal', 'text', (column) => column.notNull())
        .addColumn('role', 'text', (column) => column.notNull())
        .addColumn('csrf_token', 'text', (column) => column.notNull())
        .addColumn('created_at', 'bigint', (column) => column.notNull())
        .addColumn('expires_at', 'bigint', (column) => column.notNull())
        .addColumn('last_seen_at', 'bigint', (column) => column.notNull())
        .modifyEnd(withoutRowid(db))
        .execute();
      await db.schema.createIndex('sessions_principal_idx').on('sessions').column('principal').execute();
      // Failed sign-ins per user name, for brute-force damping: in the store, so that every API process on one
      // PostgreSQL sees the same count.
      await db.schema
        .createTable('sign_in_failures')
        .addColumn('username', 'text', (column) => column.primaryKey())
        .addColumn('failures', 'integer', (column) => column.notNull())
        .addColumn('window_start', 'bigint', (column) => column.notNull())
        .addColumn('locked_until', 'bigint')
        .modifyEnd(withoutRowid(db))
        .execute();
    },
    async down(db: Kysely<unknown>): Promise<void> {
      for (const table of ['sign_in_failures', 'sessions', 'users'])
        await sql`drop table if exists ${sql.table(table)}`.execute(db);
    },
  },
  '0008_response_indexes': {
    async up(db: Kysely<unknown>): Promise<void> {
      // Every worker pass asks for proposals not yet planned: only those rows are indexed.
      await db.schema
        .createIndex('proposed_actions_pending_idx')
        .on('proposed_actions')
        .column('id')
        .where(sql.ref('status'), '=', 'proposed')
        .execute();
      // Live updates ask every second for the latest change (max(updated_at)): an index answers from its end.
      await db.schema
        .createIndex('investigations_updated_idx')
        .on('investigations')
        .column('updated_at')
        .execute();
      await db.schema.createIndex('actions_updated_idx').on('actions').column('updated_at').execute();
    },
    async down(db: Kysely<unknown>): Promise<void> {
      for (const index of [
        'actions_updated_idx',
        'investigations_updated_idx',
        'proposed_actions_pending_idx',
      ])
        await sql`drop index if exists ${sql.raw(index)}`.execute(db);
    },
  },
  '0009_alert_entity_timelines': {
    async up(db: Kysely<unknown>): Promise<void> {
      // The entity index ordered by time within an entity, with the alert's device: correlation reads an entity's
      // timeline around new alerts (the alerts next to them, and how many alerts and devices name it in the
      // window) from the index alone, without reading the alerts behind it.
      await db.schema
        .createTable('alert_entities_new')
        .addColumn('entity_hash', 'bigint', (column) => column.notNull())
        .addColumn('at', 'bigint', (column) => column.notNull())
        .addColumn('alert_id', 'bigint', (column) => column.notNull())
        .addColumn('device_hash', 'bigint', (column) => column.notNull())
        .addPrimaryKeyConstraint('alert_entities_timeline_pk', [
          'entity_hash',
          'at',
          'alert_id',
          'device_hash',
        ])
        .modifyEnd(withoutRowid(db))
        .execute();
      const typed = db as unknown as Kysely<{
        alerts: { id: number; created_at: number; entities: string };
        alert_entities_new: { entity_hash: number; at: number; alert_id: number; device_hash: number };
      }>;
      for (let after = 0; ;) {
        const rows = await typed
          .selectFrom('alerts')
          .select(['id', 'created_at', 'entities'])
          .where('id', '>', after)
          .orderBy('id')
          .limit(2000)
          .execute();
        if (rows.length === 0) break;
        const values = rows.flatMap((row) => {
          const entities = JSON.parse(row.entities) as { key: string; type: string }[];
          const device = deviceHashOf(entities);
          return [...new Set(entities.map((entity) => entityHash(entity.key)))].map((hash) => ({
            entity_hash: hash,
            at: Number(row.created_at),
            alert_id: Number(row.id),
            device_hash: device,
          }));
        });
        for (let start = 0; start < values.length; start += 2000)
          await typed
            .insertInto('alert_entities_new')
            .values(values.slice(start, start + 2000))
            .onConflict((conflict) => conflict.doNothing())
            .execute();
        after = Number(rows[rows.length - 1]?.id);
      }
      await db.schema.dropTable('alert_entities').execute();
      await db.schema.alterTable('alert_entities_new').renameTo('alert_entities').execute();
      // A merge re-points the incidents merged into the one it redirects: found by index, not by a scan.
      await db.schema
        .createIndex('incidents_redirect_idx')
        .on('incidents')
        .column('redirect_to')
        .where(sql.ref('redirect_to'), 'is not', null)
        .execute();
    },
    async down(db: Kysely<unknown>): Promise<void> {
      await sql`drop index if exists incidents_redirect_idx`.execute(db);
      await db.schema
        .createTable('alert_entities_old')
        .addColumn('entity_hash', 'bigint', (column) => column.notNull())
        .addColumn('alert_id', 'bigint', (column) => column.notNull())
        .addPrimaryKeyConstraint('alert_entities_pk', ['entity_hash', 'alert_id'])
        .modifyEnd(withoutRowid(db))
        .execute();
      await sql`insert into alert_entities_old (entity_hash, alert_id) select distinct entity_hash, alert_id from alert_entities`.execute(
        db,
      );
      await db.schema.dropTable('alert_entities').execute();
      await db.schema.alterTable('alert_entities_old').renameTo('alert_entities').execute();
    },
  },
  '0010_uninvestigated_by_id': {
    async up(db: Kysely<unknown>): Promise<void> {
      // Alerts correlated and not yet investigated, oldest first (the trigger's order), keyed by id alone: putting
      // an alert in an incident appends an entry, and a merge (which changes the incident) leaves it alone — keyed
      // by incident, each of those moved an entry across the index.
      await sql`drop index if exists alerts_uninvestigated_idx`.execute(db);
      await db.schema
        .createIndex('alerts_uninvestigated_idx')
        .on('alerts')
        .column('id')
        .where(sql<boolean>`investigated = 0 and incident_id is not null`)
        .execute();
    },
    async down(db: Kysely<unknown>): Promise<void> {
      await sql`drop index if exists alerts_uninvestigated_idx`.execute(db);
      await db.schema
        .createIndex('alerts_uninvestigated_idx')
        .on('alerts')
        .columns(['incident_id', 'id'])
        .where(sql.ref('investigated'), '=', 0)
        .execute();
    },
  },
  '0011_correlation_generation': {
    async up(db: Kysely<unknown>): Promise<void> {
      // One row: a counter bumped by every write that changes the entity index rows of alerts in incidents (a
      // correlation step, an alert stored again). A correlating process that holds those timelines in memory knows
      // from it whether anyone else changed them since its last step.
      await db.schema
        .createTable('correlation_state')
        .addColumn('id', 'integer', (column) => column.primaryKey())
        .addColumn('generation', 'bigint', (column) => column.notNull())
        .execute();
      await sql`insert into correlation_state (id, generation) values (1, 0)`.execute(db);
    },
    async down(db: Kysely<unknown>): Promise<void> {
      await db.schema.dropTable('correlation_state').execute();
    },
  },
};

export const migrationProvider: MigrationProvider = {
  getMigrations: () => Promise.resolve(migrations),
};
