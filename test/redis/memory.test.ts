import { Redis } from 'ioredis';
import { describe, expect, inject, it } from 'vitest';
import { SessionManager } from 'sessionward';
import { RedisSessionStore } from 'sessionward/redis';
import { CHROME, measureBytesPerSession, SEOUL } from '../../fixtures/redis-memory.js';
import { SECRET } from '../support/manager-fixture.js';

describe('Redis memory per session', () => {
  it("stays near 1000 bytes for a session with device, location and two data fields, the user's trail included (README states the figure)", async () => {
    const { perSession, sessionKey, indexShare, trailShare } = await measureBytesPerSession(inject('redisUrl'), 100, 3);
    expect(sessionKey + indexShare).toBeLessThan(1000);
    expect(indexShare).toBeLessThan(160);
    expect(trailShare).toBeLessThan(80); // one trail per user (about 185 bytes), shared by its 3 sessions
    expect(perSession).toBeLessThan(1060);
  });

  it('keeps a user index in the compact listpack encoding', async () => {
    const client = new Redis(inject('redisUrl'));
    const store = new RedisSessionStore({ client, prefix: `enc-${process.pid}:` });
    const manager = new SessionManager({ secret: SECRET, store, geoResolver: { resolve: async () => SEOUL } });
    const { session } = await manager.login({ userId: 'alice', context: { ip: '203.0.113.9', headers: { 'user-agent': CHROME } } });
    await manager.login({ userId: 'alice' });
    const index = store.keys.index(session.id.slice(0, 16));
    expect(await client.call('OBJECT', 'ENCODING', index)).toBe('listpack');
    await client.quit();
  });
});
