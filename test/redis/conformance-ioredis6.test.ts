import { Redis } from 'ioredis6';
import { inject } from 'vitest';
import { describeRedisConformance } from '../support/redis-conformance.js';

describeRedisConformance('RedisSessionStore, standalone, ioredis 6', new Redis(inject('redisUrl')));
