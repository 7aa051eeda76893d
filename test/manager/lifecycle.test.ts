import { describe, expect, it } from 'vitest';
import { isSessionError } from 'sessionward';
import { runBehindBarrier } from 'sessionward/testing';
import { CHROME_WINDOWS, FIREFOX_LINUX, managerFixture, MINUTE, SAFARI_IPHONE } from '../support/manager-fixture.js';

/** What a call with a key it does not take answers, and an object of such keys that type-checks. */
const refused = { code: 'ERR_SESSION_INVALID_ARGUMENT' };
const loose = <T>(value: Record<string, unknown>) => value as T;

describe('lifecycle', () => {
  it('describes the device and keeps the app data', async () => {
    const { manager } = managerFixture();
    const { session } = await manager.login({ userId: 'alice', context: CHROME_WINDOWS, data: { theme: 'dark' } });
    expect(session).toMatchObject({
      userId: 'alice',
      isActive: true,
      version: 1,
      data: { theme: 'dark' },
      deviceInfo: { browser: 'Chrome 131', os: 'Windows 10', device: 'desktop', ipAddress: '203.0.113.10' },
      locationInfo: null,
    });
    expect(session.deviceInfo.fingerprint).toMatch(/^[A-Za-z0-9_-]{22}$/);
  });

  it('rotate: a new id and credential; the old credential is dead at once', async () => {
    const { manager, clock, events } = managerFixture();
    const first = await manager.login({ userId: 'alice', data: { cart: 2 } });
    clock.advance(MINUTE);
    const rotated = await manager.rotate(first.session.id, { reauthenticated: true });
    expect(rotated).not.toBeNull();
    expect(rotated!.session.id).not.toBe(first.session.id);
    expect(rotated!.session).toMatchObject({ data: { cart: 2 }, createdAt: first.session.createdAt, authTime: clock.now() });
    expect(rotated!.session.absoluteExpiresAt).toBe(first.session.absoluteExpiresAt);
    expect(await manager.validate(first.token)).toEqual({ ok: false, reason: 'rotated' });
    expect(await manager.validate(rotated!.token)).toMatchObject({ ok: true, session: { id: rotated!.session.id } });
    expect(events('session.rotated')).toMatchObject([{ previousSessionId: first.session.id, sessionId: rotated!.session.id }]);
    expect(await manager.rotate(first.session.id)).toBeNull();
  });

  it('rotate: of concurrent rotations exactly one wins (20×)', async () => {
    const { manager } = managerFixture();
    for (let round = 0; round < 20; round += 1) {
      const { session } = await manager.login({ userId: `user-${round}` });
      const results = await runBehindBarrier(5, () => manager.rotate(session.id));
      const winners = results.filter((r) => r.status === 'fulfilled' && r.value !== null);
      expect(winners).toHaveLength(1);
      expect(await manager.list(`user-${round}`)).toHaveLength(1);
    }
  });

  it('revoke: refused on the very next request, with the reason, and audited with the actor', async () => {
    const { manager, events } = managerFixture();
    const { token, session } = await manager.login({ userId: 'alice' });
    const revoked = await manager.revoke(session.id, { actor: 'admin-42' });
    expect(revoked).toMatchObject({ id: session.id, isActive: false });
    expect(await manager.validate(token)).toEqual({ ok: false, reason: 'revoked' });
    expect(events('session.ended')).toMatchObject([{ sessionId: session.id, reason: 'revoked', actor: 'admin-42' }]);
    expect(await manager.revoke(session.id)).toBeNull();
  });

  it('logout: refused as logged-out', async () => {
    const { manager } = managerFixture();
    const { token, session } = await manager.login({ userId: 'alice' });
    await manager.logout(session.id);
    expect(await manager.validate(token)).toEqual({ ok: false, reason: 'logged-out' });
  });

  it('revokeAll with except: signs out everywhere else', async () => {
    const { manager } = managerFixture();
    const here = await manager.login({ userId: 'alice', context: CHROME_WINDOWS });
    const laptop = await manager.login({ userId: 'alice', context: FIREFOX_LINUX });
    const phone = await manager.login({ userId: 'alice', context: SAFARI_IPHONE });
    const bob = await manager.login({ userId: 'bob' });
    const ended = await manager.revokeAll('alice', { except: here.session.id, actor: 'user' });
    expect(ended.map((s) => s.id).sort()).toEqual([laptop.session.id, phone.session.id].sort());
    expect(await manager.validate(here.token)).toMatchObject({ ok: true });
    expect(await manager.validate(laptop.token)).toEqual({ ok: false, reason: 'revoked' });
    expect(await manager.validate(phone.token)).toEqual({ ok: false, reason: 'revoked' });
    expect(await manager.validate(bob.token)).toMatchObject({ ok: true });
    expect(await manager.revokeAll('alice')).toHaveLength(1);
  });

  it('list: exactly the live sessions, with device and last access, and no secrets', async () => {
    const { manager, clock } = managerFixture();
    const a = await manager.login({ userId: 'alice', context: CHROME_WINDOWS });
    clock.advance(1_000);
    const b = await manager.login({ userId: 'alice', context: SAFARI_IPHONE });
    clock.advance(1_000);
    const c = await manager.login({ userId: 'alice' });
    await manager.revoke(c.session.id);
    const listed = await manager.list('alice');
    expect(listed.map((s) => s.id)).toEqual([a.session.id, b.session.id]);
    expect(listed[1]).toMatchObject({ deviceInfo: { os: 'iOS 17.5', device: 'mobile Apple iPhone' }, lastAccess: b.session.lastAccess });
    for (const session of listed) {
      expect(Object.keys(session)).not.toContain('secretHash');
      expect(JSON.stringify(session)).not.toContain(a.token.split('.')[2]!.slice(0, 16));
    }
  });

  it('update: field-level, guarded by version, and never revives an ended session', async () => {
    const { manager } = managerFixture();
    const { session } = await manager.login({ userId: 'alice', data: { a: 1 } });
    const updated = await manager.update(session.id, { set: { b: 2 }, unset: ['a'] });
    expect(updated).toMatchObject({ data: { b: 2 }, version: 2 });
    await expect(manager.update(session.id, { set: { c: 3 } }, { expectedVersion: 1 })).rejects.toSatisfy(
      (error) => isSessionError(error, 'ERR_SESSION_CONFLICT') && error.statusCode === 409 && error.retryable,
    );
    expect(await manager.update(session.id, { set: { c: 3 } }, { expectedVersion: 2 })).toMatchObject({ version: 3 });
    await manager.revoke(session.id);
    expect(await manager.update(session.id, { set: { d: 4 } })).toBeNull();
  });

  it('update: parallel writes of different fields all survive (20×)', async () => {
    const { manager } = managerFixture();
    for (let round = 0; round < 20; round += 1) {
      const { session } = await manager.login({ userId: 'alice' });
      await runBehindBarrier(10, (i) => manager.update(session.id, { set: { [`k${i}`]: i } }));
      expect(Object.keys((await manager.get(session.id))!.data)).toHaveLength(10);
    }
  });

  it('refuses data that is not JSON with a typed error naming the argument', async () => {
    const { manager } = managerFixture();
    await expect(manager.login({ userId: 'alice', data: { n: 10n } })).rejects.toMatchObject({ code: 'ERR_SESSION_INVALID_ARGUMENT' });
    await expect(manager.login({ userId: '' })).rejects.toThrow(/userId/);
  });

  it('refuses a key it does not know in a login or an update, naming it, before anything is written', async () => {
    const { manager, calls } = managerFixture();
    const { session } = await manager.login({ userId: 'alice', data: { role: 'member' } });
    const before = { ...calls };
    const misplaced = { data: { set: { role: 'admin' } } } as unknown as { set: Record<string, unknown> };
    await expect(manager.update(session.id, misplaced)).rejects.toMatchObject({
      code: 'ERR_SESSION_INVALID_ARGUMENT',
      message: expect.stringContaining('"change.data"'),
    });
    const misspelt = { userId: 'bob', dat: { role: 'member' } } as unknown as { userId: string };
    await expect(manager.login(misspelt)).rejects.toMatchObject({
      code: 'ERR_SESSION_INVALID_ARGUMENT',
      message: expect.stringMatching(/"input\.dat".*did you mean "input\.data"/),
    });
    expect(calls).toEqual(before); // no store call for either
    expect((await manager.get(session.id))!.data).toEqual({ role: 'member' });
    expect(await manager.list('bob')).toEqual([]);
  });

  it('refuses an unknown key in the options of the calls that end, rotate or guard a session, and ends nothing', async () => {
    const { manager } = managerFixture();
    const { session: current } = await manager.login({ userId: 'alice' });
    const { session: other } = await manager.login({ userId: 'alice' });
    // "Sign out everywhere else" with a misspelt except would have signed this device out too.
    await expect(manager.revokeAll('alice', loose({ exept: current.id }))).rejects.toMatchObject({
      ...refused,
      message: expect.stringMatching(/"options\.exept".*"options\.except"/),
    });
    await expect(manager.revoke(other.id, loose({ reson: 'anomaly' }))).rejects.toMatchObject(refused);
    await expect(manager.logout(other.id, loose({ contex: {} }))).rejects.toMatchObject(refused);
    await expect(manager.rotate(current.id, loose({ reauthenticate: true }))).rejects.toMatchObject(refused);
    await expect(manager.update(current.id, { set: { a: 1 } }, loose({ expectedVerison: 0 }))).rejects.toMatchObject(refused);
    await expect(manager.confirmStepUp(current.id, loose({ amrs: ['otp'] }))).rejects.toMatchObject(refused);
    expect((await manager.list('alice')).map((session) => session.id).sort()).toEqual([current.id, other.id].sort());
    expect((await manager.get(current.id))!.data).toEqual({});
  });

  it("refuses an unknown key in the admin's filters, options and queries, and revokes nothing", async () => {
    const { manager } = managerFixture();
    const { session: one } = await manager.login({ userId: 'alice' });
    const { session: two } = await manager.login({ userId: 'bob' });
    // A misspelt filter key matched every session, and a misspelt dryRun revoked what it should only list.
    await expect(manager.admin.revokeWhere(loose({ contry: 'KR' }))).rejects.toMatchObject({
      ...refused,
      message: expect.stringMatching(/"filter\.contry".*"filter\.country"/),
    });
    await expect(manager.admin.revokeWhere({ userId: 'alice' }, loose({ dryrun: true }))).rejects.toMatchObject({
      ...refused,
      message: expect.stringMatching(/"options\.dryrun".*"options\.dryRun"/),
    });
    await expect(manager.admin.stats(loose({ topUser: 3 }))).rejects.toMatchObject(refused);
    await expect(manager.admin.sweep(loose({ batch: 10 }))).rejects.toMatchObject(refused);
    expect(() => manager.admin.startSweeper(loose({ evry: '1m' }))).toThrow(expect.objectContaining(refused));
    await expect(manager.admin.history('alice', loose({ limit: 5 }))).rejects.toMatchObject(refused);
    await expect(manager.admin.events('alice', loose({ max: 5 }))).rejects.toMatchObject(refused);
    await expect(manager.refresh('swr1.x', loose({ contxt: {} }))).rejects.toMatchObject(refused);
    expect((await manager.admin.revokeWhere({ userId: 'alice' }, { dryRun: true })).matched.map((session) => session.id)).toEqual([one.id]);
    for (const session of [one, two]) expect(await manager.get(session.id)).toMatchObject({ isActive: true });
  });

  it('answers null, not an error, for ids that are not session ids', async () => {
    const { manager } = managerFixture();
    expect(await manager.get('../../etc/passwd')).toBeNull();
    expect(await manager.revoke('x')).toBeNull();
    expect(await manager.rotate('')).toBeNull();
    expect(await manager.update('nope', { set: {} })).toBeNull();
  });
});
