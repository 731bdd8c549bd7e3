/**
 * Certificates for TLS tests, made by Debian's openssl: a CA and a server certificate it signed (for a name and
 * 127.0.0.1), and optionally a client certificate. Files in `dir`: ca.pem, ca-key.pem, server.pem, server-key.pem,
 * client.pem, client-key.pem.
 */
import { spawnSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import path from 'node:path';

export interface TestCertificates {
  readonly ca: string;
  readonly cert: string;
  readonly key: string;
  readonly clientCert: string;
  readonly clientKey: string;
}

function openssl(args: string[]): void {
  const made = spawnSync('openssl', args, { encoding: 'utf8' });
  if (made.status !== 0)
    throw new Error(
      `openssl ${args[0]} failed (${made.error?.message ?? made.stderr}); install Debian's openssl package (scripts/test.sh does)`,
    );
}

/** A CA, a server certificate for `name` and 127.0.0.1, and a client certificate, all signed by the CA. */
export function makeCertificates(dir: string, name = 'localhost'): TestCertificates {
  const file = (base: string) => path.join(dir, base);
  const ec = ['-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:prime256v1', '-nodes'];
  openssl([
    'req',
    '-x509',
    ...ec,
    '-days',
    '2',
    '-subj',
    '/CN=autoir test CA',
    '-keyout',
    file('ca-key.pem'),
    '-out',
    file('ca.pem'),
  ]);
  const sign = (base: string, subject: string, extensions: string) => {
    openssl([
      'req',
      ...ec,
      '-subj',
      subject,
      '-keyout',
      file(`${base}-key.pem`),
      '-out',
      file(`${base}.csr`),
    ]);
    writeFileSync(file(`${base}.ext`), extensions);
    openssl([
      'x509',
      '-req',
      '-in',
      file(`${base}.csr`),
      '-CA',
      file('ca.pem'),
      '-CAkey',
      file('ca-key.pem'),
      '-CAcreateserial',
      '-days',
      '2',
      '-extfile',
      file(`${base}.ext`),
      '-out',
      file(`${base}.pem`),
    ]);
  };
  sign('server', `/CN=${name}`, `subjectAltName=DNS:${name},IP:127.0.0.1\nextendedKeyUsage=serverAuth\n`);
  sign('client', '/CN=autoir test client', 'extendedKeyUsage=clientAuth\n');
  return {
    ca: file('ca.pem'),
    cert: file('server.pem'),
    key: file('server-key.pem'),
    clientCert: file('client.pem'),
    clientKey: file('client-key.pem'),
  };
}
