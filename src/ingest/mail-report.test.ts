/**
 * Reports as employees send them: forwarded as an attachment, forwarded inline (Gmail's and Outlook's quoting), or
 * with no message in them at all. Each is taken once; an inline forward is matched to the copy autoir ingested.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { generatedMailCorpus } from '../../test/helpers/mail-corpus.js';
import { inputDocuments } from '../../test/helpers/documents.js';
import { createTestStore, type TestStore } from '../../test/helpers/stores.js';
import { replyText } from '../respond/report-replies.js';
import { parseReport, takeReport } from './mail-report.js';
import { ingestDocuments } from './pipeline.js';

const campaign = generatedMailCorpus()[0]!;
const subject = /^Subject: (.*)$/m.exec(campaign.raw)![1]!;
const messageId = /^Message-ID: <(.*)>$/im.exec(campaign.raw)![1]!.toLowerCase();

const report = (id: string, body: string, extra = '') =>
  Buffer.from(
    `From: Bob <bob@corp.example>\r\nTo: phishing@corp.example\r\nSubject: Fwd: ${subject}\r\nMessage-ID: <${id}>\r\nDate: Mon, 07 Dec 2026 09:00:00 +0000\r\n${extra}\r\n${body}`,
  );

const gmail = report(
  'r-gmail@corp.example',
  [
    'Is this real?',
    '',
    '---------- Forwarded message ---------',
    'From: Microsoft 365 Security <security-alert@rnicrosoft-365.example>',
    'Date: Fri, 27 Feb 2026 at 09:00',
    `Subject: ${subject}`,
    'To: <bob@corp.example>',
    '',
    'Verify at https://mailbox-verify.rnicrosoft-365.example/m/abc?lang=en',
  ].join('\r\n'),
);

const outlook = report(
  'r-outlook@corp.example',
  [
    '-----Original Message-----',
    'From: Microsoft 365 Security <security-alert@rnicrosoft-365.example>',
    'Sent: Friday, February 27, 2026 9:00 AM',
    'To: Bob <bob@corp.example>',
    `Subject: ${subject}`,
  ].join('\r\n'),
);

describe('reports sent to the report mailbox', () => {
  let t: TestStore;
  const now = () => new Date('2026-03-01T00:00:00Z');

  beforeAll(async () => {
    t = await createTestStore('sqlite');
    await ingestDocuments(
      inputDocuments([{ name: 'bob.eml', bytes: `Delivered-To: bob@corp.example\r\n${campaign.raw}` }]),
      { store: t.store, now },
    );
  });
  afterAll(async () => t?.cleanup());

  it('reads what an inline forward quotes: the original sender, subject and links', async () => {
    for (const bytes of [gmail, outlook]) {
      const parsed = await parseReport(bytes);
      expect(parsed.reporter).toBe('bob@corp.example');
      expect(parsed.attached).toBeUndefined();
      expect(parsed.quoted).toMatchObject({ sender: 'security-alert@rnicrosoft-365.example', subject });
    }
    expect((await parseReport(gmail)).quoted.urls).toEqual([
      'https://mailbox-verify.rnicrosoft-365.example/m/abc?lang=en',
    ]);
  });

  it('matches an inline forward to the copy autoir ingested, and takes each report once', async () => {
    const first = await takeReport(t.store, gmail, 'phishing@corp.example', now);
    expect(first.created).toBe(true);
    expect(first.report).toMatchObject({
      reporter: 'bob@corp.example',
      reportedMessageId: messageId,
      reportedSender: 'security-alert@rnicrosoft-365.example',
    });
    const alert = await t.store.alerts.getAlert(first.report.alertId!);
    expect(alert?.entities.map((entity) => entity.key)).toContain(`mailMessage:${messageId}`);
    const again = await takeReport(t.store, gmail, 'phishing@corp.example', now);
    expect(again).toMatchObject({ created: false, report: { id: first.report.id } });
  });

  it('records a report with no message in it without an alert, and its reply asks for the message', async () => {
    const empty = report('r-empty@corp.example', 'I got something weird this morning, please check.');
    const taken = await takeReport(t.store, empty, 'phishing@corp.example', now);
    expect(taken.report.alertId).toBeNull();
    expect(replyText(taken.report, undefined)).toContain('as an attachment');
  });
});
