/** Addresses and domains: what kind of address, and how many devices of the fleet talk to it. */
import type { DomainEntity, IpEntity } from '../../domain/entity.js';
import { inCidr, parseCidr, type Cidr } from '../../domain/net.js';
import type { Finding } from '../../domain/evidence.js';
import { finding, focusTime, nothing, type Analyzer } from './analyzer.js';

const PRIVATE = ['10.0.0.0/8', '172.16.0.0/12', '192.168.0.0/16', '100.64.0.0/10', 'fc00::/7'].map(
  (range) => parseCidr(range) as Cidr,
);

export const destinationAnalyzer: Analyzer = {
  name: 'destination',
  types: ['ip', 'domain'],
  async analyze(evidence, context) {
    const findings: Finding[] = [];
    const target =
      evidence.type === 'ip' ? (evidence.entity as IpEntity).address : (evidence.entity as DomainEntity).name;
    if (evidence.type === 'ip' && PRIVATE.some((range) => inCidr(target, range)))
      findings.push(
        finding('destination', 0, `${target} is a private address: inside the organisation's network`),
      );
    const [devices, fleet] = await Promise.all([
      context.query.devicesContacting(evidence.key),
      context.fleetSize(),
    ]);
    if (devices.length > 0 && fleet >= 3) {
      if (devices.length >= Math.max(5, fleet / 2))
        findings.push(
          finding('destination', -20, `common: contacted by ${devices.length} of ${fleet} devices`),
        );
      else if (devices.length <= 2)
        findings.push(finding('destination', 10, `rare: contacted by ${devices.length} of ${fleet} devices`));
    }
    return findings.length ? { findings, related: [] } : nothing;
  },
};

/** The store's first event (how far back "new" can be told), per analysis run. */
const historyStart = new WeakMap<object, Promise<number | undefined>>();
const DAY = 86_400_000;

/**
 * Newly seen: a domain (or a URL's domain) whose first sighting in the events store is within 7 days of the
 * investigation, in a store that goes back at least 14 days — so "new" means new to this organisation.
 */
export const newlySeenAnalyzer: Analyzer = {
  name: 'newlySeen',
  types: ['domain', 'url'],
  async analyze(evidence, context) {
    const key =
      evidence.type === 'domain'
        ? evidence.key
        : (() => {
            try {
              return `domain:${new URL((evidence.entity as { url: string }).url).hostname.toLowerCase()}`;
            } catch {
              return undefined;
            }
          })();
    if (!key) return nothing;
    let start = historyStart.get(context);
    if (!start) {
      start = context.events
        .searchEvents({}, { limit: 1, order: 'asc' })
        .then((page) => (page.items[0] ? Date.parse(page.items[0].time) : undefined));
      historyStart.set(context, start);
    }
    const [since, first] = await Promise.all([
      start,
      context.events.searchEvents({ entityKeys: [key] }, { limit: 1, order: 'asc' }),
    ]);
    const firstSeen = first.items[0] ? Date.parse(first.items[0].time) : undefined;
    if (since === undefined || firstSeen === undefined) return nothing;
    const focus = focusTime(context);
    if (focus - since < 14 * DAY) return nothing;
    const domain = key.slice('domain:'.length);
    if (focus - firstSeen <= 7 * DAY)
      return {
        findings: [
          finding(
            'newlySeen',
            15,
            `${domain} is new here: first seen ${new Date(firstSeen).toISOString()}, in events going back to ${new Date(since).toISOString().slice(0, 10)}`,
          ),
        ],
        related: [],
      };
    return {
      findings: [
        finding('newlySeen', 0, `${domain} first seen ${new Date(firstSeen).toISOString().slice(0, 10)}`),
      ],
      related: [],
    };
  },
};
