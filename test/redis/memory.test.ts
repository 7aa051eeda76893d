import { describe, expect, inject, it } from 'vitest';
import { measureConnectRedisBytes } from '../../bench/store-costs.js';
import { measureBytesPerSession } from '../../fixtures/redis-memory.js';

describe('Redis memory per session', () => {
  it("stays under 560 bytes for a session with device, location and two data fields, the user's trail included (docs/redis.md states the figure)", async () => {
    const { perSession, userHashShare, trailShare } = await measureBytesPerSession(inject('redisUrl'), 100, 3);
    // One field per session (entry and record together), and a Chrome user agent's common fragments and the
    // common browser, system and device names stored as single bytes.
    expect(userHashShare).toBeLessThan(490);
    expect(trailShare).toBeLessThan(80); // one trail per user (about 185 bytes), shared by its 3 sessions
    expect(perSession).toBeLessThan(560);
  });

  it('takes no more Redis memory per session than connect-redis holding the same information (device, location, data)', async () => {
    const url = inject('redisUrl');
    const [ours, connectRedis] = [await measureBytesPerSession(url, 100, 3), (await measureConnectRedisBytes(url, 300, 'same-information')).perSession];
    expect(ours.perSession).toBeLessThanOrEqual(connectRedis);
  });
});
