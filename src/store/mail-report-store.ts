/** Reported-phishing messages and the replies their reporters were sent, on SQLite and PostgreSQL. */
import type { Kysely, Selectable } from 'kysely';
import type { MailReport } from '../domain/report.js';
import type { MailReportLedger } from '../ingest/ports.js';
import type { ReportReplies } from '../respond/ports.js';
import { newId } from './ids.js';
import type { Database, MailReportsTable } from './schema.js';

const iso = (time: number | null) => (time === null ? null : new Date(Number(time)).toISOString());

function toReport(row: Selectable<MailReportsTable>): MailReport {
  return {
    id: row.id,
    reportMessageId: row.report_message_id,
    mailbox: row.mailbox,
    reporter: row.reporter,
    reportedMessageId: row.reported_message_id,
    reportedSubject: row.reported_subject,
    reportedSender: row.reported_sender,
    alertId: row.alert_id,
    createdAt: iso(row.created_at) as string,
    repliedAt: iso(row.replied_at),
    reply: row.reply,
  };
}

/** The report ledger of the report mailbox (ingest) and the replies to reporters (respond), with a list. */
export interface MailReportStore extends MailReportLedger, ReportReplies {
  /** Newest first. */
  list(limit: number): Promise<MailReport[]>;
}

export function createMailReportStore(db: Kysely<Database>): MailReportStore {
  const get = async (reportMessageId: string) => {
    const row = await db
      .selectFrom('mail_reports')
      .selectAll()
      .where('report_message_id', '=', reportMessageId)
      .executeTakeFirst();
    return row ? toReport(row) : undefined;
  };
  return {
    get,
    async record(input, now) {
      const row: MailReportsTable = {
        id: newId('rpt'),
        report_message_id: input.reportMessageId,
        mailbox: input.mailbox,
        reporter: input.reporter,
        reported_message_id: input.reportedMessageId,
        reported_subject: input.reportedSubject,
        reported_sender: input.reportedSender,
        alert_id: input.alertId,
        created_at: now.getTime(),
        replied_at: null,
        reply: null,
      };
      const inserted = await db
        .insertInto('mail_reports')
        .values(row)
        .onConflict((conflict) => conflict.column('report_message_id').doNothing())
        .executeTakeFirst();
      if (Number(inserted.numInsertedOrUpdatedRows ?? 0) > 0) return { report: toReport(row), created: true };
      return { report: (await get(input.reportMessageId)) as MailReport, created: false };
    },
    async unreplied(limit) {
      const rows = await db
        .selectFrom('mail_reports')
        .selectAll()
        .where('replied_at', 'is', null)
        .orderBy('created_at')
        .orderBy('id')
        .limit(limit)
        .execute();
      return rows.map(toReport);
    },
    async markReplied(id, reply, now) {
      await db
        .updateTable('mail_reports')
        .set({ replied_at: now.getTime(), reply })
        .where('id', '=', id)
        .execute();
    },
    async list(limit) {
      const rows = await db
        .selectFrom('mail_reports')
        .selectAll()
        .orderBy('created_at', 'desc')
        .limit(limit)
        .execute();
      return rows.map(toReport);
    },
  };
}
