import { BlockList, isIP } from 'node:net';

/**
 * A canonical IP string, or null when the input is not an IP address: IPv4-mapped IPv6
 * (`::ffff:1.2.3.4`) becomes plain IPv4, IPv6 is lower-cased with any zone id and brackets removed.
 */
export function normalizeIp(input: unknown): string | null {
  if (typeof input !== 'string' || input.length === 0 || input.length > 64) return null;
  let ip = input.trim();
  if (ip.startsWith('[') && ip.includes(']')) ip = ip.slice(1, ip.indexOf(']'));
  const zone = ip.indexOf('%');
  if (zone !== -1) ip = ip.slice(0, zone);
  const mapped = /^::ffff:(\d{1,3}(?:\.\d{1,3}){3})$/i.exec(ip);
  if (mapped) ip = mapped[1]!;
  const version = isIP(ip);
  if (version === 0) return null;
  return version === 6 ? ip.toLowerCase() : ip;
}

/**
 * A set of CIDR ranges, IPv4 and IPv6. IPv4 is checked with integer masks here (BlockList builds a
 * SocketAddress per check, about 5 µs, and this runs for each proxy hop of every request); IPv6
 * goes to BlockList, which holds the IPv4 ranges too so an IPv4-mapped address (`::ffff:10.1.2.3`)
 * matches them.
 */
export class IpRanges {
  readonly #list = new BlockList();
  readonly #v4: { network: number; bits: number }[] = [];

  constructor(cidrs: readonly string[]) {
    for (const cidr of cidrs) {
      const [address, prefix] = cidr.split('/');
      const version = isIP(address ?? '');
      if (version === 0) throw new Error(`not a CIDR range: ${cidr}`);
      const bits = prefix === undefined ? (version === 4 ? 32 : 128) : Number(prefix);
      this.#list.addSubnet(address!, bits, version === 4 ? 'ipv4' : 'ipv6');
      if (version === 4) this.#v4.push({ network: ipv4Number(address!), bits });
    }
  }

  has(ip: string): boolean {
    const version = isIP(ip);
    if (version === 4) {
      const value = ipv4Number(ip);
      return this.#v4.some(({ network, bits }) => bits === 0 || value >>> (32 - bits) === network >>> (32 - bits));
    }
    return version === 6 && this.#list.check(ip, 'ipv6');
  }
}

/** A dotted IPv4 address (already known to be one) as an unsigned 32-bit number. */
function ipv4Number(ip: string): number {
  let value = 0;
  for (const part of ip.split('.')) value = value * 256 + Number(part);
  return value >>> 0;
}

/** Addresses that never locate a person: private, loopback, link-local, documentation, multicast, reserved. */
const NON_PUBLIC = new IpRanges([
  '0.0.0.0/8',
  '10.0.0.0/8',
  '100.64.0.0/10',
  '127.0.0.0/8',
  '169.254.0.0/16',
  '172.16.0.0/12',
  '192.0.0.0/24',
  '192.0.2.0/24',
  '192.88.99.0/24',
  '192.168.0.0/16',
  '198.18.0.0/15',
  '198.51.100.0/24',
  '203.0.113.0/24',
  '224.0.0.0/4',
  '240.0.0.0/4',
  '::/128',
  '::1/128',
  '100::/64',
  '2001::/23',
  '2001:db8::/32',
  'fc00::/7',
  'fe80::/10',
  'ff00::/8',
]);

export function isPublicIp(ip: string): boolean {
  return isIP(ip) !== 0 && !NON_PUBLIC.has(ip);
}

export interface IpTruncation {
  /** Prefix bits kept of an IPv4 address. @default 24 */
  v4?: number;
  /** Prefix bits kept of an IPv6 address. @default 48 */
  v6?: number;
}

/** Zeroes the host part, e.g. `203.0.113.77` → `203.0.113.0`, for storing IPs with less precision. */
export function truncateIp(ip: string, options: IpTruncation = {}): string {
  const version = isIP(ip);
  if (version === 4) {
    const keep = options.v4 ?? 24;
    const value = ipv4Number(ip);
    const masked = keep === 0 ? 0 : Math.floor(value / 2 ** (32 - keep)) * 2 ** (32 - keep);
    return [24, 16, 8, 0].map((shift) => Math.floor(masked / 2 ** shift) % 256).join('.');
  }
  if (version === 6) {
    const keep = options.v6 ?? 48;
    const groups = expandIpv6(ip);
    const masked = groups.map((group, i) => {
      const bitsBefore = i * 16;
      if (bitsBefore >= keep) return 0;
      if (bitsBefore + 16 <= keep) return group;
      return group & (0xffff << (16 - (keep - bitsBefore)));
    });
    return compressIpv6(masked);
  }
  return ip;
}

function expandIpv6(ip: string): number[] {
  const [head, tail] = ip.split('::') as [string, string | undefined];
  const parse = (part: string | undefined) => (part ? part.split(':').map((group) => parseInt(group, 16)) : []);
  const left = parse(head);
  const right = parse(tail);
  return tail === undefined ? left : [...left, ...new Array<number>(8 - left.length - right.length).fill(0), ...right];
}

function compressIpv6(groups: number[]): string {
  const text = groups.map((group) => group.toString(16));
  // Replace the longest run of zero groups with '::'.
  let best = { start: -1, length: 0 };
  for (let i = 0; i < 8; ) {
    if (groups[i] !== 0) {
      i += 1;
      continue;
    }
    let j = i;
    while (j < 8 && groups[j] === 0) j += 1;
    if (j - i > best.length) best = { start: i, length: j - i };
    i = j;
  }
  if (best.length < 2) return text.join(':');
  return `${text.slice(0, best.start).join(':')}::${text.slice(best.start + best.length).join(':')}`;
}
