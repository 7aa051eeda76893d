import { request as httpRequest } from 'node:http';
import { afterEach, describe, expect, it } from 'vitest';
import { MemoryAuditSink, MemorySessionStore, SessionManager } from 'sessionward';
import { HttpSessions, type HttpSessionsOptions } from 'sessionward/http';
import { TestClock } from 'sessionward/testing';
import { countingStore, SECRET } from '../support/manager-fixture.js';
import { failingWhen } from '../support/outage-store.js';
import { FRAMEWORKS, startApp, type AppSettings, type Framework, type RunningApp } from './apps.js';
import { Browser } from './http-client.js';

const running: RunningApp[] = [];
afterEach(async () => {
  await Promise.all(running.splice(0).map((app) => app.close()));
});

async function app(framework: Framework, http: Partial<HttpSessionsOptions<never>> = {}, settings: AppSettings = {}) {
  const clock = new TestClock();
  const outage = { down: false };
  const audit = new MemoryAuditSink();
  const { store, calls } = countingStore(failingWhen(new MemorySessionStore({ clock: clock.now, sweepInterval: false }), outage));
  const manager = new SessionManager({ secret: SECRET, clock: clock.now, store, auditSink: audit });
  const started = await startApp(framework, { manager, ...http }, settings);
  running.push(started);
  return { url: started.url, browser: (ua?: string) => new Browser(started.url, ua), outage, calls, audit, manager };
}

const CROSS_SITE = { origin: 'https://evil.example', 'sec-fetch-site': 'cross-site' };
const SAME_SITE = { origin: 'https://other.example.test', 'sec-fetch-site': 'same-site' };
const total = (calls: Record<string, number>) => Object.values(calls).reduce((sum, n) => sum + n, 0);

describe.each(FRAMEWORKS)('HTTP hardening (%s)', (framework) => {
  describe('cross-origin guard', () => {
    it('refuses a cross-site or same-site POST to the session routes with 403 cross-origin, and nothing is ended', async () => {
      const { browser, manager } = await app(framework);
      const laptop = browser();
      await laptop.send('POST', '/login', { body: { userId: 'alice' } });
      await browser().send('POST', '/login', { body: { userId: 'alice' } });
      for (const headers of [CROSS_SITE, SAME_SITE, { origin: 'https://evil.example' }, { origin: 'null' }]) {
        const refused = await laptop.send('POST', '/sessions/revoke-others', { headers });
        expect(refused).toMatchObject({ status: 403, body: { error: 'ERR_SESSION_FORBIDDEN', reason: 'cross-origin' } });
        expect(await manager.list('alice')).toHaveLength(2);
      }
      expect((await laptop.send('DELETE', '/sessions/whatever', { headers: CROSS_SITE })).status).toBe(403);
      expect((await laptop.send('POST', '/sessions/logout', { headers: CROSS_SITE })).status).toBe(403);
      expect(await manager.list('alice')).toHaveLength(2);
    });

    it("lets same-origin requests, the request's own Origin, and requests without browser headers through", async () => {
      const { browser, url } = await app(framework);
      const alice = browser();
      await alice.send('POST', '/login', { body: { userId: 'alice' } });
      await browser().send('POST', '/login', { body: { userId: 'alice' } });
      await browser().send('POST', '/login', { body: { userId: 'alice' } });
      expect((await alice.send('POST', '/sessions/revoke-others', { headers: { 'sec-fetch-site': 'same-origin', origin: url } })).body).toEqual({ revoked: 2 });
      await browser().send('POST', '/login', { body: { userId: 'alice' } });
      expect((await alice.send('POST', '/sessions/revoke-others', { headers: { origin: url } })).body).toEqual({ revoked: 1 });
      await browser().send('POST', '/login', { body: { userId: 'alice' } });
      expect((await alice.send('POST', '/sessions/revoke-others')).body).toEqual({ revoked: 1 });
    });

    it('accepts an allowlisted origin', async () => {
      const { browser } = await app(framework, { csrf: { allowedOrigins: ['https://admin.example.com'] } });
      const alice = browser();
      await alice.send('POST', '/login', { body: { userId: 'alice' } });
      const reply = await alice.send('POST', '/sessions/revoke-others', { headers: { origin: 'https://admin.example.com', 'sec-fetch-site': 'cross-site' } });
      expect(reply).toMatchObject({ status: 200, body: { revoked: 0 } });
    });

    it("guards the app's own routes with csrfGuard()", async () => {
      const { browser } = await app(framework);
      expect(await browser().send('POST', '/own-action', { headers: CROSS_SITE })).toMatchObject({ status: 403, body: { reason: 'cross-origin' } });
      expect(await browser().send('POST', '/own-action', { headers: { 'sec-fetch-site': 'same-origin' } })).toMatchObject({
        status: 200,
        body: { done: true },
      });
    });
  });

  describe('lazy validation', () => {
    it('a request that never reads the session makes no store call, and works through an outage', async () => {
      const { browser, calls, outage } = await app(framework);
      const alice = browser();
      await alice.send('POST', '/login', { body: { userId: 'alice' } });
      const before = total(calls);
      expect(await alice.send('GET', '/public')).toMatchObject({ status: 200, body: { public: true }, setCookie: [] });
      expect(total(calls)).toBe(before);
      outage.down = true;
      expect(await alice.send('GET', '/public')).toMatchObject({ status: 200, body: { public: true } });
      expect(await alice.send('GET', '/me')).toMatchObject({ status: 503, retryAfter: '1' });
      outage.down = false;
      expect(await alice.send('GET', '/optional')).toMatchObject({ status: 200, body: { signedIn: true } });
      expect(total(calls)).toBe(before + 2); // the refused /me and /optional, one validation each
    });

    it('a cleared dead cookie is sent with Cache-Control: no-store', async () => {
      const { browser } = await app(framework);
      const alice = browser();
      await alice.send('POST', '/login', { body: { userId: 'alice' } });
      alice.cookie = `${alice.cookie!.slice(0, -4)}AAAA`;
      const reply = await alice.send('GET', '/optional');
      expect(reply).toMatchObject({ status: 200, body: { signedIn: false }, cacheControl: 'no-store' });
      expect(reply.setCookie).toEqual(['__Host-sid=; Path=/; Max-Age=0; HttpOnly; Secure; SameSite=Lax']);
    });
  });

  it('two different session cookies in one request are refused as malformed and audited; an exact repeat is fine', async () => {
    const { browser, audit } = await app(framework);
    const alice = browser();
    await alice.send('POST', '/login', { body: { userId: 'alice' } });
    const mallory = browser();
    await mallory.send('POST', '/login', { body: { userId: 'mallory' } });
    for (const cookie of [`__Host-sid=${alice.cookie}; __Host-sid=${mallory.cookie}`, `__Host-sid=${mallory.cookie}; __Host-sid=${alice.cookie}`]) {
      const reply = await browser().send('GET', '/me', { headers: { cookie }, withCookie: false });
      expect(reply).toMatchObject({ status: 401, body: { reason: 'malformed' } });
    }
    const refused = audit.events().filter((event) => event.type === 'session.refused' && 'detail' in event);
    expect(refused).toMatchObject([
      { reason: 'malformed', detail: 'duplicate-credential' },
      { reason: 'malformed', detail: 'duplicate-credential' },
    ]);
    const repeat = await browser().send('GET', '/me', { headers: { cookie: `__Host-sid=${alice.cookie}; __Host-sid=${alice.cookie}` }, withCookie: false });
    expect(repeat).toMatchObject({ status: 200, body: { userId: 'alice' } });
  });

  it('C1 controls (NEL, 8-bit CSI) and line separators in a user agent sent over real HTTP are not stored', async () => {
    const { url, manager } = await app(framework);
    const hostile = 'Mozilla/5.0 (X11; Linux x86_64)\u0085\u009b31m Firefox/133.0 \u00e2\u0080\u00a8end';
    const status = await new Promise<number>((resolve, reject) => {
      const body = JSON.stringify({ userId: 'alice' });
      const request = httpRequest(
        `${url}/login`,
        { method: 'POST', headers: { 'user-agent': hostile, 'content-type': 'application/json', 'content-length': Buffer.byteLength(body) } },
        (response) => {
          response.resume();
          resolve(response.statusCode!);
        },
      );
      request.on('error', reject);
      request.end(body);
    });
    expect(status).toBe(200);
    const [session] = await manager.list('alice');
    expect(session!.deviceInfo.userAgent).not.toMatch(/[\u0080-\u009f\u2028\u2029]/);
    expect(session!.deviceInfo.userAgent).toContain('Firefox/133.0');
  });

  it('clientHints sends Accept-CH for exactly the hints the fingerprinter reads', async () => {
    const { browser, manager } = await app(framework, { clientHints: true });
    const reply = await fetch(`${browser().baseUrl}/public`);
    expect(reply.headers.get('accept-ch')).toBe('Sec-CH-UA-Full-Version-List, Sec-CH-UA-Platform-Version, Sec-CH-UA-Model');
    expect(manager.clientHints).toEqual(['Sec-CH-UA-Full-Version-List', 'Sec-CH-UA-Platform-Version', 'Sec-CH-UA-Model']);
    const plain = await app(framework);
    expect((await fetch(`${plain.url}/public`)).headers.get('accept-ch')).toBeNull();
  });

  it('clearSiteDataOnLogout sends Clear-Site-Data on logout', async () => {
    const { browser } = await app(framework, { clearSiteDataOnLogout: true });
    const alice = browser();
    await alice.send('POST', '/login', { body: { userId: 'alice' } });
    const response = await fetch(`${alice.baseUrl}/sessions/logout`, {
      method: 'POST',
      headers: { cookie: `__Host-sid=${alice.cookie}`, 'user-agent': alice.userAgent },
    });
    expect(response.status).toBe(204);
    expect(response.headers.get('clear-site-data')).toBe('"cookies", "storage"');
  });

  it('attaches under a configured property, beside another session library', async () => {
    const { browser } = await app(framework, { property: 'auth' });
    // Not `session`, which stays free for the other library; a symbol beside it lets sessionOf() find it.
    expect((await browser().send('GET', '/attached')).body).toEqual({ as: ['auth'], symbols: 1 });
    const plain = await app(framework);
    // Under the default name, the one property is all the request gains.
    expect((await plain.browser().send('GET', '/attached')).body).toEqual({ as: ['session'], symbols: 0 });
    const alice = browser();
    await alice.send('POST', '/login', { body: { userId: 'alice' } });
    expect(await alice.send('GET', '/me')).toMatchObject({ status: 200, body: { userId: 'alice' } });
  });

  it("admin authorize receives the framework's own request", async () => {
    const seen: unknown[] = [];
    const { browser } = await app(framework, {
      admin: {
        authorize: (native: unknown) => {
          seen.push(native);
          return 'admin-1';
        },
      },
    });
    expect((await browser().send('GET', '/admin/sessions/users/alice')).status).toBe(200);
    const native = seen[0] as Record<string, unknown>;
    const expected = { express: 'originalUrl', fastify: 'routeOptions', koa: 'request' }[framework];
    expect(native).toHaveProperty(expected);
  });
});

describe('client IPs: one answer in every framework', () => {
  // The test connects from 127.0.0.1. Each row: the framework-native settings, the explicit
  // trustProxy given to sessionward instead (or none), the X-Forwarded-For sent, and the IP stored.
  const rows: { name: string; settings: AppSettings; trustProxy?: HttpSessionsOptions['trustProxy']; xff: string; ip: string }[] = [
    { name: 'no proxy trusted', settings: { express: false, fastify: false, koa: { proxy: false } }, xff: '198.51.100.7', ip: '127.0.0.1' },
    { name: 'loopback trusted, a forged first hop', settings: {}, xff: '6.6.6.6, 198.51.100.7', ip: '198.51.100.7' },
    { name: 'loopback trusted, garbage after the client', settings: {}, xff: '198.51.100.7, <script>', ip: '127.0.0.1' },
    { name: 'hop count 1', settings: {}, trustProxy: 1, xff: '6.6.6.6, 198.51.100.7', ip: '198.51.100.7' },
    { name: 'hop count 2', settings: {}, trustProxy: 2, xff: '6.6.6.6, 198.51.100.7, 10.0.0.1', ip: '198.51.100.7' },
    { name: 'true (every hop: the client chooses)', settings: {}, trustProxy: true, xff: '6.6.6.6, 198.51.100.7', ip: '6.6.6.6' },
    { name: 'CIDR string', settings: {}, trustProxy: '127.0.0.1/8, 10.0.0.0/8', xff: '6.6.6.6, 198.51.100.7, 10.0.0.1', ip: '198.51.100.7' },
  ];
  for (const row of rows) {
    it(row.name, async () => {
      const ips: Record<string, unknown> = {};
      for (const framework of FRAMEWORKS) {
        const { browser } = await app(framework, row.trustProxy === undefined ? {} : { trustProxy: row.trustProxy }, row.settings);
        const alice = browser();
        const headers = { 'x-forwarded-for': row.xff };
        await alice.send('POST', '/login', { body: { userId: 'alice' }, headers });
        ips[framework] = (await alice.send('GET', '/ip', { headers })).body;
      }
      expect(ips).toEqual({ express: { ip: row.ip }, fastify: { ip: row.ip }, koa: { ip: row.ip } });
    });
  }
});

describe('HTTP options are checked at construction', () => {
  const manager = new SessionManager({ secret: SECRET });
  const build = (options: Record<string, unknown>) => () => new HttpSessions({ manager, ...options } as HttpSessionsOptions);

  it('refuses prefixed cookie names without Secure, matching the prefix case-insensitively', () => {
    expect(build({ cookie: { name: '__Secure-sid', secure: false } })).toThrow(/cookie\.secure.*__Secure-/);
    expect(build({ cookie: { name: '__host-sid', secure: false } })).toThrow(/cookie\.secure.*__host-/);
    expect(build({ cookie: { name: '__HOST-sid', secure: false } })).toThrow(/cookie\.secure/);
    expect(build({ cookie: { name: 'sid', secure: false } })).not.toThrow();
  });

  it('refuses secure: false under NODE_ENV=production unless explicitly allowed', () => {
    const previous = process.env.NODE_ENV;
    process.env.NODE_ENV = 'production';
    try {
      expect(build({ cookie: { name: 'sid', secure: false } })).toThrow(/cookie\.secure.*production/);
      expect(build({ cookie: { name: 'sid', secure: false, dangerouslyAllowInsecureInProduction: true } })).not.toThrow();
    } finally {
      process.env.NODE_ENV = previous;
    }
  });

  it('refuses SameSite=None without the cross-origin guard', () => {
    expect(build({ cookie: { sameSite: 'None' }, csrf: false })).toThrow(/cookie\.sameSite.*guard/);
    expect(build({ cookie: { sameSite: 'None' } })).not.toThrow();
  });

  it('refuses unknown keys with a suggestion, and malformed origins', () => {
    expect(build({ cokie: {} })).toThrow(/"cokie".*did you mean "cookie"/);
    expect(build({ cookie: { sameSight: 'Lax' } })).toThrow(/"cookie\.sameSight".*did you mean "cookie\.sameSite"/);
    expect(build({ csrf: { allowedOrigins: ['https://a.example/path'] } })).toThrow(/csrf\.allowedOrigins\[0\]/);
    expect(build({ property: 'not an identifier' })).toThrow(/"property"/);
  });

  it('refuses an unknown login option before it ends the session the request carried', async () => {
    const http = new HttpSessions({ manager });
    const cookies: string[] = [];
    const request = (cookie: string) => ({ method: 'POST', path: '/login', headers: { cookie }, ip: '127.0.0.1', native: null });
    const first = http.begin(request(''), (name, value) => name === 'set-cookie' && cookies.push(value.split(';')[0]!));
    const session = await first.login('alice');
    const again = http.begin(request(cookies[0]!), () => {});
    const misspelt = { dat: { role: 'admin' } } as unknown as { data: Record<string, unknown> };
    await expect(again.login('alice', misspelt)).rejects.toMatchObject({
      code: 'ERR_SESSION_INVALID_ARGUMENT',
      message: expect.stringContaining('"options.dat"'),
    });
    expect(await manager.get(session.id)).toMatchObject({ isActive: true });
  });

  it('the request session must be loaded before it is read', async () => {
    const http = new HttpSessions({ manager });
    const session = http.begin({ method: 'GET', path: '/', headers: {}, ip: '127.0.0.1', native: null }, () => {});
    expect(() => session.session).toThrow(expect.objectContaining({ code: 'ERR_SESSION_NOT_LOADED' }));
    expect(await session.load()).toBeNull();
    expect(session.refusal).toBe('missing');
  });
});
