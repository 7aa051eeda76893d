import { describe, expect, inject, it } from 'vitest';
import { measureConnectRedisBytes } from '../../bench/store-costs.js';
import { measureBytesPerSession } from '../../fixtures/redis-memory.js';

describe('Redis memory per session', () => {
  it("stays under 500 bytes for a session with device, location and two data fields, the user's trail included (docs/redis.md states the figure)", async () => {
    const { perSession, userHashShare, trailShare } = await measureBytesPerSession(inject('redisUrl'), 100, 3);
    // One field per session (entry and record together) in the 256-byte allocator class: a Chrome user agent's
    // common fragments and names stored as single bytes, and times equal to the creation time left out.
    expect(userHashShare).toBeLessThan(430);
    expect(trailShare).toBeLessThan(80); // one trail per user (about 185 bytes), shared by its 3 sessions
    expect(perSession).toBeLessThan(500);
  });

  it('takes no more Redis memory per session than connect-redis holding the same information (device, location, data)', async () => {
    const url = inject('redisUrl');
    const [ours, connectRedis] = [await measureBytesPerSession(url, 100, 3), (await measureConnectRedisBytes(url, 300, 'same-information')).perSession];
    expect(ours.perSession).toBeLessThanOrEqual(connectRedis);
  });
});
