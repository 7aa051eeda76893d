import { Cluster, Redis } from 'ioredis';
import { afterAll, inject } from 'vitest';

/**
 * The ioredis clients a test file opens, closed after the file: `track` any client, or open one per
 * topology (the shared standalone server and the 3-master cluster) with `topologies`.
 */
export function fileClients() {
  const clients: (Redis | Cluster)[] = [];
  afterAll(async () => {
    await Promise.all(clients.map((client) => client.quit()));
  });
  const track = <C extends Redis | Cluster>(client: C): C => {
    clients.push(client);
    return client;
  };
  const topologies = {
    standalone: () => track(new Redis(inject('redisUrl'))),
    cluster: () => track(new Cluster(inject('redisClusterNodes'))),
  };
  return { track, topologies };
}
