/**
 * A real SMTP server for a test: Debian's OpenSMTPD on a free loopback port, handing every message it accepts to a
 * Dovecot LMTP port, as a company's mail relay delivers to its mailbox server. Needs root and `opensmtpd`
 * (scripts/test.sh installs it).
 */
import { chmodSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
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
  requirePrograms(['smtpd', 'unshare'], 'opensmtpd util-linux');
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
  // OpenSMTPD's control socket (/run/smtpd.sock) and queue (/var/spool/smtpd) are fixed paths: each instance runs
  // in a mount namespace of its own with a private /run and its own queue, beside the host's (or another test's).
  const spool = path.join(dir, 'spool');
  mkdirSync(spool, { mode: 0o711 });
  chmodSync(spool, 0o711);
  // (The package's install does not always leave /var/spool/smtpd behind: the mount point is made when missing.)
  const script = `mkdir -p /var/spool/smtpd && mount -t tmpfs tmpfs /run && mount --bind "$1" /var/spool/smtpd && exec smtpd -d -f "$2"`;
  const server = await startServer(
    'unshare',
    ['--mount', '--propagation', 'private', 'sh', '-c', script, 'smtpd', spool, conf],
    '127.0.0.1',
    port,
  );
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
