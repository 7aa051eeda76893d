import type { AddressInfo } from 'node:net';
import express from 'express';
import { afterEach, describe, expect, it } from 'vitest';
import { MemorySessionStore, SessionManager } from 'sessionward';
import { requireSession, sessionOf, sessionward } from 'sessionward/express';
import { SECRET } from '../support/manager-fixture.js';

// A property added to each request costs Express about 25k instructions a request (callgrind, bench
// app: 620k against 595k), most of what the middleware cost: the session is reached through an
// accessor on the app's request prototype instead, so a request gains no property of its own.
const servers: { close(): void }[] = [];
afterEach(() => {
  for (const server of servers.splice(0)) server.close();
});

async function serve(app: express.Express): Promise<string> {
  const server = app.listen(0, '127.0.0.1');
  servers.push(server);
  await new Promise((resolve) => server.once('listening', resolve));
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
}

function ownKeys(req: object): (string | symbol)[] {
  return Reflect.ownKeys(req).filter((key) => key === 'session' || key === 'auth' || (typeof key === 'symbol' && key.description?.startsWith('sessionward')));
}

describe('Express: the request session without a property per request', () => {
  for (const property of ['session', 'auth'] as const) {
    it(`answers req.${property} and sessionOf(req) with no own property on the request, in the app and in a mounted app`, async () => {
      const manager = new SessionManager({ secret: SECRET, store: new MemorySessionStore({ sweepInterval: false }) });
      const app = express();
      app.use(express.json());
      app.use(sessionward({ manager, ...(property === 'auth' ? { property } : {}) }));
      const probe = (req: express.Request) => ({
        own: ownKeys(req).length,
        same: (req as unknown as Record<string, unknown>)[property] === sessionOf(req),
        loaded: typeof sessionOf(req).load === 'function',
      });
      app.post('/login', async (req, res) => void res.json({ userId: (await sessionOf(req).login('alice')).userId }));
      app.get('/probe', (req, res) => void res.json(probe(req)));
      app.get('/me', requireSession(), (req, res) => void res.json({ userId: sessionOf(req).session!.userId }));
      const mounted = express();
      mounted.get('/probe', (req, res) => void res.json(probe(req)));
      app.use('/mounted', mounted);
      const url = await serve(app);

      expect(await (await fetch(`${url}/probe`)).json()).toEqual({ own: 0, same: true, loaded: true });
      expect(await (await fetch(`${url}/mounted/probe`)).json()).toEqual({ own: 0, same: true, loaded: true });
      const login = await fetch(`${url}/login`, { method: 'POST' });
      const cookie = login.headers.getSetCookie()[0]!.split(';')[0]!;
      expect(await (await fetch(`${url}/me`, { headers: { cookie } })).json()).toEqual({ userId: 'alice' });
      // Each request its own session: a second client is not signed in.
      expect((await fetch(`${url}/me`)).status).toBe(401);
    });
  }

  it('lets the app assign the property, as it could a plain one', async () => {
    const manager = new SessionManager({ secret: SECRET, store: new MemorySessionStore({ sweepInterval: false }) });
    const app = express();
    app.use(sessionward({ manager }));
    app.get('/', (req, res) => {
      (req as unknown as { session: unknown }).session = { replaced: true };
      res.json({ session: (req as unknown as { session: unknown }).session });
    });
    const url = await serve(app);
    expect(await (await fetch(url)).json()).toEqual({ session: { replaced: true } });
  });
});
