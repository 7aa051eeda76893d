import { afterAll, afterEach, beforeEach, describe, expect, it } from 'vitest';
import { type RedisCommander, RedisSessionStore } from 'sessionward/redis';
import { describeSessionStoreConformance } from 'sessionward/testing';

/**
 * The suite the memory store passes, against a real redis-server through the given client. One
 * file per client, so the three runs go in parallel.
 */
export function describeRedisConformance(name: string, client: RedisCommander & { quit(): Promise<unknown> }): void {
  const prefix = `conf-${process.pid}:`;
  afterAll(async () => {
    await client.quit();
  });
  describeSessionStoreConformance(
    { describe, it, beforeEach, afterEach, expect },
    {
      name,
      // Semantics, not deadlines (test/redis/faults.test.ts has those): other files share the CPU.
      createStore: () => new RedisSessionStore({ client, prefix, commandTimeout: '10s', circuitBreaker: false }),
    },
  );
}
