/**
 * API token pair refreshes against a real redis-server: 50 clients, each spending its refresh
 * token for the next pair in a loop (as apps refresh on a 401). Reports refreshes/s, round trips
 * per refresh (EVALSHA calls; target 1) and Redis commands per refresh. `npx tsx bench/refresh.ts`
 * (`--cluster` for a 3-master cluster), run by `npm run bench`. Starts its own Redis.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { Cluster, Redis } from 'ioredis';
import { AllowAllDetector, SessionManager } from 'sessionward';
import { RedisSessionStore } from 'sessionward/redis';
import { startCluster, startRedis } from '../fixtures/redis-servers.js';

const CLIENTS = 50;
const SECONDS = process.argv.includes('--quick') ? 2 : 10;
const SECRET = 'benchmark-secret-0123456789-abcdefghijklmnopqrstuvwxyz';
const onCluster = process.argv.includes('--cluster');

const server = onCluster ? await startCluster() : await startRedis();
// Auto-pipelining on both (on a Cluster the store keeps its script calls out of auto-pipelines: docs/redis.md).
const client = 'nodes' in server ? new Cluster(server.nodes, { enableAutoPipelining: true }) : new Redis(server.url, { enableAutoPipelining: true });
const manager = new SessionManager({ secret: SECRET, store: new RedisSessionStore({ client, prefix: 'refresh:' }), anomalyDetector: new AllowAllDetector() });

/** Script calls and all commands Redis executed so far, summed over every master. */
async function commandStats(): Promise<{ scripts: number; executed: number }> {
  const nodes = client instanceof Cluster ? client.nodes('master') : [client];
  let scripts = 0;
  let executed = 0;
  for (const node of nodes) {
    const info = String(await node.call('INFO', 'commandstats'));
    for (const match of info.matchAll(/^cmdstat_([^:]+):calls=(\d+)/gm)) {
      if (match[1] === 'info') continue;
      executed += Number(match[2]);
      if (match[1] === 'evalsha' || match[1] === 'eval') scripts += Number(match[2]);
    }
  }
  return { scripts, executed };
}

const tokens = await Promise.all(
  Array.from({ length: CLIENTS }, async (_, i) => (await manager.login({ userId: `refresher-${i}`, tokens: 'pair' })).refreshToken!),
);
const before = await commandStats();
const deadline = performance.now() + SECONDS * 1000;
let refreshes = 0;
await Promise.all(
  tokens.map(async (first) => {
    let token = first;
    while (performance.now() < deadline) {
      const outcome = await manager.refresh(token);
      if (!outcome.ok) throw new Error(`refresh refused: ${outcome.reason}`);
      token = outcome.refreshToken;
      refreshes += 1;
    }
  }),
);
const after = await commandStats();
const topology = onCluster ? '3-master cluster' : 'standalone';
const perSecond = Math.round(refreshes / SECONDS);
const roundTrips = ((after.scripts - before.scripts) / refreshes).toFixed(2);
const commands = ((after.executed - before.executed) / refreshes).toFixed(2);
console.log(`${topology}: ${perSecond} refreshes/s, ${roundTrips} round trips and ${commands} commands per refresh`);

// One line per topology in BENCHMARKS.md, replaced on each run.
const file = new URL('../BENCHMARKS.md', import.meta.url);
const heading = '## Token pair refreshes (API mode)';
const intro = `${heading}\n\n${CLIENTS} clients each spend their refresh token for the next pair in a loop, in one process against its own Redis (\`npx tsx bench/refresh.ts [--cluster]\`, run by \`npm run bench\`). A refresh is one \`EVALSHA\`: rotate the refresh secret, slide the idle deadline, or detect reuse, atomically.\n\n| topology | refreshes/s | Redis round trips / refresh | commands Redis executes / refresh |\n| --- | --- | --- | --- |\n`;
const row = `| ${topology} | ${perSecond.toLocaleString('en-US')} | ${roundTrips} | ${commands} |`;
let text = readFileSync(file, 'utf8');
if (!text.includes(heading)) text = `${text.trimEnd()}\n\n${intro}`;
// This table's rows have four cells; the propagation table's, for the same topologies, five.
const isOwnRow = (line: string) => line.startsWith(`| ${topology} |`) && line.split('|').length === 6;
const lines = text.split('\n').filter((line) => !isOwnRow(line));
const tableEnd = lines.findIndex((line, i) => i > lines.indexOf(heading) && line.startsWith('| --- |'));
lines.splice(tableEnd + 1, 0, row);
writeFileSync(file, `${lines.join('\n').trimEnd()}\n`);
await manager.dispose();
await client.quit();
await server.stop();
