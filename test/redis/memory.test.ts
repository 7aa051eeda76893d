import { Redis } from 'ioredis';
import { describe, expect, inject, it } from 'vitest';
import { SessionManager } from 'sessionward';
import { RedisSessionStore } from 'sessionward/redis';
import { CHROME, measureBytesPerSession, SEOUL } from '../../bench/redis-memory.js';
import { SECRET } from '../support/manager-fixture.js';

describe('Redis memory per session', () => {
  it('stays under 1000 bytes for a session with device, location and two data fields (README states the figure)', async () => {
    const { perSession, indexShare } = await measureBytesPerSession(inject('redisUrl'), 100, 3);
    expect(perSession).toBeLessThan(1000);
    expect(indexShare).toBeLessThan(160);
  });

  it('keeps a user index in the compact listpack encoding', async () => {
    const client = new Redis(inject('redisUrl'));
    const store = new RedisSessionStore({ client, prefix: `enc-${process.pid}:` });
    const manager = new SessionManager({ secret: SECRET, store, geo: { resolve: async () => SEOUL } });
    const { session } = await manager.create({ userId: 'alice', context: { ip: '203.0.113.9', headers: { 'user-agent': CHROME } } });
    await manager.create({ userId: 'alice' });
    const index = store.keys.index(session.id.slice(0, 16));
    expect(await client.call('OBJECT', 'ENCODING', index)).toBe('listpack');
    await client.quit();
  });
});
