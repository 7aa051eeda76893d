/**
 * `npm run bench` (`npm run bench:quick` runs this part alone, in fewer and shorter rounds: a check
 * that it runs, not figures to keep): authenticated GET throughput of sessionward
 * against what users would pick instead, measured in one run on one machine, interleaved over
 * rounds. Starts its own redis-server. Writes BENCHMARKS.md.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { cpus, totalmem } from 'node:os';
import { fileURLToPath } from 'node:url';
import autocannon from 'autocannon';
import { Redis } from 'ioredis';
import { startRedis } from '../fixtures/redis-servers.js';
import { PLACES } from '../fixtures/geo-fixture.js';
import { measureBytesPerSession } from '../fixtures/redis-memory.js';
import { countInstructions, requireValgrind, type InstructionCount } from './instructions.js';
import { measureConnectRedisBytes, measureUserOperations } from './store-costs.js';

const quick = process.argv.includes('--quick');
const ROUNDS = quick ? 2 : 5;
const DURATION = quick ? 3 : 10;
const CONNECTIONS = 50;
/** Distinct sessions per app, used round-robin, so no per-session memo or cache sees a best case. */
const SESSIONS = 1_000;
const VARIANTS = [
  'express-bare',
  'express-session-rolling',
  'express-session',
  'express-sessionward',
  'express-sessionward-nomemo',
  'express-sessionward-memohalf',
  'express-sessionward-cached',
  'express-jwt',
  'express-floor',
  'fastify-bare',
  'fastify-session',
  'fastify-sessionward',
  'fastify-sessionward-nomemo',
  'fastify-sessionward-memohalf',
  'fastify-sessionward-cached',
  'fastify-floor',
] as const;
type Variant = (typeof VARIANTS)[number];
/**
 * The order apps run in within a round (rotated by one each round, and reversed every other round,
 * so neither app of a pair always runs first). The apps a target compares run next to each other, so
 * each round gives a ratio of two runs seconds apart, which a slow minute of the machine shifts
 * together; the rotation splits only pairs among the first five.
 */
const RUN_ORDER = [
  'express-bare',
  'express-session-rolling',
  'express-session',
  'fastify-bare',
  'fastify-session',
  'express-jwt',
  'express-sessionward-cached',
  'express-floor',
  'express-sessionward',
  'express-sessionward-nomemo',
  'express-sessionward-memohalf',
  'fastify-sessionward-cached',
  'fastify-floor',
  'fastify-sessionward',
  'fastify-sessionward-nomemo',
  'fastify-sessionward-memohalf',
] as const satisfies readonly Variant[];
/** The apps whose server instructions per request are counted (callgrind; see instructions.ts). */
const COUNTED = [
  'express-bare',
  'express-floor',
  'express-sessionward',
  'express-sessionward-nomemo',
  'fastify-bare',
  'fastify-floor',
  'fastify-sessionward',
  'fastify-sessionward-nomemo',
] as const satisfies readonly Variant[];
const COUNTED_REQUESTS = quick ? 500 : 3_000;
const COUNTED_WARM_UP_ROUNDS = quick ? 1 : 3;
const LABELS: Record<Variant, string> = {
  'express-bare': 'Express 5, no sessions',
  'express-session-rolling': 'Express + express-session + connect-redis (rolling)',
  'express-session': 'Express + express-session + connect-redis',
  'express-sessionward': 'Express + sessionward (Redis)',
  'express-sessionward-nomemo': 'Express + sessionward (Redis), no memo (every check verifies the signature)',
  'express-sessionward-memohalf': 'Express + sessionward (Redis), memo holds half the sessions',
  'express-sessionward-cached': 'Express + sessionward, cache (2 s staleness, pushed revocations)',
  'express-jwt': 'Express + stateless jose JWT (no revocation)',
  'express-floor': 'Express floor: HMAC cookie + one GETEX',
  'fastify-bare': 'Fastify 5, no sessions',
  'fastify-session': 'Fastify + @fastify/session + connect-redis (rolling)',
  'fastify-sessionward': 'Fastify + sessionward (Redis)',
  'fastify-sessionward-nomemo': 'Fastify + sessionward (Redis), no memo (every check verifies the signature)',
  'fastify-sessionward-memohalf': 'Fastify + sessionward (Redis), memo holds half the sessions',
  'fastify-sessionward-cached': 'Fastify + sessionward, cache (2 s staleness, pushed revocations)',
  'fastify-floor': 'Fastify floor: HMAC cookie + one GETEX',
};

const serverScript = fileURLToPath(new URL('./servers/server.ts', import.meta.url));

/** `prefix`: a command to run node under (valgrind, for the instruction counts). */
function startServer(
  variant: string,
  redisUrl: string,
  extraEnv: Record<string, string> = {},
  prefix: string[] = [],
): Promise<{ url: string; process: ChildProcess }> {
  // `node --import tsx`: one process per server, so killing it really stops it.
  const node = [process.execPath, '--import', 'tsx', serverScript];
  const [command, ...args] = [...prefix, ...node];
  const child = spawn(command!, args, {
    env: { ...process.env, BENCH_VARIANT: variant, REDIS_URL: redisUrl, BENCH_SESSIONS: String(SESSIONS), ...extraEnv },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  return new Promise((resolve, reject) => {
    let out = '';
    child.stdout!.on('data', (chunk: Buffer) => {
      out += chunk.toString();
      const match = /ready (\S+)/.exec(out);
      if (match) resolve({ url: match[1]!, process: child });
    });
    child.once('exit', (code) => reject(new Error(`${variant} server exited (${code})`)));
  });
}

/** Distinct users per app: the apps share one Redis, and sessionward's limit of 3 must not evict another session. */
async function loginMany(url: string, prefix: string): Promise<string[]> {
  const cookies: string[] = [];
  for (let batch = 0; batch < SESSIONS; batch += 50) {
    const ids = Array.from({ length: Math.min(50, SESSIONS - batch) }, (_, i) => `${prefix}-${batch + i}`);
    cookies.push(...(await Promise.all(ids.map((id) => login(url, id)))));
  }
  if (!prefix.endsWith('-bare') && new Set(cookies).size !== SESSIONS) throw new Error(`${url}: ${new Set(cookies).size} distinct sessions, not ${SESSIONS}`);
  return cookies;
}

async function login(url: string, userId: string): Promise<string> {
  const response = await fetch(`${url}/login`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ userId }),
  });
  const cookie = response.headers
    .getSetCookie()
    .map((c) => c.split(';')[0])
    .join('; ');
  const check = await fetch(url, { headers: { cookie } });
  if (check.status !== 200) throw new Error(`${url}: authenticated GET answered ${check.status}`);
  return cookie;
}

/** Round trips: a script counts once (its inner commands are Redis CPU, not round trips). */
interface Sample {
  rps: number;
  /** CPU time of the app's process, and of redis-server, per request (µs). */
  serverCpu: number;
  redisCpu: number;
  p50: number;
  p99: number;
  commandsPerRequest: number;
  roundTripsPerRequest: number;
}

async function commandStats(redis: Redis): Promise<{ executed: number; scripts: number; hmget: number }> {
  const info = String(await redis.call('INFO', 'commandstats'));
  const calls = new Map<string, number>();
  for (const match of info.matchAll(/^cmdstat_([^:]+):calls=(\d+)/gm)) if (match[1] !== 'info') calls.set(match[1]!, Number(match[2]));
  const executed = [...calls.values()].reduce((a, b) => a + b, 0);
  const scripts = (calls.get('evalsha') ?? 0) + (calls.get('eval') ?? 0);
  return { executed, scripts, hmget: calls.get('hmget') ?? 0 };
}

/** User + system CPU of a process so far, in µs (Linux /proc; clock ticks are 10 ms). */
function processCpu(pid: number): number {
  const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]!.split(' ');
  return (Number(fields[11]) + Number(fields[12])) * 10_000;
}

async function redisCpu(redis: Redis): Promise<number> {
  const info = String(await redis.call('INFO', 'cpu'));
  const seconds = (name: string) => Number(new RegExp(`^${name}:([\\d.]+)`, 'm').exec(info)?.[1] ?? 0);
  return (seconds('used_cpu_user') + seconds('used_cpu_sys')) * 1e6;
}

type Counts = Awaited<ReturnType<typeof commandStats>>;

/** One measured run: CPU of the app's process and of Redis, and Redis' command counts, per request. */
async function measure(
  pid: number,
  redis: Redis,
  run: () => Promise<autocannon.Result>,
  roundTrips: (before: Counts, after: Counts) => number,
): Promise<Sample> {
  const before = await commandStats(redis);
  const cpuBefore = { server: processCpu(pid), redis: await redisCpu(redis) };
  const result = await run();
  const cpuAfter = { server: processCpu(pid), redis: await redisCpu(redis) };
  const after = await commandStats(redis);
  if (result.non2xx > 0 || result.errors > 0) throw new Error(`${result.url}: ${result.non2xx} non-2xx, ${result.errors} errors`);
  return {
    rps: result.requests.average,
    serverCpu: (cpuAfter.server - cpuBefore.server) / result.requests.total,
    redisCpu: (cpuAfter.redis - cpuBefore.redis) / result.requests.total,
    p50: result.latency.p50,
    p99: result.latency.p99,
    commandsPerRequest: (after.executed - before.executed) / result.requests.total,
    roundTripsPerRequest: roundTrips(before, after) / result.requests.total,
  };
}

function load(server: { url: string; cookies: string[]; process: ChildProcess }, redis: Redis, seconds: number, sessionward: boolean): Promise<Sample> {
  const { url, cookies } = server;
  let next = 0;
  const run = () =>
    autocannon({
      url,
      connections: CONNECTIONS,
      duration: seconds,
      requests: [{ setupRequest: (request) => ({ ...request, headers: { ...request.headers, cookie: cookies[next++ % cookies.length]! } }) }],
    });
  // sessionward sends plain HMGETs and touch scripts on this path, and each touch script runs one
  // HMGET inside (commandstats counts those too): round trips are the scripts plus the HMGETs beyond them.
  return measure(server.process.pid!, redis, run, (before, after) => {
    const scripts = after.scripts - before.scripts;
    return sessionward ? scripts + Math.max(0, after.hmget - before.hmget - scripts) : after.executed - before.executed;
  });
}

const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)]!;

/** Each figure's median over the rounds. */
function medianSample(list: Sample[]): Sample {
  const pick = (field: keyof Sample) => median(list.map((sample) => sample[field]));
  return {
    rps: pick('rps'),
    serverCpu: pick('serverCpu'),
    redisCpu: pick('redisCpu'),
    p50: pick('p50'),
    p99: pick('p99'),
    commandsPerRequest: pick('commandsPerRequest'),
    roundTripsPerRequest: pick('roundTripsPerRequest'),
  };
}

async function main() {
  requireValgrind();
  const redisServer = await startRedis();
  const redis = new Redis(redisServer.url);
  const servers = new Map<Variant, { url: string; cookies: string[]; process: ChildProcess }>();
  try {
    for (const variant of VARIANTS) {
      const server = await startServer(variant, redisServer.url);
      servers.set(variant, { ...server, cookies: await loginMany(server.url, `bench-${variant}`) });
      console.error(`started ${variant}`);
    }
    const samples = new Map<Variant, Sample[]>(VARIANTS.map((v) => [v, []]));
    for (let round = 0; round < ROUNDS; round += 1) {
      const rotated = [...RUN_ORDER.slice(round % RUN_ORDER.length), ...RUN_ORDER.slice(0, round % RUN_ORDER.length)];
      const order = round % 2 === 0 ? rotated : rotated.reverse(); // each pair in both orders
      for (const variant of order) {
        const server = servers.get(variant)!;
        const sessionward = variant.includes('sessionward');
        if (round === 0) await load(server, redis, 1, sessionward); // warm-up
        samples.get(variant)!.push(await load(server, redis, DURATION, sessionward));
        console.error(`round ${round + 1}: ${variant} ${Math.round(samples.get(variant)!.at(-1)!.rps)} req/s`);
      }
    }

    // A second instance of each counted app, under valgrind, serving the sessions the first logged in.
    const instructions = new Map<Variant, InstructionCount>();
    for (const variant of COUNTED) {
      const start = (prefix: string[], env: Record<string, string>) => startServer(variant, redisServer.url, env, prefix);
      instructions.set(variant, await countInstructions(start, servers.get(variant)!.cookies, COUNTED_REQUESTS, COUNTED_WARM_UP_ROUNDS));
      const { mainThread, allThreads } = instructions.get(variant)!;
      console.error(
        `instructions: ${variant} ${Math.round(mainThread).toLocaleString('en-US')} per request (all threads ${Math.round(allThreads).toLocaleString('en-US')})`,
      );
    }

    console.error('logins…');
    const logins = await loginThroughput(redisServer.url, redis);
    console.error('memory and store costs…');
    // Each on a fresh server of its own: used_memory on the loaded one also moves with its key tables' rehashing.
    const bytes = {
      sessionward: await onFreshRedis((url) => measureBytesPerSession(url, 300, 3)),
      oneSessionPerUser: await onFreshRedis((url) => measureBytesPerSession(url, 900, 1)),
      connectRedis: await onFreshRedis((url) => measureConnectRedisBytes(url, 900, 'same-information')),
      connectRedisLoginInput: await onFreshRedis((url) => measureConnectRedisBytes(url, 900, 'login-input')),
      connectRedisAppFields: await onFreshRedis((url) => measureConnectRedisBytes(url, 900, 'app-fields')),
    };
    const userOps = await measureUserOperations(redisServer.url, quick ? 10_000 : 100_000);
    writeReport(samples, instructions, logins, bytes, userOps);
  } finally {
    for (const server of servers.values()) server.process.kill('SIGKILL');
    await redis.quit();
    await redisServer.stop();
  }
}

async function onFreshRedis<T>(measure: (url: string) => Promise<T>): Promise<T> {
  const server = await startRedis();
  try {
    return await measure(server.url);
  } finally {
    await server.stop();
  }
}

/**
 * Logins through the Express adapter: limit check, fingerprint (with Client Hints) and City + ASN
 * lookup, a new user each time. Interleaved rounds like the GET rows (the median of each figure),
 * so a slow stretch of the machine does not land on one login variant alone.
 */
async function loginThroughput(redisUrl: string, redis: Redis) {
  const variants = [
    ['sessionward, default rules (history read)', 'express-sessionward', { BENCH_HISTORY: '1' }],
    ['sessionward, rules without history', 'express-sessionward', {}],
    ['express-session + connect-redis (regenerate + save)', 'express-session', {}],
  ] as const;
  const servers: { label: string; scripted: boolean; login: (duration: number) => Promise<autocannon.Result>; process: ChildProcess }[] = [];
  try {
    for (const [label, variant, env] of variants) {
      const server = await startServer(variant, redisUrl, env);
      let counter = 0;
      const login = (duration: number) =>
        autocannon({
          url: `${server.url}/login`,
          method: 'POST',
          connections: 20,
          duration,
          headers: {
            'content-type': 'application/json',
            'user-agent': 'Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Safari/537.36',
            'x-forwarded-for': PLACES.seoul.ip,
          },
          requests: [{ setupRequest: (request) => ({ ...request, body: JSON.stringify({ userId: `login-${server.process.pid}-${counter++}` }) }) }],
        });
      servers.push({ label, scripted: variant === 'express-sessionward', login, process: server.process });
    }
    // Every server gets the same warm-up, so none is measured while its code is still being compiled.
    for (const server of servers) await server.login(2);
    const samples = new Map<string, Sample[]>(servers.map((server) => [server.label, []]));
    for (let round = 0; round < ROUNDS; round += 1) {
      for (const server of [...servers.slice(round % servers.length), ...servers.slice(0, round % servers.length)]) {
        // express-session sends plain commands: each one is a round trip.
        const sample = await measure(
          server.process.pid!,
          redis,
          () => server.login(DURATION),
          (before, after) => (server.scripted ? after.scripts - before.scripts : after.executed - before.executed),
        );
        samples.get(server.label)!.push(sample);
        console.error(`logins round ${round + 1}: ${server.label} ${Math.round(sample.rps)}/s`);
      }
    }
    return Object.fromEntries([...samples].map(([label, list]) => [label, medianSample(list)]));
  } finally {
    for (const server of servers) server.process.kill('SIGKILL');
  }
}

function writeReport(
  samples: Map<Variant, Sample[]>,
  instructions: Map<Variant, InstructionCount>,
  logins: Record<string, Sample>,
  bytes: Record<
    'sessionward' | 'oneSessionPerUser' | 'connectRedis' | 'connectRedisLoginInput' | 'connectRedisAppFields',
    { perSession: number; usedMemory: number }
  >,
  userOps: Awaited<ReturnType<typeof measureUserOperations>>,
) {
  const stat = (variant: Variant) => {
    const list = samples.get(variant)!;
    const { commandsPerRequest: commands, roundTripsPerRequest: roundTrips, ...rest } = medianSample(list);
    return { ...rest, commands, roundTrips, min: Math.min(...list.map((s) => s.rps)), max: Math.max(...list.map((s) => s.rps)) };
  };
  const us = (n: number) => n.toFixed(1);
  const fmt = (n: number) => Math.round(n).toLocaleString('en-US');
  const ratio = (a: number, b: number) => `${(a / b).toFixed(2)}×`;
  // The ratio of the medians, then the same ratio round by round (two runs side by side): their median and range.
  const rpsRatio = (a: Variant, b: Variant) => {
    const [first, second] = [samples.get(a)!, samples.get(b)!];
    const perRound = first.map((sample, round) => sample.rps / second[round]!.rps);
    const low = Math.min(...perRound);
    const high = Math.max(...perRound);
    return `${ratio(stat(a).rps, stat(b).rps)} (round by round ${median(perRound).toFixed(2)}×, ${low.toFixed(2)}–${high.toFixed(2)}×)`;
  };
  const memoryRatio = (other: { perSession: number }) =>
    `${bytes.sessionward.perSession} / ${other.perSession} bytes = ${ratio(bytes.sessionward.perSession, other.perSession)} (one session per user: ${ratio(bytes.oneSessionPerUser.perSession, other.perSession)})`;
  const rows: string[] = [];
  for (const framework of ['express', 'fastify'] as const) {
    const bare = stat(`${framework}-bare` as Variant).rps;
    const reference = stat(framework === 'express' ? 'express-session-rolling' : 'fastify-session').rps;
    for (const variant of VARIANTS.filter((v) => v.startsWith(framework))) {
      const s = stat(variant);
      rows.push(
        `| ${LABELS[variant]} | ${fmt(s.rps)} (${fmt(s.min)}–${fmt(s.max)}) | ${us(s.serverCpu)} | ${us(s.redisCpu)} | ${s.p50} / ${s.p99} | ${s.roundTrips.toFixed(2)} | ${s.commands.toFixed(2)} | ${ratio(s.rps, bare)} | ${ratio(s.rps, reference)} |`,
      );
    }
  }
  const sw = { express: stat('express-sessionward'), fastify: stat('fastify-sessionward') };
  const floor = { express: stat('express-floor'), fastify: stat('fastify-floor') };
  const cached = { express: stat('express-sessionward-cached'), fastify: stat('fastify-sessionward-cached') };
  const bare = { express: stat('express-bare'), fastify: stat('fastify-bare') };
  // What each app adds to the bare framework's CPU per request: the cost the library is responsible for.
  const added = (s: { serverCpu: number }, framework: 'express' | 'fastify') => us(s.serverCpu - bare[framework].serverCpu);
  // Thousands of server instructions per request (callgrind): the event loop's thread, or every thread.
  const kilo = (variant: Variant, threads: keyof InstructionCount = 'mainThread') => instructions.get(variant)![threads] / 1000;
  const instructionRows = COUNTED.map((variant) => {
    const framework = variant.startsWith('express') ? 'express' : 'fastify';
    const [main, all] = [kilo(variant), kilo(variant, 'allThreads')];
    const floorOf = `${framework}-floor` as const;
    return `| ${LABELS[variant]} | ${fmt(main)} | ${fmt(main - kilo(`${framework}-bare`))} | ${ratio(main, kilo(floorOf))} | ${fmt(all)} | ${ratio(all, kilo(floorOf, 'allThreads'))} |`;
  });
  const workRatio = (a: Variant, b: Variant) =>
    `${fmt(kilo(a))}k / ${fmt(kilo(b))}k = ${ratio(kilo(a), kilo(b))} (all threads ${ratio(kilo(a, 'allThreads'), kilo(b, 'allThreads'))})`;
  const loginOf = (label: string) => Object.entries(logins).find(([name]) => name.startsWith(label))![1];
  const swLogin = loginOf('sessionward, default');
  const esLogin = loginOf('express-session');
  const targets = [
    ['Express: strict vs floor, req/s (target ≥ 0.95×)', rpsRatio('express-sessionward', 'express-floor')],
    ['Fastify: strict vs floor, req/s (target ≥ 0.95×)', rpsRatio('fastify-sessionward', 'fastify-floor')],
    [
      'Express: strict vs floor, event-loop instructions per request (callgrind; 0.95× the req/s is 1.05× the work)',
      workRatio('express-sessionward', 'express-floor'),
    ],
    [
      'Fastify: strict vs floor, event-loop instructions per request (callgrind; 0.95× the req/s is 1.05× the work)',
      workRatio('fastify-sessionward', 'fastify-floor'),
    ],
    [
      'Strict without the verified-credential memo vs with all remembered, req/s, Express / Fastify (target ≥ 0.90×)',
      `${rpsRatio('express-sessionward-nomemo', 'express-sessionward')} / ${rpsRatio('fastify-sessionward-nomemo', 'fastify-sessionward')}`,
    ],
    [
      'Strict without the memo vs with it, event-loop instructions per request, Express / Fastify (callgrind; 0.90× the req/s is 1.11× the work)',
      `${workRatio('express-sessionward-nomemo', 'express-sessionward')} / ${workRatio('fastify-sessionward-nomemo', 'fastify-sessionward')}`,
    ],
    [
      'Strict with twice as many sessions as the memo holds vs with all remembered, req/s, Express / Fastify (target ≥ 0.90×)',
      `${rpsRatio('express-sessionward-memohalf', 'express-sessionward')} / ${rpsRatio('fastify-sessionward-memohalf', 'fastify-sessionward')}`,
    ],
    [
      'Server CPU added to the bare framework per request, µs: strict / cached / floor (Express)',
      `${added(sw.express, 'express')} / ${added(cached.express, 'express')} / ${added(floor.express, 'express')}`,
    ],
    [
      'Server CPU added to the bare framework per request, µs: strict / cached / floor (Fastify)',
      `${added(sw.fastify, 'fastify')} / ${added(cached.fastify, 'fastify')} / ${added(floor.fastify, 'fastify')}`,
    ],
    [
      "Redis CPU per strict validation vs the floor's GETEX (target ≤ 1.5×)",
      `${us(sw.fastify.redisCpu)} / ${us(floor.fastify.redisCpu)} µs = ${ratio(sw.fastify.redisCpu, floor.fastify.redisCpu)}`,
    ],
    ['Express: cached vs floor, req/s (target ≥ 1.2×)', rpsRatio('express-sessionward-cached', 'express-floor')],
    ['Fastify: cached vs floor, req/s (target ≥ 1.2×)', rpsRatio('fastify-sessionward-cached', 'fastify-floor')],
    ['Express: cached vs stateless JWT, req/s (target ≥ 1.3×)', rpsRatio('express-sessionward-cached', 'express-jwt')],
    ['Express: bare framework vs floor, req/s (the most any session layer can reach)', ratio(bare.express.rps, floor.express.rps)],
    ['Express: strict vs express-session rolling, req/s', ratio(sw.express.rps, stat('express-session-rolling').rps)],
    ['Fastify: strict vs @fastify/session, req/s', ratio(sw.fastify.rps, stat('fastify-session').rps)],
    [
      'Logins (default rules) vs express-session regenerate + save, logins/s (target ≥ 1.0×); round trips per login (target 1)',
      `${ratio(swLogin.rps, esLogin.rps)}; ${swLogin.roundTripsPerRequest.toFixed(2)}`,
    ],
    [
      'Redis round trips per authenticated request, Express / Fastify (target ≤ 1)',
      `${sw.express.roundTrips.toFixed(2)} / ${sw.fastify.roundTrips.toFixed(2)}`,
    ],
    [
      'Redis memory per session vs connect-redis for the same login input: user id, user agent, IP, two fields (target ≤ 1×)',
      memoryRatio(bytes.connectRedisLoginInput),
    ],
    ['Redis memory per session vs connect-redis holding only the user id and two fields (no target)', memoryRatio(bytes.connectRedisAppFields)],
    ['Redis memory per session vs connect-redis holding the same information: device, location, data (target ≤ 0.6×)', memoryRatio(bytes.connectRedis)],
  ];
  const report = `# Benchmarks

Generated by \`npm run bench${quick ? ':quick' : ''}\` on ${new Date().toISOString().slice(0, 10)}: ${ROUNDS} interleaved rounds of ${DURATION} s per app,
${CONNECTIONS} connections (autocannon 9, loopback), every request an authenticated \`GET /\` that loads the session,
spread round-robin over ${fmt(SESSIONS)} distinct sessions (users) per app. CPU per request is the app's process (or redis-server)
user + system time over the requests it answered, which is steadier than req/s on two shared cores.
Machine: ${cpus().length} × ${cpus()[0]?.model.trim()}, ${Math.round(totalmem() / 2 ** 30)} GiB; Node ${process.version}; Redis 7.0 (own process, no persistence).
Server, load generator and Redis share the machine, so absolute numbers are modest; the ratios within one run are what count.
The apps a target compares run next to each other in every round (in one order, then the other), so the targets give
each req/s ratio twice: of the apps' medians, and round by round (two runs seconds apart), with that median and range.

## Authenticated requests

| app | req/s median (min–max) | server CPU µs / req | Redis CPU µs / req | p50 / p99 ms | Redis round trips / req | commands Redis executes / req | vs bare framework | vs express-session / @fastify/session |
| --- | --- | --- | --- | --- | --- | --- | --- | --- |
${rows.join('\n')}

## Targets

| target | measured |
| --- | --- |
${targets.map(([name, value]) => `| ${name} | ${value} |`).join('\n')}

## Server instructions per request (callgrind)

${fmt(COUNTED_REQUESTS)} requests per app, round-robin over its ${fmt(SESSIONS)} sessions after ${COUNTED_WARM_UP_ROUNDS} warm-up request(s) each, counted in a
second instance of the app run under valgrind beside the first (\`bench/instructions.ts\`), in thousands of
user-space instructions. The event loop's thread bounds a Node server's req/s, and its count moves far less than
req/s on two shared cores (strict Express 692k–729k in five runs, its floor 662k–699k in four), so a difference
of a few percent takes more than one run to settle. All threads add V8's background work (JIT compiles,
concurrent marking, parallel scavenges), which moves with timing (strict Express 869k–919k, and about 20% apart
for one app, mostly the optimising compiler's work). Targets use the event loop's count.

| app | event loop (k) | added to the bare framework (k) | vs floor | all threads (k) | vs floor |
| --- | --- | --- | --- | --- | --- |
${instructionRows.join('\n')}

## Logins (Express; a new user per request, medians of ${ROUNDS} interleaved rounds of ${DURATION} s. sessionward: limit check + fingerprint with Client Hints + MaxMind City/ASN lookup)

| login | logins/s | server CPU µs / login | Redis CPU µs / login | p50 / p99 ms | Redis round trips / login | commands executed / login |
| --- | --- | --- | --- | --- | --- | --- |
${Object.entries(logins)
  .map(
    ([label, s]) =>
      `| ${label} | ${fmt(s.rps)} | ${us(s.serverCpu)} | ${us(s.redisCpu)} | ${s.p50} / ${s.p99} | ${s.roundTripsPerRequest.toFixed(2)} | ${s.commandsPerRequest.toFixed(2)} |`,
  )
  .join('\n')}

## Store costs

- Redis memory per session for the same login (user id, a Chrome user agent, an IP, two app fields). sessionward
  always keeps the device and location; connect-redis (with its cookie) is measured holding the same information,
  holding the login's input as it came, and holding only the user id and the two fields:

  | store | MEMORY USAGE bytes / session | used_memory growth bytes / session |
  | --- | --- | --- |
  | sessionward, 3 sessions per user (user hash share + trail share) | ${bytes.sessionward.perSession} | ${bytes.sessionward.usedMemory} |
  | sessionward, 1 session per user | ${bytes.oneSessionPerUser.perSession} | ${bytes.oneSessionPerUser.usedMemory} |
  | express-session + connect-redis, the same information | ${bytes.connectRedis.perSession} | ${bytes.connectRedis.usedMemory} |
  | express-session + connect-redis, the login input (user id, user agent, IP, two fields) | ${bytes.connectRedisLoginInput.perSession} | ${bytes.connectRedisLoginInput.usedMemory} |
  | express-session + connect-redis, the user id and two fields only | ${bytes.connectRedisAppFields.perSession} | ${bytes.connectRedisAppFields.usedMemory} |

- With ${fmt(userOps.total)} sessions in Redis, for a user with 10 sessions: \`list\` ${userOps.listMs.toFixed(2)} ms, \`revokeAll\` ${userOps.revokeAllMs.toFixed(2)} ms (median of ${userOps.runs}).
`;
  const path = fileURLToPath(new URL('../BENCHMARKS.md', import.meta.url));
  writeFileSync(path, `${report}${NOTES}`);
  console.log(report);
}

// Below the generated tables: how to read them, and what would close the gaps where a target is missed.
const NOTES = `
## How to read this

- **Round trips vs commands.** Every authenticated request costs sessionward one Redis round trip. Inside
  the touch interval it is one plain \`HMGET\` (the session's field, which holds its entry and record, and
  the user id, from the user's hash: no script, no write), asserted with \`MONITOR\` in \`test/redis/round-trips.test.ts\`. A due
  touch, or a session this server has not seen yet, takes the touch script instead (still one round trip).
  The floor's \`GETEX\` is one command too; "commands" counts the script's inner commands as well.
- **Revocation is strict in the plain sessionward rows**: the store is asked on every request, and every
  end writes its tombstone over the session's field, which removes the record in the same step, so the
  plain read is authoritative. The cached rows answer from what the store confirmed at most 2 s ago while the push
  channel is live (a revocation reaches them in the p99 below). The stateless-JWT row cannot revoke anything.
- **Distinct sessions.** Load is spread over 1,000 sessions per app, so with a 2 s staleness the slower
  the app, the larger its share of cache misses (the round trips column: one request in eight to fifty). The "no memo" rows verify every
  credential's signature. The "memo holds half" rows remember 500 credentials for 1,000 sessions used round-robin,
  as a server with more active sessions than its memo holds: once full the memo takes one new credential in eight,
  so about half the checks are answered from it (remembering each would push out the one the next check needs).
- **Express ratios against the floor.** Bare Express is itself only about 0.8–1.2× the floor in req/s
  from run to run: the framework's own CPU per request (its row) dwarfs the floor's one GETEX, so
  "1.2× the floor" is at or above bare Express, and the Express ratios move with the run more than the
  Fastify ones. In the last two runs the floor answered more requests than bare Express (1.06× and
  1.24×, in every round of the second, with about 10% more instructions per request than bare
  Express in every count): Express' req/s here does not follow the work a request takes, and its
  instruction counts do. The CPU-added rows say what each layer costs on top of the bare framework; a negative
  one, or a session layer above its bare framework, is the run's noise, not a result (no layer makes
  a framework faster). On a noisy machine read the ratios across several runs.
- **express-session rows**: connect-redis (node-redis client) reads with \`GET\` and, when rolling, writes the
  whole session back on every request (\`SET\`); non-rolling it still refreshes the TTL (\`EXPIRE\`).

## Where a target is missed, and what would close it

- **Strict validation vs the floor.** The floor checks one HMAC and parses a 25-byte JSON value.
  sessionward reads about 330 bytes (the session's entry and record, the sealed user id), opens the user
  id, compares the request's IP and user agent with the session's for the anomaly rules (a string
  compare when both are as stored), and passes the answer through the adapter, the manager, the
  sealing wrapper and the store. The record is decoded once per write, not per request: a session
  read again unchanged reuses its decoded device and location, and only its data fields are parsed
  again (each request gets its own copy). In-process a validation still costs two to three times a
  bare \`HMGET\` (In-process costs, below), where the floor adds one HMAC to its GETEX. What is left is
  spread thin (ioredis' own command path, three memo lookups, one session object per layer); the
  store call's layers (the store's read, the sealing wrapper, the guarded call, the manager's
  confirmation) are one \`then\` each, not an async function each: in side-by-side callgrind runs that
  took Fastify's strict count from 152k–153k to 143k–148k, against 143k for the floor counted the same
  way (this run's counts, one app at a time after the req/s rounds, are in the table above). Most of
  the difference left is allocation: the Fastify app allocates about 17.5 KB per request (V8's
  sampling heap profiler) against the floor's 12.7 KB and bare Fastify's 7.5 KB (\`--trace-gc-nvp\`),
  and the extra scavenging is most of the instructions between them. On Express, about 40k instructions per request are the
  middleware before any validation (in front of a route that never loads the session it adds that
  much to bare Express, where the Fastify plugin's same work adds about 9k in one run). A lead, not
  adopted: in a bare app, one middleware that sets a \`session\` property on each request counted 620k
  (twice), and the same with an accessor on the app's request prototype instead 595k. An adapter
  built that way counted 677k, 689k, 738k and 755k in four counts of the strict app, against 719k–728k
  without it: no gain outside the spread, so the adapter still sets the property. Counts also move with
  load on the machine (how many requests share an event-loop turn and an auto-pipelined write):
  Fastify's strict app counted 163k beside a running test suite, so the bench counts with nothing
  else running.
- **Every check verifying its signature.** Past the memo, a request checks the credential's HMAC
  signature and hashes its secret for the store to compare. The HMAC runs over node:crypto's one-shot
  \`hash()\` with the key's pads laid out once (about 1.0 µs per credential-sized message, where
  \`createHmac\` took 1.7–2.9 µs), and the secret's keyed hash is one SHA-256 compression over a key
  of its own and the secret (0.35 µs, where an HMAC took 1.2): a check the memo does not answer costs
  about 4.0 µs in-process, down from 5.0, and Fastify's no-memo count fell from 250k to 217k–225k
  with the HMACs and to 203k–211k with the secret hash. Of the difference left to the memo's count,
  SHA-256 compression of eight 64-byte blocks is about 17k instructions, and the payload's decode and
  parse about 7k. Those 17k overstate it: valgrind does not offer the CPU's SHA extensions
  (\`sha_ni\` in /proc/cpuinfo), so under it OpenSSL runs its AVX2 code
  (\`sha256_block_data_order_avx2\` in the dumps), where at full speed it uses the SHA instructions
  (\`sha256_block_data_order_shaext\`, seen with gdb). The within-10% count leaves about 16k on Fastify, at most what the hashing alone takes: by
  instructions it is not reachable while each request checks a signature and hashes a secret, and
  req/s is where it is judged. With more sessions than the memo holds, it answers what it has room
  for (about half the checks at twice its size), so that row sits between the two.
- **Logins vs express-session.** A sessionward login does more by design: fingerprint, GeoIP, the
  anomaly rules against the user's trail, four keyed hashes and MACs (user key, secret hash, the
  credential's signature, the sealed user id's AES-GCM), audit events, and one script that applies the
  limit and updates the trail. The credential is no longer signed through WebCrypto (jose's HS256
  there cost about 50 µs of CPU per login with 20 in flight; node:crypto makes the same token in about
  8 µs). With that gone the two were level in CPU per login (1.03× and 0.96× in earlier runs). Since
  then the advisory parts share one deadline timer, audit events and a login's claims and location are
  built without V8's slow spread path, and the device part is shortened in one pass. Runs now land
  on either side of express-session (1.07× its logins/s with 14% less CPU per login in one run, 0.89×
  in a run on a noisier machine): the Logins table is this run's. The remaining own work is mostly the
  features above (In-process costs).
- **Redis memory.** sessionward keeps, for every session, what an express-session app given the same
  login would keep (user id, user agent, IP, two fields) plus the parsed device (browser, OS, device
  type, fingerprint), the location (country, city, coordinates, time zone, ASN) and the lifecycle entry.
  The common user-agent fragments and the most common browser, system and device names are stored as
  one byte each, the bot flag only when set, a login's auth time and location time not again (they are
  its creation time), and the entry and the record share one hash field, which for this Chrome-on-Windows
  session fits the 256-byte allocator class. With three sessions per user that is below both targets.
  With one session per user it is not: the user's hash (with the encrypted user id) and the trail then
  serve one session alone, about 480 of its 800 bytes. What would close that: the user id and the
  trail in fewer, smaller allocations, or a hash small enough for Redis' compact listpack encoding,
  which any value over 64 bytes (\`hash-max-listpack-value\`, an operator's setting) rules out for the
  whole hash.
`;

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
