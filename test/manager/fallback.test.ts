import { describe, expect, it } from 'vitest';
import { isSessionError, MemorySessionStore, type SessionManagerOptions } from 'sessionward';
import { CHROME_WINDOWS, managerFixture, MINUTE } from '../support/manager-fixture.js';
import { failingWhen } from '../support/outage-store.js';
import { TestClock } from 'sessionward/testing';

/** A manager with the fallback on, over a store that can be taken down. */
function degradable(fallback: SessionManagerOptions['fallback'] = { maxAge: '2m' }) {
  const clock = new TestClock();
  const outage = { down: false };
  const store = failingWhen(new MemorySessionStore({ clock: clock.now, sweepInterval: false }), outage);
  const fixture = managerFixture({ store, clock: clock.now, fallback, touchInterval: '1m' });
  return { ...fixture, clock, outage };
}

const unavailable = (error: unknown) => isSessionError(error, 'ERR_SESSION_STORE_UNAVAILABLE');

describe('fallback while the store is down', () => {
  it('serves a session this process confirmed within maxAge, flagged degraded, only where allowed', async () => {
    const { manager, outage, clock } = degradable();
    const { token, session } = await manager.login({ userId: 'alice' });
    expect(await manager.validate(token)).toMatchObject({ ok: true });
    outage.down = true;
    clock.advance(MINUTE);
    // Without allowDegraded, an outage is still the 503 it always was.
    expect(unavailable(await manager.validate(token).catch((e: unknown) => e))).toBe(true);
    expect(await manager.validate(token, { allowDegraded: true })).toEqual({ ok: true, session: expect.objectContaining({ id: session.id }), degraded: true });
    // Past maxAge since the last confirmation: a 503 again.
    clock.advance(MINUTE + 1);
    expect(unavailable(await manager.validate(token, { allowDegraded: true }).catch((e: unknown) => e))).toBe(true);
  });

  it('gives each degraded answer its own copy: edits in a route do not leak into the next one', async () => {
    const { manager, outage } = degradable();
    const { token } = await manager.login({ userId: 'alice', data: { cart: { items: 1 } } });
    await manager.validate(token);
    outage.down = true;
    const first = await manager.validate(token, { allowDegraded: true });
    if (!first.ok) throw new Error('refused');
    (first.session.data.cart as { items: number }).items = 99;
    first.session.userId = 'mallory';
    expect(await manager.validate(token, { allowDegraded: true })).toMatchObject({ ok: true, session: { userId: 'alice', data: { cart: { items: 1 } } } });
  });

  it('never serves what the store did not confirm here: an unconfirmed session, a wrong secret, a forged credential', async () => {
    const { manager, outage } = degradable();
    const confirmed = await manager.login({ userId: 'alice' });
    const unconfirmed = await manager.login({ userId: 'bob' });
    await manager.validate(confirmed.token);
    outage.down = true;
    expect(unavailable(await manager.validate(unconfirmed.token, { allowDegraded: true }).catch((e: unknown) => e))).toBe(true);
    const tampered = `${confirmed.token.slice(0, -2)}${confirmed.token.endsWith('AA') ? 'BB' : 'AA'}`;
    expect(await manager.validate(tampered, { allowDegraded: true })).toMatchObject({ ok: false });
  });

  it('forgets a session the moment this process revokes, rotates or sees it refused', async () => {
    const { manager, outage } = degradable();
    const revoked = await manager.login({ userId: 'alice' });
    const rotated = await manager.login({ userId: 'bob' });
    const everywhere = await manager.login({ userId: 'carol' });
    for (const { token } of [revoked, rotated, everywhere]) await manager.validate(token);
    await manager.revoke(revoked.session.id);
    await manager.rotate(rotated.session.id);
    // An attempt during the outage still forgets first: the user asked to sign out everywhere.
    outage.down = true;
    await manager.revokeAll('carol').catch(() => undefined);
    for (const { token } of [revoked, rotated, everywhere]) {
      expect(unavailable(await manager.validate(token, { allowDegraded: true }).catch((e: unknown) => e))).toBe(true);
    }
  });

  it('writes nothing and runs nothing that changes a session while degraded', async () => {
    const { manager, outage, calls } = degradable();
    const { token, session } = await manager.login({ userId: 'alice' });
    await manager.validate(token);
    outage.down = true;
    const before = { ...calls };
    expect(await manager.validate(token, { allowDegraded: true })).toMatchObject({ degraded: true });
    // The store was asked once (and failed); no write was attempted.
    expect(calls.touch).toBe((before.touch ?? 0) + 1);
    for (const change of [
      () => manager.login({ userId: 'alice' }),
      () => manager.rotate(session.id),
      () => manager.update(session.id, { set: { a: 1 } }),
      () => manager.logout(session.id),
    ]) {
      expect(unavailable(await change().catch((e: unknown) => e))).toBe(true);
    }
  });

  it('does not serve a request from another device or IP than the one confirmed', async () => {
    const { manager, outage } = degradable();
    const context = { ...CHROME_WINDOWS, ip: '203.0.113.7' };
    const { token } = await manager.login({ userId: 'alice', context });
    await manager.validate(token, { context });
    outage.down = true;
    expect(await manager.validate(token, { context, allowDegraded: true })).toMatchObject({ degraded: true });
    const elsewhere = { ...context, ip: '198.51.100.9' };
    expect(unavailable(await manager.validate(token, { context: elsewhere, allowDegraded: true }).catch((e: unknown) => e))).toBe(true);
  });

  it('audits one store.degraded event per outage, not one per request', async () => {
    const { manager, outage, events } = degradable();
    const { token } = await manager.login({ userId: 'alice' });
    await manager.validate(token);
    for (let outageNumber = 0; outageNumber < 2; outageNumber += 1) {
      outage.down = true;
      for (let i = 0; i < 5; i += 1) await manager.validate(token, { allowDegraded: true });
      outage.down = false;
      await manager.validate(token);
    }
    await manager.admin.flushAudit();
    expect(events('store.degraded')).toHaveLength(2);
    expect(events('store.degraded')[0]).toMatchObject({ userId: 'alice', sessionId: expect.any(String), since: expect.any(Number) });
  });

  it('is off by default, and its options are checked', async () => {
    const { manager, outage } = degradable(null);
    const { token } = await manager.login({ userId: 'alice' });
    await manager.validate(token);
    outage.down = true;
    expect(unavailable(await manager.validate(token, { allowDegraded: true }).catch((e: unknown) => e))).toBe(true);
    for (const [fallback, message] of [
      [{}, /"fallback.maxAge": is required/],
      [{ maxAge: '1h' }, /"fallback.maxAge": must be above 0 and at most 15 minutes/],
      [{ maxAge: '1m', maxEntries: 0 }, /"fallback.maxEntries"/],
      [{ maxAge: '1m', maxAg: 1 }, /did you mean/],
    ] as const) {
      expect(() => managerFixture({ fallback: fallback as never })).toThrow(message);
    }
  });
});
