import { describe, expect, it } from 'vitest';
import { allowEntryProblem, destinationProblem, outboundPolicy, publicOnly } from './outbound.js';

describe('where autoir may send its own requests', () => {
  it('refuses loopback, private, shared, link-local, multicast and reserved addresses, however written', () => {
    const refused = {
      '127.0.0.1': 'loopback',
      '127.8.9.10': 'loopback',
      '::1': 'loopback',
      '0.0.0.0': 'unspecified',
      '::': 'unspecified',
      '10.1.2.3': 'private',
      '172.16.0.1': 'private',
      '172.31.255.255': 'private',
      '192.168.0.10': 'private',
      'fd00::1': 'private',
      '100.64.0.1': 'shared',
      '169.254.169.254': 'link-local',
      'fe80::1': 'link-local',
      '224.0.0.1': 'multicast',
      'ff02::1': 'multicast',
      '240.0.0.1': 'reserved',
      '192.0.2.1': 'documentation',
      // An IPv6 address that carries an IPv4 one reaches that host, and is judged as it.
      '::ffff:127.0.0.1': 'loopback',
      '::ffff:7f00:1': 'loopback',
      '64:ff9b::a9fe:a9fe': 'link-local',
      '2002:a9fe:a9fe::1': 'link-local',
    };
    for (const [address, kind] of Object.entries(refused))
      expect(publicOnly.refusal(address), address).toMatch(new RegExp(`is ${kind}|${kind}`));
    for (const address of ['93.184.216.34', '8.8.8.8', '172.32.0.1', '2606:4700::1111', '::ffff:8.8.8.8'])
      expect(publicOnly.refusal(address), address).toBeUndefined();
  });

  it('lets the host allow addresses, ranges and host names', () => {
    const policy = outboundPolicy(['127.0.0.1/32', '10.20.0.0/16', 'edr.corp.example', '*.soc.example']);
    expect(policy.refusal('127.0.0.1')).toBeUndefined();
    expect(policy.refusal('::ffff:127.0.0.1')).toBeUndefined();
    expect(policy.refusal('127.0.0.2')).toMatch(/loopback/);
    expect(policy.refusal('10.20.3.4')).toBeUndefined();
    expect(policy.refusal('10.21.0.1')).toMatch(/private/);
    expect(policy.refusal('10.9.9.9', 'edr.corp.example')).toBeUndefined();
    expect(policy.refusal('10.9.9.9', 'a.soc.example')).toBeUndefined();
    expect(policy.refusal('10.9.9.9', 'soc.example')).toMatch(/private/);
    expect(policy.refusal('10.9.9.9', 'evil.example')).toMatch(/private/);
  });

  it('judges a configured URL on what it names without DNS', () => {
    expect(destinationProblem('http://127.0.0.1:8700/', publicOnly)).toMatch(/loopback/);
    expect(destinationProblem('http://LOCALHOST./', publicOnly)).toMatch(/loopback/);
    expect(destinationProblem('http://[fe80::1]/', publicOnly)).toMatch(/link-local/);
    expect(destinationProblem('https://edr.example.com/', publicOnly)).toBeUndefined();
  });

  it('names a bad allow-list entry', () => {
    expect(allowEntryProblem('10.0.0.0/8')).toBeUndefined();
    expect(allowEntryProblem('::1/128')).toBeUndefined();
    expect(allowEntryProblem('*.corp.example')).toBeUndefined();
    expect(allowEntryProblem('10.0.0.0/33')).toMatch(/prefix length from 0 to 32/);
    expect(allowEntryProblem('http://x')).toMatch(/an IP address, a CIDR range/);
  });
});
