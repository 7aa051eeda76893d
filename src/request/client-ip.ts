import { invalidOption } from '../errors.js';
import { IpRanges, normalizeIp } from './ip-address.js';

/**
 * Which hops may report the client's address:
 * - `false` (default): none; the socket's peer is the client, forwarding headers are ignored.
 * - a number n: the n nearest hops are proxies (e.g. 1 behind one load balancer).
 * - CIDR ranges and/or the presets `loopback`, `linklocal`, `uniquelocal` (private networks), as an
 *   array or a comma-separated string (Express' and Fastify's form).
 * - a function deciding per address and hop index.
 * `true` (trust every hop) is accepted for parity with frameworks, but lets any client choose its IP.
 */
export type TrustProxy = boolean | number | string | readonly string[] | ((address: string, hop: number) => boolean);

const PRESETS: Record<string, string[]> = {
  loopback: ['127.0.0.0/8', '::1/128'],
  linklocal: ['169.254.0.0/16', 'fe80::/10'],
  uniquelocal: ['10.0.0.0/8', '172.16.0.0/12', '192.168.0.0/16', 'fc00::/7'],
};

/** Compiles a `TrustProxy` setting once (at startup), failing with a message naming the option. */
export function compileTrust(setting: TrustProxy, option = 'trustProxy'): (address: string, hop: number) => boolean {
  if (setting === false || setting === undefined) return () => false;
  if (setting === true) return () => true;
  if (typeof setting === 'number') {
    const hops = setting;
    if (!Number.isInteger(hops) || hops < 0) throw invalidOption(option, 'a hop count must be a non-negative integer');
    return (_address, hop) => hop < hops;
  }
  if (typeof setting === 'function') return setting;
  if (typeof setting === 'string')
    setting = setting
      .split(',')
      .map((entry) => entry.trim())
      .filter(Boolean);
  if (!Array.isArray(setting)) throw invalidOption(option, 'must be a boolean, a hop count, CIDR ranges or a function');
  try {
    const ranges = new IpRanges(setting.flatMap((entry) => PRESETS[entry] ?? [entry]));
    return (address) => ranges.has(address);
  } catch (error) {
    throw invalidOption(option, (error as Error).message);
  }
}

/**
 * The client's address: walks from the socket's peer back through `X-Forwarded-For` (or RFC 7239
 * `Forwarded: for=`) only while each hop is a trusted proxy, so hops a client forged in front of
 * the real chain are never used. Returns a normalised IP, or '' when nothing usable was given.
 */
export function resolveClientIp(
  request: { remoteAddress: string | undefined; headers: Readonly<Record<string, string | readonly string[] | undefined>> },
  trust: (address: string, hop: number) => boolean,
): string {
  const peer = normalizeIp(request.remoteAddress);
  if (peer === null) return '';
  const { headers } = request;
  // No hop reported anything, so the peer is the client whatever the trust says: most requests,
  // and asking costs Express' own trust function an address parse per request.
  if (headers.forwarded === undefined && headers['x-forwarded-for'] === undefined) return peer;
  let client = peer;
  if (!trust(peer, 0)) return client;
  const forwarded = forwardedChain(headers);
  for (let hop = 1; hop <= forwarded.length; hop += 1) {
    const next = normalizeIp(forwarded[forwarded.length - hop]);
    if (next === null) return client; // garbage from a trusted proxy: keep the last good hop
    client = next;
    if (!trust(next, hop)) return client;
  }
  return client;
}

/** Addresses in the order the headers list them (client first). */
function forwardedChain(headers: Readonly<Record<string, string | readonly string[] | undefined>>): string[] {
  const join = (value: string | readonly string[] | undefined) => (Array.isArray(value) ? value.join(',') : ((value as string | undefined) ?? ''));
  const forwarded = join(headers.forwarded).slice(0, 4096);
  if (forwarded) {
    const addresses = [...forwarded.matchAll(/for=("?)([^;,"]*)\1/gi)].map((match) => stripPort(match[2]!));
    if (addresses.length > 0) return addresses;
  }
  return join(headers['x-forwarded-for'])
    .slice(0, 4096)
    .split(',')
    .map((part) => part.trim())
    .filter((part) => part.length > 0);
}

/** `[2001:db8::1]:4711` → `2001:db8::1`, `192.0.2.1:80` → `192.0.2.1`. */
function stripPort(value: string): string {
  if (value.startsWith('[')) return value.slice(1, value.indexOf(']'));
  return /^\d{1,3}(?:\.\d{1,3}){3}:\d+$/.test(value) ? value.slice(0, value.lastIndexOf(':')) : value;
}
