import { describe, expect, it, vi } from 'vitest';
import { CredentialCodec } from '../../src/tokens/credential-codec.js';
import { HmacCredentials } from '../../src/tokens/hmac-credentials.js';
import { KeyedHasher } from '../../src/tokens/keyed-hasher.js';

const SECRET = 'memo-test-secret-0123456789-abcdefghijklmnopqrstuvwxyz';
const NOW = Date.UTC(2026, 11, 3);

async function codecWith(memoSize: number, credentials: number) {
  const codec = new CredentialCodec({
    keys: [{ kid: 'k1', alg: 'HS256', secret: SECRET }],
    issuer: 'sessionward',
    audience: 'sessionward',
    clockToleranceMs: 5_000,
    memoSize,
    hasher: new KeyedHasher(new TextEncoder().encode(SECRET)),
  });
  const signed = await Promise.all(
    Array.from({ length: credentials }, (_, i) =>
      codec.sign({ sessionId: `abcdefghijklmnop.${String(i).padStart(22, 'a')}`, secret: String(i).padStart(22, 'b'), expiresAt: NOW + 3_600_000, now: NOW }),
    ),
  );
  return { codec, signed };
}

describe('the verified-credential memo', () => {
  it('with twice as many sessions as it holds, used round-robin, still answers about half the checks', async () => {
    const { codec, signed } = await codecWith(100, 200);
    const verifications = vi.spyOn(HmacCredentials.prototype, 'verify');
    try {
      for (let round = 0; round < 20; round += 1) for (const credential of signed) expect(await codec.verify(credential, NOW)).toMatchObject({ ok: true });
      // An LRU memo of 100 misses every one of these checks (each evicts the next one needed).
      const checks = 20 * signed.length;
      expect(verifications.mock.calls.length / checks).toBeLessThan(0.6);
    } finally {
      verifications.mockRestore();
    }
  });

  it('remembers everything while it has room, and a working set that stops being used gives way to the next', async () => {
    const { codec, signed } = await codecWith(100, 180);
    const [first, next] = [signed.slice(0, 100), signed.slice(100)];
    const verifications = vi.spyOn(HmacCredentials.prototype, 'verify');
    try {
      for (const credential of first) await codec.verify(credential, NOW);
      for (const credential of first) await codec.verify(credential, NOW);
      expect(verifications.mock.calls.length).toBe(100); // the second pass was remembered
      // Once full, about eight misses each: 80 credentials settle within about 40 rounds.
      for (let round = 0; round < 60; round += 1) for (const credential of next) await codec.verify(credential, NOW);
      verifications.mockClear();
      for (const credential of next) await codec.verify(credential, NOW);
      expect(verifications.mock.calls.length).toBe(0); // the new set is answered from the memo
      for (const credential of first) await codec.verify(credential, NOW);
      expect(verifications.mock.calls.length).toBeGreaterThanOrEqual(80); // and pushed the old one out
    } finally {
      verifications.mockRestore();
    }
  });
});
