/**
 * A report of a suspicious message, as employees send it to the report mailbox: the message forwarded **as an
 * attachment** (`message/rfc822`, what "Report phishing" buttons and "Forward as attachment" send), or forwarded
 * **inline** (the original's From/Subject/Date lines quoted in the body). Taking a report: the reported message is
 * ingested as a delivered message to the reporter (so the investigation sees its headers, links and attachments
 * beside every other copy), and one alert (`source: userReport`) names the message, its sender, its links and the
 * reporter, which starts the phishing playbook. The report itself is recorded once (by its Message-ID), with the
 * alert, so that the reporter can be told the outcome when the investigation ends.
 */
import { singleDocument } from './input.js';
import { createHash } from 'node:crypto';
import PostalMime from 'postal-mime';
import type { Entity } from '../domain/entity.js';
import { createMailbox, createMailMessage, createUrl } from '../domain/entity-builders.js';
import { normalizeEmailAddress, normalizeMessageId } from '../domain/entity-values.js';
import type { MailReport } from '../domain/report.js';
import { emailEventDraft, extractUrls } from './formats/email.js';
import { ingestDocuments } from './pipeline.js';
import type { DeliveredMail, EventSink, IngestPorts, MailReportLedger } from './ports.js';
import { writeAlerts } from './prepare-alert.js';

/** What a report says, before anything is stored. */
export interface ParsedReport {
  /** The report's Message-ID (or a hash of it, when it has none). */
  readonly reportMessageId: string;
  readonly reporter: string | undefined;
  /** The reported message itself, when it came as an attachment. */
  readonly attached: Uint8Array | undefined;
  /** What an inline forward quotes of the original. */
  readonly quoted: { readonly sender?: string; readonly subject?: string; readonly urls: readonly string[] };
}

/** The line that starts a quoted original in an inline forward, in the shapes common clients write. */
const FORWARD_MARKER =
  /^(?:-{2,}\s*(?:Forwarded message|Original Message|Message transféré|Weitergeleitete Nachricht)\s*-{2,}|Begin forwarded message:)/im;

/** Read a report. */
export async function parseReport(bytes: Uint8Array): Promise<ParsedReport> {
  // Every attached message stays an attachment (not parsed into the report's own text and parts).
  const email = await PostalMime.parse(bytes, {
    attachmentEncoding: 'arraybuffer',
    forceRfc822Attachments: true,
  });
  const reporter = normalizeEmailAddress(email.from?.address) ?? normalizeEmailAddress(email.sender?.address);
  const reportMessageId =
    normalizeMessageId(email.messageId) ?? `sha256:${createHash('sha256').update(bytes).digest('hex')}`;
  const attachment = email.attachments.find(
    (item) => item.mimeType.toLowerCase() === 'message/rfc822' || /\.eml$/i.test(item.filename ?? ''),
  );
  const attached =
    attachment === undefined
      ? undefined
      : attachment.content instanceof ArrayBuffer
        ? new Uint8Array(attachment.content)
        : new TextEncoder().encode(String(attachment.content));
  const text = email.text ?? '';
  const marker = FORWARD_MARKER.exec(text);
  const quotedText = marker ? text.slice(marker.index) : '';
  const header = (name: string) =>
    new RegExp(`^\\s*\\*?${name}:\\*?\\s*(.+)$`, 'im').exec(quotedText)?.[1]?.trim();
  const fromLine = header('From') ?? header('De') ?? header('Von');
  const sender = normalizeEmailAddress(
    /<([^<>\s]+@[^<>\s]+)>/.exec(fromLine ?? '')?.[1] ?? fromLine?.match(/\S+@\S+/)?.[0],
  );
  const subject = header('Subject') ?? header('Objet') ?? header('Betreff');
  return {
    reportMessageId,
    reporter,
    attached,
    quoted: {
      ...(sender ? { sender } : {}),
      ...(subject ? { subject } : {}),
      urls: marker ? extractUrls(quotedText, '') : [],
    },
  };
}

export interface ReportIntakePorts extends IngestPorts {
  readonly events: EventSink & DeliveredMail;
  readonly mailReports: MailReportLedger;
}

/** What became of one report. */
export interface ReportIntake {
  readonly report: MailReport;
  /** False when this report had been taken before (nothing was written again). */
  readonly created: boolean;
}

/**
 * Take one report that arrived in `mailbox`: ingest the reported message, write its alert, record the report.
 * Idempotent: the same report again (same Message-ID) writes nothing.
 */
export async function takeReport(
  store: ReportIntakePorts,
  bytes: Uint8Array,
  mailbox: string,
  now: () => Date,
): Promise<ReportIntake> {
  const parsed = await parseReport(bytes);
  const known = await store.mailReports.get(parsed.reportMessageId);
  if (known) return { report: known, created: false };
  const reporter = parsed.reporter ?? 'unknown@invalid';

  let reported: { messageId?: string; subject?: string; sender?: string; urls: readonly string[] } =
    parsed.quoted;
  if (parsed.attached) {
    // The copy the reporter received, as their mail server delivered it.
    const copy = Buffer.concat([Buffer.from(`Delivered-To: ${reporter}\r\n`), Buffer.from(parsed.attached)]);
    try {
      const draft = await emailEventDraft(copy);
      reported = {
        ...(draft.mailMessageId ? { messageId: draft.mailMessageId } : {}),
        ...(draft.mailSubject ? { subject: draft.mailSubject } : {}),
        ...(draft.mailSender ? { sender: draft.mailSender } : {}),
        urls: ((draft.details as { urls?: string[] } | undefined)?.urls ?? []).slice(0, 20),
      };
      await ingestDocuments(singleDocument(`report-mailbox:${parsed.reportMessageId}.eml`, copy), {
        store,
        now,
      });
    } catch {
      // An attachment that is not a readable message: the report is judged on what it quotes.
    }
  } else if (reported.sender && reported.subject) {
    // An inline forward carries no Message-ID: the delivered copy with this sender and subject, if autoir has it.
    const copies = await store.events.searchEvents(
      { entityKeys: [`mailbox:${reported.sender}`], kinds: ['emailDelivered'] },
      { limit: 200 },
    );
    const match = copies.items.find(
      (event) => event.mailSubject?.trim().toLowerCase() === reported.subject?.trim().toLowerCase(),
    );
    if (match?.mailMessageId) reported = { ...reported, messageId: match.mailMessageId };
  }

  const entities = [
    reported.messageId
      ? createMailMessage({
          messageId: reported.messageId,
          subject: reported.subject,
          sender: reported.sender,
          recipient: reporter,
        })
      : undefined,
    createMailbox({ address: reporter, roles: ['contextual'] }),
    reported.sender ? createMailbox({ address: reported.sender }) : undefined,
    ...reported.urls.map((url) => createUrl({ url })),
  ].filter((entity): entity is NonNullable<typeof entity> => entity !== undefined) as Entity[];

  let alertId: string | null = null;
  if (reported.messageId || reported.sender || reported.urls.length > 0) {
    const [written] = await writeAlerts(
      store.alerts,
      [
        {
          draft: {
            source: 'userReport',
            sourceRef: `report:${parsed.reportMessageId}`,
            title: `Email reported as phishing by ${reporter}${reported.subject ? `: ${reported.subject}` : ''}`,
            severity: 'medium',
            category: 'phishing',
            mitreTechniques: ['T1566'],
            createdAt: now().toISOString(),
            entities,
          },
          format: 'autoir',
        },
      ],
      now(),
    );
    alertId = written?.id ?? null;
  }
  return store.mailReports
    .record(
      {
        reportMessageId: parsed.reportMessageId,
        mailbox,
        reporter,
        reportedMessageId: reported.messageId ?? null,
        reportedSubject: reported.subject ?? null,
        reportedSender: reported.sender ?? null,
        alertId,
      },
      now(),
    )
    .then(({ report, created }) => ({ report, created }));
}
