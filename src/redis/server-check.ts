import { isCluster, type RedisCommander } from './redis-client.js';

export interface ServerReport {
  /** `redis_version` of each master that answered INFO. */
  versions: string[];
  /** `maxmemory-policy` of each master that has a memory limit and answered CONFIG GET (managed services may refuse it). */
  evictionPolicies: string[];
  /** Problems worth a warning at startup. */
  warnings: string[];
}

/**
 * Checks what can silently break sessions: an `allkeys-*` eviction policy lets Redis delete
 * session and tombstone keys under memory pressure (a revoked session cannot come back, but live
 * users would be logged out without a trace). `volatile-*` policies can evict them too, since every
 * session key has a TTL; `noeviction` is the safe choice.
 */
export async function checkServer(client: RedisCommander): Promise<ServerReport> {
  const nodes = isCluster(client) ? client.nodes('master') : [client];
  const evictionPolicies: string[] = [];
  const versions: string[] = [];
  for (const node of nodes) {
    try {
      const version = /redis_version:([\d.]+)/.exec(String(await node.call('INFO', 'server')))?.[1];
      if (version) versions.push(version);
    } catch {
      // INFO refused: nothing to report.
    }
    try {
      const policy = await configValue(node, 'maxmemory-policy');
      // Without a memory limit Redis never evicts, whatever the policy says.
      if (policy !== null && (await configValue(node, 'maxmemory')) !== '0') evictionPolicies.push(policy);
    } catch {
      // CONFIG is often disabled on managed Redis; nothing to report then.
    }
  }
  const tooOld = versions.filter((version) => Number(version.split('.')[0]) < 7);
  const warnings = tooOld.length > 0 ? [`sessionward needs Redis >= 7.0 (found ${[...new Set(tooOld)].join(', ')}): its scripts use PEXPIRETIME.`] : [];
  warnings.push(
    ...[...new Set(evictionPolicies)]
      .filter((policy) => policy !== 'noeviction')
      .map(
        (policy) =>
          `Redis maxmemory-policy is "${policy}": under memory pressure Redis may delete session keys, ` +
          'logging users out without a trace. Use "noeviction" (or a dedicated Redis) for sessions.',
      ),
  );
  return { versions, evictionPolicies, warnings };
}

async function configValue(node: RedisCommander, name: string): Promise<string | null> {
  const reply = await node.call('CONFIG', 'GET', name);
  // RESP2 answers [name, value]; an ioredis 6 client mapping RESP3 answers { name: value }.
  const value = Array.isArray(reply) ? reply[1] : (reply as Record<string, unknown> | null)?.[name];
  return typeof value === 'string' ? value : null;
}
