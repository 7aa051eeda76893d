import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AllowAllDetector, SessionManager } from 'sessionward';
import { RedisSessionStore } from 'sessionward/redis';
import { TestClock } from 'sessionward/testing';
import { monitorClient, roundTrips, writes } from '../support/command-monitor.js';
import { SECRET } from '../support/manager-fixture.js';
import { CHROME, SEOUL } from '../../fixtures/redis-memory.js';
import { startRedis, type RedisProcess } from '../../fixtures/redis-servers.js';

// A server of its own: MONITOR sees every client, and other files run in parallel.
let server: RedisProcess;
let client: Redis;
let monitor: Awaited<ReturnType<typeof monitorClient>>;
const clock = new TestClock();
let manager: SessionManager;
let withHistory: SessionManager;

beforeAll(async () => {
  server = await startRedis();
  client = new Redis(server.url);
  const store = new RedisSessionStore({ client, prefix: 'rt:', clock: clock.now });
  const options = { secret: SECRET, clock: clock.now, store, limit: { max: 3, policy: 'evict-oldest' as const }, touchInterval: '1m' as const };
  // The store's own cost, without detectors that read the user's other sessions at login.
  manager = new SessionManager({ ...options, anomalyDetector: new AllowAllDetector() });
  // The default rule-based detector (new device, travel since the last session) reads them first.
  withHistory = new SessionManager(options);
  // Warm up so every script is cached on the server (a first EVALSHA meets NOSCRIPT once).
  const warm = await manager.login({ userId: 'warm-up' });
  await manager.validate(warm.token);
  await manager.revoke(warm.session.id);
  await manager.revokeAll('warm-up');
  await manager.list('warm-up');
  monitor = await monitorClient(server.url, client);
});
afterAll(async () => {
  await monitor?.close();
  await client?.quit();
  await server?.stop();
});

describe('Redis round trips per operation (counted with MONITOR)', () => {
  it('create with the limit check: 1 round trip', async () => {
    await monitor.take();
    await manager.login({ userId: 'alice' });
    const commands = await monitor.take();
    expect(roundTrips(commands)).toBe(1);
    expect(commands[0]!.name).toBe('EVALSHA');
  });

  it("login with the default history-based rules: still 1 round trip (the user's trail comes back from the login script)", async () => {
    await monitor.take();
    await withHistory.login({ userId: 'erin' });
    expect(roundTrips(await monitor.take())).toBe(1);
    await withHistory.login({ userId: 'erin' });
    expect(roundTrips(await monitor.take())).toBe(1);
  });

  it('validate inside the touch interval: 1 round trip and no write at all', async () => {
    const { token } = await manager.login({ userId: 'bob' });
    clock.advance(10_000);
    await monitor.take();
    for (let i = 0; i < 5; i += 1) expect(await manager.validate(token)).toMatchObject({ ok: true });
    const commands = await monitor.take();
    expect(roundTrips(commands)).toBe(5);
    expect(writes(commands)).toEqual([]);
    // No script at all: one plain read of the index entry, the session's record and the user id.
    expect(commands.map((c) => c.name)).toEqual(Array(5).fill('HMGET'));
  });

  it('validate after a touch another request made: still the plain read (this process saw the new lastAccess)', async () => {
    const { token } = await manager.login({ userId: 'bea' });
    clock.advance(61_000);
    await manager.validate(token);
    clock.advance(1_000);
    await monitor.take();
    await manager.validate(token);
    expect((await monitor.take()).map((c) => c.name)).toEqual(['HMGET']);
  });

  it('validate after the touch interval: 1 round trip that slides the deadline', async () => {
    const { token } = await manager.login({ userId: 'carol' });
    clock.advance(61_000);
    await monitor.take();
    await manager.validate(token);
    const commands = await monitor.take();
    expect(roundTrips(commands)).toBe(1);
    // The session's entry, and the user hash's own expiry moved out to match.
    expect(writes(commands)).toEqual(['HSET', 'PEXPIREAT']);
  });

  it('revoke: 1 round trip', async () => {
    const { session } = await manager.login({ userId: 'dave' });
    await monitor.take();
    await manager.revoke(session.id);
    expect(roundTrips(await monitor.take())).toBe(1);
  });

  it("revokeAll: 1 round trip, every session's data gone in it", async () => {
    for (let i = 0; i < 3; i += 1) await manager.login({ userId: 'fay' });
    await monitor.take();
    expect(await manager.revokeAll('fay')).toHaveLength(3);
    expect(roundTrips(await monitor.take())).toBe(1);
  });

  it('a login that evicts the oldest session: 1 round trip, the evicted data gone in it', async () => {
    for (let i = 0; i < 3; i += 1) await manager.login({ userId: 'gus' });
    await monitor.take();
    await manager.login({ userId: 'gus' });
    expect(roundTrips(await monitor.take())).toBe(1);
  });

  it('a forged credential costs no round trip', async () => {
    await monitor.take();
    await manager.validate('eyJhbGciOiJIUzI1NiJ9.eyJzaWQiOiJ4In0.AAAA');
    expect(roundTrips(await monitor.take())).toBe(0);
  });
});

// What each script runs inside Redis for a common case, recorded so a change that adds a command
// shows up here (Redis CPU per operation follows these counts).
const SCRIPT_COMMANDS: Record<string, string[]> = {
  // The user's sessions (read once: the tidy pass works from what the script already read and wrote), the new
  // session's field (entry and record) and the user id, the hash's expiry, then the trail.
  login: ['HGETALL', 'HSET', 'PEXPIREAT', 'HMGET', 'HSET', 'PEXPIRE'],
  // A due touch; inside the interval a validation is one plain HMGET and no script.
  touch: ['HMGET', 'HSET', 'PEXPIRETIME', 'PEXPIREAT'],
  update: ['HMGET', 'HSET'],
  // The old field's tombstone and the new field; a tombstone written over a field removes its record.
  rotate: ['HMGET', 'HEXISTS', 'HSET', 'HSET', 'PEXPIRETIME'],
  list: ['HGETALL'],
  revoke: ['HMGET', 'HSET'],
  revokeAll: ['HGETALL', 'HSET'],
};

describe('Redis commands inside each script (counted with MONITOR)', () => {
  const inside = (commands: { name: string; inScript: boolean }[]) => commands.filter((c) => c.inScript).map((c) => c.name);

  it('matches the recorded table for login, touch, update, rotate, revoke, revoke-all and list', async () => {
    const seen: Record<string, string[]> = {};
    await monitor.take();
    const { token, session } = await manager.login({ userId: 'table' });
    seen.login = inside(await monitor.take());
    clock.advance(61_000);
    await manager.validate(token);
    seen.touch = inside(await monitor.take());
    await manager.update(session.id, { set: { theme: 'dark' } });
    seen.update = inside(await monitor.take());
    const rotated = await manager.rotate(session.id);
    seen.rotate = inside(await monitor.take());
    await manager.list('table');
    seen.list = inside(await monitor.take());
    await manager.revoke(rotated!.session.id);
    seen.revoke = inside(await monitor.take());
    await manager.login({ userId: 'table' });
    await monitor.take();
    await manager.revokeAll('table');
    seen.revokeAll = inside(await monitor.take());
    expect(seen).toEqual(SCRIPT_COMMANDS);
  });

  it('a located login writes the trail (last location and device families) in one command', async () => {
    const located = new SessionManager({
      secret: SECRET,
      clock: clock.now,
      store: new RedisSessionStore({ client, prefix: 'rt-located:', clock: clock.now }),
      geoResolver: { resolve: async () => SEOUL },
    });
    const context = { ip: '203.0.113.10', headers: { 'user-agent': CHROME } };
    await located.login({ userId: 'located', context });
    await monitor.take();
    await located.login({ userId: 'located', context });
    expect(inside(await monitor.take())).toEqual(['HGETALL', 'HSET', 'PEXPIREAT', 'HMGET', 'HSET', 'PEXPIRE']);
    await located.dispose();
  });
});
