/** Addresses and domains: what kind of address, and how many devices of the fleet talk to it. */
import type { DomainEntity, IpEntity } from '../../domain/entity.js';
import { inCidr, parseCidr, type Cidr } from '../../domain/net.js';
import type { Finding } from '../../domain/evidence.js';
import { finding, nothing, type Analyzer } from './analyzer.js';

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
