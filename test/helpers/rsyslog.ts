/**
 * Debian's rsyslog as a sender for tests: it follows a file (imfile) and forwards each line over TCP, octet-counted,
 * as RFC 5424 messages — in the clear or over TLS (gtls, with a client certificate) — keeping what it cannot send in
 * its action queue and retrying, as a production forwarder is set up to.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
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
}): Rsyslog {
  requirePrograms(['rsyslogd'], options.tls ? 'rsyslog rsyslog-gnutls' : 'rsyslog');
  const work = path.join(options.dir, 'rsyslog-work');
  mkdirSync(work, { recursive: true });
  const tls = options.tls;
  const conf = [
    `global(workDirectory="${work}" maxMessageSize="64k"${
      tls
        ? ` defaultNetstreamDriver="gtls" defaultNetstreamDriverCAFile="${tls.ca}" defaultNetstreamDriverCertFile="${tls.clientCert}" defaultNetstreamDriverKeyFile="${tls.clientKey}"`
        : ''
    })`,
    'module(load="imfile" mode="polling" PollingInterval="1")',
    `input(type="imfile" File="${options.source}" Tag="app" Facility="local0" Severity="info" reopenOnTruncate="on")`,
    `action(type="omfwd" Target="127.0.0.1" Port="${options.port}" Protocol="tcp" TCP_Framing="octet-counted"`,
    '  template="RSYSLOG_SyslogProtocol23Format"',
    tls
      ? '  StreamDriver="gtls" StreamDriverMode="1" StreamDriverAuthMode="x509/name" StreamDriverPermittedPeers="localhost"'
      : '',
    '  action.resumeRetryCount="-1" action.resumeInterval="1"',
    '  queue.type="LinkedList" queue.size="200000" queue.dequeueBatchSize="128")',
  ].join('\n');
  const file = path.join(options.dir, 'rsyslog.conf');
  writeFileSync(file, `${conf}\n`);
  return spawnProcess('rsyslogd', ['-n', '-f', file, '-i', path.join(options.dir, 'rsyslog.pid')]);
}
