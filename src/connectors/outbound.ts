/**
 * Where autoir's own requests may go (webhook connectors, notification digests): public addresses, and the
 * addresses and host names the operator allows on the host (`AUTOIR_OUTBOUND_ALLOW`). Loopback, private,
 * link-local (cloud metadata at 169.254.169.254 among them), shared, multicast and reserved ranges are refused
 * unless allowed, so that whoever may configure a URL through the API cannot make the server call itself, its
 * neighbours or its cloud's metadata service.
 *
 * The check is made on the address actually connected to — after DNS resolution, in the socket's own lookup — so a
 * name that resolves to a refused address (or changes its answer between two lookups) is refused too.
 */
import { lookup as dnsLookup, type LookupAddress, type LookupAllOptions } from 'node:dns';
import http from 'node:http';
import https from 'node:https';
import { BlockList, isIP } from 'node:net';
import { AutoirError } from '../domain/errors.js';

/** Address ranges refused unless allowed, each with the name a refusal gives it. */
const refusedRanges: readonly (readonly [name: string, cidrs: readonly string[]])[] = [
  ['loopback', ['127.0.0.0/8', '::1/128']],
  ['unspecified', ['0.0.0.0/8', '::/128']],
  ['private', ['10.0.0.0/8', '172.16.0.0/12', '192.168.0.0/16', 'fc00::/7']],
  ['shared (carrier-grade NAT)', ['100.64.0.0/10']],
  ['link-local (cloud metadata services live here)', ['169.254.0.0/16', 'fe80::/10']],
  [
    'reserved for protocols, documentation or benchmarks',
    [
      '192.0.0.0/24',
      '192.0.2.0/24',
      '198.18.0.0/15',
      '198.51.100.0/24',
      '203.0.113.0/24',
      '2001:db8::/32',
      '2001::/23',
    ],
  ],
  ['multicast', ['224.0.0.0/4', 'ff00::/8']],
  ['reserved', ['240.0.0.0/4']],
];

function blockListOf(cidrs: readonly string[]): BlockList {
  const list = new BlockList();
  for (const cidr of cidrs) {
    const [address, bits] = cidr.split('/') as [string, string | undefined];
    const type = isIP(address) === 6 ? 'ipv6' : 'ipv4';
    if (bits === undefined) list.addAddress(address, type);
    else list.addSubnet(address, Number(bits), type);
  }
  return list;
}

const refused = refusedRanges.map(([name, cidrs]) => ({ name, list: blockListOf(cidrs) }));

/**
 * The IPv4 address an IPv6 address carries (IPv4-mapped `::ffff:a.b.c.d`, NAT64 `64:ff9b::/96`, 6to4 `2002::/16`):
 * such an address reaches the IPv4 host, so it is judged as that host.
 */
function embeddedIpv4(address: string): string | undefined {
  const lower = address.toLowerCase();
  const dotted = /^(?:::ffff:|64:ff9b::)(\d+\.\d+\.\d+\.\d+)$/.exec(lower);
  if (dotted) return dotted[1];
  const groups = expandIpv6(lower);
  if (groups === undefined) return undefined;
  const quad = (high: number, low: number) => `${high >> 8}.${high & 255}.${low >> 8}.${low & 255}`;
  const isMapped = groups.slice(0, 5).every((group) => group === 0) && groups[5] === 0xffff;
  if (isMapped) return quad(groups[6] as number, groups[7] as number);
  if (groups[0] === 0x64 && groups[1] === 0xff9b && groups.slice(2, 6).every((group) => group === 0))
    return quad(groups[6] as number, groups[7] as number);
  if (groups[0] === 0x2002) return quad(groups[1] as number, groups[2] as number);
  return undefined;
}

/** The eight 16-bit groups of an IPv6 address (dotted tail included), or undefined. */
function expandIpv6(address: string): number[] | undefined {
  let text = address.split('%')[0] as string;
  const tail = /(\d+)\.(\d+)\.(\d+)\.(\d+)$/.exec(text);
  if (tail) {
    const [a, b, c, d] = tail.slice(1).map(Number) as [number, number, number, number];
    text = `${text.slice(0, tail.index)}${((a << 8) | b).toString(16)}:${((c << 8) | d).toString(16)}`;
  }
  const [head, rest] = text.split('::') as [string, string | undefined];
  const parse = (part: string) => (part === '' ? [] : part.split(':').map((group) => parseInt(group, 16)));
  const left = parse(head);
  const right = rest === undefined ? [] : parse(rest);
  const missing = 8 - left.length - right.length;
  if (rest === undefined ? missing !== 0 : missing < 0) return undefined;
  const groups = [...left, ...(Array(missing).fill(0) as number[]), ...right];
  return groups.some((group) => Number.isNaN(group)) ? undefined : groups;
}

/** Which destinations autoir's own requests may reach. */
export interface OutboundPolicy {
  /** The allow list as configured (for messages and docs). */
  readonly allow: readonly string[];
  /** Why `address` (an IP address) may not be reached from a request to `host`, or `undefined` when it may. */
  refusal(address: string, host?: string): string | undefined;
}

/** A host name in the allow list: `edr.example.org`, or `*.example.org` for every name under it. */
const hostPattern = /^(\*\.)?([a-z0-9]([a-z0-9-]*[a-z0-9])?)(\.[a-z0-9]([a-z0-9-]*[a-z0-9])?)*$/;

/** Why an allow-list entry is not one (an address, a CIDR range or a host name), or `undefined`. */
export function allowEntryProblem(entry: string): string | undefined {
  const [address, bits, extra] = entry.split('/');
  if (extra === undefined && address !== undefined && isIP(address) !== 0) {
    if (bits === undefined) return undefined;
    const max = isIP(address) === 4 ? 32 : 128;
    return /^\d{1,3}$/.test(bits) && Number(bits) <= max
      ? undefined
      : `${entry}: a prefix length from 0 to ${max}`;
  }
  return hostPattern.test(entry.toLowerCase())
    ? undefined
    : `${entry}: an IP address, a CIDR range (10.0.0.0/8) or a host name (edr.example.org, *.example.org)`;
}

/**
 * The policy for an allow list of addresses, CIDR ranges and host names (`127.0.0.1/32`, `10.20.0.0/16`,
 * `edr.corp.example`, `*.corp.example`). Entries are checked by `allowEntryProblem` first.
 */
export function outboundPolicy(allow: readonly string[] = []): OutboundPolicy {
  const ranges = blockListOf(allow.filter((entry) => isIP(entry.split('/')[0] as string) !== 0));
  const hosts = allow
    .filter((entry) => isIP(entry.split('/')[0] as string) === 0)
    .map((h) => h.toLowerCase());
  const hostAllowed = (host: string) =>
    hosts.some((entry) => (entry.startsWith('*.') ? host.endsWith(entry.slice(1)) : host === entry));
  const typeOf = (address: string) => (isIP(address) === 6 ? 'ipv6' : 'ipv4');
  return {
    allow,
    refusal(address, host) {
      if (host !== undefined && isIP(host) === 0 && hostAllowed(host.toLowerCase().replace(/\.$/, '')))
        return undefined;
      if (ranges.check(address, typeOf(address))) return undefined;
      const judged = embeddedIpv4(address) ?? address;
      if (judged !== address && ranges.check(judged, 'ipv4')) return undefined;
      const range = refused.find(({ list }) => list.check(judged, typeOf(judged)));
      return range === undefined
        ? undefined
        : `${address} is ${range.name}: autoir does not send requests there unless AUTOIR_OUTBOUND_ALLOW lists it`;
    },
  };
}

/** The default: public addresses only. */
export const publicOnly: OutboundPolicy = outboundPolicy();

/** The error a refused destination raises; its `code` is `AUTOIR_OUTBOUND_REFUSED`. */
export class OutboundRefusedError extends Error {
  readonly code = 'AUTOIR_OUTBOUND_REFUSED';
}

/** A URL's host without IPv6 brackets. */
function hostOf(url: URL): string {
  return url.hostname.replace(/^\[(.*)\]$/, '$1');
}

/**
 * Why a URL may not be called, judged on what can be known without DNS (an address or `localhost` in the URL), or
 * `undefined`. For a clear error when a URL is configured; `postOutbound` checks every address it connects to.
 */
export function destinationProblem(url: string, policy: OutboundPolicy): string | undefined {
  const parsed = new URL(url);
  const host = hostOf(parsed);
  if (isIP(host) !== 0) return policy.refusal(host);
  const name = host.toLowerCase().replace(/\.$/, '');
  if (name === 'localhost' || name.endsWith('.localhost')) return policy.refusal('127.0.0.1', name);
  return undefined;
}

type LookupCallback = (
  error: NodeJS.ErrnoException | null,
  address: string | LookupAddress[],
  family?: number,
) => void;

/** A socket lookup that resolves as usual, then keeps only the addresses the policy lets `hostname` reach. */
function guardedLookup(policy: OutboundPolicy) {
  return (hostname: string, options: { all?: boolean; family?: number }, callback: LookupCallback) => {
    const all: LookupAllOptions = { ...options, all: true } as LookupAllOptions;
    dnsLookup(hostname, all, (error, addresses) => {
      if (error) return callback(error, []);
      const reasons: string[] = [];
      const allowed = addresses.filter((entry) => {
        const reason = policy.refusal(entry.address, hostname);
        if (reason !== undefined) reasons.push(reason);
        return reason === undefined;
      });
      const first = allowed[0];
      if (first === undefined)
        return callback(new OutboundRefusedError(`${hostname} resolves to ${reasons.join('; ')}`), []);
      if (options.all) callback(null, allowed);
      else callback(null, first.address, first.family);
    });
  };
}

/** An answer to an outbound request: status, headers, and the body's first `maxBytes`. */
export interface OutboundResponse {
  readonly status: number;
  readonly statusText: string;
  header(name: string): string | undefined;
  readonly text: string;
}

/**
 * POST `body` to `url` if the policy lets it go there (no redirect is followed). A refused destination rejects with
 * an `OutboundRefusedError`; a network error rejects with node's error (its `code`: ECONNREFUSED…); an aborted
 * `signal` rejects with the signal's reason.
 */
export function postOutbound(
  url: string,
  request: {
    readonly headers: Readonly<Record<string, string>>;
    readonly body: string;
    readonly signal: AbortSignal;
    readonly maxBytes: number;
  },
  policy: OutboundPolicy,
): Promise<OutboundResponse> {
  const target = new URL(url);
  const literal = isIP(hostOf(target)) !== 0 ? policy.refusal(hostOf(target)) : undefined;
  if (literal !== undefined) return Promise.reject(new OutboundRefusedError(literal));
  const client = target.protocol === 'https:' ? https : http;
  return new Promise<OutboundResponse>((resolve, reject) => {
    if (request.signal.aborted) return reject(request.signal.reason as Error);
    const outgoing = client.request(
      target,
      {
        method: 'POST',
        headers: { ...request.headers, 'content-length': Buffer.byteLength(request.body) },
        lookup: guardedLookup(policy) as never,
        signal: request.signal,
      },
      (incoming) => {
        const chunks: Buffer[] = [];
        let size = 0;
        const done = () =>
          resolve({
            status: incoming.statusCode ?? 0,
            statusText: incoming.statusMessage ?? '',
            header: (name) => {
              const value = incoming.headers[name.toLowerCase()];
              return Array.isArray(value) ? value.join(', ') : value;
            },
            text: Buffer.concat(chunks).toString('utf8'),
          });
        incoming.on('data', (chunk: Buffer) => {
          if (size >= request.maxBytes) return;
          chunks.push(chunk.subarray(0, request.maxBytes - size));
          size += chunk.length;
          if (size >= request.maxBytes) {
            incoming.destroy();
            done();
          }
        });
        incoming.on('end', done);
        incoming.on('error', (error) => (size >= request.maxBytes ? done() : reject(error)));
      },
    );
    outgoing.on('error', (error) =>
      reject(request.signal.aborted ? (request.signal.reason as Error) : error),
    );
    outgoing.end(request.body);
  });
}

/** An `AUTOIR_E_BAD_INPUT` for a configured URL the policy refuses, naming the field; nothing when it may go. */
export function checkDestination(url: string, policy: OutboundPolicy, field: string, where: string): void {
  const problem = destinationProblem(url, policy);
  if (problem !== undefined)
    throw new AutoirError('AUTOIR_E_BAD_INPUT', `${where}: ${field}: ${problem}`, { location: { field } });
}

/**
 * The address a connector that opens its own sockets (LDAP, IMAP, SMTP) connects to for `host`: `host` itself when
 * it is an address the policy allows, else the first address it resolves to that the policy allows. Rejects with an
 * `OutboundRefusedError` when none is allowed, or with the resolver's error (its `code`: ENOTFOUND…). Connect to the
 * address and verify TLS certificates against `host` (the `servername`).
 */
export function outboundAddress(host: string, policy: OutboundPolicy): Promise<string> {
  const bare = host.replace(/^\[(.*)\]$/, '$1');
  if (isIP(bare) !== 0) {
    const refusal = policy.refusal(bare);
    return refusal === undefined ? Promise.resolve(bare) : Promise.reject(new OutboundRefusedError(refusal));
  }
  const name = bare.toLowerCase().replace(/\.$/, '');
  if (name === 'localhost' || name.endsWith('.localhost')) {
    const refusal = policy.refusal('127.0.0.1', name);
    return refusal === undefined
      ? Promise.resolve('127.0.0.1')
      : Promise.reject(new OutboundRefusedError(refusal));
  }
  return new Promise((resolve, reject) =>
    guardedLookup(policy)(bare, {}, (error, address) => (error ? reject(error) : resolve(address as string))),
  );
}
