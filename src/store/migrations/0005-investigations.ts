import { sql, type Kysely } from 'kysely';
import type { Migration } from 'kysely/migration';
import { isSqlite, withoutRowid } from './dialect.js';

/** Migration 0005_investigations. */
export const migration: Migration = {
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
};
