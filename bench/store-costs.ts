/** Store-side costs for the benchmark report: connect-redis bytes per session, and per-user operations in a large store. */
import { Redis } from 'ioredis';
import { AllowAllDetector, SessionManager } from 'sessionward';
import { RedisSessionStore } from 'sessionward/redis';
import { CHROME, SEOUL } from '../fixtures/redis-memory.js';

/**
 * connect-redis (node-redis) bytes per session for the same login, beside its cookie: with
 * `same-information`, the session carries what sessionward stores (device, location, times, data);
 * with `login-input`, what the login was given (the user id, the user agent, the IP, the two app
 * fields); with `app-fields`, only the user id and the two app fields.
 */
export async function measureConnectRedisBytes(
  url: string,
  sessions: number,
  content: 'same-information' | 'login-input' | 'app-fields',
): Promise<{ perSession: number; usedMemory: number }> {
  const { createClient } = await import('redis');
  const { RedisStore } = await import('connect-redis');
  const client = createClient({ url });
  await client.connect();
  const store = new RedisStore({ client, prefix: 'mem-sess:' });
  const redis = new Redis(url);
  let bytes = 0;
  const usedMemory = async () => Number(/used_memory:(\d+)/.exec(String(await redis.info('memory')))![1]);
  const before = await usedMemory();
  for (let i = 0; i < sessions; i += 1) {
    const sid = crypto.randomUUID();
    const cookie = { originalMaxAge: 1_800_000, expires: new Date(Date.now() + 1_800_000).toISOString(), httpOnly: true, path: '/', sameSite: 'lax' };
    const session = { cookie, ...connectRedisContent(content, i) };
    await new Promise<void>((resolve, reject) => store.set(sid, session as never, (error?: unknown) => (error ? reject(error) : resolve())));
    bytes += Number(await redis.call('MEMORY', 'USAGE', `mem-sess:${sid}`, 'SAMPLES', '0'));
  }
  const grown = (await usedMemory()) - before;
  await client.quit();
  await redis.quit();
  return { perSession: Math.round(bytes / sessions), usedMemory: Math.round(grown / sessions) };
}

/** What the express-session app keeps beside its cookie, for each way of measuring. */
function connectRedisContent(content: 'same-information' | 'login-input' | 'app-fields', i: number): Record<string, unknown> {
  const appFields = { userId: `user-${i % 300}@example.com`, role: 'member', cartItems: 2 };
  if (content === 'app-fields') return appFields;
  if (content === 'login-input') return { userId: appFields.userId, userAgent: CHROME, ip: '203.0.113.10', role: 'member', cartItems: 2 };
  return {
    userId: appFields.userId,
    createdAt: Date.now(),
    lastAccess: Date.now(),
    absoluteExpiresAt: Date.now() + 43_200_000,
    device: { userAgent: CHROME, ipAddress: '203.0.113.10', browser: 'Chrome 131', os: 'Windows 10', device: 'desktop', fingerprint: 'abcdefghijklmnopqrstuv' },
    location: SEOUL,
    role: 'member',
    cartItems: 2,
  };
}

/** Seeds `total` sessions (10 per user), then times list and revokeAll for one 10-session user. */
export async function measureUserOperations(url: string, total: number) {
  const client = new Redis(url, { enableAutoPipelining: true });
  const manager = new SessionManager({
    secret: 'benchmark-secret-0123456789-abcdefghijklmnopqrstuvwxyz',
    store: new RedisSessionStore({ client, prefix: 'ops:' }),
    anomalyDetector: new AllowAllDetector(),
  });
  for (let user = 0; user < total / 10; user += 50) {
    await Promise.all(Array.from({ length: 50 * 10 }, (_, i) => manager.login({ userId: `u${user + Math.floor(i / 10)}` })));
  }
  const runs = 50;
  const list: number[] = [];
  const revoke: number[] = [];
  for (let i = 0; i < runs; i += 1) {
    const userId = `u${i}`;
    let started = performance.now();
    const sessions = await manager.list(userId);
    list.push(performance.now() - started);
    if (sessions.length !== 10) throw new Error(`expected 10 sessions for ${userId}, found ${sessions.length}`);
    started = performance.now();
    await manager.revokeAll(userId);
    revoke.push(performance.now() - started);
  }
  await client.quit();
  const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)]!;
  return { total, runs, listMs: median(list), revokeAllMs: median(revoke) };
}
