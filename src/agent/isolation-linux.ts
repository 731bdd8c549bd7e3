/**
 * Network isolation on a Linux host: one nftables table of autoir's own, `inet autoir_isolation`, that drops all
 * traffic but loopback, the autoir server's addresses, an allow list, DHCP and IPv6 neighbour discovery. Applied
 * atomically (one `nft -f` transaction), kept in the state directory so that the agent applies it again when it
 * starts (after a restart or a reboot), and released by deleting exactly that table. The agent runs `nft` with a
 * file it wrote from validated addresses: no text from the server reaches it.
 */
import { execFile } from 'node:child_process';
import { lookup } from 'node:dns/promises';
import { isIP } from 'node:net';
import { readFile, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { promisify } from 'node:util';

const run = promisify(execFile);
export const ISOLATION_TABLE = 'autoir_isolation';

export interface Isolation {
  /** Addresses still reachable: the server's and the allow list's (IPv4 and IPv6, CIDR ranges allowed). */
  readonly allowed: readonly string[];
  readonly since: string;
  readonly actionId: string;
}

const stateFile = (stateDir: string) => path.join(stateDir, 'isolation.json');

/** An address or range nft takes, or `undefined`. */
export function allowedEntry(value: string): string | undefined {
  const [address, bits, extra] = value.trim().split('/');
  if (extra !== undefined || !address) return undefined;
  const family = isIP(address);
  if (!family) return undefined;
  if (bits === undefined) return address;
  const prefix = Number(bits);
  const max = family === 4 ? 32 : 128;
  return /^\d+$/.test(bits) && prefix >= 0 && prefix <= max ? `${address}/${prefix}` : undefined;
}

/** The ruleset, as one atomic nft transaction: the table replaced whole, or not at all. */
export function isolationRuleset(allowed: readonly string[]): string {
  const v4 = allowed.filter((entry) => isIP(entry.split('/')[0] as string) === 4);
  const v6 = allowed.filter((entry) => isIP(entry.split('/')[0] as string) === 6);
  const set = (name: string, type: string, entries: readonly string[]) =>
    `  set ${name} { type ${type}; flags interval;${entries.length > 0 ? ` elements = { ${entries.join(', ')} }` : ''} }`;
  return [
    `table inet ${ISOLATION_TABLE}`,
    `delete table inet ${ISOLATION_TABLE}`,
    `table inet ${ISOLATION_TABLE} {`,
    set('allowed4', 'ipv4_addr', v4),
    set('allowed6', 'ipv6_addr', v6),
    '  chain input {',
    '    type filter hook input priority -200; policy drop;',
    '    iif "lo" accept',
    '    ip saddr @allowed4 accept',
    '    ip6 saddr @allowed6 accept',
    '    udp sport 67 udp dport 68 accept',
    '    udp sport 547 udp dport 546 accept',
    '    icmpv6 type { nd-neighbor-solicit, nd-neighbor-advert, nd-router-advert } accept',
    '  }',
    '  chain output {',
    '    type filter hook output priority -200; policy drop;',
    '    oif "lo" accept',
    '    ip daddr @allowed4 accept',
    '    ip6 daddr @allowed6 accept',
    '    udp sport 68 udp dport 67 accept',
    '    udp sport 546 udp dport 547 accept',
    '    icmpv6 type { nd-neighbor-solicit, nd-neighbor-advert, nd-router-solicit } accept',
    '  }',
    '}',
    '',
  ].join('\n');
}

async function apply(stateDir: string, allowed: readonly string[]): Promise<void> {
  const file = path.join(stateDir, 'isolation.nft');
  await writeFile(file, isolationRuleset(allowed), { mode: 0o600 });
  await run('nft', ['-f', file]);
}

/** The server's addresses, resolved now (an isolated host can no longer ask DNS). */
export async function serverAddresses(server: string): Promise<string[]> {
  const host = new URL(server).hostname.replace(/^\[|\]$/g, '');
  if (isIP(host)) return [host];
  return [...new Set((await lookup(host, { all: true })).map((entry) => entry.address))];
}

/** Isolate the host: only the server and `allow` stay reachable. Repeating it changes nothing. */
export async function isolate(
  stateDir: string,
  server: string,
  allow: readonly string[],
  actionId: string,
): Promise<Isolation> {
  const bad = allow.filter((entry) => allowedEntry(entry) === undefined);
  if (bad.length > 0) throw new Error(`not an address or range: ${bad.join(', ')}`);
  const fromServer = await serverAddresses(server);
  const allowed = [...new Set([...fromServer, ...allow].map((entry) => allowedEntry(entry) as string))];
  await apply(stateDir, allowed);
  const isolation: Isolation = { allowed, since: new Date().toISOString(), actionId };
  await writeFile(stateFile(stateDir), JSON.stringify(isolation), { mode: 0o600 });
  return isolation;
}

/** Release: delete exactly autoir's table (nothing else of the host's firewall). Repeating it changes nothing. */
export async function release(stateDir: string): Promise<boolean> {
  const had = await readFile(stateFile(stateDir), 'utf8').catch(() => undefined);
  await run('nft', ['delete', 'table', 'inet', ISOLATION_TABLE]).catch(
    (error: Error & { stderr?: string }) => {
      if (!/No such file or directory|does not exist/i.test(error.stderr ?? error.message)) throw error;
    },
  );
  await rm(stateFile(stateDir), { force: true });
  return had !== undefined;
}

/** At start: an isolated host stays isolated (the table is applied again if it went, e.g. after a reboot). */
export async function keepIsolated(stateDir: string): Promise<Isolation | undefined> {
  const text = await readFile(stateFile(stateDir), 'utf8').catch(() => undefined);
  if (!text) return undefined;
  const isolation = JSON.parse(text) as Isolation;
  await apply(stateDir, isolation.allowed);
  return isolation;
}
