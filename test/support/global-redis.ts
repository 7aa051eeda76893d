import type { TestProject } from 'vitest/node';
import { startCluster, startRedis } from '../../fixtures/redis-servers.js';

declare module 'vitest' {
  export interface ProvidedContext {
    redisUrl: string;
    redisClusterNodes: { host: string; port: number }[];
  }
}

/**
 * Starts one standalone Redis and one 3-master cluster for the whole run (or uses REDIS_URL /
 * REDIS_CLUSTER_NODES="host:port,host:port,..." when given) and stops what it started.
 */
export default async function setup(project: TestProject) {
  const started: { stop(): Promise<void> }[] = [];
  let url = process.env.REDIS_URL;
  if (!url) {
    const server = await startRedis();
    started.push(server);
    url = server.url;
  }
  let nodes = process.env.REDIS_CLUSTER_NODES?.split(',').map((node) => {
    const [host, port] = node.trim().split(':');
    return { host: host!, port: Number(port) };
  });
  if (!nodes) {
    const cluster = await startCluster();
    started.push(cluster);
    nodes = cluster.nodes;
  }
  project.provide('redisUrl', url);
  project.provide('redisClusterNodes', nodes);
  return async () => {
    await Promise.all(started.map((process) => process.stop()));
  };
}
