import { Redis } from 'ioredis';
import { SessionManager, type SessionStore } from 'sessionward';
import { RedisSessionStore } from 'sessionward/redis';

/** The examples' session manager: in-memory by default, Redis when REDIS_URL is set. */
export function exampleSessions(): { manager: SessionManager; storeName: string; close(): Promise<void> } {
  const redis = process.env.REDIS_URL ? new Redis(process.env.REDIS_URL) : null;
  const store: SessionStore | undefined = redis ? new RedisSessionStore({ client: redis, prefix: 'sw-example:' }) : undefined;
  const manager = new SessionManager({
    // Examples only: a real app reads a random secret from its environment and refuses to start without one.
    secret: process.env.SESSION_SECRET ?? 'example-secret-do-not-use-in-production-0123456789',
    limit: { max: 3, policy: 'reject' },
    ...(store ? { store } : {}),
  });
  return {
    manager,
    storeName: redis ? `Redis at ${process.env.REDIS_URL}` : 'in-memory store',
    close: async () => {
      await manager.dispose();
      await redis?.quit();
    },
  };
}

export function listening(framework: string, url: string, storeName: string): void {
  console.log(`sessionward ${framework} example (${storeName}) listening on ${url}`);
}
