/** IP networks (CIDR) for IPv4 and IPv6, as integers. Pure. */

export interface Cidr {
  readonly v6: boolean;
  readonly bits: number;
  readonly address: bigint;
}

export function parseCidr(text: string): Cidr | undefined {
  const [address, prefix] = text.split('/');
  if (!address) return undefined;
  const value = ipToBigInt(address);
  if (value === undefined) return undefined;
  const v6 = address.includes(':');
  const bits = prefix === undefined ? (v6 ? 128 : 32) : Number(prefix);
  if (!Number.isInteger(bits) || bits < 0 || bits > (v6 ? 128 : 32)) return undefined;
  return { v6, bits, address: value };
}

export function inCidr(actual: string, cidr: Cidr): boolean {
  // An IPv4-mapped IPv6 address is its IPv4 address.
  const text = actual.trim().replace(/^::ffff:(?=\d+\.)/i, '');
  const value = ipToBigInt(text);
  if (value === undefined || text.includes(':') !== cidr.v6) return false;
  const width = cidr.v6 ? 128n : 32n;
  const shift = width - BigInt(cidr.bits);
  return value >> shift === cidr.address >> shift;
}

export function ipToBigInt(text: string): bigint | undefined {
  if (/^\d{1,3}(\.\d{1,3}){3}$/.test(text)) {
    const parts = text.split('.').map(Number);
    if (parts.some((part) => part > 255)) return undefined;
    return parts.reduce((sum, part) => (sum << 8n) + BigInt(part), 0n);
  }
  if (!text.includes(':')) return undefined;
  const [head = '', tail] = text.split('::');
  const left = head === '' ? [] : head.split(':');
  const right = tail === undefined || tail === '' ? [] : tail.split(':');
  if (tail === undefined && left.length !== 8) return undefined;
  const groups = [...left, ...Array<string>(8 - left.length - right.length).fill('0'), ...right];
  if (groups.length !== 8 || groups.some((group) => !/^[0-9a-f]{1,4}$/i.test(group))) return undefined;
  return groups.reduce((sum, group) => (sum << 16n) + BigInt(Number.parseInt(group, 16)), 0n);
}

/** Why an address is no one's in particular (loopback, link-local, multicast, unspecified); `undefined` otherwise. */
export function specialAddress(address: string): string | undefined {
  if (/^127\./.test(address) || address === '::1') return 'a loopback address';
  if (/^169\.254\./.test(address) || /^fe[89ab][0-9a-f]:/i.test(address)) return 'a link-local address';
  if (/^(22[4-9]|23\d)\./.test(address) || /^ff[0-9a-f]{2}:/i.test(address)) return 'a multicast address';
  if (address === '0.0.0.0' || address === '::' || address === '255.255.255.255')
    return 'an unspecified or broadcast address';
  return undefined;
}
