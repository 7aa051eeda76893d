import { describe, expect, it } from 'vitest';
import { SessionManager, type SessionManagerOptions } from 'sessionward';
import { SECRET } from '../support/manager-fixture.js';

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
    ['duplicate kid', {
      signingKeys: [
        { kid: 'k', alg: 'HS256', secret: SECRET },
        { kid: 'k', alg: 'HS256', secret: SECRET },
      ],
    }, /"signingKeys\[1\].kid"/],
    ['unknown algorithm', { signingKeys: [{ kid: 'k', alg: 'none' as never, secret: SECRET }] }, /"signingKeys\[0\].alg"/],
    ['only verify keys', { signingKeys: [{ kid: 'k', alg: 'HS256', secret: SECRET, verifyOnly: true }] }, /"signingKeys"/],
    ['empty audience', { audience: '' }, /"audience"/],
    ['negative cache size', { verifiedCredentialCacheSize: -1 }, /"verifiedCredentialCacheSize"/],
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
    await expect(manager.create({ userId: 'alice' })).rejects.toThrow(/"limit\(\).max"/);
  });

  it('accepts durations as strings or milliseconds', () => {
    expect(build({ expiry: { idleTimeout: 900_000, absoluteLifetime: '8h' }, touchInterval: '30s' })).not.toThrow();
  });
});
