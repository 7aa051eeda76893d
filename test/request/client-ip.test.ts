import { BlockList } from 'node:net';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { compileTrust, resolveClientIp } from '../../src/request/client-ip.js';
import { IpRanges, isPublicIp, normalizeIp, truncateIp } from '../../src/request/ip-address.js';

const resolve = (remoteAddress: string, headers: Record<string, string>, trust: Parameters<typeof compileTrust>[0]) =>
  resolveClientIp({ remoteAddress, headers }, compileTrust(trust));

describe('client IP resolution', () => {
  it('ignores forwarding headers unless the peer is a trusted proxy', () => {
    expect(resolve('198.51.100.7', { 'x-forwarded-for': '1.2.3.4' }, false)).toBe('198.51.100.7');
    expect(resolve('198.51.100.7', { 'x-forwarded-for': '1.2.3.4' }, ['10.0.0.0/8'])).toBe('198.51.100.7');
  });

  it('takes the first untrusted hop from the right, so hops a client forged are never used', () => {
    // The client sent "X-Forwarded-For: 6.6.6.6" itself; the proxy appended the real peer.
    const headers = { 'x-forwarded-for': '6.6.6.6, 81.2.69.160' };
    expect(resolve('10.0.0.2', headers, ['uniquelocal'])).toBe('81.2.69.160');
    expect(resolve('10.0.0.2', { 'x-forwarded-for': '6.6.6.6, 81.2.69.160, 10.0.0.1' }, ['uniquelocal'])).toBe('81.2.69.160');
    expect(resolve('10.0.0.2', headers, 1)).toBe('81.2.69.160');
    expect(resolve('10.0.0.2', headers, 2)).toBe('6.6.6.6');
  });

  it('reads RFC 7239 Forwarded, with quotes, ports and IPv6 brackets', () => {
    const headers = { forwarded: 'for=6.6.6.6, for="[2001:200::1]:4711";proto=https' };
    expect(resolve('127.0.0.1', headers, ['loopback'])).toBe('2001:200::1');
  });

  it('normalises IPv4-mapped IPv6 and stops at garbage from a trusted proxy', () => {
    expect(resolve('::ffff:127.0.0.1', { 'x-forwarded-for': '::FFFF:81.2.69.160' }, ['loopback'])).toBe('81.2.69.160');
    expect(resolve('127.0.0.1', { 'x-forwarded-for': 'not-an-ip' }, ['loopback'])).toBe('127.0.0.1');
    expect(resolve('', {}, true)).toBe('');
  });

  it('asks the trust setting nothing when no forwarding header came: the peer is the client (per-request cost)', () => {
    const asked: string[] = [];
    const trust = (address: string) => {
      asked.push(address);
      return true;
    };
    expect(resolveClientIp({ remoteAddress: '::ffff:127.0.0.1', headers: { cookie: 'a=b' } }, trust)).toBe('127.0.0.1');
    expect(asked).toEqual([]);
    expect(resolveClientIp({ remoteAddress: '127.0.0.1', headers: { 'x-forwarded-for': '81.2.69.160' } }, trust)).toBe('81.2.69.160');
    expect(resolveClientIp({ remoteAddress: '127.0.0.1', headers: { forwarded: 'for=81.2.69.161' } }, trust)).toBe('81.2.69.161');
  });

  it('refuses a broken trust setting, naming the option', () => {
    expect(() => compileTrust(['10.0.0.0/99'] as never)).toThrow(/"trustProxy"/);
    expect(() => compileTrust(-1)).toThrow(/"trustProxy"/);
  });
});

describe('IP helpers', () => {
  it.each([
    ['10.1.2.3', false],
    ['127.0.0.1', false],
    ['192.168.1.1', false],
    ['172.20.0.1', false],
    ['169.254.1.1', false],
    ['100.64.0.1', false],
    ['::1', false],
    ['fe80::1', false],
    ['fd00::1', false],
    ['2001:db8::1', false],
    ['224.0.0.1', false],
    ['81.2.69.160', true],
    ['2001:200::1', true],
    ['8.8.8.8', true],
  ])('isPublicIp(%s) is %s', (ip, expected) => expect(isPublicIp(ip)).toBe(expected));

  it('truncates to /24 and /48 by default', () => {
    expect(truncateIp('203.0.113.77')).toBe('203.0.113.0');
    expect(truncateIp('203.0.113.77', { v4: 16 })).toBe('203.0.0.0');
    expect(truncateIp('2001:200:dff:fff1:216:3eff:feb1:44d7')).toBe('2001:200:dff::');
  });

  it.each([
    ['[::1]', '::1'],
    ['fe80::1%eth0', 'fe80::1'],
    ['2001:DB8::1', '2001:db8::1'],
    ['1.2.3', null],
    ['x'.repeat(100), null],
  ])('normalizeIp(%j) → %j', (input, expected) => expect(normalizeIp(input)).toBe(expected));
});

describe('IpRanges', () => {
  it("answers IPv4 membership exactly as Node's BlockList does (property)", () => {
    const ipv4 = fc.tuple(fc.nat(255), fc.nat(255), fc.nat(255), fc.nat(255)).map((parts) => parts.join('.'));
    fc.assert(
      fc.property(fc.array(fc.tuple(ipv4, fc.nat(32)), { maxLength: 6 }), fc.array(ipv4, { minLength: 1, maxLength: 20 }), (ranges, probes) => {
        const cidrs = ranges.map(([address, bits]) => `${address}/${bits}`);
        const reference = new BlockList();
        for (const [address, bits] of ranges) reference.addSubnet(address, bits, 'ipv4');
        const ours = new IpRanges(cidrs);
        // Probes near the ranges' own addresses too, where an off-by-one mask would show.
        for (const probe of [...probes, ...ranges.map(([address]) => address)]) expect(ours.has(probe)).toBe(reference.check(probe, 'ipv4'));
      }),
      { numRuns: 500, seed: 20261202 },
    );
  });

  it('matches IPv4-mapped IPv6 addresses against IPv4 ranges, as BlockList does', () => {
    const ranges = new IpRanges(['10.0.0.0/8']);
    expect([ranges.has('::ffff:10.1.2.3'), ranges.has('::ffff:a01:203'), ranges.has('::ffff:11.1.2.3')]).toEqual([true, true, false]);
    expect(isPublicIp('::ffff:192.168.1.1')).toBe(false);
  });
});
