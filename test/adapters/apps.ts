import type { AddressInfo } from 'node:net';
import { createServer, type Server } from 'node:http';
import express from 'express';
import Fastify from 'fastify';
import Koa from 'koa';
import Router from '@koa/router';
import { HttpSessions, type HttpSessionsOptions, type RequestSession } from 'sessionward';
import * as forExpress from 'sessionward/express';
import * as forFastify from 'sessionward/fastify';
import * as forKoa from 'sessionward/koa';

export type Framework = 'express' | 'fastify' | 'koa';
export const FRAMEWORKS: Framework[] = ['express', 'fastify', 'koa'];

export interface RunningApp {
  url: string;
  close(): Promise<void>;
}

/**
 * The same small app in each framework: login (JSON body), a protected route, step-up and
 * privilege change, plus the built-in session routes. Handlers only call the attached session.
 */
const handlers = {
  login: async (session: RequestSession, body: { userId?: string }) => {
    const created = await session.login(body.userId ?? 'alice');
    return { userId: created.userId, ...(session.token ? { token: session.token } : {}), stepUp: session.pendingStepUp !== null };
  },
  me: (session: RequestSession) => ({ userId: session.session!.userId }),
  stepUp: async (session: RequestSession) => ({ confirmed: (await session.confirmStepUp()) !== null }),
  privilege: async (session: RequestSession) => ({ rotated: (await session.rotate({ reauthenticated: true })) !== null }),
};

async function listen(server: Server): Promise<string> {
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
}

export async function startApp(framework: Framework, options: HttpSessionsOptions): Promise<RunningApp> {
  const http = new HttpSessions(options);
  if (framework === 'express') {
    const app = express();
    app.set('trust proxy', 'loopback');
    app.use(express.json());
    app.use(forExpress.sessionward(http));
    app.post('/login', async (req, res) => void res.json(await handlers.login(req.session, req.body ?? {})));
    app.get('/me', forExpress.requireSession(), (req, res) => void res.json(handlers.me(req.session)));
    app.post('/step-up', async (req, res) => void res.json(await handlers.stepUp(req.session)));
    app.post('/privilege', forExpress.requireSession(), async (req, res) => void res.json(await handlers.privilege(req.session)));
    app.use(forExpress.sessionErrorHandler());
    const server = createServer(app);
    return { url: await listen(server), close: () => new Promise((resolve) => server.close(() => resolve())) };
  }
  if (framework === 'fastify') {
    const app = Fastify({ trustProxy: 'loopback' as never });
    await app.register(forFastify.sessionward, options);
    app.post('/login', async (request) => handlers.login(request.session, (request.body as object) ?? {}));
    app.get('/me', { preHandler: forFastify.requireSession }, async (request) => handlers.me(request.session));
    app.post('/step-up', async (request) => handlers.stepUp(request.session));
    app.post('/privilege', { preHandler: forFastify.requireSession }, async (request) => handlers.privilege(request.session));
    const url = await app.listen({ port: 0, host: '127.0.0.1' });
    return { url, close: () => app.close() };
  }
  // Koa's proxy mode trusts every X-Forwarded-For hop unless maxIpsCount bounds it: one proxy here.
  const app = new Koa({ proxy: true, maxIpsCount: 1 });
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
  app.use(forKoa.sessionward(http));
  router.post('/login', async (ctx) => void (ctx.body = await handlers.login(ctx.state.session, (ctx.request as { body?: object }).body ?? {})));
  router.get('/me', forKoa.requireSession(), (ctx) => void (ctx.body = handlers.me(ctx.state.session)));
  router.post('/step-up', async (ctx) => void (ctx.body = await handlers.stepUp(ctx.state.session)));
  router.post('/privilege', forKoa.requireSession(), async (ctx) => void (ctx.body = await handlers.privilege(ctx.state.session)));
  app.use(router.routes());
  const server = createServer(app.callback());
  return { url: await listen(server), close: () => new Promise((resolve) => server.close(() => resolve())) };
}
