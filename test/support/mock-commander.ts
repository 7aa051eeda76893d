import RedisMock from 'ioredis-mock';
import type { RedisCommander } from 'sessionward/redis';

/**
 * ioredis-mock has no generic `call()`, which is all the store uses; this maps it onto the mock's
 * per-command methods. For fast tests of code around the store only: the mock's Lua is not Redis'.
 */
export function mockCommander(mock = new RedisMock()): RedisCommander & { mock: InstanceType<typeof RedisMock> } {
  return {
    mock,
    status: 'ready',
    call: (command: string, ...args: (string | number)[]) => {
      const method = (mock as unknown as Record<string, (...a: unknown[]) => Promise<unknown>>)[command.toLowerCase()];
      if (typeof method !== 'function') return Promise.reject(new Error(`ioredis-mock has no ${command}`));
      return method.apply(mock, args);
    },
  };
}
