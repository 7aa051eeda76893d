import { isCluster, type RedisCommander } from './redis-client.js';

export interface ServerReport {
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
  for (const node of nodes) {
    try {
      const policy = await configValue(node, 'maxmemory-policy');
      // Without a memory limit Redis never evicts, whatever the policy says.
      if (policy !== null && (await configValue(node, 'maxmemory')) !== '0') evictionPolicies.push(policy);
    } catch {
      // CONFIG is often disabled on managed Redis; nothing to report then.
    }
  }
  const warnings = [...new Set(evictionPolicies)]
    .filter((policy) => policy !== 'noeviction')
    .map(
      (policy) =>
        `Redis maxmemory-policy is "${policy}": under memory pressure Redis may delete session keys, ` +
        'logging users out without a trace. Use "noeviction" (or a dedicated Redis) for sessions.',
    );
  return { evictionPolicies, warnings };
}

async function configValue(node: RedisCommander, name: string): Promise<string | null> {
  const reply = await node.call('CONFIG', 'GET', name);
  // RESP2 answers [name, value]; an ioredis 6 client mapping RESP3 answers { name: value }.
  const value = Array.isArray(reply) ? reply[1] : (reply as Record<string, unknown> | null)?.[name];
  return typeof value === 'string' ? value : null;
}
