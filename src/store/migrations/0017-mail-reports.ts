import type { Kysely } from 'kysely';
import type { Migration } from 'kysely/migration';

/**
 * Migration 0017_mail_reports: messages employees reported as phishing to the report mailbox, each with the alert it
 * became and, once its investigation ended, the reply the reporter was sent.
 */
export const migration: Migration = {
  async up(db: Kysely<unknown>): Promise<void> {
    await db.schema
      .createTable('mail_reports')
      .addColumn('id', 'text', (column) => column.primaryKey())
      // The report's own Message-ID: a report read twice is one report.
      .addColumn('report_message_id', 'text', (column) => column.notNull().unique())
      .addColumn('mailbox', 'text', (column) => column.notNull())
      .addColumn('reporter', 'text', (column) => column.notNull())
      .addColumn('reported_message_id', 'text')
      .addColumn('reported_subject', 'text')
      .addColumn('reported_sender', 'text')
      .addColumn('alert_id', 'text')
      .addColumn('created_at', 'bigint', (column) => column.notNull())
      .addColumn('replied_at', 'bigint')
      .addColumn('reply', 'text')
      .execute();
    await db.schema
      .createIndex('mail_reports_unreplied')
      .on('mail_reports')
      .columns(['replied_at', 'created_at'])
      .execute();
  },
  async down(db: Kysely<unknown>): Promise<void> {
    await db.schema.dropTable('mail_reports').execute();
  },
};
