import { createHash, createHmac, hkdfSync, randomBytes } from 'node:crypto';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { HmacSha } from '../../src/tokens/hmac-sha.js';
import { KeyedHasher } from '../../src/tokens/keyed-hasher.js';

const HASHES = ['sha256', 'sha384', 'sha512'] as const;
const reference = (hash: string, key: Uint8Array, message: string) => createHmac(hash, key).update(message).digest('hex');

describe('HmacSha', () => {
  it('answers the bytes createHmac answers, for every hash, key length and message (ASCII, Unicode, longer than its buffer)', () => {
    fc.assert(
      fc.property(
        fc.constantFrom(...HASHES),
        fc.uint8Array({ maxLength: 300 }), // shorter than, equal to and longer than the block (64 / 128 bytes)
        fc.oneof(fc.string({ maxLength: 200 }), fc.string({ unit: 'binary', maxLength: 300 }), fc.string({ minLength: 1300, maxLength: 6000 })),
        (hash, key, message) => {
          expect(new HmacSha(hash, key).mac(message).toString('hex')).toBe(reference(hash, key, message));
        },
      ),
      { numRuns: 600 },
    );
  });

  it('keeps each instance to its own key when calls interleave, at the block boundaries and at the bound of its buffer (1,365 units)', () => {
    const a = new HmacSha('sha256', Buffer.alloc(32, 1));
    const b = new HmacSha('sha512', Buffer.alloc(200, 2));
    for (const length of [0, 1, 55, 56, 63, 64, 65, 111, 112, 127, 128, 129, 1365, 1366, 4095, 4096, 4097]) {
      const message = 'x'.repeat(length);
      const fromA = a.mac(message).toString('hex');
      const fromB = b.mac(message).toString('hex');
      expect(fromA).toBe(reference('sha256', Buffer.alloc(32, 1), message));
      expect(fromB).toBe(reference('sha512', Buffer.alloc(200, 2), message));
    }
    // Lone surrogates become U+FFFD in UTF-8, as createHmac encodes them; three-byte characters fill the buffer at the bound.
    for (const message of ['\ud800', 'a\udfffb', '\ud83d'.repeat(1365), '€'.repeat(1365), '€'.repeat(1366)])
      expect(a.mac(message).toString('hex')).toBe(reference('sha256', Buffer.alloc(32, 1), message));
  });

  it('refuses a hash it has no block size for', () => {
    expect(() => new HmacSha('md5' as 'sha256', Buffer.alloc(16))).toThrow(/md5/);
  });
});

describe('KeyedHasher values', () => {
  // Stored values: a user key, a secret hash or an IP hash that changed would orphan every stored session.
  const secret = new TextEncoder().encode('keyed-hasher-pinning-secret-0123456789');
  const key = Buffer.from(hkdfSync('sha256', secret, new Uint8Array(0), 'sessionward/v1/keyed-hash', 32));
  const expected = (input: string, bytes: number) => createHmac('sha256', key).update(input).digest().subarray(0, bytes).toString('base64url');
  const hasher = new KeyedHasher(secret);

  it('are the HMAC-SHA-256 values they always were', () => {
    for (const id of ['alice', 'ユーザー', '', 'x'.repeat(5000)]) {
      expect(hasher.userKey(id)).toBe(expected(`u\0${id}`, 12));
      expect(hasher.formToken(id)).toBe(expected(`f\0${id}`, 16));
      expect(hasher.ipHash(id)).toBe(`h:${expected(`i\0${id}`, 12)}`);
    }
  });

  it('hash a secret as SHA-256 over its own 128-bit key and the secret, and refuse any other length', () => {
    const secretKey = Buffer.from(hkdfSync('sha256', secret, new Uint8Array(0), 'sessionward/v1/secret-hash', 16)).toString('base64url');
    const reference = (token: string) =>
      createHash('sha256')
        .update(secretKey + token)
        .digest('base64url');
    for (const token of ['AAAAAAAAAAAAAAAAAAAAAA', 'q5Gc7oN1xw0d_-ZuKp3LrA', randomBytes(16).toString('base64url')]) {
      expect(hasher.secretHash(token)).toBe(reference(token).slice(0, 22));
    }
    expect(hasher.secretHash('AAAAAAAAAAAAAAAAAAAAAA')).not.toBe(hasher.secretHash('AAAAAAAAAAAAAAAAAAAAAB'));
    expect(new KeyedHasher(new TextEncoder().encode('another-secret-of-thirty-two-bytes-or-more')).secretHash('AAAAAAAAAAAAAAAAAAAAAA')).not.toBe(
      hasher.secretHash('AAAAAAAAAAAAAAAAAAAAAA'),
    );
    for (const wrong of ['', 'short', 'A'.repeat(21), 'A'.repeat(23), 'A'.repeat(86)]) expect(() => hasher.secretHash(wrong)).toThrow(TypeError);
  });
});
