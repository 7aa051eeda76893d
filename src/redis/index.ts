export { RedisSessionStore } from './redis-session-store.js';
export type { RedisSessionStoreOptions } from './redis-session-store.js';
export type { RedisCommander, RedisClusterLike } from './redis-client.js';
