export { RedisSessionStore } from './redis-session-store.js';
export type { RedisSessionStoreOptions } from './redis-session-store.js';
export { RedisStreamAuditSink } from './redis-stream-audit-sink.js';
export type { RedisStreamAuditSinkOptions } from './redis-stream-audit-sink.js';
export type { ServerReport } from './server-check.js';
export type { SweepResult } from './sweeper.js';
export type { RedisCommander, RedisClusterLike } from './redis-client.js';
export { RedisRevocationChannel } from './redis-revocation-channel.js';
export type { RedisRevocationChannelOptions, SubscribableClient, SubscriberClient } from './redis-revocation-channel.js';
