/**
 * The response stage against real servers, started here as the tests start them: the directory connector on
 * Debian's slapd (with ppolicy), `count` `disableUser` actions on as many people, then `enableUser` one at a time;
 * the mailbox connector on Debian's Dovecot, `count` `softDeleteEmail` actions each moving one message out of one of
 * 20 mailboxes, then `restoreEmail` one at a time. Each reports what the webhook run does: actions/s, and approval to
 * done p50/p99, in a batch and one at a time. Needs root and the packages scripts/test.sh installs.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { connectorEntry } from '../src/app/connectors.js';
import { parseConnectorConfig } from '../src/connectors/config.js';
import { outboundPolicy } from '../src/connectors/outbound.js';
import { benchPerson, directoryConnectorConfig, startSlapd } from '../test/helpers/slapd.js';
import { dovecotProblem, mailboxConnectorConfig, startDovecot } from '../test/helpers/dovecot.js';
import { measureExecution, type BenchAction } from './respond.js';
import { openBenchStore } from './store.js';

const loopback = outboundPolicy(['127.0.0.1/32']);

/** Run `work` on a fresh bench store, closed and removed after it. */
async function withStore<T>(
  backend: 'sqlite' | 'postgres',
  work: (store: Awaited<ReturnType<typeof openBenchStore>>['store']) => Promise<T>,
): Promise<T> {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'autoir-bench-peers-'));
  const bench = await openBenchStore(backend, dir);
  try {
    return await work(bench.store);
  } finally {
    await bench.close();
    rmSync(dir, { recursive: true, force: true });
  }
}

export async function benchRespondLdap(options: {
  backend: 'sqlite' | 'postgres';
  count: number;
  concurrency: number;
}): Promise<Record<string, unknown>> {
  const singles = Math.min(100, options.count);
  const slapd = await startSlapd({ extraPeople: options.count });
  try {
    const entry = connectorEntry(parseConnectorConfig(directoryConnectorConfig(slapd), 'bench'), {
      outbound: loopback,
    });
    const user = (index: number) => `user:autoir\\${benchPerson(index).uid}`;
    const actions: BenchAction[] = Array.from({ length: options.count }, (_, index) => ({
      type: 'disableUser',
      targetKey: user(index),
      deviceKey: null,
    }));
    const ones: BenchAction[] = Array.from({ length: singles }, (_, index) => ({
      type: 'enableUser',
      targetKey: user(index),
      deviceKey: null,
    }));
    const measured = await withStore(options.backend, (store) =>
      measureExecution(store, async () => [entry], actions, ones, options.concurrency),
    );
    // Proof that the directory changed: a disabled person's bind is refused, an enabled one's taken.
    const refused = slapd.whoami(benchPerson(options.count - 1).dn, 'bench-password-1').status === 49;
    const enabled = slapd.whoami(benchPerson(0).dn, 'bench-password-1').status === 0;
    return {
      connector: 'ldap (slapd, ppolicy)',
      count: options.count,
      ...measured,
      verified: refused && enabled,
    };
  } finally {
    await slapd.stop();
  }
}

export async function benchRespondImap(options: {
  backend: 'sqlite' | 'postgres';
  count: number;
  concurrency: number;
}): Promise<Record<string, unknown>> {
  const problem = dovecotProblem();
  if (problem) return { connector: 'imap (Dovecot)', skipped: problem };
  const users = Array.from({ length: 20 }, (_, index) => `u${index}@corp.example`);
  const dovecot = await startDovecot(users);
  try {
    const id = (index: number) => `bench-${index}@mail.example`;
    for (let index = 0; index < options.count; index++)
      await dovecot.deliver(
        [users[index % users.length] as string],
        `From: sender@mail.example\r\nTo: ${users[index % users.length]}\r\nSubject: bench ${index}\r\nMessage-ID: <${id(index)}>\r\nDate: Mon, 07 Dec 2026 10:00:00 +0000\r\n\r\nbody ${index}\r\n`,
      );
    const entry = connectorEntry(parseConnectorConfig(mailboxConnectorConfig(dovecot), 'bench'), {
      outbound: loopback,
    });
    const of = (index: number, type: 'softDeleteEmail' | 'restoreEmail'): BenchAction => ({
      type,
      targetKey: `mailMessage:${id(index)}`,
      deviceKey: null,
      parameters: { recipients: [users[index % users.length]] },
    });
    const singles = Math.min(100, options.count);
    const measured = await withStore(options.backend, (store) =>
      measureExecution(
        store,
        async () => [entry],
        Array.from({ length: options.count }, (_, index) => of(index, 'softDeleteEmail')),
        Array.from({ length: singles }, (_, index) => of(index, 'restoreEmail')),
        options.concurrency,
      ),
    );
    const quarantined = users.reduce((sum, user) => sum + dovecot.folder(user, 'Quarantine').length, 0);
    return {
      connector: 'imap (Dovecot)',
      count: options.count,
      ...measured,
      verified: quarantined === options.count - singles,
    };
  } finally {
    await dovecot.stop();
  }
}
