/**
 * A real mail server for a test: Debian's Dovecot with IMAP, LMTP (delivery, with Sieve filtering) and ManageSieve,
 * its own configuration, users and Maildirs in a temporary folder, on free loopback ports. A master user (`autoir`)
 * may open every mailbox, as autoir's mailbox connector does; `sieve-admin` holds the organisation's global Sieve
 * script, which Dovecot runs before each user's own (`sieve_before`). Needs root (Dovecot drops to an unprivileged
 * user for mail) and `dovecot-imapd dovecot-lmtpd dovecot-managesieved dovecot-sieve` (scripts/test.sh installs
 * them).
 */
import {
  chmodSync,
  chownSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  writeFileSync,
} from 'node:fs';
import { execFileSync } from 'node:child_process';
import os from 'node:os';
import { createTransport } from 'nodemailer';
import path from 'node:path';
import { freePort, requirePrograms, startServer, type ServerProcess } from './servers.js';

export const dovecotMaster = { user: 'autoir', password: 'master-secret-1' };
export const sieveAdmin = { user: 'sieve-admin@corp.example', password: 'sieve-secret-1' };

export interface Dovecot {
  readonly host: string;
  readonly imapPort: number;
  readonly lmtpPort: number;
  readonly sievePort: number;
  readonly users: readonly string[];
  /** The password of a user (`alice@corp.example` → `alice-password`). */
  password(user: string): string;
  /** Deliver a raw message to `recipients` over LMTP, as the mail server's delivery agent does (Sieve runs). */
  deliver(recipients: readonly string[], raw: string | Buffer, from?: string): Promise<void>;
  /** The raw messages in a user's folder (`INBOX`, `Quarantine`, `Junk`), read from the Maildir. */
  folder(user: string, name: string): string[];
  readonly server: ServerProcess;
  stop(): Promise<void>;
}

/**
 * The configuration of autoir's mailbox connector (`kind: imap`) for this server, acting as the master user (its
 * password read from `AUTOIR_TEST_IMAP_PASSWORD`, which this sets).
 */
export function mailboxConnectorConfig(
  dovecot: Dovecot,
  settings: Record<string, unknown> = {},
): Record<string, unknown> {
  process.env.AUTOIR_TEST_IMAP_PASSWORD = dovecotMaster.password;
  return {
    name: 'mail',
    kind: 'imap',
    settings: {
      host: dovecot.host,
      imapPort: dovecot.imapPort,
      sievePort: dovecot.sievePort,
      tls: 'none',
      masterUser: dovecotMaster.user,
      password: 'env:AUTOIR_TEST_IMAP_PASSWORD',
      ...settings,
    },
  };
}

/** Why Dovecot cannot run here, or `undefined`. */
export function dovecotProblem(): string | undefined {
  if (process.getuid?.() !== 0) return 'run as root (Dovecot switches to an unprivileged user for mail)';
  try {
    requirePrograms(['dovecot'], 'dovecot-imapd dovecot-lmtpd dovecot-managesieved dovecot-sieve');
  } catch (error) {
    return (error as Error).message;
  }
  return undefined;
}

/** Start Dovecot with `users` (addresses), each with the password `<local part>-password`. */
export async function startDovecot(users: readonly string[]): Promise<Dovecot> {
  const problem = dovecotProblem();
  if (problem) throw new Error(problem);
  const dir = mkdtempSync(path.join(os.tmpdir(), 'autoir-dovecot-'));
  chmodSync(dir, 0o755);
  const mail = path.join(dir, 'mail');
  mkdirSync(mail);
  const uid = Number(execFileSync('id', ['-u', 'nobody'], { encoding: 'utf8' }).trim());
  const gid = Number(execFileSync('id', ['-g', 'nobody'], { encoding: 'utf8' }).trim());
  chownSync(mail, uid, gid);
  const [imapPort, lmtpPort, sievePort] = [await freePort(), await freePort(), await freePort()];
  const password = (user: string) =>
    user === sieveAdmin.user ? sieveAdmin.password : `${user.split('@')[0]}-password`;
  const all = [...users, sieveAdmin.user];
  writeFileSync(
    path.join(dir, 'users'),
    all.map((user) => `${user}:{PLAIN}${password(user)}::::::\n`).join(''),
  );
  writeFileSync(path.join(dir, 'masters'), `${dovecotMaster.user}:{PLAIN}${dovecotMaster.password}\n`);
  const globalScript = path.join(mail, sieveAdmin.user, 'sieve', 'autoir.sieve');
  writeFileSync(
    path.join(dir, 'dovecot.conf'),
    `base_dir = ${dir}/run
state_dir = ${dir}/state
log_path = ${dir}/dovecot.log
protocols = imap lmtp sieve
listen = 127.0.0.1
ssl = no
disable_plaintext_auth = no
auth_mechanisms = plain login
auth_master_user_separator = *
mail_location = maildir:~/Maildir
mail_uid = ${uid}
mail_gid = ${gid}
first_valid_uid = 1
mail_privileged_group =
namespace inbox {
  inbox = yes
  separator = /
  mailbox Junk {
    special_use = \\Junk
    auto = create
  }
}
passdb {
  driver = passwd-file
  args = ${dir}/masters
  master = yes
  result_success = continue
}
passdb {
  driver = passwd-file
  args = scheme=PLAIN username_format=%u ${dir}/users
}
userdb {
  driver = static
  args = uid=${uid} gid=${gid} home=${mail}/%u allow_all_users=yes
}
service imap-login {
  inet_listener imap {
    port = ${imapPort}
  }
  inet_listener imaps {
    port = 0
  }
}
service pop3-login {
  inet_listener pop3 {
    port = 0
  }
  inet_listener pop3s {
    port = 0
  }
}
service lmtp {
  inet_listener lmtp {
    address = 127.0.0.1
    port = ${lmtpPort}
  }
}
service managesieve-login {
  inet_listener sieve {
    port = ${sievePort}
  }
}
service stats {
  unix_listener stats-reader {
    mode = 0666
  }
  unix_listener stats-writer {
    mode = 0666
  }
}
protocol lmtp {
  mail_plugins = sieve
  postmaster_address = postmaster@corp.example
}
plugin {
  sieve = file:~/sieve;active=~/.dovecot.sieve
  sieve_before = ${globalScript}
}
`,
  );
  const conf = path.join(dir, 'dovecot.conf');
  const server = await startServer('dovecot', ['-F', '-c', conf], '127.0.0.1', imapPort);
  return {
    host: '127.0.0.1',
    imapPort,
    lmtpPort,
    sievePort,
    users,
    password,
    async deliver(recipients, raw, from = 'sender@mail.example') {
      const transport = createTransport({ host: '127.0.0.1', port: lmtpPort, lmtp: true } as never);
      try {
        const info = (await transport.sendMail({ envelope: { from, to: [...recipients] }, raw })) as {
          rejected: string[];
        };
        if (info.rejected.length > 0) throw new Error(`LMTP refused ${info.rejected.join(', ')}`);
      } finally {
        transport.close();
      }
    },
    folder(user, name) {
      const base = path.join(mail, user, 'Maildir', name === 'INBOX' ? '' : `.${name.replace(/\//g, '.')}`);
      return ['cur', 'new'].flatMap((sub) => {
        const folder = path.join(base, sub);
        try {
          return readdirSync(folder).map((file) => readFileSync(path.join(folder, file), 'latin1'));
        } catch {
          return [];
        }
      });
    },
    server,
    async stop() {
      await server.stop();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
