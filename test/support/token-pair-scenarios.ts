import { describe, expect, it } from 'vitest';
import type { SessionStore } from 'sessionward';
import { runBehindBarrier, TestClock } from 'sessionward/testing';
import { CHROME_WINDOWS, HOUR, managerFixture, MINUTE } from './manager-fixture.js';

const REPEATS = 5;

/**
 * API token pairs against one kind of store: the same scenarios on memory, Redis standalone and
 * the cluster. `makeStore` gets the scenario's clock.
 */
export function describeTokenPairs(name: string, makeStore: (clock: TestClock) => SessionStore) {
  function pairs() {
    const clock = new TestClock();
    const fixture = managerFixture({
      store: makeStore(clock),
      clock: clock.now,
      tokenPairs: { accessTtl: '5m', reuseGrace: '5s' },
      expiry: { idleTimeout: '30m', absoluteLifetime: '2h' },
      touchInterval: '10s',
    });
    return { ...fixture, clock };
  }
  const login = async (manager: ReturnType<typeof pairs>['manager'], userId = 'alice') => {
    const created = await manager.login({ userId, context: CHROME_WINDOWS, tokens: 'pair' });
    if (!created.refreshToken) throw new Error('no refresh token');
    return { ...created, refreshToken: created.refreshToken };
  };
  const refreshed = (outcome: Awaited<ReturnType<ReturnType<typeof pairs>['manager']['refresh']>>) => {
    if (!outcome.ok) throw new Error(`refresh refused: ${outcome.reason}`);
    return outcome;
  };

  describe(`API token pairs (${name})`, () => {
    it('login issues a short-lived access token and a refresh token; refresh rotates both', async () => {
      const { manager, clock } = pairs();
      const first = await login(manager);
      expect(first.token).toMatch(/^eyJ/);
      expect(first.refreshToken).toMatch(/^swr1\./);
      expect(first.tokenExpiresAt).toBe(clock.now() + 5 * MINUTE);
      expect(await manager.validate(first.token)).toMatchObject({ ok: true, session: { userId: 'alice' } });
      clock.advance(MINUTE);
      const second = refreshed(await manager.refresh(first.refreshToken));
      expect(second.refreshToken).not.toBe(first.refreshToken);
      expect(second.token).not.toBe(first.token);
      expect(second.session).toMatchObject({ id: first.session.id, lastAccess: clock.now() });
      expect(await manager.validate(second.token)).toMatchObject({ ok: true });
      // Access tokens end on their own short clock; the store still decides before then.
      clock.advance(5 * MINUTE);
      expect(await manager.validate(first.token)).toMatchObject({ ok: false, reason: 'expired-absolute' });
      expect(refreshed(await manager.refresh(second.refreshToken)).session.id).toBe(first.session.id);
    });

    it('a spent refresh token after the grace window ends the session and every token of it, audited once', async () => {
      const { manager, clock, events } = pairs();
      const first = await login(manager);
      const second = refreshed(await manager.refresh(first.refreshToken));
      clock.advance(5_001);
      expect(await manager.refresh(first.refreshToken)).toEqual({ ok: false, reason: 'refresh-reused' });
      expect(await manager.validate(second.token)).toMatchObject({ ok: false, reason: 'revoked' });
      expect(await manager.refresh(second.refreshToken)).toMatchObject({ ok: false, reason: 'revoked' });
      expect(events('session.refresh-reused')).toEqual([expect.objectContaining({ sessionId: first.session.id, userId: 'alice', generation: 0 })]);
      expect(events('session.ended')).toEqual([expect.objectContaining({ sessionId: first.session.id, reason: 'refresh-reused' })]);
      expect(await manager.list('alice')).toEqual([]);
    });

    it('inside the grace window the same token yields the same pair lineage, then only the newest token works', async () => {
      const { manager, clock } = pairs();
      const first = await login(manager);
      const a = refreshed(await manager.refresh(first.refreshToken));
      clock.advance(4_000);
      const b = refreshed(await manager.refresh(first.refreshToken));
      expect(b.refreshToken).toBe(a.refreshToken);
      const c = refreshed(await manager.refresh(b.refreshToken));
      // The lineage moved on: the first token is now two generations old, a fork attempt.
      expect(await manager.refresh(first.refreshToken)).toEqual({ ok: false, reason: 'refresh-reused' });
      expect(await manager.validate(c.token)).toMatchObject({ ok: false, reason: 'revoked' });
    });

    it(`20 parallel refreshes of one token give one lineage, never a fork (${REPEATS}×)`, async () => {
      const { manager } = pairs();
      for (let round = 0; round < REPEATS; round += 1) {
        const { refreshToken } = await login(manager, `user-${round}`);
        const results = await runBehindBarrier(20, () => manager.refresh(refreshToken));
        const successors = new Set(results.map((r) => (r.status === 'fulfilled' && r.value.ok ? r.value.refreshToken : `refused:${JSON.stringify(r)}`)));
        expect([...successors]).toHaveLength(1);
        const [successor] = successors;
        expect(refreshed(await manager.refresh(successor!)).session.userId).toBe(`user-${round}`);
      }
    });

    it(`a refresh racing revokeAll never leaves a live successor (${REPEATS}×)`, async () => {
      const { manager } = pairs();
      for (let round = 0; round < REPEATS; round += 1) {
        const userId = `racer-${round}`;
        const { refreshToken } = await login(manager, userId);
        const [refresh] = await runBehindBarrier<unknown>(2, (i) => (i === 0 ? manager.refresh(refreshToken) : manager.revokeAll(userId)));
        const outcome = refresh!.status === 'fulfilled' ? (refresh!.value as Awaited<ReturnType<typeof manager.refresh>>) : null;
        if (outcome?.ok) {
          expect(await manager.validate(outcome.token)).toMatchObject({ ok: false, reason: 'revoked' });
          expect(await manager.refresh(outcome.refreshToken)).toMatchObject({ ok: false, reason: 'revoked' });
        }
        expect(await manager.list(userId)).toEqual([]);
      }
    });

    it('never reaches past the absolute deadline; the idle timeout counts refreshes', async () => {
      const { manager, clock } = pairs();
      let { refreshToken } = await login(manager);
      // Refreshing every 25 minutes keeps a 30-minute idle timeout alive ...
      for (let i = 0; i < 4; i += 1) {
        clock.advance(25 * MINUTE);
        const next = refreshed(await manager.refresh(refreshToken));
        expect(next.tokenExpiresAt).toBeLessThanOrEqual(next.session.absoluteExpiresAt);
        refreshToken = next.refreshToken;
      }
      // ... up to the 2-hour absolute deadline, and not a moment past it.
      clock.advance(2 * HOUR - 100 * MINUTE);
      expect(await manager.refresh(refreshToken)).toMatchObject({ ok: false, reason: 'expired-absolute' });

      const idle = await login(manager, 'bob');
      clock.advance(31 * MINUTE);
      expect(await manager.refresh(idle.refreshToken)).toMatchObject({ ok: false, reason: 'expired-idle' });
    });

    it('access, refresh and session credentials never stand in for one another; a forged refresh token harms nothing', async () => {
      const { manager, calls } = pairs();
      const pair = await login(manager);
      const cookie = await manager.login({ userId: 'carol' });
      expect(await manager.refresh(pair.token)).toMatchObject({ ok: false, reason: 'invalid' });
      expect(await manager.refresh(cookie.token)).toMatchObject({ ok: false, reason: 'invalid' });
      expect(await manager.validate(pair.refreshToken)).toMatchObject({ ok: false, reason: 'malformed' });
      expect(await manager.refresh('')).toMatchObject({ ok: false, reason: 'missing' });
      // Someone who knows the session id (a handle shown in lists) but not the key cannot end it.
      const before = calls.refresh ?? 0;
      const parts = pair.refreshToken.split('.');
      const forged = [...parts.slice(0, 5), 'A'.repeat(22), parts[6]].join('.');
      const retagged = [...parts.slice(0, 6), 'A'.repeat(22)].join('.');
      const extended = [...parts.slice(0, 4), 'zzzzzz', ...parts.slice(5)].join('.');
      for (const token of [forged, retagged, extended, `${pair.refreshToken}x`, pair.refreshToken.replace('swr1', 'swr2')]) {
        expect(await manager.refresh(token)).toMatchObject({ ok: false, reason: 'invalid' });
      }
      expect(calls.refresh ?? 0).toBe(before); // refused before any store call
      expect(refreshed(await manager.refresh(pair.refreshToken)).session.userId).toBe('alice');
    });

    it('a refresh the store applied but whose answer was lost: the retry after the grace window gets the successor, not a log-out', async () => {
      const clock = new TestClock();
      const inner = makeStore(clock);
      let loseAnswer = false;
      // The store applies the refresh, then the connection drops before the answer arrives.
      const store = new Proxy(inner, {
        get(target, property, receiver) {
          const value = Reflect.get(target, property, receiver);
          if (property !== 'refresh' || typeof value !== 'function') return typeof value === 'function' ? value.bind(target) : value;
          return async (...args: unknown[]) => {
            const answer = await value.apply(target, args);
            if (loseAnswer) throw new Error('read ECONNRESET');
            return answer;
          };
        },
      });
      const { manager } = managerFixture({ store, clock: clock.now, tokenPairs: { reuseGrace: '5s' } });
      const { refreshToken } = await login(manager);
      loseAnswer = true;
      await expect(manager.refresh(refreshToken)).rejects.toMatchObject({ code: 'ERR_SESSION_STORE_UNAVAILABLE' });
      loseAnswer = false;
      clock.advance(20_000); // the client retries later, well past the grace window
      const retried = refreshed(await manager.refresh(refreshToken));
      expect(await manager.validate(retried.token)).toMatchObject({ ok: true });
      expect(refreshed(await manager.refresh(retried.refreshToken)).session.userId).toBe('alice');
    });

    it('requireRecentAuth before and after re-authentication, which records when and how (amr)', async () => {
      const { manager, clock } = pairs();
      const { token, session } = await manager.login({ userId: 'alice', amr: ['pwd'] });
      expect(session.amr).toEqual(['pwd']);
      expect(manager.requireRecentAuth(session, '15m')).toEqual({ ok: true });
      clock.advance(20 * MINUTE);
      const stale = await manager.validate(token);
      if (!stale.ok) throw new Error(stale.reason);
      expect(manager.requireRecentAuth(stale.session, '15m')).toEqual({ ok: false, reason: 'reauthentication-required' });
      await manager.confirmStepUp(session.id, { amr: ['pwd', 'otp'] });
      const fresh = await manager.validate(token);
      expect(fresh).toMatchObject({ ok: true, session: { authTime: clock.now(), amr: ['pwd', 'otp'] } });
      expect(fresh.ok && manager.requireRecentAuth(fresh.session, '15m')).toEqual({ ok: true });
      await expect(manager.login({ userId: 'bob', amr: ['pwd', 'not a method'] })).rejects.toMatchObject({ code: 'ERR_SESSION_INVALID_ARGUMENT' });
    });

    it('revoke and rotation end the refresh token; a rotated pair session gets a new pair', async () => {
      const { manager } = pairs();
      const revoked = await login(manager);
      await manager.revoke(revoked.session.id);
      expect(await manager.refresh(revoked.refreshToken)).toMatchObject({ ok: false, reason: 'revoked' });
      const rotating = await login(manager, 'bob');
      const rotated = await manager.rotate(rotating.session.id);
      expect(rotated?.refreshToken).toMatch(/^swr1\./);
      expect(await manager.refresh(rotating.refreshToken)).toMatchObject({ ok: false, reason: 'rotated' });
      expect(await manager.validate(rotated!.token)).toMatchObject({ ok: true });
      expect(refreshed(await manager.refresh(rotated!.refreshToken!)).session.id).toBe(rotated!.session.id);
    });
  });
}
