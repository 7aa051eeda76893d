/**
 * One benchmark server, chosen by BENCH_VARIANT. Every variant answers GET / only for an
 * authenticated client whose session it loads, and POST /login to obtain a credential.
 * Started as its own process by bench/http.ts so the load generator never shares its event loop.
 */
import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import express from 'express';
import Fastify from 'fastify';
import { Redis } from 'ioredis';
import { jwtVerify, SignJWT } from 'jose';
import { AllowAllDetector, SessionManager } from 'sessionward';
import { sessionward as expressSessionward, requireSession as expressRequire } from 'sessionward/express';
import { sessionward as fastifySessionward, requireSession as fastifyRequire } from 'sessionward/fastify';
import { MaxMindGeoResolver } from 'sessionward/maxmind';
import { RedisRevocationChannel, RedisSessionStore } from 'sessionward/redis';
import { writeGeoFixtures } from '../../fixtures/geo-fixture.js';

const variant = process.env.BENCH_VARIANT!;
const redisUrl = process.env.REDIS_URL!;
const SECRET = 'benchmark-secret-0123456789-abcdefghijklmnopqrstuvwxyz';
const IDLE_MS = 30 * 60_000;
const ok = { ok: true };

async function sessionwardManager() {
  const client = new Redis(redisUrl, { enableAutoPipelining: true });
  client.on('error', () => {}); // the runner stops Redis before it kills the servers
  const { city, asn } = writeGeoFixtures();
  // The cached variants: answers within 2 s of the store's confirmation, revocations pushed.
  const cached = variant.endsWith('-cached');
  // -nomemo: no verified-credential memo, so every check verifies the signature. -memohalf: a memo of
  // half as many credentials as there are sessions, used round-robin, as in a process serving more
  // sessions than its memo holds.
  const memo = variant.endsWith('-nomemo') ? 0 : variant.endsWith('-memohalf') ? Number(process.env.BENCH_SESSIONS) / 2 : undefined;
  // BENCH_UNDER_VALGRIND: the process runs some 40 times slower, so its deadlines and touch interval
  // stretch with it; a 1-minute interval would make a touch due on every third request, not under one in
  // a hundred as at full speed.
  const slow = process.env.BENCH_UNDER_VALGRIND === '1';
  return new SessionManager({
    secret: SECRET,
    store: new RedisSessionStore({ client, prefix: 'bench:', ...(slow ? { commandTimeout: '120s' } : {}) }),
    ...(slow ? { touchInterval: '20m', advisoryTimeout: '120s' } : {}),
    ...(cached ? { cache: { maxStaleness: '2s' }, revocations: new RedisRevocationChannel({ client, channel: 'bench:revocations' }) } : {}),
    geoResolver: await MaxMindGeoResolver.open({ cityDatabase: city, asnDatabase: asn }),
    // Login-time rules that read the user's other sessions cost a round trip; BENCH_HISTORY=1 keeps the default rules.
    ...(process.env.BENCH_HISTORY ? {} : { anomalyDetector: new AllowAllDetector() }),
    limit: { max: 3, policy: 'evict-oldest' },
    ...(memo === undefined ? {} : { verifiedCredentialCacheSize: memo }),
  });
}

/** The least work a store-backed check can do: an HMAC-signed cookie and one GETEX that reads and slides. */
function floorHandlers() {
  const client = new Redis(redisUrl, { enableAutoPipelining: true });
  client.on('error', () => {});
  const key = Buffer.from(SECRET);
  const sign = (id: string) => createHmac('sha256', key).update(id).digest('base64url');
  return {
    login: async () => {
      const id = randomBytes(16).toString('base64url');
      await client.set(`floor:${id}`, JSON.stringify({ userId: 'bench-user' }), 'PX', IDLE_MS);
      return `sid=${id}.${sign(id)}`;
    },
    check: async (cookie: string | undefined) => {
      const value = /(?:^|; )sid=([^;]+)/.exec(cookie ?? '')?.[1];
      const [id, mac] = value?.split('.') ?? [];
      if (!id || !mac || mac.length !== 43 || !timingSafeEqual(Buffer.from(mac), Buffer.from(sign(id)))) return null;
      const data = await client.getex(`floor:${id}`, 'PX', IDLE_MS);
      return data === null ? null : (JSON.parse(data) as { userId: string });
    },
  };
}

async function connectRedisStore() {
  const { createClient } = await import('redis');
  const { RedisStore } = await import('connect-redis');
  const client = createClient({ url: redisUrl });
  client.on('error', () => {});
  await client.connect();
  return new RedisStore({ client, prefix: 'sess:' });
}

async function expressApp() {
  const app = express();
  app.set('trust proxy', 'loopback');
  app.use(express.json());
  if (variant === 'express-bare') {
    app.get('/', (_req, res) => void res.json(ok));
    app.post('/login', (_req, res) => void res.json(ok));
  } else if (variant.startsWith('express-sessionward')) {
    app.use(expressSessionward({ manager: await sessionwardManager() }));
    app.post('/login', async (req, res) => {
      await req.session.login(String(req.body?.userId ?? 'bench-user'));
      res.json(ok);
    });
    app.get('/', expressRequire(), (_req, res) => void res.json(ok));
  } else if (variant.startsWith('express-session')) {
    const { default: session } = await import('express-session');
    app.use(
      session({
        store: await connectRedisStore(),
        secret: SECRET,
        resave: false,
        saveUninitialized: false,
        rolling: variant === 'express-session-rolling',
        cookie: { maxAge: IDLE_MS, httpOnly: true, sameSite: 'lax' },
      }),
    );
    // What a login should do with express-session: a fresh id (no fixation), then the user, then save.
    type Store = { userId: string; regenerate(done: (error?: unknown) => void): void; save(done: (error?: unknown) => void): void };
    const sessionOf = (req: express.Request) => req.session as unknown as Store;
    app.post('/login', (req, res, next) => {
      sessionOf(req).regenerate((error) => {
        if (error) return next(error);
        sessionOf(req).userId = String(req.body?.userId ?? 'bench-user');
        sessionOf(req).save((saveError) => (saveError ? next(saveError) : res.json(ok)));
      });
    });
    app.get('/', (req, res) => void ((req.session as unknown as { userId?: string }).userId ? res.json(ok) : res.status(401).end()));
  } else if (variant === 'express-jwt') {
    const key = await crypto.subtle.importKey('raw', Buffer.from(SECRET), { name: 'HMAC', hash: 'SHA-256' }, false, ['sign', 'verify']);
    app.post('/login', async (req, res) => {
      const token = await new SignJWT({ sub: String(req.body?.userId ?? 'bench-user') })
        .setProtectedHeader({ alg: 'HS256' })
        .setIssuer('bench')
        .setAudience('bench')
        .setExpirationTime('12h')
        .sign(key);
      res.cookie('jwt', token, { httpOnly: true }).json(ok);
    });
    app.get('/', async (req, res) => {
      const token = /(?:^|; )jwt=([^;]+)/.exec(req.headers.cookie ?? '')?.[1];
      try {
        await jwtVerify(token ?? '', key, { algorithms: ['HS256'], issuer: 'bench', audience: 'bench' });
        res.json(ok);
      } catch {
        res.status(401).end();
      }
    });
  } else if (variant === 'express-floor') {
    const floor = floorHandlers();
    app.post('/login', async (_req, res) => void res.setHeader('set-cookie', `${await floor.login()}; HttpOnly`).json(ok));
    app.get('/', async (req, res) => void ((await floor.check(req.headers.cookie)) ? res.json(ok) : res.status(401).end()));
  } else throw new Error(`unknown variant ${variant}`);
  const server = createServer(app);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
}

async function fastifyApp() {
  const app = Fastify({ trustProxy: 'loopback' });
  if (variant === 'fastify-bare') {
    app.get('/', async () => ok);
    app.post('/login', async () => ok);
  } else if (variant.startsWith('fastify-sessionward')) {
    await app.register(fastifySessionward, { manager: await sessionwardManager() });
    app.post('/login', async (request) => {
      await request.session.login(String((request.body as { userId?: string } | null)?.userId ?? 'bench-user'));
      return ok;
    });
    app.get('/', { preHandler: fastifyRequire() }, async () => ok);
  } else if (variant === 'fastify-session') {
    await app.register((await import('@fastify/cookie')).default);
    await app.register((await import('@fastify/session')).default, {
      secret: SECRET,
      store: (await connectRedisStore()) as never,
      saveUninitialized: false,
      cookie: { secure: false, maxAge: IDLE_MS },
    });
    app.post('/login', async (request) => {
      (request.session as unknown as { set(key: string, value: string): void }).set('userId', 'bench-user');
      return ok;
    });
    app.get('/', async (request, reply) => ((request.session as unknown as { get(key: string): unknown }).get('userId') ? ok : reply.code(401).send()));
  } else if (variant === 'fastify-floor') {
    const floor = floorHandlers();
    app.post('/login', async (_request, reply) => reply.header('set-cookie', `${await floor.login()}; HttpOnly`).send(ok));
    app.get('/', async (request, reply) => ((await floor.check(request.headers.cookie)) ? ok : reply.code(401).send()));
  } else throw new Error(`unknown variant ${variant}`);
  return app.listen({ port: 0, host: '127.0.0.1' });
}

const url = variant.startsWith('express') ? await expressApp() : await fastifyApp();
console.log(`ready ${url}`);
