import { generateKeyPairSync } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { SessionManager, type SessionManagerOptions } from 'sessionward';
import { SECRET } from '../support/manager-fixture.js';

const ed25519 = generateKeyPairSync('ed25519');
const otherEd25519 = generateKeyPairSync('ed25519');
const p256 = generateKeyPairSync('ec', { namedCurve: 'P-256' });

const build = (options: Partial<SessionManagerOptions>) => () => new SessionManager({ secret: SECRET, ...options } as SessionManagerOptions);

describe('options are checked at construction, with messages that name the option', () => {
  it.each<[string, Partial<SessionManagerOptions>, RegExp]>([
    ['missing secret', { secret: undefined as unknown as string }, /"secret"/],
    ['short secret', { secret: 'too-short' }, /"secret".*at least 32 bytes/],
    ['repetitive secret', { secret: 'a'.repeat(64) }, /"secret".*repetitive/],
    ['bad idle timeout', { expiry: { idleTimeout: 'soon' as never } }, /"expiry.idleTimeout"/],
    ['negative lifetime', { expiry: { absoluteLifetime: -5 } }, /"expiry.absoluteLifetime"/],
    ['idle longer than absolute', { expiry: { idleTimeout: '2h', absoluteLifetime: '1h' } }, /"expiry.idleTimeout"/],
    ['touch interval not below idle', { touchInterval: '30m' }, /"touchInterval"/],
    ['zero limit', { limit: 0 }, /"limit.max"/],
    ['unknown policy', { limit: { max: 2, policy: 'kick' as never } }, /"limit.policy"/],
    ['store without methods', { store: {} as never }, /"store".*create/],
    ['empty signing keys', { signingKeys: [] }, /"signingKeys"/],
    ['weak HMAC key', { signingKeys: [{ kid: 'k', alg: 'HS256', secret: 'short' }] }, /"signingKeys\[0\].secret"/],
    [
      'duplicate kid',
      {
        signingKeys: [
          { kid: 'k', alg: 'HS256', secret: SECRET },
          { kid: 'k', alg: 'HS256', secret: SECRET },
        ],
      },
      /"signingKeys\[1\].kid"/,
    ],
    ['unknown algorithm', { signingKeys: [{ kid: 'k', alg: 'none' as never, secret: SECRET }] }, /"signingKeys\[0\].alg"/],
    ['only verify keys', { signingKeys: [{ kid: 'k', alg: 'HS256', secret: SECRET, verifyOnly: true }] }, /"signingKeys"/],
    ['empty audience', { audience: '' }, /"audience"/],
    ['negative cache size', { verifiedCredentialCacheSize: -1 }, /"verifiedCredentialCacheSize"/],
    ['a short pattern repeated', { secret: 'abcdefgh'.repeat(4) }, /"secret".*repetitive.*openssl rand/],
    ['digits repeated', { secret: '0123456789'.repeat(4) }, /"secret".*repetitive/],
    ['a half repeated', { secret: 'abcdefghijklmnopqrstuvwxyz012345'.repeat(2) }, /"secret".*repetitive/],
    ['clock not a function', { clock: 'Date.now' as never }, /"clock".*function/],
    ['onError not a function', { onError: 'log' as never }, /"onError".*function/],
    ['onStoreCall not a function', { onStoreCall: 42 as never }, /"onStoreCall".*function/],
    ['IPv4 prefix out of range', { truncateIp: { v4: 99 } }, /"truncateIp.v4"/],
    ['IPv6 prefix not an integer', { truncateIp: { v6: 1.5 } }, /"truncateIp.v6"/],
    ['truncateIp not an object', { truncateIp: 'yes' as never }, /"truncateIp"/],
    ['clock tolerance beyond 120 s', { clockTolerance: '10m' }, /"clockTolerance".*120s/],
    ['misspelt top-level key', { idleTimeout: '30m' } as never, /"idleTimeout".*not an option/],
    ['misspelt nested key', { expiry: { idleTimout: '5m' } as never }, /"expiry.idleTimout".*did you mean "expiry.idleTimeout"/],
    ['plural of limit', { limits: 3 } as never, /"limits".*did you mean "limit"/],
    ['unknown limit key', { limit: { max: 3, polcy: 'reject' } as never }, /"limit.polcy".*did you mean "limit.policy"/],
    ['unknown anomaly policy key', { anomalyPolicy: { bySeverty: {} } as never }, /"anomalyPolicy.bySeverty".*bySeverity/],
    ['RS256 with an Ed25519 key', { signingKeys: [{ kid: 'k', alg: 'RS256', ...ed25519 }] }, /"signingKeys\[0\].publicKey".*ed25519.*RS256/],
    ['ES256 with an Ed25519 key', { signingKeys: [{ kid: 'k', alg: 'ES256', ...ed25519 }] }, /"signingKeys\[0\].publicKey"/],
    [
      'a public key that is a string',
      { signingKeys: [{ kid: 'k', alg: 'EdDSA', publicKey: 'not a key' as never }] },
      /"signingKeys\[0\].publicKey".*KeyObject/,
    ],
    [
      'a private key given as the public key',
      { signingKeys: [{ kid: 'k', alg: 'EdDSA', privateKey: ed25519.privateKey, publicKey: ed25519.privateKey }] },
      /"signingKeys\[0\].publicKey"/,
    ],
    [
      'a key pair that does not match',
      { signingKeys: [{ kid: 'k', alg: 'EdDSA', privateKey: ed25519.privateKey, publicKey: otherEd25519.publicKey }] },
      /"signingKeys\[0\].privateKey".*pair/,
    ],
  ])('%s', (_label, options, message) => {
    expect(build(options)).toThrow(message);
    try {
      build(options)();
    } catch (error) {
      expect(error).toMatchObject({ code: 'ERR_SESSION_INVALID_OPTIONS' });
    }
  });

  it('a policy function returning nonsense fails at login, naming the option', async () => {
    const manager = new SessionManager({ secret: SECRET, limit: () => ({ max: -1 }) });
    await expect(manager.login({ userId: 'alice' })).rejects.toThrow(/"limit\(\).max"/);
  });

  it('accepts well-formed keys, random secrets of any alphabet, and CryptoKeys', async () => {
    expect(build({ signingKeys: [{ kid: 'e', alg: 'ES256', ...p256 }] })).not.toThrow();
    expect(build({ signingKeys: [{ kid: 'e', alg: 'EdDSA', ...ed25519 }] })).not.toThrow();
    const { randomBytes } = await import('node:crypto');
    for (let i = 0; i < 50; i += 1) {
      expect(build({ secret: randomBytes(32 + i).toString('hex') })).not.toThrow();
      expect(build({ secret: randomBytes(32 + i).toString('base64') })).not.toThrow();
      expect(build({ secret: new Uint8Array(randomBytes(32 + i)) })).not.toThrow();
    }
    const { webcrypto } = await import('node:crypto');
    const pair = (await webcrypto.subtle.generateKey({ name: 'Ed25519' }, true, ['sign', 'verify'])) as { privateKey: never; publicKey: never };
    const manager = new SessionManager({ secret: SECRET, signingKeys: [{ kid: 'w', alg: 'EdDSA', privateKey: pair.privateKey, publicKey: pair.publicKey }] });
    const { token } = await manager.login({ userId: 'alice' });
    expect(await manager.validate(token)).toMatchObject({ ok: true });
  });

  it('accepts durations as strings or milliseconds', () => {
    expect(build({ expiry: { idleTimeout: 900_000, absoluteLifetime: '8h' }, touchInterval: '30s' })).not.toThrow();
  });
});
