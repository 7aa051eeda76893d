import { Redis } from 'ioredis';
import { afterAll, describe, expect, inject, it } from 'vitest';
import { SessionManager } from 'sessionward';
import { RedisSessionStore } from 'sessionward/redis';
import { CHROME_WINDOWS, SECRET } from '../support/manager-fixture.js';

const client = new Redis(inject('redisUrl'));
afterAll(async () => {
  await client.quit();
});

/** Every key under the prefix with everything it holds, as one string per key. */
async function dump(prefix: string): Promise<string[]> {
  const out: string[] = [];
  let cursor = '0';
  do {
    const [next, keys] = (await client.scan(cursor, 'MATCH', `${prefix}*`, 'COUNT', 100)) as [string, string[]];
    cursor = next;
    for (const key of keys) {
      const type = await client.type(key);
      const value = type === 'hash' ? await client.hgetall(key) : type === 'string' ? await client.get(key) : await client.call('DUMP', key);
      out.push(`${key} ${JSON.stringify(value)}`);
    }
  } while (cursor !== '0');
  return out;
}

describe('a copy of the Redis data names no user', () => {
  it('after a full lifecycle, no key name or value contains the user id; the manager still reads it back', async () => {
    const prefix = `privacy-${process.pid}-${Math.random().toString(36).slice(2)}:`;
    const userId = 'alice.private@example.com';
    const manager = new SessionManager({ secret: SECRET, store: new RedisSessionStore({ client, prefix }), limit: { max: 2, policy: 'evict-oldest' } });
    const first = await manager.login({ userId, context: CHROME_WINDOWS, data: { cart: 3 } });
    const second = await manager.login({ userId, context: CHROME_WINDOWS });
    await manager.validate(first.token, { context: CHROME_WINDOWS });
    await manager.update(first.session.id, { set: { theme: 'dark' } });
    const rotated = await manager.rotate(second.session.id);
    await manager.login({ userId }); // evicts the oldest
    await manager.revoke(rotated!.session.id, { actor: 'admin-1' });

    const stored = await dump(prefix);
    expect(stored.length).toBeGreaterThan(0);
    for (const entry of stored) expect(entry).not.toContain('alice');
    const [live] = await manager.list(userId);
    expect(live!.userId).toBe(userId);
    expect(await manager.validate(first.token)).toEqual({ ok: false, reason: 'evicted' });
  });
});
