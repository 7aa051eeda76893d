import { describe, expect, it } from 'vitest';
import { HOUR, managerFixture, MINUTE } from '../support/manager-fixture.js';

describe('expiry', () => {
  it('defaults to 30 minutes idle and 12 hours absolute', async () => {
    const { manager, clock } = managerFixture();
    const { session } = await manager.login({ userId: 'alice' });
    expect(session.expiresAt - session.createdAt).toBe(30 * MINUTE);
    expect(session.absoluteExpiresAt - session.createdAt).toBe(12 * HOUR);
    clock.advance(29 * MINUTE);
    expect((await manager.get(session.id))?.id).toBe(session.id);
  });

  it('ends an idle session, says so, and records the expiry once', async () => {
    const { manager, clock, events } = managerFixture();
    const { token } = await manager.login({ userId: 'alice' });
    clock.advance(31 * MINUTE);
    expect(await manager.validate(token)).toEqual({ ok: false, reason: 'expired-idle' });
    expect(await manager.validate(token)).toEqual({ ok: false, reason: 'expired-idle' });
    expect(events('session.ended')).toMatchObject([{ reason: 'expired-idle', actor: 'system' }]);
    expect(await manager.list('alice')).toEqual([]);
  });

  it('slides the idle deadline with activity', async () => {
    const { manager, clock } = managerFixture();
    const { token } = await manager.login({ userId: 'alice' });
    for (let i = 0; i < 6; i += 1) {
      clock.advance(20 * MINUTE);
      expect(await manager.validate(token)).toMatchObject({ ok: true });
    }
  });

  it('never extends past the absolute lifetime, however active', async () => {
    const { manager, clock } = managerFixture({ expiry: { idleTimeout: '30m', absoluteLifetime: '2h' } });
    const { token, session } = await manager.login({ userId: 'alice' });
    let last: Awaited<ReturnType<typeof manager.validate>> | undefined;
    for (let elapsed = 0; elapsed < 2 * HOUR - 20 * MINUTE; elapsed += 20 * MINUTE) {
      clock.advance(20 * MINUTE);
      last = await manager.validate(token);
      expect(last).toMatchObject({ ok: true });
    }
    expect(last!.ok && last!.session.expiresAt).toBeLessThanOrEqual(session.absoluteExpiresAt);
    clock.advance(21 * MINUTE);
    expect(await manager.validate(token)).toEqual({ ok: false, reason: 'expired-absolute' });
  });

  it('writes at most once per touch interval', async () => {
    const { manager, clock, events } = managerFixture({ touchInterval: '1m' });
    const { token, session } = await manager.login({ userId: 'alice' });
    for (let i = 0; i < 10; i += 1) {
      clock.advance(5_000);
      await manager.validate(token);
    }
    // 50 s of traffic: inside the interval, nothing written.
    expect((await manager.get(session.id))!.lastAccess).toBe(session.lastAccess);
    expect(events('session.renewed')).toHaveLength(0);
    clock.advance(15_000);
    const result = await manager.validate(token);
    expect(result.ok && result.session.lastAccess).toBe(session.lastAccess + 65_000);
    expect(events('session.renewed')).toHaveLength(1);
  });

  it('validate({ touch: false }) checks without recording activity', async () => {
    const { manager, clock } = managerFixture();
    const { token, session } = await manager.login({ userId: 'alice' });
    clock.advance(10 * MINUTE);
    expect(await manager.validate(token, { touch: false })).toMatchObject({ ok: true });
    expect((await manager.get(session.id))!.lastAccess).toBe(session.lastAccess);
  });

  it('applies per-user policies chosen by a function', async () => {
    const { manager, clock } = managerFixture({
      expiry: (subject) => (subject.roles?.includes('admin') ? { idleTimeout: '5m', absoluteLifetime: '1h' } : {}),
    });
    const admin = await manager.login({ userId: 'root', roles: ['admin'] });
    const user = await manager.login({ userId: 'alice' });
    expect(admin.session.absoluteExpiresAt - admin.session.createdAt).toBe(HOUR);
    clock.advance(6 * MINUTE);
    expect(await manager.validate(admin.token)).toEqual({ ok: false, reason: 'expired-idle' });
    expect(await manager.validate(user.token)).toMatchObject({ ok: true });
  });

  it('touch() records activity from the credential, throttled the same way; a handle alone keeps nothing alive', async () => {
    const { manager, clock } = managerFixture();
    const { session, token } = await manager.login({ userId: 'alice' });
    clock.advance(2 * MINUTE);
    expect((await manager.touch(token))!.lastAccess).toBe(session.lastAccess + 2 * MINUTE);
    clock.advance(20 * MINUTE);
    expect(await manager.touch(session.id)).toBeNull(); // the listed id is not a credential
    expect((await manager.get(session.id))!.lastAccess).toBe(session.lastAccess + 2 * MINUTE);
    clock.advance(31 * MINUTE);
    expect(await manager.touch(token)).toBeNull();
    expect(await manager.touch('not-a-session-id')).toBeNull();
  });
});
