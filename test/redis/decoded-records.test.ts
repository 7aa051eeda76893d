import { Redis } from 'ioredis';
import { afterAll, describe, expect, inject, it } from 'vitest';
import { SessionManager, type Session } from 'sessionward';
import { RedisRevocationChannel, RedisSessionStore } from 'sessionward/redis';
import { SEOUL } from '../../fixtures/redis-memory.js';
import { SECRET } from '../support/manager-fixture.js';

const client = new Redis(inject('redisUrl'));
afterAll(async () => {
  await client.quit();
});

const CHROME = 'Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Safari/537.36';
const context = { ip: '203.0.113.10', headers: { 'user-agent': CHROME } };

function setUp(options: { touchInterval?: number } = {}) {
  const prefix = `decoded-${process.pid}-${Math.random().toString(36).slice(2)}:`;
  const store = new RedisSessionStore({ client, prefix });
  const manager = new SessionManager({ secret: SECRET, store, geoResolver: { resolve: async () => SEOUL }, ...options });
  return { store, manager };
}

async function validSession(manager: SessionManager, token: string): Promise<Session> {
  const result = await manager.validate(token, { context });
  if (!result.ok) throw new Error(`refused: ${result.reason}`);
  return result.session;
}

describe('the records this process decoded, reused while Redis holds the same text', () => {
  it('does not decode an unchanged session again: its device and location are the same frozen objects', async () => {
    const { manager } = setUp();
    const { token } = await manager.login({ userId: 'alice', context, data: { role: 'member' } });
    const first = await validSession(manager, token);
    const second = await validSession(manager, token);
    expect(second.deviceInfo).toBe(first.deviceInfo);
    expect(second.locationInfo).toBe(first.locationInfo);
    expect(Object.isFrozen(first.deviceInfo) && Object.isFrozen(first.locationInfo)).toBe(true);
    expect(second.deviceInfo.userAgent).toBe(CHROME);
    expect(second.locationInfo).toMatchObject({ city: 'Seoul', asn: 4766 });
  });

  it('does not decode the record again after a touch, which changes only the entry: the new lastAccess is read', async () => {
    const { manager } = setUp({ touchInterval: 1 });
    const { token } = await manager.login({ userId: 'bob', context });
    const first = await validSession(manager, token);
    await new Promise((resolve) => setTimeout(resolve, 5));
    const touched = await validSession(manager, token);
    expect(touched.lastAccess).toBeGreaterThan(first.lastAccess);
    expect(touched.deviceInfo).toBe(first.deviceInfo);
  });

  it("gives every read its own data, amr and step-up: changing one read's copy changes no later read", async () => {
    const { manager } = setUp();
    const { token } = await manager.login({ userId: 'carol', context, data: { role: 'member', cart: { items: [1] } }, amr: ['pwd'] });
    const first = await validSession(manager, token);
    first.data.role = 'admin';
    (first.data.cart as { items: number[] }).items.push(2);
    first.amr.push('otp');
    const second = await validSession(manager, token);
    expect(second.data).toEqual({ role: 'member', cart: { items: [1] } });
    expect(second.amr).toEqual(['pwd']);
    expect(second.data).not.toBe(first.data);
  });

  it('reads every change another process made: data, a step-up and its confirmation', async () => {
    const { store, manager } = setUp();
    const other = new SessionManager({ secret: SECRET, store, geoResolver: { resolve: async () => SEOUL } });
    const { token, session } = await manager.login({ userId: 'dave', context, data: { role: 'member' } });
    const before = await validSession(manager, token);
    await other.update(session.id, { set: { role: 'admin' } });
    expect((await validSession(manager, token)).data.role).toBe('admin');
    await other.requireStepUp(session.id, 'payment');
    expect(await manager.validate(token, { context })).toMatchObject({ ok: false, reason: 'step-up-required', session: { stepUp: { reason: 'payment' } } });
    await other.confirmStepUp(session.id, { amr: ['pwd', 'otp'] });
    const after = await validSession(manager, token);
    expect(after).toMatchObject({ stepUp: null, amr: ['pwd', 'otp'], data: { role: 'admin' } });
    expect(after.version).toBeGreaterThan(before.version);
    expect(after.deviceInfo).toEqual(before.deviceInfo);
  });

  it('a cache hit shares the frozen device and location too, and still copies the data', async () => {
    const prefix = `decoded-cache-${process.pid}-${Math.random().toString(36).slice(2)}:`;
    const own = new Redis(inject('redisUrl'));
    const manager = new SessionManager({
      secret: SECRET,
      store: new RedisSessionStore({ client: own, prefix }),
      geoResolver: { resolve: async () => SEOUL },
      cache: { maxStaleness: '5s' },
      revocations: new RedisRevocationChannel({ client: own, channel: `${prefix}revocations` }),
    });
    try {
      for (let waited = 0; manager.admin.health().cache?.live !== true; waited += 10) {
        if (waited > 5_000) throw new Error('the revocation channel did not go live within 5 s');
        await new Promise((resolve) => setTimeout(resolve, 10));
      }
      const { token } = await manager.login({ userId: 'erin', context, data: { role: 'member' } });
      const confirmed = await validSession(manager, token);
      const hit = await validSession(manager, token);
      expect(manager.admin.health().cache).toMatchObject({ live: true, hits: 1 });
      expect(hit.deviceInfo).toBe(confirmed.deviceInfo);
      expect(hit.locationInfo).toBe(confirmed.locationInfo);
      expect(hit.data).not.toBe(confirmed.data);
    } finally {
      await manager.dispose();
      await own.quit();
    }
  });
});
