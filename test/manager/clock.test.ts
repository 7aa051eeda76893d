import { describe, expect, it } from 'vitest';
import { MemorySessionStore, SessionManager } from 'sessionward';
import { TestClock } from 'sessionward/testing';
import { MINUTE, SECRET } from '../support/manager-fixture.js';

describe("one time source: the store's clock", () => {
  it('a manager whose clock is 3 h behind accepts its own fresh session (the default store follows it)', async () => {
    const manager = new SessionManager({ secret: SECRET, clock: () => Date.now() - 3 * 3600e3 });
    const { token } = await manager.login({ userId: 'alice' });
    expect(await manager.validate(token)).toMatchObject({ ok: true });
    await manager.dispose();
  });

  it("two managers whose clocks are ±2 min apart on one store decide idle expiry the same, on the store's clock", async () => {
    const clock = new TestClock();
    const store = new MemorySessionStore({ clock: clock.now, sweepInterval: false });
    const ahead = new SessionManager({ secret: SECRET, store, clock: () => clock.now() + 2 * MINUTE });
    const behind = new SessionManager({ secret: SECRET, store, clock: () => clock.now() - 2 * MINUTE });

    const first = await ahead.login({ userId: 'alice' });
    expect(first.session.createdAt).toBe(clock.now());
    clock.advance(31 * MINUTE);
    expect(await behind.validate(first.token)).toEqual({ ok: false, reason: 'expired-idle' });

    const second = await behind.login({ userId: 'bob' });
    expect(second.session.createdAt).toBe(clock.now());
    clock.advance(29 * MINUTE);
    expect(await ahead.validate(second.token)).toMatchObject({ ok: true });
  });
});
