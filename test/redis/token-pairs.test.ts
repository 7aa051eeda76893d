import { Cluster, Redis } from 'ioredis';
import { afterAll, inject } from 'vitest';
import { RedisSessionStore } from 'sessionward/redis';
import { describeTokenPairs } from '../support/token-pair-scenarios.js';

const standalone = new Redis(inject('redisUrl'));
const cluster = new Cluster(inject('redisClusterNodes'));
afterAll(async () => {
  await Promise.all([standalone.quit(), cluster.quit()]);
});

const prefix = () => `pairs-${process.pid}-${Math.random().toString(36).slice(2)}:`;
describeTokenPairs(
  'Redis standalone',
  (clock) => new RedisSessionStore({ client: standalone, prefix: prefix(), clock: clock.now, commandTimeout: '10s', circuitBreaker: false }),
);
describeTokenPairs(
  'Redis 3-master cluster',
  (clock) => new RedisSessionStore({ client: cluster, prefix: prefix(), clock: clock.now, commandTimeout: '10s', circuitBreaker: false }),
);
