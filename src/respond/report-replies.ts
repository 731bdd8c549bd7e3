/**
 * Replies to employees who reported a message: once the investigation of their report ends, the reporter is told
 * what it found (malicious, suspicious, or nothing to worry about) and what was done (the campaign's copies removed
 * from N mailboxes), in a short e-mail answering their report. A report that held no message gets an answer at once
 * asking for the message as an attachment. Each reporter is answered once.
 */
import { terminalInvestigationStatuses, type InvestigationDetail } from '../domain/investigation.js';
import type { MailReport } from '../domain/report.js';
import type { MailSender, ReportReplies } from './ports.js';

export interface ReplyPorts {
  readonly mailReports: ReportReplies;
  readonly alerts: { getAlert(id: string): Promise<{ readonly incidentId: string | null } | undefined> };
  readonly investigations: {
    list(
      filter: { readonly incidentId: string },
      page: { readonly limit: number },
    ): Promise<{ readonly items: readonly { readonly id: string; readonly status: string }[] }>;
    get(id: string): Promise<InvestigationDetail | undefined>;
  };
}

export interface ReplySummary {
  readonly replied: number;
  readonly errors: readonly string[];
}

const terminal = new Set<string>(terminalInvestigationStatuses);

/** The reply's text for a report whose investigation ended (pure). */
export function replyText(
  report: MailReport,
  investigation: InvestigationDetail | undefined,
  uiUrl?: string,
): string {
  const what = report.reportedSubject ? `"${report.reportedSubject}"` : 'the message you reported';
  const lines = [
    `Thank you for reporting ${what}${report.reportedSender ? ` from ${report.reportedSender}` : ''}.`,
    '',
  ];
  if (!report.alertId || !investigation) {
    lines.push(
      'We could not find the reported message in your e-mail. Please forward the suspicious message again as an attachment ("Forward as attachment"), so that it can be examined.',
    );
    return lines.join('\n');
  }
  const key = report.reportedMessageId ? `mailMessage:${report.reportedMessageId}` : undefined;
  const row = investigation.evidence.find(
    (item) => item.key === key || (key !== undefined && item.aliases.includes(key)),
  );
  const cluster = investigation.evidence.find((item) => item.type === 'mailCluster');
  const verdict =
    [row?.verdict, cluster?.verdict].find((value) => value === 'malicious' || value === 'suspicious') ??
    row?.verdict;
  const removed = investigation.actions.filter(
    (action) => action.type === 'softDeleteEmail' && action.status === 'succeeded',
  );
  if (verdict === 'malicious' || verdict === 'suspicious') {
    lines.push(
      verdict === 'malicious'
        ? 'The investigation found it malicious: a phishing message.'
        : 'The investigation found it suspicious.',
      removed.length > 0
        ? 'It has been removed from your mailbox and from every other mailbox it reached. If you clicked a link or opened an attachment in it, tell the security team now.'
        : 'The security team is handling it. Do not click its links or open its attachments; if you already did, tell the security team now.',
    );
  } else {
    lines.push(
      'The investigation found no threat in it. If something about it still seems wrong, reply to this message.',
    );
  }
  if (uiUrl) lines.push('', `Investigation: ${uiUrl.replace(/\/+$/, '')}/investigations/${investigation.id}`);
  return lines.join('\n');
}

/**
 * Answer every reporter whose report's investigation has ended (or whose report held no message). A failed send
 * is reported and tried again on the next pass.
 */
export async function replyToReporters(
  store: ReplyPorts,
  sender: MailSender,
  now: () => Date,
  options: { readonly uiUrl?: string } = {},
): Promise<ReplySummary> {
  let replied = 0;
  const errors: string[] = [];
  for (const report of await store.mailReports.unreplied(100)) {
    let investigation: InvestigationDetail | undefined;
    if (report.alertId) {
      const alert = await store.alerts.getAlert(report.alertId);
      if (!alert?.incidentId) continue; // not yet correlated
      const newest = (await store.investigations.list({ incidentId: alert.incidentId }, { limit: 1 }))
        .items[0];
      if (!newest || !terminal.has(newest.status)) continue; // still running, or waiting for approval
      investigation = await store.investigations.get(newest.id);
    }
    const text = replyText(report, investigation, options.uiUrl);
    try {
      await sender.send({
        to: report.reporter,
        subject: `Re: ${report.reportedSubject ?? 'your report'}`,
        text,
        inReplyTo: report.reportMessageId.startsWith('sha256:') ? undefined : report.reportMessageId,
      });
    } catch (error) {
      errors.push(`reply to ${report.reporter}: ${(error as Error).message}`);
      continue;
    }
    await store.mailReports.markReplied(report.id, text, now());
    replied++;
  }
  return { replied, errors };
}
