/**
 * Debian's rsyslog as a sender for tests: it follows a file (imfile) and forwards each line as an RFC 5424 message
 * over TCP, octet-counted, or over RELP (omrelp: each message acknowledged) — in the clear or over TLS (with a client
 * certificate) — keeping what it cannot send in its action queue and retrying, as a production forwarder is set up
 * to.
 */
import { existsSync, mkdirSync, readdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { requirePrograms, spawnProcess, type ServerProcess } from './servers.js';
import type { TestCertificates } from './certs.js';

export type Rsyslog = ServerProcess;

export function startRsyslog(options: {
  readonly dir: string;
  /** The file it follows. */
  readonly source: string;
  readonly port: number;
  readonly tls?: TestCertificates;
  readonly relp?: boolean;
}): Rsyslog {
  requirePrograms(
    ['rsyslogd'],
    `rsyslog${options.tls && !options.relp ? ' rsyslog-gnutls' : ''}${options.relp ? ' rsyslog-relp' : ''}`,
  );
  if (options.relp && !hasModule('omrelp'))
    throw new Error('rsyslog has no omrelp module: apt-get install rsyslog-relp');
  const work = path.join(options.dir, 'rsyslog-work');
  mkdirSync(work, { recursive: true });
  const tls = options.tls;
  const forward = options.relp
    ? [
        'module(load="omrelp")',
        `action(type="omrelp" Target="127.0.0.1" Port="${options.port}" template="RSYSLOG_SyslogProtocol23Format"`,
        tls
          ? `  tls="on" tls.caCert="${tls.ca}" tls.myCert="${tls.clientCert}" tls.myPrivKey="${tls.clientKey}" tls.authMode="name" tls.permittedPeer=["localhost"]`
          : '',
      ]
    : [
        `action(type="omfwd" Target="127.0.0.1" Port="${options.port}" Protocol="tcp" TCP_Framing="octet-counted"`,
        '  template="RSYSLOG_SyslogProtocol23Format"',
        tls
          ? '  StreamDriver="gtls" StreamDriverMode="1" StreamDriverAuthMode="x509/name" StreamDriverPermittedPeers="localhost"'
          : '',
      ];
  const conf = [
    `global(workDirectory="${work}" maxMessageSize="64k"${
      tls && !options.relp
        ? ` defaultNetstreamDriver="gtls" defaultNetstreamDriverCAFile="${tls.ca}" defaultNetstreamDriverCertFile="${tls.clientCert}" defaultNetstreamDriverKeyFile="${tls.clientKey}"`
        : ''
    })`,
    'module(load="imfile" mode="polling" PollingInterval="1")',
    `input(type="imfile" File="${options.source}" Tag="app" Facility="local0" Severity="info" reopenOnTruncate="on")`,
    ...forward,
    '  action.resumeRetryCount="-1" action.resumeInterval="1"',
    '  queue.type="LinkedList" queue.size="200000" queue.dequeueBatchSize="128")',
  ].join('\n');
  const file = path.join(options.dir, 'rsyslog.conf');
  writeFileSync(file, `${conf}\n`);
  return spawnProcess('rsyslogd', ['-n', '-f', file, '-i', path.join(options.dir, 'rsyslog.pid')]);
}

/** Whether rsyslog has a module of this name in any of Debian's module folders. */
function hasModule(name: string): boolean {
  for (const dir of [
    '/usr/lib/rsyslog',
    '/usr/lib/x86_64-linux-gnu/rsyslog',
    '/usr/lib/aarch64-linux-gnu/rsyslog',
  ])
    if (existsSync(dir) && readdirSync(dir).includes(`${name}.so`)) return true;
  return false;
}
