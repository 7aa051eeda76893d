import type { AddressInfo } from 'node:net';
import { createServer, type Server } from 'node:http';
import express from 'express';
import Fastify from 'fastify';
import Koa from 'koa';
import Router from '@koa/router';
import type { HttpSessionsOptions, RequestSession, TrustProxy } from 'sessionward/http';
import * as forExpress from 'sessionward/express';
import * as forFastify from 'sessionward/fastify';
import * as forKoa from 'sessionward/koa';

export type Framework = 'express' | 'fastify' | 'koa';
export const FRAMEWORKS: Framework[] = ['express', 'fastify', 'koa'];

export interface RunningApp {
  url: string;
  close(): Promise<void>;
}

/** The framework's own trusted-proxy setting: Express `trust proxy`, Fastify `trustProxy`, Koa `proxy` + `maxIpsCount`. */
export interface AppSettings {
  express?: unknown;
  fastify?: unknown;
  koa?: { proxy: boolean; maxIpsCount?: number };
}

const DEFAULT_TRUST: Required<AppSettings> = { express: 'loopback', fastify: 'loopback', koa: { proxy: true, maxIpsCount: 1 } };

/**
 * The same small app in each framework: login (JSON body), a protected route, step-up and
 * privilege change, a public page that never reads the session, a page that reads it optionally,
 * an app route behind the cross-origin guard, plus the built-in session routes. Handlers only call
 * the attached session (found with `sessionOf`, whatever property it is attached as).
 */
const handlers = {
  login: async (session: RequestSession, body: { userId?: string }) => {
    const created = await session.login(body.userId ?? 'alice');
    const tokens = { ...(session.token ? { token: session.token } : {}), ...(session.refreshToken ? { refreshToken: session.refreshToken } : {}) };
    return { userId: created.userId, ...tokens, stepUp: session.pendingStepUp !== null };
  },
  me: (session: RequestSession) => ({ userId: session.session!.userId }),
  resilient: (session: RequestSession) => ({ userId: session.session!.userId, degraded: session.degraded }),
  optional: async (session: RequestSession) => ({ signedIn: (await session.load()) !== null }),
  stepUp: async (session: RequestSession) => ({ confirmed: (await session.confirmStepUp({ amr: ['pwd', 'otp'] })) !== null }),
  sensitive: (session: RequestSession) => ({ amr: session.session!.amr }),
  privilege: async (session: RequestSession) => ({ rotated: (await session.rotate({ reauthenticated: true })) !== null }),
  ownAction: () => ({ done: true }),
  ip: async (session: RequestSession) => ({ ip: (await session.load())?.deviceInfo.ipAddress ?? null }),
  /**
   * Which request properties hold the session sessionOf() found (Koa: on ctx.state), and how many
   * symbol-keyed properties sessionward added to the framework's request and its holder (each one
   * costs the request about a microsecond).
   */
  attached: (holder: Record<string, unknown>, native: object, session: RequestSession) => ({
    as: ['session', 'auth'].filter((name) => holder[name] === session),
    symbols: [...new Set([holder, native])]
      .flatMap((target) => Object.getOwnPropertySymbols(target))
      .filter((key) => key.description?.startsWith('sessionward')).length,
  }),
};

async function listen(server: Server): Promise<string> {
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
}

export async function startApp(framework: Framework, options: HttpSessionsOptions<never>, settings: AppSettings = {}): Promise<RunningApp> {
  const trust = { ...DEFAULT_TRUST, ...settings };
  if (framework === 'express') {
    const app = express();
    app.set('trust proxy', trust.express);
    app.use(express.json());
    app.use(forExpress.sessionward(options as forExpress.ExpressSessionsOptions));
    const rs = (req: express.Request) => forExpress.sessionOf(req);
    app.post('/login', async (req, res) => void res.json(await handlers.login(rs(req), req.body ?? {})));
    app.get('/me', forExpress.requireSession(), (req, res) => void res.json(handlers.me(rs(req))));
    app.get('/resilient', forExpress.requireSession({ allowDegraded: true }), (req, res) => void res.json(handlers.resilient(rs(req))));
    app.get('/public', (_req, res) => void res.json({ public: true }));
    app.get('/optional', async (req, res) => void res.json(await handlers.optional(rs(req))));
    app.get('/ip', async (req, res) => void res.json(await handlers.ip(rs(req))));
    app.get('/attached', (req, res) => void res.json(handlers.attached(req as unknown as Record<string, unknown>, req, rs(req))));
    app.post('/own-action', forExpress.csrfGuard(), (_req, res) => void res.json(handlers.ownAction()));
    app.post('/step-up', async (req, res) => void res.json(await handlers.stepUp(rs(req))));
    app.post('/privilege', forExpress.requireSession(), async (req, res) => void res.json(await handlers.privilege(rs(req))));
    app.get('/sensitive', forExpress.requireRecentAuth('10m'), (req, res) => void res.json(handlers.sensitive(rs(req))));
    app.use(forExpress.sessionErrorHandler());
    const server = createServer(app);
    return { url: await listen(server), close: () => new Promise((resolve) => server.close(() => resolve())) };
  }
  if (framework === 'fastify') {
    const app = Fastify({ trustProxy: trust.fastify as never });
    await app.register(forFastify.sessionward, options as forFastify.FastifySessionsOptions);
    const rs = forFastify.sessionOf;
    app.post('/login', async (request) => handlers.login(rs(request), (request.body as object) ?? {}));
    app.get('/me', { preHandler: forFastify.requireSession() }, async (request) => handlers.me(rs(request)));
    app.get('/resilient', { preHandler: forFastify.requireSession({ allowDegraded: true }) }, async (request) => handlers.resilient(rs(request)));
    app.get('/public', async () => ({ public: true }));
    app.get('/optional', async (request) => handlers.optional(rs(request)));
    app.get('/ip', async (request) => handlers.ip(rs(request)));
    app.get('/attached', async (request) => handlers.attached(request as unknown as Record<string, unknown>, request, rs(request)));
    app.post('/own-action', { preHandler: forFastify.csrfGuard() }, async () => handlers.ownAction());
    app.post('/step-up', async (request) => handlers.stepUp(rs(request)));
    app.post('/privilege', { preHandler: forFastify.requireSession() }, async (request) => handlers.privilege(rs(request)));
    app.get('/sensitive', { preHandler: forFastify.requireRecentAuth('10m') }, async (request) => handlers.sensitive(rs(request)));
    const url = await app.listen({ port: 0, host: '127.0.0.1' });
    return { url, close: () => app.close() };
  }
  const app = new Koa(trust.koa);
  const router = new Router();
  app.use(async (ctx, next) => {
    // A tiny JSON body reader: the examples do not need a body-parser dependency.
    if (ctx.is('application/json')) {
      let raw = '';
      for await (const chunk of ctx.req) raw += chunk;
      (ctx.request as { body?: unknown }).body = raw ? JSON.parse(raw) : {};
    }
    await next();
  });
  app.use(forKoa.sessionward(options as forKoa.KoaSessionsOptions));
  const rs = forKoa.sessionOf;
  router.post('/login', async (ctx) => {
    ctx.body = await handlers.login(rs(ctx), (ctx.request as { body?: object }).body ?? {});
  });
  router.get('/me', forKoa.requireSession(), (ctx) => {
    ctx.body = handlers.me(rs(ctx));
  });
  router.get('/resilient', forKoa.requireSession({ allowDegraded: true }), (ctx) => {
    ctx.body = handlers.resilient(rs(ctx));
  });
  router.get('/public', (ctx) => {
    ctx.body = { public: true };
  });
  router.get('/optional', async (ctx) => {
    ctx.body = await handlers.optional(rs(ctx));
  });
  router.get('/ip', async (ctx) => {
    ctx.body = await handlers.ip(rs(ctx));
  });
  router.get('/attached', (ctx) => {
    ctx.body = handlers.attached(ctx.state as Record<string, unknown>, ctx, rs(ctx));
  });
  router.post('/own-action', forKoa.csrfGuard(), (ctx) => {
    ctx.body = handlers.ownAction();
  });
  router.post('/step-up', async (ctx) => {
    ctx.body = await handlers.stepUp(rs(ctx));
  });
  router.post('/privilege', forKoa.requireSession(), async (ctx) => {
    ctx.body = await handlers.privilege(rs(ctx));
  });
  router.get('/sensitive', forKoa.requireRecentAuth('10m'), (ctx) => {
    ctx.body = handlers.sensitive(rs(ctx));
  });
  app.use(router.routes());
  const server = createServer(app.callback());
  return { url: await listen(server), close: () => new Promise((resolve) => server.close(() => resolve())) };
}

export type { TrustProxy };
