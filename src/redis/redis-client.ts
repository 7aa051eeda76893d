import { invalidOption } from '../errors.js';

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

/**
 * Refuses a client with ioredis' `keyPrefix`: ioredis prefixes command keys but not SCAN patterns,
 * so stats, sweeping and the CLI would silently see nothing. The store's own `prefix` does it right.
 */
export function assertNoKeyPrefix(client: RedisCommander, option = 'client'): void {
  const options = (client as { options?: { keyPrefix?: unknown; redisOptions?: { keyPrefix?: unknown } } }).options;
  const keyPrefix = options?.keyPrefix || options?.redisOptions?.keyPrefix;
  if (typeof keyPrefix === 'string' && keyPrefix !== '') {
    throw invalidOption(
      option,
      `has ioredis keyPrefix "${keyPrefix}", which SCAN patterns do not get: use a client without it and pass prefix: "${keyPrefix}" to sessionward instead`,
    );
  }
}

export function isCluster(client: RedisCommander): client is RedisClusterLike {
  return typeof (client as Partial<RedisClusterLike>).nodes === 'function';
}

/**
 * ioredis 5 routes an auto-pipelined command on a Cluster by its first argument, which for EVALSHA
 * is the script's SHA, not a key (redis/ioredis#2109): the pipeline then mixes nodes and fails with
 * "All keys in the pipeline should belong to the same slots allocation group". On such a client the
 * script calls are kept out of auto-pipelines (the client's `autoPipeliningIgnoredCommands` gains
 * EVALSHA and EVAL); plain commands, the per-request HMGET among them, stay in.
 */
export function keepScriptsOutOfAutoPipelines(client: RedisCommander): void {
  if (!isCluster(client)) return;
  const options = (client as { options?: { enableAutoPipelining?: boolean; autoPipeliningIgnoredCommands?: string[] } }).options;
  if (!options?.enableAutoPipelining) return;
  const ignored = options.autoPipeliningIgnoredCommands ?? [];
  for (const command of ['EVALSHA', 'EVAL']) if (!ignored.includes(command)) ignored.push(command);
  options.autoPipeliningIgnoredCommands = ignored;
}
