/** Bytes per session in Redis (see fixtures/redis-memory.ts). Starts its own redis-server, or uses REDIS_URL. */
import { measureBytesPerSession } from '../fixtures/redis-memory.js';
import { startRedis } from '../fixtures/redis-servers.js';

if (import.meta.url === `file://${process.argv[1]}`) {
  const server = process.env.REDIS_URL ? null : await startRedis();
  const result = await measureBytesPerSession(process.env.REDIS_URL ?? server!.url);
  console.log(
    `bytes per session: ${result.perSession} (user hash share ${result.userHashShare} + trail share ${result.trailShare}); used_memory growth ${result.usedMemory}`,
  );
  await server?.stop();
}
