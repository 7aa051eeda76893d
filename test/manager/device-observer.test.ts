import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { DeviceObserver } from '../../src/internal/device-observer.js';
import { cleanText } from '../../src/internal/header-value.js';
import { normalizeIp } from '../../src/request/ip-address.js';
import type { DeviceFingerprint, RequestContext } from '../../src/types.js';

const CHROME = 'Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Safari/537.36';
const unused = null as never;
const asIs = null;
const truncated = (ip: string) => (ip.includes('.') ? `${ip.split('.').slice(0, 3).join('.')}.0` : ip);
// A keyed hash's stand-in: any stored form that is not an address.
const hashed = (ip: string) => `h${Buffer.from(ip).toString('base64url')}`;

/** The rule as written out in full: the stored form of the normalised IP, then the cleaned agent. */
function reference(storedIp: (ip: string) => string, device: DeviceFingerprint, context: RequestContext): boolean {
  const ip = normalizeIp(context.ip) ?? '';
  if ((ip ? storedIp(ip) : '') !== device.ipAddress) return true;
  const raw = context.headers['user-agent'];
  const userAgent = cleanText(Array.isArray(raw) ? raw[0] : raw, 1024);
  return device.userAgent === '' ? userAgent !== '' : !userAgent.startsWith(device.userAgent);
}

describe('DeviceObserver.changed', () => {
  it('answers as the full rule does for any address and agent, stored as is, truncated or hashed (property)', () => {
    const ips = fc.oneof(
      fc.ipV4(),
      fc.ipV6(),
      fc.ipV4().map((ip) => `::ffff:${ip}`),
      fc.ipV6().map((ip) => `[${ip.toUpperCase()}]`),
      fc.ipV4().map((ip) => ` ${ip} `),
      fc.string({ maxLength: 20 }),
      fc.constant(undefined),
    );
    const agents = fc.oneof(
      fc.constant(CHROME),
      fc.constant(`${CHROME}\r\n`),
      fc.constant(` ${CHROME}`),
      fc.string({ maxLength: 40 }),
      fc.constant(''),
      fc.constant(undefined),
      fc.array(fc.constantFrom(CHROME, 'curl/8.0'), { minLength: 1, maxLength: 2 }),
    );
    fc.assert(
      fc.property(fc.constantFrom(asIs, truncated, hashed), ips, agents, ips, agents, (storedIp, storedFrom, storedAgent, ip, agent) => {
        const stores = storedIp ?? ((value: string) => value);
        const observer = new DeviceObserver(unused, unused, storedIp, unused);
        const stored = normalizeIp(storedFrom) ?? '';
        const device: DeviceFingerprint = {
          userAgent: cleanText(Array.isArray(storedAgent) ? storedAgent[0] : storedAgent, 512),
          ipAddress: stored ? stores(stored) : '',
          browser: 'Chrome 131',
          os: 'Windows 10',
          device: 'desktop',
          fingerprint: 'f',
          bot: false,
        };
        for (const context of [
          { ip, headers: { 'user-agent': agent } },
          { ip: storedFrom, headers: { 'user-agent': storedAgent } },
          { ip: device.ipAddress, headers: { 'user-agent': device.userAgent } },
        ]) {
          expect(observer.changed(device, context)).toBe(reference(stores, device, context));
        }
      }),
      { numRuns: Number(process.env.FC_RUNS ?? 500), seed: Number(process.env.FC_SEED ?? 20261203) },
    );
  });
});
