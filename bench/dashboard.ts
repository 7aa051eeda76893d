/**
 * Dashboard page times with 20,000 live sessions in Redis: the overview cold (it scans the store)
 * and warm (the cached snapshot), and a user's page. Server time only: the page handler from
 * request to rendered HTML. `npx tsx bench/dashboard.ts`, run by `npm run bench`. Starts its own Redis.
 */
import { Redis } from 'ioredis';
import { AllowAllDetector, SessionManager } from 'sessionward';
import { dashboard } from 'sessionward/dashboard';
import type { AdminPageRequest } from 'sessionward/http';
import { RedisSessionStore } from 'sessionward/redis';
import { startRedis } from '../fixtures/redis-servers.js';
import { writeSection } from './report-section.js';

const SESSIONS = process.argv.includes('--quick') ? 2_000 : 20_000;
const RUNS = 50;
const SECRET = 'benchmark-secret-0123456789-abcdefghijklmnopqrstuvwxyz';

const server = await startRedis();
const client = new Redis(server.url, { enableAutoPipelining: true });
const manager = new SessionManager({ secret: SECRET, store: new RedisSessionStore({ client, prefix: 'dash:' }), anomalyDetector: new AllowAllDetector() });
const agents = [
  'Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Safari/537.36',
  'Mozilla/5.0 (X11; Linux x86_64; rv:133.0) Gecko/20100101 Firefox/133.0',
  'Mozilla/5.0 (iPhone; CPU iPhone OS 17_5 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.5 Mobile/15E148 Safari/604.1',
];
for (let i = 0; i < SESSIONS; i += 200) {
  await Promise.all(
    Array.from({ length: Math.min(200, SESSIONS - i) }, (_, j) =>
      manager.login({ userId: `user-${(i + j) % 5_000}`, context: { headers: { 'user-agent': agents[(i + j) % 3]! }, ip: `198.51.100.${(i + j) % 250}` } }),
    ),
  );
}

const pages = dashboard({ snapshotMaxAge: '1h' });
const request = (path: string[]): AdminPageRequest => ({
  method: 'GET',
  path,
  headers: {},
  form: async () => new URLSearchParams(),
  actor: 'bench-admin',
  adminSession: null,
  manager,
  base: '/admin/sessions/dashboard',
});
async function time(path: string[]): Promise<number> {
  const started = performance.now();
  const response = await pages.handle(request(path));
  if (response?.status !== 200) throw new Error(`${path.join('/')}: ${response?.status}`);
  return performance.now() - started;
}
const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)]!;
const cold = await time([]);
const warm: number[] = [];
const user: number[] = [];
for (let i = 0; i < RUNS; i += 1) {
  warm.push(await time([]));
  user.push(await time(['users', `user-${i}`]));
}
const rows = [
  ['overview, cold (scans every session)', cold],
  ['overview, snapshot warm (median)', median(warm)],
  ['a user’s page: live sessions and history (median)', median(user)],
] as const;
for (const [label, ms] of rows) console.log(`${label}: ${ms.toFixed(1)} ms`);

const heading = '## Admin dashboard';
const section = `${heading}\n\nServer time per page (handler to rendered HTML) with ${SESSIONS.toLocaleString('en-US')} live sessions in Redis (\`npx tsx bench/dashboard.ts\`, run by \`npm run bench\`; target: under 200 ms with the snapshot warm).\n\n| page | ms |\n| --- | --- |\n${rows.map(([label, ms]) => `| ${label} | ${ms.toFixed(1)} |`).join('\n')}\n`;
writeSection(heading, section);
await manager.dispose();
await client.quit();
await server.stop();
