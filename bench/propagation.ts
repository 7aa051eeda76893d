/**
 * How long a revocation takes to reach another manager's cache: two managers on separate
 * connections (as two app servers), revoke on A, time until B refuses. `npx tsx bench/propagation.ts`
 * (`-- --cluster` for a 3-master cluster). Starts its own Redis.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { Cluster, Redis } from 'ioredis';
import { AllowAllDetector, SessionManager } from 'sessionward';
import { RedisRevocationChannel, RedisSessionStore } from 'sessionward/redis';
import { startCluster, startRedis } from '../fixtures/redis-servers.js';

const REVOCATIONS = 1_000;
const SECRET = 'benchmark-secret-0123456789-abcdefghijklmnopqrstuvwxyz';
const onCluster = process.argv.includes('--cluster');

const server = onCluster ? await startCluster() : await startRedis();
const connect = () => ('nodes' in server ? new Cluster(server.nodes) : new Redis(server.url));
const clients = [connect(), connect()];
const [a, b] = clients.map(
  (client) =>
    new SessionManager({
      secret: SECRET,
      store: new RedisSessionStore({ client, prefix: 'prop:' }),
      cache: { maxStaleness: '30s' },
      revocations: new RedisRevocationChannel({ client, channel: 'prop:revocations' }),
      anomalyDetector: new AllowAllDetector(),
    }),
) as [SessionManager, SessionManager];
while (!(a.admin.health().cache?.live && b.admin.health().cache?.live)) await new Promise((resolve) => setTimeout(resolve, 10));

const times: number[] = [];
for (let i = 0; i < REVOCATIONS; i += 1) {
  const { token, session } = await a.login({ userId: `user-${i % 50}` });
  await b.validate(token); // confirmed: B now answers it from its cache
  const started = performance.now();
  await a.revoke(session.id);
  while ((await b.validate(token)).ok) await new Promise((resolve) => setImmediate(resolve));
  times.push(performance.now() - started);
}
times.sort((x, y) => x - y);
const at = (q: number) => times[Math.min(times.length - 1, Math.floor(q * times.length))]!.toFixed(2);
const topology = onCluster ? '3-master cluster' : 'standalone';
console.log(`${topology}: revoke on A → refused on B over ${REVOCATIONS} revocations: p50 ${at(0.5)} ms, p99 ${at(0.99)} ms, max ${at(1)} ms`);

// One line per topology in BENCHMARKS.md, replaced on each run.
const file = new URL('../BENCHMARKS.md', import.meta.url);
const heading = '## Revocation propagation (validation cache)';
const intro = `${heading}\n\nTwo managers on separate connections with the cache on; revoke on A, then B validates until it refuses. Times include the revoke's own round trip (\`npx tsx bench/propagation.ts [--cluster]\`, run by \`npm run bench\`).\n\n| topology | revocations | p50 ms | p99 ms | max ms |\n| --- | --- | --- | --- | --- |\n`;
const row = `| ${topology} | ${REVOCATIONS} | ${at(0.5)} | ${at(0.99)} | ${at(1)} |`;
let text = readFileSync(file, 'utf8');
if (!text.includes(heading)) text = `${text.trimEnd()}\n\n${intro}`;
const lines = text.split('\n').filter((line) => !line.startsWith(`| ${topology} |`));
const tableEnd = lines.findIndex((line, i) => i > lines.indexOf(heading) && line.startsWith('| --- |'));
lines.splice(tableEnd + 1, 0, row);
writeFileSync(file, `${lines.join('\n').trimEnd()}\n`);
await Promise.all([a.dispose(), b.dispose()]);
await Promise.all(clients.map((client) => client.quit()));
await server.stop();
