import { describe, expect, it } from 'vitest';
import { isSessionError, type LimitPolicy, type SessionError } from 'sessionward';
import { runBehindBarrier } from 'sessionward/testing';
import { CHROME_WINDOWS, FIREFOX_LINUX, managerFixture, MINUTE, SAFARI_IPHONE } from '../support/manager-fixture.js';

describe('concurrent-login limit', () => {
  it('reject: a fourth login is a 403 carrying the three live sessions, and is audited', async () => {
    const { manager, events, clock } = managerFixture({ limit: 3 });
    const devices = [CHROME_WINDOWS, FIREFOX_LINUX, SAFARI_IPHONE];
    const live = [];
    for (const context of devices) {
      live.push((await manager.login({ userId: 'alice', context, data: { cart: 'private-cart-contents' } })).session);
      clock.advance(1_000);
    }
    const error: SessionError<'ERR_SESSION_LIMIT_EXCEEDED'> = await manager.login({ userId: 'alice' }).then(
      () => {
        throw new Error('expected a refusal');
      },
      (e: unknown) => e as SessionError<'ERR_SESSION_LIMIT_EXCEEDED'>,
    );
    expect(isSessionError(error, 'ERR_SESSION_LIMIT_EXCEEDED')).toBe(true);
    expect(error.statusCode).toBe(403);
    expect(error.details.limit).toBe(3);
    expect(error.details.sessions!.map((s) => s.device.browser)).toEqual(['Chrome 131', 'Firefox 133', 'Mobile Safari 17']);
    expect(error.details.sessions!.map((s) => s.id)).toEqual(live.map((s) => s.id));
    // Only the public summary: no other session's app data, no full user agent, no hashes.
    expect(Object.keys(error.details.sessions![0]!).sort()).toEqual(['createdAt', 'device', 'expiresAt', 'id', 'ip', 'lastAccess', 'location']);
    expect(JSON.stringify(error.details)).not.toMatch(/private-cart-contents|Mozilla|secretHash/);
    expect(events('login.refused-by-limit')).toMatchObject([{ userId: 'alice', limit: 3, sessionIds: live.map((s) => s.id) }]);
  });

  it('evict-oldest: the login succeeds, the oldest session is refused as evicted', async () => {
    const { manager, clock, events } = managerFixture({ limit: { max: 2, policy: 'evict-oldest' } });
    const first = await manager.login({ userId: 'alice' });
    clock.advance(1_000);
    await manager.login({ userId: 'alice' });
    clock.advance(1_000);
    const third = await manager.login({ userId: 'alice' });
    expect(third.evicted.map((s) => s.id)).toEqual([first.session.id]);
    expect(await manager.validate(first.token)).toEqual({ ok: false, reason: 'evicted' });
    expect(events('session.ended')).toMatchObject([{ sessionId: first.session.id, reason: 'evicted' }]);
  });

  it('evict-idle: the least recently used session goes', async () => {
    const { manager, clock } = managerFixture({ limit: { max: 2, policy: 'evict-idle' } });
    const busy = await manager.login({ userId: 'alice' });
    clock.advance(1_000);
    const idle = await manager.login({ userId: 'alice' });
    clock.advance(5 * MINUTE);
    await manager.validate(busy.token);
    const third = await manager.login({ userId: 'alice' });
    expect(third.evicted.map((s) => s.id)).toEqual([idle.session.id]);
  });

  it('a function sets the limit per user', async () => {
    const { manager } = managerFixture({ limit: ({ roles }) => (roles?.includes('admin') ? 1 : null) });
    await manager.login({ userId: 'root', roles: ['admin'] });
    await expect(manager.login({ userId: 'root', roles: ['admin'] })).rejects.toMatchObject({ code: 'ERR_SESSION_LIMIT_EXCEEDED' });
    for (let i = 0; i < 5; i += 1) await manager.login({ userId: 'alice' });
    expect(await manager.list('alice')).toHaveLength(5);
  });

  for (const policy of ['reject', 'evict-oldest', 'evict-idle'] as LimitPolicy[]) {
    // The store's atomicity is proven 20× for every store by the conformance suite; this proves the
    // manager hands the limit to the store in the same step and that the credentials agree.
    it(`${policy}: 200 parallel logins with limit 3 leave exactly 3 live sessions (3×)`, async () => {
      const { manager } = managerFixture({ limit: { max: 3, policy } });
      for (let round = 0; round < 3; round += 1) {
        const userId = `user-${round}`;
        const results = await runBehindBarrier(200, () => manager.login({ userId }));
        const refused = results.filter((r) => r.status === 'rejected');
        for (const r of refused) expect(isSessionError(r.reason, 'ERR_SESSION_LIMIT_EXCEEDED')).toBe(true);
        expect(refused).toHaveLength(policy === 'reject' ? 197 : 0);
        const live = await manager.list(userId);
        expect(live).toHaveLength(3);
        // Every surviving credential still works; every evicted one is refused.
        const tokens = results.flatMap((r) => (r.status === 'fulfilled' ? [r.value] : []));
        const verdicts = await Promise.all(tokens.map((t) => manager.validate(t.token)));
        expect(verdicts.filter((v) => v.ok)).toHaveLength(3);
      }
    });
  }
});
