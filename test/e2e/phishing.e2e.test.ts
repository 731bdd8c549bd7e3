/**
 * Phishing end to end, on a mail corpus written for the tests (test/helpers/mail-corpus.ts) and, in the extended
 * suite, on real e-mails (rf-peixoto/phishing_pot, read in place, never copied): the test delivers ≥ 30 messages to
 * four mailboxes (a Delivered-To header per copy, as a mail server writes it), records URL clicks as OCSF HTTP
 * Activity from two users' devices, and reports one message of the largest campaign. The investigation must find
 * the campaign's cluster, list who received it, and add the clickers' devices and users.
 */
import { inputDocuments } from '../helpers/documents.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { backends, createTestStore, type TestStore } from '../helpers/stores.js';
import { describeWithSharedData } from '../helpers/shared-data.js';
import { fromOf, generatedMailCorpus, phishingPot, type RawMessage } from '../helpers/mail-corpus.js';
import { type Entity } from '../../src/domain/entity.js';
import { ingestDocuments } from '../../src/ingest/pipeline.js';
import { loadPlaybooks } from '../../src/investigate/playbooks.js';
import { runUntilIdle } from '../../src/worker/worker.js';
import type { InvestigationDetail } from '../../src/domain/investigation.js';
import { writeAlerts } from '../../src/ingest/prepare-alert.js';
import { createMailbox, createMailMessage } from '../../src/domain/entity-builders.js';

const MAILBOXES = ['alice', 'bob', 'carol', 'dave'].map((name) => `${name}@corp.example`);
const now = () => new Date('2026-03-01T00:00:00.000Z');

function* deliveries(
  raws: readonly RawMessage[],
): Generator<{ name: string; bytes: Buffer; campaign: boolean }> {
  const files = raws.map((message) => message.name);
  const bySender = new Map<string, string[]>();
  for (const { name, raw } of raws) bySender.set(fromOf(raw), [...(bySender.get(fromOf(raw)) ?? []), name]);
  // The largest campaign (one sender, many messages), plus others up to 36 messages.
  const campaign = new Set(
    [...bySender.entries()]
      .filter(([from]) => from.includes('@'))
      .sort((a, b) => b[1].length - a[1].length)[0]?.[1],
  );
  const others = files.filter((name) => !campaign.has(name)).slice(0, 36 - campaign.size);
  let index = 0;
  for (const { name, raw } of raws) {
    if (!campaign.has(name) && !others.includes(name)) continue;
    // Campaign messages reach two mailboxes each; others one.
    const targets = campaign.has(name)
      ? [MAILBOXES[index % 4], MAILBOXES[(index + 1) % 4]]
      : [MAILBOXES[index % 4]];
    index++;
    for (const mailbox of targets)
      yield {
        name: `${mailbox}/${name}`,
        bytes: Buffer.concat([Buffer.from(`Delivered-To: ${mailbox}\r\n`), Buffer.from(raw, 'latin1')]),
        campaign: campaign.has(name),
      };
  }
}

const documents = inputDocuments;

const reportedCampaign = (corpus: () => RawMessage[]) =>
  describe.each(backends)('a reported phishing campaign on %s', (backend) => {
    let t: TestStore;
    let detail: InvestigationDetail;
    let campaignIds: Set<string>;
    let campaignRecipients: Set<string>;
    let clickedUrl: string;
    beforeAll(async () => {
      t = await createTestStore(backend);
      const all = [...deliveries(corpus())];
      expect(new Set(all.map((item) => item.name.split('/')[1])).size).toBeGreaterThanOrEqual(30);
      const summary = await ingestDocuments(documents(all), { store: t.store, now });
      expect(summary.events).toBe(all.length);

      // What the campaign is, as the events store has it.
      const mails = await t.store.events.searchEvents({ kinds: ['emailDelivered'] }, { limit: 1000 });
      const campaignNames = new Set(all.filter((item) => item.campaign).map((item) => item.name));
      expect(campaignNames.size).toBeGreaterThanOrEqual(10);
      const bySender = new Map<string, typeof mails.items>();
      for (const event of mails.items)
        bySender.set(event.mailSender ?? '', [...(bySender.get(event.mailSender ?? '') ?? []), event]);
      const campaign = [...bySender.values()].sort((a, b) => b.length - a.length)[0] ?? [];
      campaignIds = new Set(campaign.map((event) => event.mailMessageId as string));
      campaignRecipients = new Set(campaign.flatMap((event) => event.mailRecipients ?? []));
      const reported = campaign.find(
        (event) => ((event.details?.urls as string[] | undefined) ?? []).length > 0,
      );
      expect(reported, 'a campaign message with a link').toBeDefined();
      clickedUrl = (reported!.details!.urls as string[])[0] as string;

      // Bob and Carol open the link from their laptops: OCSF HTTP Activity from a web proxy.
      const clicks = ['bob', 'carol'].map((name, index) =>
        JSON.stringify({
          class_uid: 4002,
          activity_id: 1,
          time: Date.parse(reported!.time) + 60_000 * (index + 1),
          device: { hostname: `lt-${name}`, domain: 'corp.example' },
          actor: { user: { name, domain: 'CORP' } },
          http_request: { url: { url_string: clickedUrl }, http_method: 'GET' },
          http_response: { code: 200 },
          metadata: { product: { name: 'proxy' }, version: '1.1.0' },
        }),
      );
      await ingestDocuments(documents([{ name: 'proxy.ndjson', bytes: Buffer.from(clicks.join('\n')) }]), {
        store: t.store,
        now,
      });

      // After the click, someone sets a rule on Bob's mailbox that forwards mail outside and deletes it
      // (Microsoft 365 audit log); Carol forwards her mail to Dave, inside the company.
      const audit = [
        {
          CreationTime: new Date(Date.parse(reported!.time) + 1_800_000).toISOString().slice(0, 19),
          Id: 'a1',
          Operation: 'New-InboxRule',
          RecordType: 1,
          Workload: 'Exchange',
          ResultStatus: 'True',
          UserId: 'bob@corp.example',
          ClientIP: '203.0.113.66:51544',
          Parameters: [
            { Name: 'Name', Value: '.' },
            { Name: 'ForwardTo', Value: 'collector@evil-mail.example' },
            { Name: 'DeleteMessage', Value: 'True' },
            { Name: 'SubjectOrBodyContainsWords', Value: 'invoice;payment' },
          ],
        },
        {
          CreationTime: new Date(Date.parse(reported!.time) + 1_900_000).toISOString().slice(0, 19),
          Id: 'a2',
          Operation: 'Set-Mailbox',
          RecordType: 1,
          Workload: 'Exchange',
          UserId: 'carol@corp.example',
          ClientIP: '10.0.0.9',
          Parameters: [
            { Name: 'Identity', Value: 'carol@corp.example' },
            { Name: 'ForwardingSmtpAddress', Value: 'smtp:dave@corp.example' },
          ],
        },
      ].map((record) => JSON.stringify(record));
      await ingestDocuments(documents([{ name: 'audit.ndjson', bytes: Buffer.from(audit.join('\n')) }]), {
        store: t.store,
        now,
      });

      // Bob reports the message.
      const reporter = reported!.mailRecipients?.[0] as string;
      await writeAlerts(
        t.store.alerts,
        [
          {
            draft: {
              source: 'userReport',
              sourceRef: 'report-1',
              title: 'Email reported by user as phishing',
              severity: 'high',
              category: 'phishing',
              mitreTechniques: ['T1566.002'],
              createdAt: new Date(Date.parse(reported!.time) + 3_600_000).toISOString(),
              entities: [
                createMailMessage({
                  messageId: reported!.mailMessageId,
                  subject: reported!.mailSubject,
                  sender: reported!.mailSender,
                  recipient: reporter,
                }) as Entity,
                createMailbox({ address: reporter, roles: ['contextual'] }) as Entity,
              ],
            },
            format: 'autoir',
          },
        ],
        now(),
      );
      await runUntilIdle(t.store, { correlation: {}, playbooks: loadPlaybooks(), now });
      const list = await t.store.investigations.list({}, { limit: 10 });
      expect(list.items).toHaveLength(1);
      detail = (await t.store.investigations.get(list.items[0]!.id))!;
    }, 180_000);
    afterAll(async () => {
      await t?.cleanup();
    });

    const keysOf = (type: string) =>
      new Set(detail.evidence.filter((row) => row.type === type).map((row) => row.key));

    it('runs the phishing playbook', () => {
      expect(detail.playbook).toBe('phishing');
      expect(detail.log.map((entry) => entry.step)).toContain('conclude');
    });

    it('finds the cluster: every message of the campaign, and no message of another sender', () => {
      const cluster = detail.evidence.find((row) => row.type === 'mailCluster');
      expect(cluster, 'a mail cluster').toBeDefined();
      expect(cluster!.findings.some((f) => /messages sharing .*sender/.test(f.text))).toBe(true);
      const messages = keysOf('mailMessage');
      for (const id of campaignIds) expect(messages.has(`mailMessage:${id}`), id).toBe(true);
      expect(messages.size).toBe(campaignIds.size);
    });

    it('lists the recipients of the campaign', () => {
      const mailboxes = keysOf('mailbox');
      expect(campaignRecipients.size).toBeGreaterThanOrEqual(3);
      for (const address of campaignRecipients)
        expect(mailboxes.has(`mailbox:${address}`), address).toBe(true);
    });

    it("adds the clickers' devices and users, with the click as a finding", () => {
      for (const name of ['bob', 'carol']) {
        const device = detail.evidence.find((row) => row.key === `device:lt-${name}.corp.example`);
        expect(device, `lt-${name}`).toBeDefined();
        const user = detail.evidence.find((row) => row.key === `user:corp\\${name}`);
        expect(user, name).toBeDefined();
      }
      for (const key of ['device:lt-bob.corp.example', 'user:corp\\carol']) {
        const clicker = detail.evidence.find((row) => row.key === key)!;
        expect(clicker.verdict, key).toBe('suspicious');
        expect(clicker.findings.some((f) => f.analyzer === 'relations' && f.text.includes(clickedUrl))).toBe(
          true,
        );
      }
      const url = detail.evidence.find((row) => row.type === 'url' && row.key === `url:${clickedUrl}`);
      expect(
        url?.findings.some((f) => f.analyzer === 'urlClicks' && /by 2 users on 2 devices/.test(f.text)),
      ).toBe(true);
    });

    it('judges the whole cluster like the reported message, and proposes removing it from every mailbox', () => {
      const cluster = detail.evidence.find((row) => row.type === 'mailCluster')!;
      expect(['malicious', 'suspicious']).toContain(cluster.verdict);
      for (const row of detail.evidence.filter((r) => r.type === 'mailMessage'))
        expect(['malicious', 'suspicious'], row.key).toContain(row.verdict);
      expect(detail.actions.map((action) => `${action.type} ${action.targetKey}`)).toContain(
        `softDeleteEmail ${cluster.key}`,
      );
    });

    it("finds the rule forwarding Bob's mail outside, and proposes removing it", () => {
      const bob = detail.evidence.find((row) => row.key === 'mailbox:bob@corp.example')!;
      expect(bob.findings).toEqual(
        expect.arrayContaining([
          expect.objectContaining({
            analyzer: 'mailboxRules',
            text: expect.stringMatching(/forwards mail to an outside address collector@evil-mail\.example/),
          }),
          expect.objectContaining({
            analyzer: 'mailboxRules',
            text: expect.stringMatching(/hides messages: deletes/),
          }),
        ]),
      );
      expect(['malicious', 'suspicious']).toContain(bob.verdict);
      expect(detail.evidence.some((row) => row.key === 'mailbox:collector@evil-mail.example')).toBe(true);
      const carol = detail.evidence.find((row) => row.key === 'mailbox:carol@corp.example')!;
      expect(carol.findings.some((f) => f.analyzer === 'mailboxRules' && f.weight === 5)).toBe(true);
      expect(detail.actions.map((action) => `${action.type} ${action.targetKey}`)).toContain(
        'removeInboxRule mailbox:bob@corp.example',
      );
    });

    it('judges the reported message with findings', () => {
      const reported = detail.evidence.find((row) => row.origin === 'alert' && row.type === 'mailMessage')!;
      expect(reported.findings.some((f) => f.analyzer === 'alerts')).toBe(true);
      expect(['malicious', 'suspicious']).toContain(reported.verdict);
    });
  });

describe('a mail corpus written for the tests', () => reportedCampaign(generatedMailCorpus));

describeWithSharedData('real phishing e-mails (phishing_pot)', () => reportedCampaign(phishingPot));
