/** A throwaway self-signed certificate for one IP address (Debian's openssl), for servers a bench or test pins. */
import { execFileSync } from 'node:child_process';
import path from 'node:path';

/** Writes `<name>.pem` and `<name>.key` into `dir`; returns their paths. */
export function throwawayCertificate(
  dir: string,
  address: string,
  name = 'server',
): { cert: string; key: string } {
  const cert = path.join(dir, `${name}.pem`);
  const key = path.join(dir, `${name}.key`);
  execFileSync(
    'openssl',
    ['req', '-x509', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:prime256v1', '-nodes', '-days', '1']
      .concat(['-subj', `/CN=autoir-${name}`, '-addext', `subjectAltName=IP:${address}`])
      .concat(['-keyout', key, '-out', cert]),
    { stdio: 'pipe' },
  );
  return { cert, key };
}
