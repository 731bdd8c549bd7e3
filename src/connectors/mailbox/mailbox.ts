/**
 * The mailbox connector (`kind: imap`): e-mail actions on an IMAP server with Sieve (Dovecot, Cyrus…), through a
 * master user that may act for every mailbox (SASL PLAIN with an authorization identity). docs/connectors.md is its
 * user-facing description.
 *
 * - `softDeleteEmail`: every copy of the messages (by Message-ID: the message, or every member of the cluster) in
 *   every mailbox searched (the recipients the action names, and `mailboxes`) is moved, from any folder, into the
 *   quarantine folder; `restoreEmail` moves exactly those back where each was.
 * - `blockSender` / `unblockSender`: the sender (an address, or a domain) in autoir's Sieve script, which files their
 *   mail into Junk: one global script (`sieve.mode: global`, run before every user's by `sieve_before`) or one in
 *   each mailbox (`perUser`).
 * - `removeInboxRule`: the mailbox's active Sieve script (its rules: forwards, redirects, hiding) is deactivated —
 *   kept on the server, named in the result, for an analyst to read or turn back on.
 */
import { ImapFlow } from 'imapflow';
import { z } from 'zod';
import { abortError } from '../abort.js';
import { defineConnector, type ConnectorContext } from '../connector.js';
import { networkErrorCode, unreachableCodes } from '../network-errors.js';
import { outboundAddress, OutboundRefusedError, type OutboundPolicy } from '../outbound.js';
import { fail, OutcomeError } from '../outcome.js';
import { requireResolved } from '../secrets.js';
import { tlsClientOptions } from '../tls.js';
import { ManageSieve, SieveError } from './managesieve.js';
import { blockedSenders, blocklistScript, senderOf } from './sieve-script.js';
import type { ActionOutcome, ActionRequest, Connector, ConnectorCheck } from '../../respond/ports.js';

export const mailboxSettingsSchema = z
  .object({
    host: z.string().min(1),
    imapPort: z.number().int().min(1).max(65535).default(993),
    sievePort: z.number().int().min(1).max(65535).default(4190),
    /** `implicit` (IMAPS, 993), `starttls`, or `none` (a server on this host or a trusted link only). */
    tls: z.enum(['implicit', 'starttls', 'none']).default('implicit'),
    ca: z.string().includes('-----BEGIN CERTIFICATE-----', { error: 'PEM certificates' }).optional(),
    serverName: z.string().min(1).optional(),
    /** The master (admin) user that acts for each mailbox. */
    masterUser: z.string().min(1),
    /** Its password: `env:NAME`, `file:/path`, or sealed when stored. */
    password: z.string().min(1),
    /** Mailboxes searched besides the recipients an action names (every mailbox of a small organisation). */
    mailboxes: z.array(z.email()).default([]),
    /** Where soft-deleted messages go, in each mailbox. */
    quarantineFolder: z.string().min(1).default('Quarantine'),
    sieve: z
      .object({
        /** `global`: one script in `account`, run before every user's (`sieve_before`); `perUser`: one per mailbox. */
        mode: z.enum(['global', 'perUser']).default('global'),
        account: z.string().min(1).optional(),
        /** The script autoir keeps (never the user's own). */
        script: z
          .string()
          .regex(/^[A-Za-z0-9._-]{1,64}$/)
          .default('autoir'),
        /** Where a blocked sender's mail is filed. */
        folder: z.string().min(1).default('Junk'),
      })
      .strict()
      .refine((sieve) => sieve.mode !== 'global' || sieve.account !== undefined, {
        error: 'a global script needs the account that holds it (sieve.account)',
        path: ['account'],
      })
      .optional(),
  })
  .strict();

export type MailboxSettings = z.output<typeof mailboxSettingsSchema>;

interface Server {
  readonly settings: MailboxSettings;
  readonly outbound: OutboundPolicy;
  readonly timeoutMs: number;
}

const tlsOptions = (settings: MailboxSettings) => tlsClientOptions(settings.host, settings);

/** An IMAP session acting for `mailbox`, closed after `work`. */
async function withImap<T>(
  server: Server,
  mailbox: string,
  signal: AbortSignal,
  work: (client: ImapFlow) => Promise<T>,
): Promise<T> {
  const { settings } = server;
  const address = await outboundAddress(settings.host, server.outbound);
  const client = new ImapFlow({
    host: address,
    port: settings.imapPort,
    secure: settings.tls === 'implicit',
    doSTARTTLS: settings.tls === 'starttls' ? true : false,
    tls: tlsOptions(settings),
    auth: { user: settings.masterUser, pass: settings.password, authzid: mailbox, loginMethod: 'AUTH=PLAIN' },
    logger: false,
    disableAutoIdle: true,
    connectionTimeout: Math.min(server.timeoutMs, 10_000),
    greetingTimeout: Math.min(server.timeoutMs, 10_000),
    socketTimeout: server.timeoutMs,
  });
  client.on('error', () => undefined);
  const abort = () => client.close();
  signal.addEventListener('abort', abort, { once: true });
  try {
    await client.connect();
    return await work(client);
  } finally {
    signal.removeEventListener('abort', abort);
    await client.logout().catch(() => client.close());
  }
}

/** A ManageSieve session acting for `account`. */
async function withSieve<T>(
  server: Server,
  account: string,
  signal: AbortSignal,
  work: (sieve: ManageSieve) => Promise<T>,
): Promise<T> {
  const { settings } = server;
  const sieve = await ManageSieve.open({
    address: await outboundAddress(settings.host, server.outbound),
    port: settings.sievePort,
    tls: settings.tls === 'none' ? false : tlsOptions(settings),
    user: settings.masterUser,
    password: settings.password,
    authzid: account,
    signal,
  });
  try {
    return await work(sieve);
  } finally {
    await sieve.close();
  }
}

const strings = (value: unknown): string[] =>
  Array.isArray(value) ? value.filter((item): item is string => typeof item === 'string' && item !== '') : [];

/** The Message-IDs an e-mail action is about: the target's, and the cluster's members it lists. */
export function messageIdsOf(request: Pick<ActionRequest, 'targetKey' | 'parameters'>): string[] {
  const own = request.targetKey.startsWith('mailMessage:')
    ? [request.targetKey.slice('mailMessage:'.length)]
    : [];
  return [
    ...new Set(
      [...own, ...strings(request.parameters.messageIds)].map((id) => id.replace(/^<|>$/g, '').toLowerCase()),
    ),
  ];
}

/** The mailboxes an action searches: the recipients it names and the configured ones. */
function mailboxesOf(server: Server, request: ActionRequest): string[] {
  return [
    ...new Set(
      [...strings(request.parameters.recipients), ...server.settings.mailboxes].map((m) => m.toLowerCase()),
    ),
  ].sort();
}

/** A move into quarantine, as the result records it for the restore. */
interface Moved {
  readonly mailbox: string;
  readonly folder: string;
  readonly messageIds: string[];
  /** UIDs in the quarantine folder, valid while its UIDVALIDITY is `uidValidity`. */
  readonly uids: number[];
  readonly uidValidity: string | null;
}

function isAuthFailure(error: unknown): boolean {
  const text = `${(error as { responseText?: string }).responseText ?? ''} ${(error as Error).message ?? ''}`;
  return (
    /AUTHENTICATIONFAILED|authentication failed|AUTHORIZATIONFAILED|Invalid credentials/i.test(text) ||
    (error as { authenticationFailed?: boolean }).authenticationFailed === true
  );
}

async function softDelete(
  server: Server,
  request: ActionRequest,
  signal: AbortSignal,
): Promise<ActionOutcome> {
  const ids = messageIdsOf(request);
  if (ids.length === 0) return fail('no Message-ID to look for: the action names no message');
  const mailboxes = mailboxesOf(server, request);
  if (mailboxes.length === 0)
    return fail('no mailbox to search: the action names no recipient and settings.mailboxes is empty');
  const quarantine = server.settings.quarantineFolder;
  const moved: Moved[] = [];
  const unknown: string[] = [];
  for (const mailbox of mailboxes) {
    try {
      await withImap(server, mailbox, signal, async (client) => {
        const folders = (await client.list()).filter(
          (folder) => folder.path !== quarantine && !folder.flags.has('\\Noselect'),
        );
        for (const folder of folders) {
          const lock = await client.getMailboxLock(folder.path);
          try {
            const uids = new Set<number>();
            for (const id of ids)
              for (const uid of (await client.search(
                { header: { 'message-id': `<${id}>` } },
                { uid: true },
              )) || [])
                uids.add(uid);
            if (uids.size === 0) continue;
            if (!(await client.list()).some((item) => item.path === quarantine))
              await client.mailboxCreate(quarantine);
            const found = [...uids].sort((a, b) => a - b);
            const messageIds: string[] = [];
            for await (const message of client.fetch(found, { envelope: true }, { uid: true }))
              if (message.envelope?.messageId)
                messageIds.push(message.envelope.messageId.replace(/^<|>$/g, '').toLowerCase());
            const result = await client.messageMove(found, quarantine, { uid: true });
            if (!result) throw new Error(`moving messages out of ${folder.path} failed`);
            moved.push({
              mailbox,
              folder: folder.path,
              messageIds: [...new Set(messageIds)],
              uids: found
                .map((uid) => result.uidMap?.get(uid))
                .filter((uid): uid is number => uid !== undefined),
              uidValidity: result.uidValidity === undefined ? null : String(result.uidValidity),
            });
          } finally {
            lock.release();
          }
        }
      });
    } catch (error) {
      if (isAuthFailure(error)) unknown.push(mailbox);
      else throw error;
    }
  }
  const count = moved.reduce((sum, item) => sum + item.uids.length, 0);
  const reached = new Set(moved.map((item) => item.mailbox));
  return {
    status: 'succeeded',
    message:
      count === 0
        ? `no copy found in ${mailboxes.length - unknown.length} mailboxes`
        : `${count} messages moved to ${quarantine} in ${reached.size} mailboxes (${[...reached].join(', ')})`,
    details: {
      moved,
      searched: mailboxes.length - unknown.length,
      ...(unknown.length ? { unknownMailboxes: unknown } : {}),
    },
  };
}

async function restore(server: Server, request: ActionRequest, signal: AbortSignal): Promise<ActionOutcome> {
  const undone = request.parameters.undone as { moved?: Moved[] } | undefined;
  const quarantine = server.settings.quarantineFolder;
  const ids = messageIdsOf(request);
  // What the soft delete moved, or (a restore asked for on its own) whatever quarantine holds of these messages.
  const plan: Moved[] = Array.isArray(undone?.moved)
    ? undone.moved
    : mailboxesOf(server, request).map((mailbox) => ({
        mailbox,
        folder: 'INBOX',
        messageIds: ids,
        uids: [],
        uidValidity: null,
      }));
  let count = 0;
  const places = new Set<string>();
  for (const item of plan) {
    await withImap(server, item.mailbox, signal, async (client) => {
      if (!(await client.list()).some((folder) => folder.path === quarantine)) return;
      const lock = await client.getMailboxLock(quarantine);
      try {
        const sameValidity =
          item.uidValidity !== null &&
          String(client.mailbox && client.mailbox.uidValidity) === item.uidValidity;
        const uids = sameValidity ? item.uids : [];
        if (uids.length === 0)
          for (const id of item.messageIds)
            uids.push(
              ...((await client.search({ header: { 'message-id': `<${id}>` } }, { uid: true })) || []),
            );
        // Only messages still in quarantine (an analyst may have moved some already).
        const present = uids.length
          ? (await client.search({ uid: uids.join(',') }, { uid: true })) || []
          : [];
        if (present.length === 0) return;
        if (!(await client.list()).some((folder) => folder.path === item.folder))
          await client.mailboxCreate(item.folder);
        await client.messageMove(present, item.folder, { uid: true });
        count += present.length;
        places.add(`${item.mailbox}/${item.folder}`);
      } finally {
        lock.release();
      }
    });
  }
  return {
    status: 'succeeded',
    message:
      count === 0
        ? `nothing of these messages is in ${quarantine}`
        : `${count} messages moved back (${[...places].join(', ')})`,
    details: { restored: count },
  };
}

async function editBlocklist(
  server: Server,
  request: ActionRequest,
  signal: AbortSignal,
  block: boolean,
): Promise<ActionOutcome> {
  const sieve = server.settings.sieve;
  if (!sieve) return fail('no Sieve settings (settings.sieve): this connector cannot block senders');
  const sender = senderOf(request.targetKey);
  if (!sender) return fail(`${request.targetKey} is not an address or domain a Sieve script can match`);
  const accounts = sieve.mode === 'global' ? [sieve.account as string] : server.settings.mailboxes;
  if (accounts.length === 0) return fail('sieve.mode perUser needs settings.mailboxes');
  let changed = 0;
  for (const account of accounts)
    await withSieve(server, account, signal, async (session) => {
      const current = blockedSenders(await session.get(sieve.script));
      const next = block ? [...new Set([...current, sender])] : current.filter((item) => item !== sender);
      if (next.length === current.length && next.every((item) => current.includes(item))) return;
      await session.put(sieve.script, blocklistScript(next, sieve.folder));
      changed++;
    });
  const what = sender.startsWith('@') ? `mail from the domain ${sender.slice(1)}` : `mail from ${sender}`;
  return {
    status: 'succeeded',
    message: block
      ? `${what} is filed into ${sieve.folder} (${sieve.mode === 'global' ? `global script of ${sieve.account}` : `${accounts.length} mailboxes`})`
      : `${what} is delivered again`,
    details: { sender, scripts: changed },
  };
}

async function removeInboxRules(
  server: Server,
  request: ActionRequest,
  signal: AbortSignal,
): Promise<ActionOutcome> {
  if (!request.targetKey.startsWith('mailbox:')) return fail(`${request.targetKey} is not a mailbox`);
  const mailbox = request.targetKey.slice('mailbox:'.length);
  const script = server.settings.sieve?.script ?? 'autoir';
  return withSieve(server, mailbox, signal, async (session) => {
    const active = (await session.list()).find((item) => item.active);
    if (!active)
      return { status: 'succeeded', message: `${mailbox} has no active Sieve rules`, details: { mailbox } };
    if (active.name === script) return fail(`the active script of ${mailbox} is autoir's own (${script})`);
    await session.activate('');
    return {
      status: 'succeeded',
      message: `${mailbox}: its rules (Sieve script "${active.name}") are turned off; the script is kept on the server`,
      details: { mailbox, script: active.name },
    };
  });
}

function outcomeOf(error: unknown, target: string): ActionOutcome {
  if (error instanceof OutcomeError) return error.outcome;
  if (error instanceof OutboundRefusedError)
    return {
      status: 'failed',
      retryable: false,
      message: `refused to connect to ${target}: ${error.message}`,
    };
  if (isAuthFailure(error) || (error instanceof SieveError && /auth/i.test(error.message)))
    return {
      status: 'failed',
      retryable: false,
      message: `${target} refused the master user's login (check masterUser and password, and that it may act for the mailbox)`,
    };
  const code = networkErrorCode(error) ?? (error instanceof Error ? error.message : String(error));
  if (unreachableCodes.has(code) || /ETIMEDOUT|ECONNRESET|timeout/i.test(code))
    return { status: 'unreachable', message: `cannot reach ${target}: ${code}` };
  return { status: 'failed', retryable: true, message: `${target}: ${code}` };
}

function createMailbox(
  name: string,
  settings: MailboxSettings,
  timeoutMs: number,
  { outbound }: ConnectorContext,
): Connector {
  requireResolved(name, 'password', settings.password);
  const server: Server = { settings, outbound, timeoutMs };
  const target = `imap://${settings.host}:${settings.imapPort}`;
  return {
    name,
    kind: 'imap',
    timeoutMs,
    async run(request, { signal, log }) {
      if (signal.aborted) throw abortError(signal);
      let outcome: ActionOutcome;
      try {
        switch (request.type) {
          case 'softDeleteEmail':
            outcome = await softDelete(server, request, signal);
            break;
          case 'restoreEmail':
            outcome = await restore(server, request, signal);
            break;
          case 'blockSender':
          case 'unblockSender':
            outcome = await editBlocklist(server, request, signal, request.type === 'blockSender');
            break;
          case 'removeInboxRule':
            outcome = await removeInboxRules(server, request, signal);
            break;
          default:
            outcome = {
              status: 'failed',
              retryable: false,
              message: `${request.type} is not an action of the mailbox connector`,
            };
        }
      } catch (error) {
        if (signal.aborted) throw abortError(signal);
        outcome = outcomeOf(error, target);
      }
      log.debug(`${request.type} ${request.targetKey} at ${target}: ${outcome.status}`, {
        target,
        status: outcome.status,
      });
      return outcome;
    },
    async check({ signal }): Promise<ConnectorCheck> {
      const probe = settings.mailboxes[0] ?? settings.sieve?.account;
      if (!probe)
        return {
          reachable: false,
          authenticated: null,
          permitted: null,
          message: 'no mailbox to test with (settings.mailboxes)',
        };
      try {
        const folders = await withImap(server, probe, signal, async (client) => (await client.list()).length);
        return {
          reachable: true,
          authenticated: true,
          permitted: true,
          message: `the master user opens ${probe} (${folders} folders)`,
        };
      } catch (error) {
        const outcome = outcomeOf(error, target);
        const message = ('message' in outcome && outcome.message) || String(error);
        return {
          reachable: outcome.status !== 'unreachable',
          authenticated: /refused the master user/.test(message) ? false : null,
          permitted: null,
          message,
        };
      }
    },
  };
}

export const mailboxConnector = defineConnector({
  kind: 'imap',
  description:
    'E-mail actions over IMAP and ManageSieve: soft delete and restore, block senders, turn off inbox rules.',
  settings: mailboxSettingsSchema,
  secrets: ['password'],
  create: createMailbox,
});
