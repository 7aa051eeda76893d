/**
 * Bytes per session in Redis, measured with MEMORY USAGE: each session's hash plus its share of
 * its user's index. Starts its own redis-server (or uses REDIS_URL). `npx tsx bench/redis-memory.ts`
 */
import { Redis } from 'ioredis';
import { SessionManager, type GeoResolver } from 'sessionward';
import { RedisSessionStore } from 'sessionward/redis';
import { startRedis } from '../test/support/redis-servers.js';

export const SEOUL: Awaited<ReturnType<GeoResolver['resolve']>> = {
  country: 'KR',
  city: 'Seoul',
  subdivision: '11',
  latitude: 37.5665,
  longitude: 126.978,
  accuracyRadiusKm: 5,
  timeZone: 'Asia/Seoul',
  asn: 4766,
  asOrganization: 'Korea Telecom',
};
export const CHROME = 'Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Safari/537.36';

export async function measureBytesPerSession(
  url: string,
  users = 300,
  sessionsPerUser = 3,
): Promise<{ perSession: number; sessionKey: number; indexShare: number; trailShare: number }> {
  const client = new Redis(url);
  const prefix = `mem-${process.pid}:`;
  const store = new RedisSessionStore({ client, prefix });
  const manager = new SessionManager({
    secret: 'memory-measurement-secret-0123456789abcdef',
    store,
    geo: { resolve: async () => SEOUL },
  });
  for (let u = 0; u < users; u += 1) {
    for (let s = 0; s < sessionsPerUser; s += 1) {
      await manager.create({
        userId: `user-${u}@example.com`,
        context: { ip: '203.0.113.10', headers: { 'user-agent': CHROME, 'accept-language': 'ko-KR,ko;q=0.9' } },
        data: { role: 'member', cartItems: 2 },
      });
    }
  }
  let sessionBytes = 0;
  let indexBytes = 0;
  let trailBytes = 0;
  let cursor = '0';
  do {
    const [next, keys] = (await client.scan(cursor, 'MATCH', `${prefix}*`, 'COUNT', 1000)) as [string, string[]];
    cursor = next;
    for (const key of keys) {
      const bytes = Number(await client.call('MEMORY', 'USAGE', key, 'SAMPLES', '0'));
      if (key.endsWith(':i')) indexBytes += bytes;
      else if (key.endsWith(':t')) trailBytes += bytes;
      else sessionBytes += bytes;
    }
  } while (cursor !== '0');
  await client.quit();
  const count = users * sessionsPerUser;
  return {
    perSession: Math.round((sessionBytes + indexBytes + trailBytes) / count),
    sessionKey: Math.round(sessionBytes / count),
    indexShare: Math.round(indexBytes / count),
    trailShare: Math.round(trailBytes / count),
  };
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const server = process.env.REDIS_URL ? null : await startRedis();
  const result = await measureBytesPerSession(process.env.REDIS_URL ?? server!.url);
  console.log(
    `bytes per session: ${result.perSession} (session hash ${result.sessionKey} + index share ${result.indexShare} + trail share ${result.trailShare})`,
  );
  await server?.stop();
}
