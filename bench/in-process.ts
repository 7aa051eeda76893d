/**
 * `npx tsx bench/in-process.ts` (run by `npm run bench`): what sessionward's own code costs, without
 * HTTP in the way: CPU per validation and per login against one real redis-server, a credential
 * check remembered and cold, and the bounded caches at capacity. CPU is process user + system time.
 */
import { Redis } from 'ioredis';
import { SessionManager } from 'sessionward';
import { MaxMindGeoResolver } from 'sessionward/maxmind';
import { RedisSessionStore } from 'sessionward/redis';
import { PLACES, writeGeoFixtures } from '../fixtures/geo-fixture.js';
import { startRedis } from '../fixtures/redis-servers.js';
import { BoundedCache } from '../src/internal/bounded-cache.js';
import { ConfirmedSessions } from '../src/internal/confirmed-sessions.js';
import type { Session } from 'sessionward';
import { writeSection } from './report-section.js';

const SESSIONS = 1_000;
const IN_FLIGHT = 50;
const CHROME = 'Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Safari/537.36';
const context = { ip: PLACES.seoul.ip, headers: { 'user-agent': CHROME } };

/** CPU µs per call of `run`, `calls` times with `inFlight` at once; the median of three rounds. */
async function cpuPerCall(calls: number, inFlight: number, run: (i: number) => Promise<unknown>): Promise<number> {
  const rounds: number[] = [];
  let next = 0;
  for (let round = 0; round < 4; round += 1) {
    const started = process.cpuUsage();
    for (let done = 0; done < calls; done += inFlight) await Promise.all(Array.from({ length: inFlight }, () => run(next++)));
    const used = process.cpuUsage(started);
    if (round > 0) rounds.push((used.user + used.system) / calls); // the first round warms up
  }
  return rounds.sort((a, b) => a - b)[1]!;
}

function syncCpuPerCall(calls: number, run: (i: number) => unknown): number {
  for (let i = 0; i < calls / 10; i += 1) run(i);
  const started = process.cpuUsage();
  for (let i = 0; i < calls; i += 1) run(i);
  const used = process.cpuUsage(started);
  return (used.user + used.system) / calls;
}

/** The bounded map sessionward had before lru-cache: a Map trimmed from its oldest key. */
class TrimmedMap<K, V> {
  readonly #entries = new Map<K, V>();
  constructor(readonly maxEntries: number) {}
  set(key: K, value: V): void {
    this.#entries.delete(key);
    this.#entries.set(key, value);
    if (this.#entries.size > this.maxEntries) this.#entries.delete(this.#entries.keys().next().value as K);
  }
}

const redis = await startRedis();
const client = new Redis(redis.url, { enableAutoPipelining: true });
const { city, asn } = writeGeoFixtures();
const geoResolver = await MaxMindGeoResolver.open({ cityDatabase: city, asnDatabase: asn });
const managerWith = (memo: number) =>
  new SessionManager({
    secret: 'benchmark-secret-0123456789-abcdefghijklmnopqrstuvwxyz',
    store: new RedisSessionStore({ client, prefix: `bench-${memo}:` }),
    geoResolver,
    limit: { max: 3, policy: 'evict-oldest' },
    verifiedCredentialCacheSize: memo,
  });
const manager = managerWith(10_000);
// Half the sessions, used round-robin: once full the memo takes one new credential in eight.
const overflowing = managerWith(SESSIONS / 2);
// No memo: every check verifies the signature.
const unremembered = managerWith(0);

const login = await cpuPerCall(5_000, 20, (i) => manager.login({ userId: `login-${i}`, context }));
const tokens = { memo: [] as string[], overflowing: [] as string[], unremembered: [] as string[] };
for (let i = 0; i < SESSIONS; i += 1) {
  tokens.memo.push((await manager.login({ userId: `v-${i}`, context })).token);
  tokens.overflowing.push((await overflowing.login({ userId: `o-${i}`, context })).token);
  tokens.unremembered.push((await unremembered.login({ userId: `n-${i}`, context })).token);
}
const validated = (result: { ok: boolean }) => {
  if (!result.ok) throw new Error('a benchmark session was refused');
};
const validate = await cpuPerCall(20_000, IN_FLIGHT, async (i) => validated(await manager.validate(tokens.memo[i % SESSIONS], { context })));
const validateOverflowing = await cpuPerCall(20_000, IN_FLIGHT, async (i) =>
  validated(await overflowing.validate(tokens.overflowing[i % SESSIONS], { context })),
);
const validateUnremembered = await cpuPerCall(20_000, IN_FLIGHT, async (i) =>
  validated(await unremembered.validate(tokens.unremembered[i % SESSIONS], { context })),
);
const hmget = await cpuPerCall(20_000, IN_FLIGHT, (i) => client.hmget(`bench-raw:${i % SESSIONS}`, 'a', 'b', 'u'));

const caches = [10_000, 50_000].map((size) => {
  const keys = Array.from({ length: size * 4 }, (_, i) => `key-${i}-${(i * 2654435761) % 1e9}`);
  const fill = (cache: { set(key: string, value: number): void }) => {
    for (let i = 0; i < size; i += 1) cache.set(keys[i]!, i);
    return syncCpuPerCall(size * 3, (i) => cache.set(keys[size + (i % (size * 3))]!, i));
  };
  return { size, bounded: fill(new BoundedCache<string, number>(size)), trimmed: fill(new TrimmedMap<string, number>(size)) };
});

// A revokeAll, and every user revocation another manager pushes, makes the fallback and the cache
// forget that user's sessions. Steady state: forget one user's three and remember them again.
const forgetting = [10_000, 100_000].map((size) => {
  const users = Array.from({ length: size / 3 }, (_, u) => `user${String(u).padStart(11, '0')}`);
  const sessionsOf = users.map((userKey) => [0, 1, 2].map((n) => ({ id: `${userKey}.${String(n).repeat(22)}` }) as Session));
  const confirmed = new ConfirmedSessions(size);
  const scanned = new BoundedCache<string, Session>(size);
  for (const session of sessionsOf.flat()) {
    confirmed.confirm(session, 'h', 0);
    scanned.set(session.id, session);
  }
  const calls = size === 10_000 ? 3_000 : 300;
  return {
    size,
    indexed: syncCpuPerCall(calls, (i) => {
      confirmed.forgetUser(users[i % users.length]!);
      for (const session of sessionsOf[i % users.length]!) confirmed.confirm(session, 'h', 0);
    }),
    // What forgetUser did before: walk every remembered id for the user's prefix.
    scanning: syncCpuPerCall(calls, (i) => {
      const prefix = `${users[i % users.length]!}.`;
      for (const id of scanned.keys()) if (id.startsWith(prefix)) scanned.delete(id);
      for (const session of sessionsOf[i % users.length]!) scanned.set(session.id, session);
    }),
  };
});

const µs = (value: number) => value.toFixed(1);
const rows = [
  ['validation, credential remembered (1,000 sessions, 50 in flight)', µs(validate)],
  ['validation, memo half the sessions (round-robin)', µs(validateOverflowing)],
  ['validation, no memo (every check verifies the signature)', µs(validateUnremembered)],
  ['a bare ioredis HMGET of three fields (the same connection)', µs(hmget)],
  ['login: limit check, fingerprint, City + ASN, default rules (20 in flight)', µs(login)],
  ...caches.flatMap(({ size, bounded, trimmed }) => [
    [`bounded cache insert at capacity, ${size.toLocaleString('en-US')} entries (lru-cache)`, bounded.toFixed(2)],
    [`the same with a Map trimmed from its oldest key (before)`, trimmed.toFixed(2)],
  ]),
  ...forgetting.flatMap(({ size, indexed, scanning }) => [
    [`forgetting a user's 3 sessions among ${size.toLocaleString('en-US')} remembered (fallback, cache), and remembering them again`, indexed.toFixed(2)],
    [`the same walking every remembered id (before)`, scanning.toFixed(2)],
  ]),
];
for (const [label, value] of rows) console.log(`${label}: ${value} µs`);
writeSection(
  '## In-process costs',
  `## In-process costs

CPU per call of sessionward's own code with no HTTP in between, against a real redis-server on loopback (\`npx tsx bench/in-process.ts\`, run by \`npm run bench\`). The validation rows include ioredis' own work for the one command, which the bare HMGET row shows alone.

| operation | CPU µs / call |
| --- | --- |
${rows.map(([label, value]) => `| ${label} | ${value} |`).join('\n')}
`,
);
await Promise.all([manager.dispose(), overflowing.dispose()]);
await client.quit();
await redis.stop();
