import { Cluster as Cluster5, Redis as Redis5 } from 'ioredis';
import { Redis as Redis6 } from 'ioredis6';
import { afterAll, afterEach, beforeEach, describe, expect, inject, it } from 'vitest';
import { RedisSessionStore } from 'sessionward/redis';
import { describeSessionStoreConformance } from 'sessionward/testing';

// The same suite the memory store passes, against real redis-server processes: standalone through
// ioredis 5 and ioredis 6, and a 3-master cluster.
const prefix = `conf-${process.pid}:`;
const standalone5 = new Redis5(inject('redisUrl'));
const standalone6 = new Redis6(inject('redisUrl'));
const cluster = new Cluster5(inject('redisClusterNodes'));
afterAll(async () => {
  await Promise.all([standalone5.quit(), standalone6.quit(), cluster.quit()]);
});

for (const [name, client] of [
  ['RedisSessionStore, standalone, ioredis 5', standalone5],
  ['RedisSessionStore, standalone, ioredis 6', standalone6],
  ['RedisSessionStore, 3-master cluster', cluster],
] as const) {
  describeSessionStoreConformance(
    { describe, it, beforeEach, afterEach, expect },
    {
      name,
      createStore: () => new RedisSessionStore({ client, prefix }),
    },
  );
}
