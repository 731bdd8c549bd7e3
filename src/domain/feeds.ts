/**
 * Blocklist feeds: the blocks autoir's actions decided (`blockIp`, `blockUrl` on a URL or a domain), published in
 * the shapes firewalls and resolvers already fetch — plain-text lists (an external dynamic list: one entry a line)
 * and a DNS response-policy zone (RPZ). Pure: which entry an action puts in which feed, and how each feed reads.
 */
import { normalizeDomain, normalizeIp, normalizeUrl } from './entity-values.js';
import { specialAddress } from './net.js';

export const feedKinds = ['ip', 'domain', 'url'] as const;
export type FeedKind = (typeof feedKinds)[number];

/** One entry of a feed, and the action that put it there. */
export interface FeedBlock {
  readonly kind: FeedKind;
  readonly value: string;
  readonly actionId: string;
  /** When the block took effect (ISO). */
  readonly since: string;
}

/** The feed entry a block action's target makes, or why it makes none. */
export function feedEntry(type: string, targetKey: string): { kind: FeedKind; value: string } | string {
  const colon = targetKey.indexOf(':');
  const entity = targetKey.slice(0, colon);
  const value = targetKey.slice(colon + 1);
  if (type === 'blockIp' && entity === 'ip') {
    const ip = normalizeIp(value);
    if (!ip) return `${targetKey} is not an IP address`;
    const special = specialAddress(ip);
    return special ? `${ip} is ${special}: never in a feed` : { kind: 'ip', value: ip };
  }
  if (type === 'blockUrl' && entity === 'domain') {
    const domain = normalizeDomain(value);
    return domain && domain.includes('.')
      ? { kind: 'domain', value: domain }
      : `${targetKey} is not a domain`;
  }
  if (type === 'blockUrl' && entity === 'url') {
    const url = normalizeUrl(value);
    return url ? { kind: 'url', value: url } : `${targetKey} is not a URL`;
  }
  return `${type} on ${targetKey} makes no feed entry`;
}

/** A plain-text list: the kind's entries, sorted, one a line (URLs without their scheme, as firewalls read them). */
export function renderList(blocks: readonly FeedBlock[], kind: FeedKind): string {
  const lines = new Set(
    blocks
      .filter((block) => block.kind === kind)
      .map((block) => (kind === 'url' ? block.value.replace(/^[a-z][a-z0-9+.-]*:\/\//i, '') : block.value)),
  );
  return [...lines]
    .sort()
    .map((line) => `${line}\n`)
    .join('');
}

/**
 * A response-policy zone: each blocked domain and its subdomains answer NXDOMAIN (`CNAME .`), each blocked address
 * is a response-IP trigger (`32.<reversed>.rpz-ip`) that drops answers holding it. The serial is the time of the
 * fetch, in seconds — it only grows, also when a block is undone — and resolvers ask again every minute (refresh
 * 60), as firewalls poll their lists.
 */
export function renderRpz(blocks: readonly FeedBlock[], now: Date, origin = 'rpz.autoir'): string {
  const serial = Math.floor(now.getTime() / 1000) % 2 ** 32;
  const lines = [
    `$ORIGIN ${origin}.`,
    '$TTL 60',
    `@ SOA localhost. hostmaster.localhost. ${serial} 60 60 86400 60`,
    '@ NS localhost.',
  ];
  const domains = [...new Set(blocks.filter((b) => b.kind === 'domain').map((b) => b.value))].sort();
  for (const domain of domains) lines.push(`${domain} CNAME .`, `*.${domain} CNAME .`);
  const ips = [...new Set(blocks.filter((b) => b.kind === 'ip').map((b) => b.value))].sort();
  for (const ip of ips)
    if (!ip.includes(':')) lines.push(`32.${ip.split('.').reverse().join('.')}.rpz-ip CNAME .`);
  return `${lines.join('\n')}\n`;
}
