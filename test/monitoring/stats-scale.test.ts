import { Redis } from 'ioredis';
import { afterAll, describe, expect, inject, it } from 'vitest';
import { AllowAllDetector, NullGeoResolver, SessionManager } from 'sessionward';
import { RedisSessionStore } from 'sessionward/redis';
import { SECRET } from '../support/manager-fixture.js';

const redis = new Redis(inject('redisUrl'), { enableAutoPipelining: true });
afterAll(async () => {
  await redis.quit();
});

const BROWSERS = [
  'Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Safari/537.36',
  'Mozilla/5.0 (X11; Linux x86_64; rv:133.0) Gecko/20100101 Firefox/133.0',
  'Mozilla/5.0 (iPhone; CPU iPhone OS 17_5 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.5 Mobile/15E148 Safari/604.1',
  'Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.5 Safari/605.1.15',
];
const COUNTRIES = ['KR', 'JP', 'US', 'GB', 'DE'];

describe('stats at scale (real Redis)', () => {
  it('is exact over 10,000 sessions of 1,000 users, walking the keyspace with SCAN', async () => {
    const geo = { resolve: async (ip: string) => ({ ...(await new NullGeoResolver().resolve()), country: COUNTRIES[Number(ip.split('.')[3]) % 5]! }) as never };
    const manager = new SessionManager({
      secret: SECRET,
      store: new RedisSessionStore({ client: redis, prefix: `scale-${process.pid}:` }),
      anomalyDetector: new AllowAllDetector(),
      geoResolver: geo,
    });
    const seeded = performance.now();
    const expected = { browsers: new Map<number, number>(), countries: new Map<string, number>() };
    for (let user = 0; user < 1_000; user += 1) {
      await Promise.all(
        Array.from({ length: 10 }, (_, i) => {
          const browser = (user + i) % BROWSERS.length;
          const ip = `81.2.${user % 200}.${(user * 10 + i) % 250}`;
          expected.browsers.set(browser, (expected.browsers.get(browser) ?? 0) + 1);
          const country = COUNTRIES[((user * 10 + i) % 250) % 5]!;
          expected.countries.set(country, (expected.countries.get(country) ?? 0) + 1);
          return manager.login({ userId: `user-${user}`, context: { ip, headers: { 'user-agent': BROWSERS[browser]! } } });
        }),
      );
    }
    const seedMs = performance.now() - seeded;

    const stats = await manager.admin.stats({ topUsers: 3 });
    console.log(`seeded 10,000 sessions in ${Math.round(seedMs)} ms; stats() took ${stats.tookMs} ms`);
    expect(stats.activeSessions).toBe(10_000);
    expect(stats.users).toBe(1_000);
    expect(stats.topUsers.every((u) => u.sessions === 10)).toBe(true);
    expect(stats.byCountry).toEqual(Object.fromEntries([...expected.countries].sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : 1))));
    expect(stats.byBrowser).toMatchObject({
      chrome: expected.browsers.get(0),
      firefox: expected.browsers.get(1),
      'mobile safari': expected.browsers.get(2),
      safari: expected.browsers.get(3),
    });
    expect(stats.byDeviceType).toEqual({ desktop: 7_500, mobile: 2_500 });
    expect(stats.recent['5m'].logins).toBe(10_000);
  }, 120_000);
});
