/**
 * A reported phishing campaign, end to end on real servers: Dovecot holds the company's mailboxes and the report
 * mailbox, OpenSMTPD is the company's relay. A campaign is delivered to four mailboxes beside benign mail (and the
 * same deliveries are ingested, as a mail log shipper sends them); Bob forwards one message as an attachment to the
 * report mailbox through the relay. autoir takes the report from the mailbox, investigates, proposes removing the
 * cluster; once approved, the mailbox connector moves every copy into quarantine (no benign message), Bob gets a
 * reply through the relay, and the undo brings every copy back.
 *
 * On a corpus written for the tests and, in the extended suite, on real phishing e-mails (phishing_pot).
 */
import { createTransport } from 'nodemailer';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { connectorEntry } from '../../src/app/connectors.js';
import { smtpSender } from '../../src/connectors/mail/smtp.js';
import { parseConnectorConfig } from '../../src/connectors/config.js';
import { outboundPolicy } from '../../src/connectors/outbound.js';
import {
  pollReportMailbox,
  watchReportMailbox,
  type ReportMailboxOptions,
} from '../../src/ingest/report-mailbox.js';
import { ingestDocuments } from '../../src/ingest/pipeline.js';
import { loadPlaybooks } from '../../src/investigate/playbooks.js';
import { decideActions, undoActions } from '../../src/respond/action-center.js';
import { runUntilIdle, type WorkOptions } from '../../src/worker/worker.js';
import { inputDocuments } from '../helpers/documents.js';
import { mailboxConnectorConfig, startDovecot, type Dovecot } from '../helpers/dovecot.js';
import { fromOf, generatedMailCorpus, phishingPot, type RawMessage } from '../helpers/mail-corpus.js';
import { startOpenSmtpd, type OpenSmtpd } from '../helpers/opensmtpd.js';
import { describeWithSharedData } from '../helpers/shared-data.js';
import { backends, createTestStore, type TestStore } from '../helpers/stores.js';
import { until } from '../helpers/until.js';
import { silentLog } from '../../src/domain/log.js';

const USERS = ['alice', 'bob', 'carol', 'dave'].map((name) => `${name}@corp.example`);
const REPORTS = 'phishing@corp.example';
const messageIdOf = (raw: string) => /^Message-ID:\s*<([^>]+)>/im.exec(raw)?.[1]?.trim().toLowerCase() ?? '';

/** The largest one-sender campaign of a corpus, and up to 30 other messages. */
function pick(corpus: readonly RawMessage[]) {
  const bySender = new Map<string, RawMessage[]>();
  for (const message of corpus.filter((m) => messageIdOf(m.raw)))
    bySender.set(fromOf(message.raw), [...(bySender.get(fromOf(message.raw)) ?? []), message]);
  const campaign =
    [...bySender.entries()]
      .filter(([from]) => from.includes('@'))
      .sort((a, b) => b[1].length - a[1].length)[0]?.[1] ?? [];
  const campaignIds = new Set(campaign.map((m) => messageIdOf(m.raw)));
  const others = corpus
    .filter(
      (m) =>
        messageIdOf(m.raw) &&
        !campaignIds.has(messageIdOf(m.raw)) &&
        fromOf(m.raw) !== fromOf(campaign[0]!.raw),
    )
    .slice(0, 30);
  return { campaign: campaign.slice(0, 8), others };
}

const reportedCampaign = (corpus: () => RawMessage[]) =>
  describe.each(backends)('on %s', (backend) => {
    let dovecot: Dovecot;
    let relay: OpenSmtpd;
    let t: TestStore;
    let work: WorkOptions;
    let watch: ReportMailboxOptions;
    const now = () => new Date('2026-12-01T10:00:00Z');
    const { campaign, others } = pick(corpus());
    // The campaign as autoir reads it (its sender as the engine parses From), set once the deliveries are ingested.
    let campaignIds: string[] = [];
    let copies = 0;
    let otherIds: string[] = [];
    const delivered: { user: string; id: string }[] = [];
    const deliveredCopies = (ids: readonly string[]) =>
      delivered.filter((item) => ids.includes(item.id)).length;
    const ofCampaignCopies = () =>
      delivered.filter((item) => campaignIds.includes(item.id)).map((item) => item.id);
    const count = (folder: string, ids?: readonly string[]) =>
      USERS.flatMap((user) => dovecot.folder(user, folder)).filter(
        (raw) => !ids || ids.includes(messageIdOf(raw)),
      ).length;

    beforeAll(async () => {
      dovecot = await startDovecot([...USERS, REPORTS]);
      relay = await startOpenSmtpd(dovecot.lmtpPort);
      t = await createTestStore(backend);
      // Each campaign message reaches two mailboxes, each other message one; the mail log shipper sends autoir
      // the same deliveries.
      const deliveries: { name: string; bytes: Buffer }[] = [];
      const deliver = async (message: RawMessage, to: string[]) => {
        await dovecot.deliver(to, Buffer.from(message.raw, 'latin1'));
        for (const user of to) delivered.push({ user, id: messageIdOf(message.raw) });
        for (const user of to)
          deliveries.push({
            name: `${user}/${message.name}`,
            bytes: Buffer.from(`Delivered-To: ${user}\r\n${message.raw}`, 'latin1'),
          });
      };
      for (const [index, message] of campaign.entries())
        await deliver(message, [USERS[index % 4]!, USERS[(index + 1) % 4]!]);
      for (const [index, message] of others.entries()) await deliver(message, [USERS[index % 4]!]);
      await ingestDocuments(inputDocuments(deliveries), { store: t.store, now });
      const mails = (await t.store.events.searchEvents({ kinds: ['emailDelivered'] }, { limit: 1000 })).items;
      const sender = mails.find((event) => event.mailMessageId === messageIdOf(campaign[0]!.raw))?.mailSender;
      const ofCampaign = mails.filter((event) => event.mailSender === sender);
      campaignIds = [...new Set(ofCampaign.map((event) => event.mailMessageId as string))];
      copies = ofCampaign.length;
      otherIds = [...new Set(mails.map((event) => event.mailMessageId as string))].filter(
        (id) => !campaignIds.includes(id),
      );
      expect(campaignIds.length).toBeGreaterThanOrEqual(5);

      // Bob forwards the first campaign message he received, as an attachment, through the company's relay.
      const reported = campaign[0]!;
      const bob = createTransport({ host: relay.host, port: relay.port, secure: false, ignoreTLS: true });
      await bob.sendMail({
        from: 'bob@corp.example',
        to: REPORTS,
        subject: 'FW: suspicious',
        messageId: '<report-1@corp.example>',
        text: 'This looks like phishing.',
        attachments: [
          {
            filename: 'suspicious.eml',
            contentType: 'message/rfc822',
            content: Buffer.from(reported.raw, 'latin1'),
          },
        ],
      });
      bob.close();
      await until('the report to reach the report mailbox', () =>
        dovecot.folder(REPORTS, 'INBOX').length > 0 ? true : undefined,
      );

      work = {
        correlation: {},
        playbooks: loadPlaybooks(),
        now,
        connectors: async () => [
          connectorEntry(parseConnectorConfig(mailboxConnectorConfig(dovecot), 'test'), {
            outbound: outboundPolicy(['127.0.0.1/32']),
          }),
        ],
        mail: smtpSender(
          { host: relay.host, port: relay.port, tls: 'none', from: 'autoir <autoir@corp.example>' },
          outboundPolicy(['127.0.0.1/32']),
        ),
      };
      watch = {
        address: dovecot.host,
        port: dovecot.imapPort,
        tls: 'none',
        user: REPORTS,
        password: dovecot.password(REPORTS),
        folder: 'INBOX',
        processedFolder: 'Processed',
        failedFolder: 'Unprocessed',
        now,
        log: silentLog,
      };
    }, 120_000);

    afterAll(async () => {
      await relay?.stop();
      await dovecot?.stop();
      await t?.cleanup();
    });

    it('takes the report from the mailbox once, as an alert naming the message, its sender and the reporter', async () => {
      expect(await pollReportMailbox(t.store, watch)).toEqual({ taken: 1, duplicates: 0, failed: 0 });
      expect(dovecot.folder(REPORTS, 'INBOX')).toHaveLength(0);
      expect(dovecot.folder(REPORTS, 'Processed')).toHaveLength(1);
      const [report] = await t.store.mailReports.list(10);
      expect(report).toMatchObject({
        reporter: 'bob@corp.example',
        reportedMessageId: messageIdOf(campaign[0]!.raw),
      });
      const alert = await t.store.alerts.getAlert(report!.alertId!);
      expect(alert?.source).toBe('userReport');
      const keys = alert!.entities.map((entity) => entity.key);
      expect(keys).toContain(`mailMessage:${messageIdOf(campaign[0]!.raw)}`);
      expect(keys).toContain('mailbox:bob@corp.example');
      expect(await pollReportMailbox(t.store, watch)).toEqual({ taken: 0, duplicates: 0, failed: 0 });
    });

    it('investigates, and once the soft delete is approved moves every copy of the campaign to quarantine, no other', async () => {
      await runUntilIdle(t.store, work);
      const pending = await t.store.actions.list(
        { statuses: ['pendingApproval'], types: ['softDeleteEmail'] },
        { limit: 10 },
      );
      if (pending.items.length > 0)
        await decideActions(
          t.store,
          pending.items.map((a) => a.id),
          'approve',
          'user:rita',
          null,
          now(),
        );
      await runUntilIdle(t.store, work);
      const deletes = await t.store.actions.list({ types: ['softDeleteEmail'] }, { limit: 10 });
      expect(deletes.items.length).toBeGreaterThan(0);
      for (const action of deletes.items) expect(action.status, action.resultMessage ?? '').toBe('succeeded');
      const quarantined = USERS.flatMap((user) => dovecot.folder(user, 'Quarantine').map(messageIdOf));
      expect(
        quarantined.sort(),
        JSON.stringify(deletes.items.map((a) => [a.parameters, a.resultDetails])),
      ).toEqual(ofCampaignCopies().sort());
      expect(count('Quarantine')).toBe(copies);
      expect(count('INBOX', campaignIds)).toBe(0);
      // Nothing else moved: every other message is where it was delivered.
      expect(count('INBOX', otherIds)).toBe(deliveredCopies(otherIds));
    });

    it('tells the reporter the outcome, through the relay, once the investigation ended', async () => {
      const [report] = await t.store.mailReports.list(10);
      expect(report?.repliedAt).not.toBeNull();
      // The relay queues the reply, then hands it to the mailbox server.
      const replies = await until('the reply to reach Bob', () => {
        const found = dovecot
          .folder('bob@corp.example', 'INBOX')
          .filter((raw) => /^From: autoir/im.test(raw));
        return found.length > 0 ? found : undefined;
      });
      expect(replies).toHaveLength(1);
      expect(replies[0]).toMatch(/In-Reply-To: <report-1@corp\.example>/i);
      expect(replies[0]).toMatch(/malicious|suspicious/);
      await runUntilIdle(t.store, work);
      expect(
        dovecot.folder('bob@corp.example', 'INBOX').filter((raw) => /^From: autoir/im.test(raw)),
      ).toHaveLength(1);
    });

    it('brings every copy back with the undo', async () => {
      const deletes = await t.store.actions.list(
        { types: ['softDeleteEmail'], statuses: ['succeeded'] },
        { limit: 10 },
      );
      await undoActions(
        t.store,
        deletes.items.map((a) => a.id),
        'user:rita',
        'false positive',
        now(),
      );
      await runUntilIdle(t.store, work);
      expect(count('Quarantine')).toBe(0);
      expect(count('INBOX', campaignIds)).toBe(copies);
    });

    it('watches the mailbox: a report arriving while autoir waits in IDLE is taken within moments', async () => {
      const stop = new AbortController();
      const watching = watchReportMailbox(t.store, watch, stop.signal);
      try {
        // Carol reports a message through the relay while the watcher waits.
        const carol = createTransport({ host: relay.host, port: relay.port, secure: false, ignoreTLS: true });
        await carol.sendMail({
          from: 'carol@corp.example',
          to: REPORTS,
          subject: 'FW: is this ok?',
          messageId: '<report-2@corp.example>',
          text: 'Please check.',
          attachments: [
            {
              filename: 'message.eml',
              contentType: 'message/rfc822',
              content: Buffer.from(others[0]!.raw, 'latin1'),
            },
          ],
        });
        carol.close();
        const taken = await until('the watcher to take the report', async () =>
          (await t.store.mailReports.list(10)).find((report) => report.reporter === 'carol@corp.example'),
        );
        expect(taken.reportedMessageId).toBe(messageIdOf(others[0]!.raw));
        await until('the report to be moved to Processed', () =>
          dovecot.folder(REPORTS, 'Processed').length === 2 ? true : undefined,
        );
      } finally {
        stop.abort();
        await watching;
      }
    });
  });

describe('a reported campaign taken from a real report mailbox (corpus written for the tests)', () =>
  reportedCampaign(generatedMailCorpus));
describeWithSharedData('a reported campaign taken from a real report mailbox (phishing_pot)', () =>
  reportedCampaign(phishingPot),
);
