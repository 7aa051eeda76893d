import { Cluster, Redis } from 'ioredis';
import { afterAll, describe, expect, inject, it } from 'vitest';
import { MemoryAuditSink, SessionManager } from 'sessionward';
import { RedisSessionStore, RedisStreamAuditSink } from 'sessionward/redis';
import { TestClock } from 'sessionward/testing';
import { MINUTE, SECRET } from '../support/manager-fixture.js';
import { startRedis } from '../../fixtures/redis-servers.js';

const clients: (Redis | Cluster)[] = [];
afterAll(async () => {
  await Promise.all(clients.map((client) => client.quit()));
});
const connect = {
  standalone: () => new Redis(inject('redisUrl')),
  cluster: () => new Cluster(inject('redisClusterNodes')),
};

for (const [topology, open] of Object.entries(connect)) {
  describe(`sweeper (${topology})`, () => {
    it('records expiries nobody observed, across every master, bounded per run', async () => {
      const client = open();
      clients.push(client);
      const clock = new TestClock();
      const store = new RedisSessionStore({ client, prefix: `sweep-${process.pid}-${topology}:`, clock: clock.now });
      const manager = new SessionManager({ secret: SECRET, store, clock: clock.now });
      const users = Array.from({ length: 30 }, (_, i) => `user-${i}`);
      const ids: string[] = [];
      for (const userId of users) ids.push((await manager.login({ userId })).session.id);
      clock.advance(31 * MINUTE);

      const first = await store.sweep({ now: clock.now(), batchSize: 10, scanCount: 5 });
      expect(first.indexes).toBeGreaterThanOrEqual(10);
      expect(first.complete).toBe(false);
      let expired = first.expired;
      for (let run = 0; run < 20 && expired.length < users.length; run += 1) {
        expired = [...expired, ...(await store.sweep({ now: clock.now(), batchSize: 10, scanCount: 5 })).expired];
      }
      // The store holds sealed user ids (the manager opens them); sessions are named by id.
      expect(expired.map((s) => s.id).sort()).toEqual([...ids].sort());
      expect(expired.every((s) => !s.userId.startsWith('user-'))).toBe(true);
      expect(expired.every((s) => s.endReason === 'expired-idle' && s.endedBy === 'system')).toBe(true);
      // Already recorded: a further sweep finds nothing new.
      const again = await store.sweep({ now: clock.now(), batchSize: 1_000 });
      expect(again.expired).toEqual([]);
    });
  });
}

describe('server check', () => {
  it('warns when Redis may evict session keys, and stays quiet with noeviction', async () => {
    const risky = await startRedis({ extraArgs: ['--maxmemory', '64mb', '--maxmemory-policy', 'allkeys-lru'] });
    const safe = await startRedis({ extraArgs: ['--maxmemory', '64mb', '--maxmemory-policy', 'noeviction'] });
    const riskyClient = new Redis(risky.url);
    const safeClient = new Redis(safe.url);
    try {
      const warnings: string[] = [];
      const store = new RedisSessionStore({ client: riskyClient, onWarning: (message) => warnings.push(message) });
      const manager = new SessionManager({ secret: SECRET, store });
      await manager.login({ userId: 'alice' }); // the check runs by itself on the first login
      await store.checkServer();
      expect(warnings).toHaveLength(1);
      expect(warnings[0]).toMatch(/maxmemory-policy is "allkeys-lru"/);
      expect(await new RedisSessionStore({ client: safeClient }).checkServer()).toEqual({
        versions: [expect.stringMatching(/^\d+\.\d+/)],
        evictionPolicies: ['noeviction'],
        warnings: [],
      });
      // Strict: refuses instead of warning, and stores no login on that server.
      const strict = new RedisSessionStore({ client: riskyClient, prefix: 'strict:', unsafeServer: 'refuse' });
      await expect(strict.checkServer()).rejects.toThrow(/"unsafeServer".*allkeys-lru/);
      const strictManager = new SessionManager({ secret: SECRET, store: strict });
      await expect(strictManager.login({ userId: 'alice' })).rejects.toMatchObject({ code: 'ERR_SESSION_INVALID_OPTIONS' });
      expect(await riskyClient.keys('strict:*')).toEqual([]);
      await expect(new RedisSessionStore({ client: safeClient, unsafeServer: 'refuse' }).checkServer()).resolves.toMatchObject({ warnings: [] });
    } finally {
      riskyClient.disconnect();
      safeClient.disconnect();
      await Promise.all([risky.stop(), safe.stop()]);
    }
  });
});

describe('RedisStreamAuditSink', () => {
  it('keeps per-user history, newest first, within its retention, beside the global stream', async () => {
    const client = new Redis(inject('redisUrl'));
    clients.push(client);
    const prefix = `audit-${process.pid}-${Math.random()}`;
    const sink = new RedisStreamAuditSink({ client, prefix, maxLengthPerUser: 5 });
    const clock = new TestClock();
    const manager = new SessionManager({ secret: SECRET, clock: clock.now, auditSink: [sink, new MemoryAuditSink()] });
    const sessions = [];
    for (let i = 0; i < 4; i += 1) {
      sessions.push((await manager.login({ userId: 'alice' })).session);
      clock.advance(1_000);
    }
    await manager.login({ userId: 'bob' });
    await manager.revoke(sessions[0]!.id, { actor: 'admin-1' });
    await manager.revokeAll('alice', { actor: 'user' });
    await manager.admin.flushAudit(); // emits are fire-and-forget

    const history = await manager.admin.events('alice');
    expect(history).toHaveLength(5); // 4 created + 4 ended = 8, trimmed to the newest 5
    expect(history[0]).toMatchObject({ type: 'session.ended', actor: 'user' });
    expect(history.map((e) => e.at)).toEqual([...history.map((e) => e.at)].sort((a, b) => b - a));
    const aliceKey = sessions[0]!.id.split('.')[0]!;
    expect(Number(await client.call('XLEN', sink.userStream(aliceKey)))).toBe(5);
    expect(Number(await client.call('XLEN', prefix))).toBe(9); // 5 created, 4 ended
    expect(await sink.history({ userId: 'alice', userKey: aliceKey, maxEvents: 2 })).toHaveLength(2);
    expect(await manager.admin.events('bob')).toMatchObject([{ type: 'session.created' }]);
  });

  it('keys per-user streams by the keyed user key: ids that sanitise alike never share a history, and purging one keeps the other', async () => {
    const client = new Redis(inject('redisUrl'));
    clients.push(client);
    const prefix = `audit-${process.pid}-${Math.random()}`;
    const sink = new RedisStreamAuditSink({ client, prefix });
    const manager = new SessionManager({ secret: SECRET, auditSink: sink });
    const braces = await manager.login({ userId: 'x{1}' });
    const underscores = await manager.login({ userId: 'x_1_' });
    await manager.admin.flushAudit();
    expect((await manager.admin.events('x{1}')).map((e) => 'sessionId' in e && e.sessionId)).toEqual([braces.session.id]);
    expect((await manager.admin.events('x_1_')).map((e) => 'sessionId' in e && e.sessionId)).toEqual([underscores.session.id]);
    expect(await manager.admin.purgeUser('x{1}')).toMatchObject({ events: 2 }); // its stream entry and its global entry
    expect(await manager.admin.events('x{1}')).toEqual([]);
    expect((await manager.admin.events('x_1_')).map((e) => 'sessionId' in e && e.sessionId)).toEqual([underscores.session.id]);
    const keys = (await client.keys(`${prefix}*`)).join(' ');
    expect(keys).not.toMatch(/x_1_|x\{1\}/);
  });
});

describe('ioredis keyPrefix', () => {
  it('is refused at construction, naming the fix: SCAN patterns would not get it, so stats and sweeping would see nothing', async () => {
    const prefixed = new Redis(inject('redisUrl'), { keyPrefix: 'app1:', lazyConnect: true });
    const cluster = new Cluster(inject('redisClusterNodes'), { keyPrefix: 'app2:', lazyConnect: true });
    try {
      for (const client of [prefixed, cluster]) {
        expect(() => new RedisSessionStore({ client })).toThrow(/"client".*keyPrefix "app\d:".*prefix: "app\d:"/);
        expect(() => new RedisStreamAuditSink({ client })).toThrow(expect.objectContaining({ code: 'ERR_SESSION_INVALID_OPTIONS' }));
      }
      expect(() => new RedisSessionStore({ client: new Redis(inject('redisUrl'), { lazyConnect: true }), prefix: 'app1:' })).not.toThrow();
    } finally {
      prefixed.disconnect();
      cluster.disconnect();
    }
  });
});

describe('manager.startSweeper', () => {
  it('audits every expiry it records, and each expiry reaches the audit trail exactly once, whoever finds it first', async () => {
    const client = new Redis(inject('redisUrl'));
    clients.push(client);
    const clock = new TestClock();
    const audit = new MemoryAuditSink();
    const store = new RedisSessionStore({ client, prefix: `sweeper-audit-${process.pid}:`, clock: clock.now });
    const manager = new SessionManager({ secret: SECRET, store, clock: clock.now, auditSink: audit });
    const quiet = await manager.login({ userId: 'quiet' }); // never comes back: only the sweeper can tell
    const back = await manager.login({ userId: 'back' }); // comes back after expiry: its request tells first
    clock.advance(31 * MINUTE);
    expect(await manager.validate(back.token)).toEqual({ ok: false, reason: 'expired-idle' });
    manager.admin.startSweeper({ every: 20 });
    const deadline = Date.now() + 5_000;
    const ended = () => audit.events().filter((e) => e.type === 'session.ended');
    while (ended().length < 2 && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 20));
    await new Promise((resolve) => setTimeout(resolve, 100)); // a few more sweeps: nothing is reported twice
    await manager.dispose();
    expect(
      ended()
        .map((e) => [e.type === 'session.ended' && e.sessionId, e.type === 'session.ended' && e.reason])
        .sort(),
    ).toEqual(
      [
        [back.session.id, 'expired-idle'],
        [quiet.session.id, 'expired-idle'],
      ].sort(),
    );
    expect(ended().find((e) => 'sessionId' in e && e.sessionId === quiet.session.id)).toMatchObject({ userId: 'quiet' });
    const { sessions } = await manager.admin.history('quiet');
    expect(sessions).toMatchObject([{ sessionId: quiet.session.id, reason: 'expired-idle' }]);
  });
});

describe('RedisStreamAuditSink retention', () => {
  it('filters history by time and limit, newest first', async () => {
    const client = new Redis(inject('redisUrl'));
    clients.push(client);
    const sink = new RedisStreamAuditSink({ client, prefix: `audit-filter-${process.pid}-${Math.random()}` });
    const now = Date.now();
    for (let i = 1; i <= 6; i += 1) {
      await sink.emit({
        type: 'session.renewed',
        v: 1,
        at: now + i,
        time: new Date(now + i).toISOString(),
        sessionId: 's',
        userId: 'u',
        userKey: 'AAAAAAAAAAAAAAAA',
        expiresAt: 0,
      });
    }
    expect((await sink.history({ userId: 'u', userKey: 'AAAAAAAAAAAAAAAA', since: now + 3 })).map((e) => e.at - now)).toEqual([6, 5, 4, 3]);
    expect((await sink.history({ userId: 'u', userKey: 'AAAAAAAAAAAAAAAA', maxEvents: 2 })).map((e) => e.at - now)).toEqual([6, 5]);
  });

  it("trims events older than the retention from every stream, and a user's stream expires after it", async () => {
    const client = new Redis(inject('redisUrl'));
    clients.push(client);
    const prefix = `audit-retention-${process.pid}-${Math.random()}`;
    const sink = new RedisStreamAuditSink({ client, prefix, retention: 300 });
    const event = (userKey: string) => {
      const at = Date.now();
      return { type: 'session.renewed' as const, v: 1 as const, at, time: new Date(at).toISOString(), sessionId: 's', userId: 'u', userKey, expiresAt: 0 };
    };
    await sink.emit(event('AAAAAAAAAAAAAAAA'));
    await sink.emit(event('BBBBBBBBBBBBBBBB'));
    expect(await client.pttl(sink.userStream('AAAAAAAAAAAAAAAA'))).toBeGreaterThan(0);
    await new Promise((resolve) => setTimeout(resolve, 400));
    await sink.emit(event('AAAAAAAAAAAAAAAA'));
    expect(Number(await client.xlen(sink.userStream('AAAAAAAAAAAAAAAA')))).toBe(1); // the old one trimmed by age
    expect(Number(await client.xlen(prefix))).toBe(1);
    expect(await client.exists(sink.userStream('BBBBBBBBBBBBBBBB'))).toBe(0); // a user gone quiet: expired
  });
});
