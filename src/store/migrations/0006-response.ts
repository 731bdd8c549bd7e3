import { sql, type Kysely } from 'kysely';
import type { Migration } from 'kysely/migration';
import { isSqlite } from './dialect.js';

/** Migration 0006_response. */
export const migration: Migration = {
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
};
