/**
 * The part of an ioredis client the store uses, typed structurally so ioredis 5 and 6, standalone,
 * Sentinel and Cluster clients all fit without importing ioredis here.
 */
export interface RedisCommander {
  call(command: string, ...args: (string | number)[]): Promise<unknown>;
  /** ioredis connection state; the store fails fast while it is not usable. */
  readonly status?: string;
}

/** A Cluster client also lists its nodes (for SCAN per master and configuration checks). */
export interface RedisClusterLike extends RedisCommander {
  nodes(role?: 'master' | 'slave' | 'all'): RedisCommander[];
}

export function isCluster(client: RedisCommander): client is RedisClusterLike {
  return typeof (client as Partial<RedisClusterLike>).nodes === 'function';
}
