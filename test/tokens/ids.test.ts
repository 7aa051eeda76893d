import { describe, expect, it } from 'vitest';
import { KeyedHasher } from '../../src/tokens/keyed-hasher.js';
import { randomBuffer, randomToken } from '../../src/tokens/random.js';
import { newSessionId, userKeyOf } from '../../src/tokens/session-id.js';
import { toMilliseconds } from '../../src/internal/duration.js';

describe('identifiers', () => {
  it('random tokens carry 128 bits: 22 base64url characters, no repeats, no visible structure', () => {
    const seen = new Set<string>();
    const bytes: number[] = [];
    for (let i = 0; i < 20_000; i += 1) {
      const token = randomToken();
      expect(token).toMatch(/^[A-Za-z0-9_-]{22}$/);
      seen.add(token);
      bytes.push(...Buffer.from(token, 'base64url'));
    }
    expect(seen.size).toBe(20_000);
    // Every byte value shows up about equally often (a time- or counter-based id would not).
    const counts = new Array<number>(256).fill(0);
    for (const byte of bytes) counts[byte]! += 1;
    const expected = bytes.length / 256;
    expect(Math.min(...counts)).toBeGreaterThan(expected * 0.8);
    expect(Math.max(...counts)).toBeLessThan(expected * 1.2);
  });

  it('random buffers (sealing IVs) are fresh bytes of their own: distinct, and kept when the pool is wiped and refilled', () => {
    const drawn = Array.from({ length: 2_000 }, () => randomBuffer(12)); // several pool refills
    const copies = drawn.map((buffer) => buffer.toString('hex'));
    for (let i = 0; i < 600; i += 1) randomToken(); // more wiping and refilling after the draws
    expect(drawn.every((buffer) => buffer.length === 12)).toBe(true);
    expect(new Set(copies).size).toBe(2_000);
    expect(drawn.map((buffer) => buffer.toString('hex'))).toEqual(copies);
    expect(copies).not.toContain('00'.repeat(12));
  });

  it('session ids embed the user partition key and nothing else recoverable', () => {
    const hasher = new KeyedHasher(new TextEncoder().encode(`${'k'.repeat(16)}abcdefghijklmnopqrstuvwxyz`));
    const userKey = hasher.userKey('alice@example.com');
    const id = newSessionId(userKey);
    expect(userKeyOf(id)).toBe(userKey);
    expect(userKey).toMatch(/^[A-Za-z0-9_-]{16}$/);
    expect(id).not.toContain('alice');
    expect(hasher.userKey('alice@example.com')).toBe(userKey);
    expect(hasher.userKey('bob@example.com')).not.toBe(userKey);
    expect(new KeyedHasher(new TextEncoder().encode('another-secret-abcdefghijklmnopqrstuvwxyz')).userKey('alice@example.com')).not.toBe(userKey);
  });

  it.each(['', 'short', 'AAAAAAAAAAAAAAAA.BBBB', 'AAAAAAAAAAAAAAAA:BBBBBBBBBBBBBBBBBBBBBB', '{AAAAAAAAAAAAAA}.BBBBBBBBBBBBBBBBBBBBBB', 42])(
    'userKeyOf(%j) is null',
    (input) => {
      expect(userKeyOf(input as string)).toBeNull();
    },
  );
});

describe('durations', () => {
  it.each([
    [1500, 1500],
    ['90s', 90_000],
    ['30m', 1_800_000],
    ['12h', 43_200_000],
    ['7d', 604_800_000],
    ['250ms', 250],
    ['1.5h', 5_400_000],
  ])('%j is %d ms', (input, ms) => expect(toMilliseconds(input, 'x')).toBe(ms));
  it.each([['soon'], [0], [-1], [Number.NaN], ['5 minutes'], [null]])('%j is refused, naming the option', (input) => {
    expect(() => toMilliseconds(input, 'expiry.idleTimeout')).toThrow(/"expiry.idleTimeout"/);
  });
});
