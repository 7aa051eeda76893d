import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { expandDevice, shortenDevice } from '../../src/redis/device-fragments.js';

const USER_AGENTS = [
  'Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Safari/537.36',
  'Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Safari/537.36 Edg/131.0.0.0',
  'Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.5 Safari/605.1.15',
  'Mozilla/5.0 (iPhone; CPU iPhone OS 17_5 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.5 Mobile/15E148 Safari/604.1',
  'Mozilla/5.0 (Linux; Android 14; Pixel 8) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Mobile Safari/537.36',
  'Mozilla/5.0 (X11; Linux x86_64; rv:133.0) Gecko/20100101 Firefox/133.0',
];
const FRAGMENT_PIECES = ['Mozilla/5.0 (', 'Chrome/', '.0.0.0 ', 'Safari/537.36', 'Mobile ', 'Version/', '; rv:', '(KHTML, like Gecko) '];

const devicePart = (userAgent: string) => JSON.stringify([userAgent, '203.0.113.10', 'Chrome 131', 'Windows 10', 'desktop', 'abcdefghijklmnopqrstuv', false]);

describe('device part fragments', () => {
  it('give back the same JSON for any user agent, fragments and control characters included (property)', () => {
    const piece = fc.oneof(
      fc.constantFrom(...FRAGMENT_PIECES),
      fc.string({ unit: 'binary', maxLength: 8 }),
      fc.constantFrom('\x01', '\x1e', '\x1f', '"', '\\'),
    );
    fc.assert(
      fc.property(fc.array(piece, { maxLength: 12 }), (pieces) => {
        const json = devicePart(pieces.join(''));
        const stored = shortenDevice(json);
        expect(expandDevice(stored)).toBe(json);
        for (const separator of ['\t', '\n', '\r', '\x1e', '\x1f']) expect(stored.includes(separator)).toBe(json.includes(separator));
      }),
      { numRuns: Number(process.env.FC_RUNS ?? 500), seed: Number(process.env.FC_SEED ?? 20261203) },
    );
  });

  it('store the common browsers in well under their length, and read a part stored without them as it is', () => {
    for (const userAgent of USER_AGENTS) {
      const json = devicePart(userAgent);
      const stored = shortenDevice(json);
      expect(expandDevice(stored)).toBe(json);
      expect(json.length - stored.length, userAgent).toBeGreaterThanOrEqual(40);
    }
    expect(shortenDevice(devicePart(USER_AGENTS[0]!)).length).toBeLessThanOrEqual(devicePart(USER_AGENTS[0]!).length - 100);
    const plain = devicePart('curl/8.5.0');
    expect(expandDevice(plain)).toBe(plain);
  });

  it('store the most common browser, system and device names in one byte each', () => {
    const json = devicePart(USER_AGENTS[0]!);
    const stored = shortenDevice(json);
    expect(expandDevice(stored)).toBe(json);
    for (const name of ['Chrome ', 'Windows ', 'desktop']) expect(stored, name).not.toContain(name);
    // The user agent in 9 characters, the IP, the three names in 3 plus their versions, the fingerprint.
    expect(stored.length).toBeLessThanOrEqual(67);
    const phone = JSON.stringify([USER_AGENTS[4], '203.0.113.10', 'Chrome 131', 'Android 14', 'mobile Google Pixel 8', 'abcdefghijklmnopqrstuv', false]);
    expect(shortenDevice(phone)).not.toContain('mobile');
    expect(expandDevice(shortenDevice(phone))).toBe(phone);
  });

  it('keeps a byte it never writes, so that JSON.parse refuses the part instead of reading it as something else', () => {
    expect(expandDevice('["a\x00b"]')).toBe('["a\x00b"]');
    expect(() => JSON.parse(expandDevice('["a\x00b"]'))).toThrow(SyntaxError);
  });
});
