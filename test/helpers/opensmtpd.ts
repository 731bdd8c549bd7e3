/**
 * A real SMTP server for a test: Debian's OpenSMTPD on a free loopback port, handing every message it accepts to a
 * Dovecot LMTP port, as a company's mail relay delivers to its mailbox server. Needs root and `opensmtpd`
 * (scripts/test.sh installs it).
 */
import { chmodSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { freePort, requirePrograms, startServer, type ServerProcess } from './servers.js';

export interface OpenSmtpd {
  readonly host: string;
  readonly port: number;
  readonly server: ServerProcess;
  stop(): Promise<void>;
}

export async function startOpenSmtpd(lmtpPort: number): Promise<OpenSmtpd> {
  if (process.getuid?.() !== 0) throw new Error('run as root (OpenSMTPD drops privileges to its own users)');
  requirePrograms(['smtpd'], 'opensmtpd');
  const dir = mkdtempSync(path.join(os.tmpdir(), 'autoir-smtpd-'));
  const port = await freePort();
  const conf = path.join(dir, 'smtpd.conf');
  // Every recipient is a virtual user delivered over LMTP as addressed (`rcpt-to`): Dovecot knows the mailboxes.
  writeFileSync(path.join(dir, 'virtual'), '@ nobody\n');
  writeFileSync(
    conf,
    `table recipients file:${path.join(dir, 'virtual')}
listen on 127.0.0.1 port ${port}
action "deliver" lmtp "127.0.0.1:${lmtpPort}" rcpt-to virtual <recipients>
match from any for any action "deliver"
`,
  );
  chmodSync(conf, 0o600);
  const server = await startServer('smtpd', ['-d', '-f', conf], '127.0.0.1', port);
  return {
    host: '127.0.0.1',
    port,
    server,
    async stop() {
      await server.stop();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
