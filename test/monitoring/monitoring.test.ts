import { Redis } from 'ioredis';
import { afterAll, describe, expect, inject, it } from 'vitest';
import { AllowAllDetector, MemoryAuditSink, MemorySessionStore, SessionManager, type AuditSink, type SessionStore } from 'sessionward';
import { RedisSessionStore, RedisStreamAuditSink } from 'sessionward/redis';
import { TestClock } from 'sessionward/testing';
import { PLACES } from '../../fixtures/geo-fixture.js';
import { MINUTE, SECRET } from '../support/manager-fixture.js';

const redis = new Redis(inject('redisUrl'));
afterAll(async () => {
  await redis.quit();
});

const CHROME = 'Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Safari/537.36';
const FIREFOX = 'Mozilla/5.0 (X11; Linux x86_64; rv:133.0) Gecko/20100101 Firefox/133.0';
const IPHONE = 'Mozilla/5.0 (iPhone; CPU iPhone OS 17_5 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.5 Mobile/15E148 Safari/604.1';

const backends: Record<string, (clock: TestClock) => { store: SessionStore; auditSink: AuditSink }> = {
  memory: (clock) => ({ store: new MemorySessionStore({ clock: clock.now, sweepInterval: false }), auditSink: new MemoryAuditSink() }),
  redis: (clock) => {
    const prefix = `mon-${process.pid}-${Math.random().toString(36).slice(2)}:`;
    return {
      store: new RedisSessionStore({ client: redis, prefix, clock: clock.now }),
      auditSink: new RedisStreamAuditSink({ client: redis, prefix: `${prefix}audit` }),
    };
  },
};

const geo = {
  resolve: async (ip: string) =>
    Object.values(PLACES).find((p) => p.ip === ip)
      ? {
          country: Object.values(PLACES).find((p) => p.ip === ip)!.country,
          city: null,
          subdivision: null,
          latitude: null,
          longitude: null,
          accuracyRadiusKm: null,
          timeZone: null,
          asn: null,
          asOrganization: null,
        }
      : null,
};

for (const [name, backend] of Object.entries(backends)) {
  describe(`monitoring (${name})`, () => {
    function setup(options: ConstructorParameters<typeof SessionManager>[0] | object = {}) {
      const clock = new TestClock();
      const { store, auditSink: audit } = backend(clock);
      const manager = new SessionManager({
        secret: SECRET,
        clock: clock.now,
        store,
        auditSink: audit,
        geoResolver: geo,
        anomalyDetector: new AllowAllDetector(),
        ...options,
      });
      return { manager, clock };
    }

    it('history records every way a session ends, with who and why, newest first, in pages', async () => {
      const { manager, clock } = setup({ limit: { max: 3, policy: 'evict-oldest' }, expiry: { idleTimeout: '30m', absoluteLifetime: '2h' } });
      const ctx = { ip: PLACES.seoul.ip, headers: { 'user-agent': CHROME } };
      const step = () => clock.advance(MINUTE);
      const a = await manager.login({ userId: 'alice', context: ctx });
      step();
      await manager.logout(a.session.id);
      step();
      const b = await manager.login({ userId: 'alice', context: ctx });
      step();
      await manager.revoke(b.session.id, { actor: 'admin-3' });
      step();
      const c = await manager.login({ userId: 'alice', context: ctx });
      step();
      await manager.login({ userId: 'alice' });
      step();
      await manager.login({ userId: 'alice' });
      step();
      await manager.login({ userId: 'alice' });
      step(); // evicts c
      const d = (await manager.list('alice'))[0]!;
      await manager.revoke(d.id, { reason: 'anomaly' });
      step();
      const rotated = await manager.rotate((await manager.list('alice'))[0]!.id);
      step();
      await manager.revokeAll('alice', { except: rotated!.session.id, actor: 'user' });
      step();
      clock.advance(31 * MINUTE);
      expect(await manager.validate(rotated!.token)).toMatchObject({ reason: 'expired-idle' });
      // f is never used again: only the sweeper can notice it expired. e stays active until its absolute deadline.
      const e = await manager.login({ userId: 'alice' });
      const f = await manager.login({ userId: 'alice' });
      clock.advance(25 * MINUTE);
      await manager.touch(e.token);
      clock.advance(6 * MINUTE);
      expect(await manager.admin.sweep()).toMatchObject([{ id: f.session.id, endReason: 'expired-idle', endedBy: 'system' }]);
      for (let i = 0; i < 4; i += 1) {
        clock.advance(22 * MINUTE);
        await manager.touch(e.token);
      }
      clock.advance(10 * MINUTE); // past e's absolute deadline, unobserved
      await manager.admin.flushAudit(); // audit emits are fire-and-forget

      const { sessions, cursor } = await manager.admin.history('alice');
      expect(cursor).toBeNull();
      expect(sessions.map((s) => [s.reason, s.actor])).toEqual([
        ['expired-absolute', 'system'],
        ['expired-idle', 'system'],
        ['expired-idle', 'system'],
        ['revoked', 'user'],
        ['anomaly', 'system'],
        ['evicted', 'system'],
        ['revoked', 'admin-3'],
        ['logout', 'user'],
      ]);
      expect(sessions.find((s) => s.reason === 'logout')).toMatchObject({
        sessionId: a.session.id,
        ip: PLACES.seoul.ip,
        country: 'KR',
        createdAt: a.session.createdAt,
      });
      expect(sessions.find((s) => s.reason === 'expired-idle')).toMatchObject({ createdAt: expect.any(Number) }); // traced through the rotation
      expect(sessions.find((s) => s.reason === 'evicted')!.sessionId).toBe(c.session.id);
      expect(sessions[0]).toMatchObject({ sessionId: e.session.id, endedAt: e.session.absoluteExpiresAt, derived: true });

      const first = await manager.admin.history('alice', { pageSize: 3 });
      const second = await manager.admin.history('alice', { pageSize: 3, cursor: first.cursor });
      const third = await manager.admin.history('alice', { pageSize: 3, cursor: second.cursor });
      expect([first.sessions.length, second.sessions.length, third.sessions.length]).toEqual([3, 3, 2]);
      expect([...first.sessions, ...second.sessions, ...third.sessions]).toEqual(sessions);
      expect(third.cursor).toBeNull();
      expect((await manager.admin.history('alice', { since: sessions[1]!.endedAt })).sessions).toHaveLength(2);
    });

    it('stats counts live sessions by user, country, browser, OS and device type, plus recent activity', async () => {
      const { manager } = setup();
      const devices = [
        { userId: 'alice', ip: PLACES.seoul.ip, ua: CHROME },
        { userId: 'alice', ip: PLACES.tokyo.ip, ua: IPHONE },
        { userId: 'alice', ip: PLACES.seoul.ip, ua: FIREFOX },
        { userId: 'bob', ip: PLACES.london.ip, ua: CHROME },
        { userId: 'carol', ip: '10.0.0.1', ua: 'curl/8.5.0' },
      ];
      for (const d of devices) await manager.login({ userId: d.userId, context: { ip: d.ip, headers: { 'user-agent': d.ua } } });
      const gone = await manager.login({ userId: 'dave' });
      await manager.revoke(gone.session.id);
      const stats = await manager.admin.stats({ topUsers: 2 });
      expect(stats).toMatchObject({
        activeSessions: 5,
        users: 3,
        topUsers: [
          { userId: 'alice', sessions: 3 },
          { userId: 'bob', sessions: 1 },
        ],
        byCountry: { KR: 2, GB: 1, JP: 1, unknown: 1 },
        byBrowser: { chrome: 2, firefox: 1, 'mobile safari': 1, curl: 1 },
        byOs: { windows: 2, ios: 1, linux: 1, unknown: 1 },
        byDeviceType: { desktop: 4, mobile: 1 },
        bots: 1,
      });
      expect(stats.recent['5m']).toMatchObject({ logins: 6, revocations: 1 });
    });

    it('revokeWhere ends the matching sessions; a dry run only lists them', async () => {
      const { manager } = setup();
      const at = (ip: string) => ({ ip, headers: { 'user-agent': CHROME } });
      const korean = [await manager.login({ userId: 'u1', context: at(PLACES.seoul.ip) }), await manager.login({ userId: 'u2', context: at(PLACES.busan.ip) })];
      const british = await manager.login({ userId: 'u3', context: at(PLACES.london.ip) });
      const dry = await manager.admin.revokeWhere({ country: 'KR' }, { dryRun: true });
      expect(dry.revoked).toBe(0);
      expect(dry.matched.map((s) => s.id).sort()).toEqual(korean.map((k) => k.session.id).sort());
      expect(await manager.validate(korean[0]!.token)).toMatchObject({ ok: true });
      const done = await manager.admin.revokeWhere({ country: 'KR', browser: 'chrome' }, { actor: 'admin-1' });
      expect(done.revoked).toBe(2);
      for (const k of korean) expect(await manager.validate(k.token)).toEqual({ ok: false, reason: 'revoked' });
      expect(await manager.validate(british.token)).toMatchObject({ ok: true });
    });

    it("purgeUser erases a user's sessions and history, and nobody else's", async () => {
      const { manager } = setup();
      const alice = await manager.login({ userId: 'alice' });
      await manager.login({ userId: 'alice' });
      await manager.logout(alice.session.id);
      const bob = await manager.login({ userId: 'bob' });
      await manager.admin.flushAudit(); // audit emits are fire-and-forget
      const purged = await manager.admin.purgeUser('alice');
      expect(purged.sessions).toBe(1);
      expect(purged.events).toBeGreaterThanOrEqual(3);
      expect(await manager.list('alice')).toEqual([]);
      expect(await manager.admin.events('alice')).toEqual([]);
      expect(await manager.validate(alice.token)).toMatchObject({ ok: false });
      expect(await manager.validate(bob.token)).toMatchObject({ ok: true });
      expect((await manager.admin.events('bob')).length).toBeGreaterThan(0);
    });
  });
}
