/**
 * The mailbox connector against a real Dovecot (IMAP, LMTP with Sieve, ManageSieve), through the action center and
 * the executor: a campaign delivered to four mailboxes beside benign mail is soft-deleted from every folder it sits
 * in and restored exactly; a blocked sender's next message is filed into Junk by the global Sieve script until the
 * undo; a mailbox's hiding rule is turned off.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ImapFlow } from 'imapflow';
import { requestAction, undoActions } from '../../respond/action-center.js';
import { executePending } from '../../respond/executor.js';
import {
  mailboxConnectorConfig,
  startDovecot,
  dovecotMaster,
  sieveAdmin,
  type Dovecot,
} from '../../../test/helpers/dovecot.js';
import { generatedMailCorpus } from '../../../test/helpers/mail-corpus.js';
import { createTestStore, type TestStore } from '../../../test/helpers/stores.js';
import { connectorEntry } from '../../app/connectors.js';
import { parseConnectorConfig } from '../config.js';
import { outboundPolicy } from '../outbound.js';
import { ManageSieve } from './managesieve.js';
import { silentLog } from '../../domain/log.js';

const USERS = ['alice', 'bob', 'carol', 'dave'].map((name) => `${name}@corp.example`);
const messageIdOf = (raw: string) => /^Message-ID:\s*<([^>]+)>/im.exec(raw)?.[1]?.toLowerCase() ?? '';

describe('the mailbox connector on Dovecot (IMAP + ManageSieve)', () => {
  let dovecot: Dovecot;
  let t: TestStore;
  const corpus = generatedMailCorpus();
  const campaign = corpus.slice(0, 7);
  const benign = corpus.slice(7);

  beforeAll(async () => {
    dovecot = await startDovecot(USERS);
    t = await createTestStore('sqlite');
    process.env.AUTOIR_TEST_IMAP_PASSWORD = dovecotMaster.password;
    // Each campaign message reaches two mailboxes; each benign one, one.
    for (const [index, message] of campaign.entries())
      await dovecot.deliver([USERS[index % 4] as string, USERS[(index + 1) % 4] as string], message.raw);
    for (const [index, message] of benign.entries())
      await dovecot.deliver([USERS[index % 4] as string], message.raw);
    // Alice filed one campaign copy away herself.
    const client = new ImapFlow({
      host: dovecot.host,
      port: dovecot.imapPort,
      secure: false,
      auth: { user: USERS[0] as string, pass: dovecot.password(USERS[0] as string) },
      logger: false,
    });
    await client.connect();
    await client.mailboxCreate('Archive/2026');
    await client.mailboxOpen('INBOX');
    const [uid] =
      (await client.search(
        { header: { 'message-id': `<${messageIdOf(campaign[0]!.raw)}>` } },
        { uid: true },
      )) || [];
    await client.messageMove(String(uid), 'Archive/2026', { uid: true });
    await client.logout();
  }, 60_000);

  afterAll(async () => {
    await dovecot?.stop();
    await t?.cleanup();
  });

  const entry = (settings: Record<string, unknown> = {}) =>
    connectorEntry(
      parseConnectorConfig(
        mailboxConnectorConfig(dovecot, {
          mailboxes: USERS,
          sieve: { mode: 'global', account: sieveAdmin.user },
          ...settings,
        }),
        'test',
      ),
      { outbound: outboundPolicy(['127.0.0.1/32']) },
    );
  const execute = () =>
    executePending(t.store, { worker: 'test', now: () => new Date(), connectors: async () => [entry()] });
  const count = (folder: string) => USERS.reduce((sum, user) => sum + dovecot.folder(user, folder).length, 0);
  const ids = (folder: string) =>
    new Set(USERS.flatMap((user) => dovecot.folder(user, folder).map(messageIdOf)));

  it('moves every copy of the campaign, from any folder, into quarantine, and nothing else; the undo puts each back', async () => {
    const campaignIds = campaign.map((message) => messageIdOf(message.raw));
    expect(count('INBOX')).toBe(14 + benign.length - 1);
    const action = await requestAction(
      t.store,
      {
        type: 'softDeleteEmail',
        targetKey: 'mailCluster:similar:campaign',
        parameters: { messageIds: campaignIds },
      },
      'user:rita',
      new Date(),
    );
    await execute();
    const done = (await t.store.actions.get(action.id))!;
    expect(done.status, done.resultMessage ?? '').toBe('succeeded');
    expect(done.resultMessage).toContain('14 messages moved to Quarantine in 4 mailboxes');
    expect(count('Quarantine')).toBe(14);
    expect([...ids('Quarantine')].sort()).toEqual([...campaignIds].sort());
    expect(count('INBOX')).toBe(benign.length);
    expect([...ids('INBOX')].some((id) => campaignIds.includes(id))).toBe(false);
    expect(dovecot.folder(USERS[0] as string, 'Archive/2026')).toHaveLength(0);

    const [undo] = await undoActions(t.store, [action.id], 'user:rita', 'false positive', new Date());
    await execute();
    const restored = (await t.store.actions.get(undo!.id))!;
    expect(restored.status, restored.resultMessage ?? '').toBe('succeeded');
    expect(count('Quarantine')).toBe(0);
    expect(count('INBOX')).toBe(14 + benign.length - 1);
    expect(dovecot.folder(USERS[0] as string, 'Archive/2026')).toHaveLength(1);
  });

  it('blocks a sender with the global Sieve script: their next message goes to Junk until the undo', async () => {
    const sender = 'security-alert@rnicrosoft-365.example';
    const next = (n: number) =>
      `From: ${sender}\r\nTo: bob@corp.example\r\nSubject: again ${n}\r\nMessage-ID: <again-${n}@rnicrosoft-365.example>\r\n\r\nverify now\r\n`;
    const block = await requestAction(
      t.store,
      { type: 'blockSender', targetKey: `mailbox:${sender}` },
      'user:rita',
      new Date(),
    );
    await execute();
    expect((await t.store.actions.get(block.id))?.status).toBe('succeeded');
    await dovecot.deliver(['bob@corp.example'], next(1), sender);
    expect(dovecot.folder('bob@corp.example', 'Junk').map(messageIdOf)).toContain(
      'again-1@rnicrosoft-365.example',
    );
    // Another sender's mail still reaches the inbox.
    await dovecot.deliver(['bob@corp.example'], benign[0]!.raw);
    expect(dovecot.folder('bob@corp.example', 'Junk')).toHaveLength(1);

    const [undo] = await undoActions(t.store, [block.id], 'user:rita', null, new Date());
    await execute();
    expect((await t.store.actions.get(undo!.id))?.status).toBe('succeeded');
    await dovecot.deliver(['bob@corp.example'], next(2), sender);
    expect(dovecot.folder('bob@corp.example', 'INBOX').map(messageIdOf)).toContain(
      'again-2@rnicrosoft-365.example',
    );
  });

  it("turns off a mailbox's hiding rule, keeping the script on the server", async () => {
    const carol = 'carol@corp.example';
    const sieve = await ManageSieve.open({
      address: dovecot.host,
      port: dovecot.sievePort,
      tls: false,
      user: carol,
      password: dovecot.password(carol),
      signal: AbortSignal.timeout(5000),
    });
    await sieve.put(
      'rules',
      'require ["fileinto", "mailbox"];\r\nif header :contains "subject" "invoice" { fileinto :create "Hidden"; stop; }\r\n',
    );
    await sieve.activate('rules');
    await sieve.close();
    const invoice = (n: number) =>
      `From: billing@vendor.example\r\nTo: ${carol}\r\nSubject: invoice ${n}\r\nMessage-ID: <inv-${n}@vendor.example>\r\n\r\npay\r\n`;
    await dovecot.deliver([carol], invoice(1));
    expect(dovecot.folder(carol, 'Hidden')).toHaveLength(1);

    const action = await requestAction(
      t.store,
      { type: 'removeInboxRule', targetKey: `mailbox:${carol}` },
      'user:rita',
      new Date(),
    );
    await execute();
    const done = (await t.store.actions.get(action.id))!;
    expect(done.status, done.resultMessage ?? '').toBe('succeeded');
    expect(done.resultDetails).toMatchObject({ script: 'rules' });
    await dovecot.deliver([carol], invoice(2));
    expect(dovecot.folder(carol, 'INBOX').map(messageIdOf)).toContain('inv-2@vendor.example');
    expect(dovecot.folder(carol, 'Hidden')).toHaveLength(1);
  });

  it('checks the master user, and reports a wrong password and a stopped server', async () => {
    const caps = { signal: AbortSignal.timeout(5000), log: silentLog };
    expect(await entry().connector().check!(caps)).toMatchObject({
      reachable: true,
      authenticated: true,
      permitted: true,
    });
    process.env.AUTOIR_TEST_IMAP_WRONG = 'wrong';
    expect(await entry({ password: 'env:AUTOIR_TEST_IMAP_WRONG' }).connector().check!(caps)).toMatchObject({
      reachable: true,
      authenticated: false,
    });
    expect(await entry({ imapPort: 9 }).connector().check!(caps)).toMatchObject({ reachable: false });
  });
});
