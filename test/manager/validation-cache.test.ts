import { describe, expect, it } from 'vitest';
import { InProcessRevocationHub, MemorySessionStore } from 'sessionward';
import { TestClock } from 'sessionward/testing';
import { CHROME_WINDOWS, managerFixture } from '../support/manager-fixture.js';

/** Two managers of one process over one memory store, with the cache on and a hub between them. */
function cached() {
  const clock = new TestClock();
  const hub = new InProcessRevocationHub();
  const store = new MemorySessionStore({ clock: clock.now, sweepInterval: false });
  const make = () => managerFixture({ store, clock: clock.now, cache: { maxStaleness: '5s' }, revocations: hub.channel(), touchInterval: '1m' });
  return { a: make(), b: make(), clock, hub };
}

describe('validation cache (in process)', () => {
  it('never answers from a confirmation older than maxStaleness', async () => {
    const { a, clock } = cached();
    const { token } = await a.manager.login({ userId: 'alice' });
    await a.manager.validate(token);
    const touches = a.calls.touch;
    await a.manager.validate(token);
    expect(a.calls.touch).toBe(touches); // a hit
    clock.advance(5_001);
    await a.manager.validate(token);
    expect(a.calls.touch).toBe(touches! + 1); // stale: the store is asked
  });

  it('gives each hit its own copy: a route that edits its session changes nothing the next request sees', async () => {
    const { a } = cached();
    const { token } = await a.manager.login({ userId: 'alice', data: { cart: { items: 1 } } });
    await a.manager.validate(token);
    const touches = a.calls.touch;
    for (let i = 0; i < 2; i += 1) {
      const hit = await a.manager.validate(token);
      if (!hit.ok) throw new Error('refused');
      expect(hit.session.data).toEqual({ cart: { items: 1 } });
      expect(hit.session.deviceInfo.browser).not.toBe('edited');
      (hit.session.data.cart as { items: number }).items = 99;
      hit.session.deviceInfo.browser = 'edited';
      hit.session.userId = 'mallory';
    }
    expect(a.calls.touch).toBe(touches); // both answers were hits
    expect(await a.manager.validate(token)).toMatchObject({ ok: true, session: { userId: 'alice' } });
  });

  it('keeps the idle deadline sliding: a hit never stands in for a due activity write', async () => {
    const { manager, calls, clock } = managerFixture({ cache: { maxStaleness: '60s' }, touchInterval: '10s' });
    const { token } = await manager.login({ userId: 'alice' });
    await manager.validate(token);
    clock.advance(10_000);
    const before = calls.touch!;
    const result = await manager.validate(token);
    expect(calls.touch).toBe(before + 1);
    expect(result).toMatchObject({ ok: true, session: { lastAccess: clock.now() } });
  });

  it('a request from another IP or device goes to the store (and the anomaly rules), not the cache', async () => {
    const { a } = cached();
    const context = { ...CHROME_WINDOWS, ip: '203.0.113.7' };
    const { token } = await a.manager.login({ userId: 'alice', context });
    await a.manager.validate(token, { context });
    const touches = a.calls.touch!;
    await a.manager.validate(token, { context });
    expect(a.calls.touch).toBe(touches);
    await a.manager.validate(token, { context: { ...context, ip: '198.51.100.9' } });
    expect(a.calls.touch).toBe(touches + 1);
  });

  it('a revocation on one manager reaches the other at once; a cut channel turns both caches off', async () => {
    const { a, b, hub } = cached();
    const { token, session } = await a.manager.login({ userId: 'alice' });
    await b.manager.validate(token);
    await a.manager.revoke(session.id);
    expect(await b.manager.validate(token)).toEqual({ ok: false, reason: 'revoked' });

    const other = await a.manager.login({ userId: 'bob' });
    await b.manager.validate(other.token);
    hub.cut();
    expect(b.manager.admin.health().cache).toMatchObject({ live: false });
    const touches = b.calls.touch!;
    await b.manager.validate(other.token);
    expect(b.calls.touch).toBe(touches + 1);
    hub.restore();
    await b.manager.validate(other.token); // a fresh confirmation first
    await b.manager.validate(other.token);
    expect(b.calls.touch).toBe(touches + 2);
    await b.manager.admin.flushAudit();
    expect(
      b
        .events()
        .map((e) => e.type)
        .filter((t) => t.startsWith('cache.')),
    ).toEqual(['cache.resumed', 'cache.suspended', 'cache.resumed']);
  });

  it('its options are checked: a bound, and a push channel for any store other than the in-memory one', () => {
    const shared = { store: new MemorySessionStore({ sweepInterval: false }) };
    expect(() => managerFixture({ ...shared, cache: { maxStaleness: '2m' } })).toThrow(/"cache.maxStaleness": must be above 0 and at most 60 seconds/);
    expect(() => managerFixture({ cache: {} as never })).toThrow(/"cache.maxStaleness": is required/);
    const custom = { create: async () => ({}), touch: async () => ({}), revoke: async () => null, list: async () => [] } as never;
    expect(() => managerFixture({ store: custom, cache: { maxStaleness: '2s' } })).toThrow(/"revocations": is required with cache/);
  });
});
