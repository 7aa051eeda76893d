import { Redis } from 'ioredis';
import { inject } from 'vitest';
import { describeRedisConformance } from '../support/redis-conformance.js';

describeRedisConformance('RedisSessionStore, standalone, ioredis 5', new Redis(inject('redisUrl')));
