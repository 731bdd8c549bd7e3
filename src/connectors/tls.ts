/**
 * TLS client options for connectors that open their own sockets (LDAP, IMAP, ManageSieve, SMTP): TLS 1.2 at
 * least, the configured CA certificates (else the system's), and the name the server's certificate must carry —
 * `serverName` when set, else the configured host (never an address, which certificates rarely name).
 */
import type { ConnectionOptions } from 'node:tls';

export function tlsClientOptions(
  host: string,
  trust: { readonly ca?: string | undefined; readonly serverName?: string | undefined },
): ConnectionOptions {
  const servername = trust.serverName ?? (/^[\d.:[\]]+$/.test(host) ? undefined : host);
  return {
    ...(servername ? { servername } : {}),
    ...(trust.ca ? { ca: trust.ca } : {}),
    minVersion: 'TLSv1.2',
  };
}
