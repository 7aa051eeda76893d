import { Cluster } from 'ioredis';
import { inject } from 'vitest';
import { describeRedisConformance } from '../support/redis-conformance.js';

describeRedisConformance('RedisSessionStore, 3-master cluster', new Cluster(inject('redisClusterNodes')));
