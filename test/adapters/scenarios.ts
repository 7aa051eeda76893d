import { expect } from 'vitest';
import type { SessionManagerOptions } from 'sessionward';
import type { HttpSessionsOptions } from 'sessionward/http';
import type { TestClock } from 'sessionward/testing';
import { Browser, type Reply } from './http-client.js';

export interface ScenarioContext {
  url: string;
  clock: TestClock;
  outage: { down: boolean };
  browser(userAgent?: string): Browser;
  /** Adds a reply to the transcript compared across frameworks. */
  record(label: string, reply: Reply): Reply;
}

export interface Scenario {
  name: string;
  manager?: Partial<SessionManagerOptions>;
  http?: Partial<HttpSessionsOptions<never>>;
  run(ctx: ScenarioContext): Promise<void>;
}

const FIREFOX_LINUX = 'Mozilla/5.0 (X11; Linux x86_64; rv:133.0) Gecko/20100101 Firefox/133.0';
const COOKIE = /^__Host-sid=eyJ[\w.-]+; Path=\/; Max-Age=43200; HttpOnly; Secure; SameSite=Lax$/;
const CLEARED = '__Host-sid=; Path=/; Max-Age=0; HttpOnly; Secure; SameSite=Lax';
const MINUTE = 60_000;

export const SCENARIOS: Scenario[] = [
  {
    name: 'login sets the secure cookie; protected access works with it and not without',
    async run({ browser, record }) {
      const alice = browser();
      const login = record('login', await alice.send('POST', '/login', { body: { userId: 'alice' } }));
      expect(login).toMatchObject({ status: 200, body: { userId: 'alice', stepUp: false }, cacheControl: 'no-store' });
      expect(login.setCookie).toHaveLength(1);
      expect(login.setCookie[0]).toMatch(COOKIE);
      expect(record('me', await alice.send('GET', '/me'))).toMatchObject({ status: 200, body: { userId: 'alice' }, setCookie: [] });
      expect(record('anonymous', await browser().send('GET', '/me'))).toMatchObject({
        status: 401,
        body: { error: 'ERR_SESSION_INVALID', reason: 'missing' },
      });
    },
  },
  {
    name: 'idle expiry: 401 expired-idle and the dead cookie is cleared',
    async run({ browser, clock, record }) {
      const alice = browser();
      await alice.send('POST', '/login', { body: { userId: 'alice' } });
      clock.advance(31 * MINUTE);
      const reply = record('after 31 idle minutes', await alice.send('GET', '/me'));
      expect(reply).toMatchObject({ status: 401, body: { error: 'ERR_SESSION_EXPIRED', reason: 'expired-idle' }, setCookie: [CLEARED] });
    },
  },
  {
    name: 'absolute expiry: activity never extends past the absolute lifetime',
    manager: { expiry: { idleTimeout: '30m', absoluteLifetime: '1h' } },
    async run({ browser, clock, record }) {
      const alice = browser();
      const login = await alice.send('POST', '/login', { body: { userId: 'alice' } });
      expect(login.setCookie[0]).toMatch(/Max-Age=3600;/);
      for (let i = 0; i < 3; i += 1) {
        clock.advance(20 * MINUTE - 1_000);
        expect((await alice.send('GET', '/me')).status).toBe(200);
      }
      clock.advance(5 * MINUTE);
      expect(record('past 1 h', await alice.send('GET', '/me'))).toMatchObject({ status: 401, body: { reason: 'expired-absolute' } });
    },
  },
  {
    name: 'login rotates: a credential held before logging in stops working',
    async run({ browser, record }) {
      const alice = browser();
      await alice.send('POST', '/login', { body: { userId: 'alice' } });
      const before = alice.cookie;
      const again = record('login again', await alice.send('POST', '/login', { body: { userId: 'alice' } }));
      expect(again.status).toBe(200);
      expect(alice.cookie).not.toBe(before);
      const stale = new Browser(alice.baseUrl);
      stale.cookie = before;
      expect(record('old credential', await stale.send('GET', '/me'))).toMatchObject({ status: 401, body: { reason: 'logged-out' } });
      const privilege = record('privilege change', await alice.send('POST', '/privilege'));
      expect(privilege).toMatchObject({ status: 200, body: { rotated: true } });
      expect(privilege.setCookie[0]).toMatch(/^__Host-sid=eyJ/);
    },
  },
  {
    name: 'logout ends the session and clears the cookie',
    async run({ browser, record }) {
      const alice = browser();
      await alice.send('POST', '/login', { body: { userId: 'alice' } });
      const held = alice.cookie;
      const logout = record('logout', await alice.send('POST', '/sessions/logout'));
      expect(logout).toMatchObject({ status: 204, setCookie: [CLEARED], cacheControl: 'no-store' });
      const replay = new Browser(alice.baseUrl);
      replay.cookie = held;
      expect(record('replayed', await replay.send('GET', '/me'))).toMatchObject({ status: 401, body: { reason: 'logged-out' } });
    },
  },
  {
    name: '"your devices": list with this device marked, revoke another, revoke all others',
    async run({ browser, record, clock }) {
      const laptop = browser();
      const phone = browser(
        'Mozilla/5.0 (iPhone; CPU iPhone OS 17_5 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.5 Mobile/15E148 Safari/604.1',
      );
      const tablet = browser(FIREFOX_LINUX);
      for (const device of [laptop, phone, tablet]) {
        await device.send('POST', '/login', { body: { userId: 'alice' } });
        clock.advance(1_000);
      }
      const list = record('list', await laptop.send('GET', '/sessions'));
      const sessions = (list.body as { sessions: { id: string; current: boolean; device: { browser: string } }[] }).sessions;
      expect(sessions.map((s) => [s.device.browser, s.current])).toEqual([
        ['Chrome 131', true],
        ['Mobile Safari 17', false],
        ['Firefox 133', false],
      ]);
      expect(JSON.stringify(list.body)).not.toMatch(/eyJ[\w-]+\.[\w-]+\./); // no credential (a JWS); random ids may contain 'eyJ'
      expect(record('revoke phone', await laptop.send('DELETE', `/sessions/${sessions[1]!.id}`))).toMatchObject({ status: 204 });
      expect(record('phone after', await phone.send('GET', '/me'))).toMatchObject({ status: 401, body: { reason: 'revoked' } });
      expect(record('revoke others', await laptop.send('POST', '/sessions/revoke-others'))).toMatchObject({ status: 200, body: { revoked: 1 } });
      expect(record('tablet after', await tablet.send('GET', '/me'))).toMatchObject({ status: 401, body: { reason: 'revoked' } });
      expect(record('not mine', await laptop.send('DELETE', '/sessions/AAAAAAAAAAAAAAAA.BBBBBBBBBBBBBBBBBBBBBB'))).toMatchObject({ status: 404 });
    },
  },
  {
    name: 'limit refusal: 403 with the existing sessions to choose from',
    manager: { limit: { max: 2, policy: 'reject' } },
    async run({ browser, record, clock }) {
      for (const ua of [undefined, FIREFOX_LINUX]) {
        await browser(ua).send('POST', '/login', { body: { userId: 'alice' } });
        clock.advance(1_000);
      }
      const refused = record('third login', await browser().send('POST', '/login', { body: { userId: 'alice' } }));
      expect(refused).toMatchObject({
        status: 403,
        body: {
          error: 'ERR_SESSION_LIMIT_EXCEEDED',
          reason: 'limit-exceeded',
          limit: 2,
          sessions: [{ device: { browser: 'Chrome 131' } }, { device: { browser: 'Firefox 133' } }],
        },
        setCookie: [],
      });
    },
  },
  {
    name: 'eviction: the oldest session is refused as evicted',
    manager: { limit: { max: 2, policy: 'evict-oldest' } },
    async run({ browser, record, clock }) {
      const first = browser();
      await first.send('POST', '/login', { body: { userId: 'alice' } });
      clock.advance(1_000);
      await browser().send('POST', '/login', { body: { userId: 'alice' } });
      clock.advance(1_000);
      expect((await browser().send('POST', '/login', { body: { userId: 'alice' } })).status).toBe(200);
      expect(record('evicted', await first.send('GET', '/me'))).toMatchObject({ status: 401, body: { reason: 'evicted' }, setCookie: [CLEARED] });
    },
  },
  {
    name: 'step-up: a browser switch holds the session until re-authentication',
    async run({ browser, record }) {
      const alice = browser();
      await alice.send('POST', '/login', { body: { userId: 'alice' } });
      const thief = new Browser(alice.baseUrl, FIREFOX_LINUX);
      thief.cookie = alice.cookie;
      const held = record('other browser', await thief.send('GET', '/me'));
      expect(held).toMatchObject({ status: 401, body: { error: 'ERR_SESSION_STEP_UP_REQUIRED', reason: 'step-up-required' }, setCookie: [] });
      const confirmed = record('step-up', await thief.send('POST', '/step-up'));
      expect(confirmed).toMatchObject({ status: 200, body: { confirmed: true } });
      expect(confirmed.setCookie[0]).toMatch(/^__Host-sid=eyJ/); // rotated after re-authentication
      expect(record('after step-up', await thief.send('GET', '/me'))).toMatchObject({ status: 200 });
    },
  },
  {
    name: 'store down: 503 with Retry-After, the cookie kept',
    async run({ browser, record, outage }) {
      const alice = browser();
      await alice.send('POST', '/login', { body: { userId: 'alice' } });
      outage.down = true;
      const down = record('outage', await alice.send('GET', '/me'));
      expect(down).toMatchObject({
        status: 503,
        body: { error: 'ERR_SESSION_STORE_UNAVAILABLE', reason: 'store-unavailable' },
        retryAfter: '1',
        setCookie: [],
      });
      expect(record('login during outage', await browser().send('POST', '/login', { body: { userId: 'bob' } }))).toMatchObject({ status: 503 });
      outage.down = false;
      expect(record('recovered', await alice.send('GET', '/me'))).toMatchObject({ status: 200 });
    },
  },
  {
    name: 'tampered cookie: 401 invalid, cleared, generic body',
    async run({ browser, record }) {
      const alice = browser();
      await alice.send('POST', '/login', { body: { userId: 'alice' } });
      alice.cookie = `${alice.cookie!.slice(0, -4)}AAAA`;
      const reply = record('tampered', await alice.send('GET', '/me'));
      expect(reply).toMatchObject({ status: 401, body: { error: 'ERR_SESSION_INVALID', reason: 'invalid' }, setCookie: [CLEARED] });
      expect(Object.keys(reply.body as object).sort()).toEqual(['error', 'reason']);
    },
  },
  {
    name: 'only the configured carrier counts: not the query string, not a bearer header',
    async run({ browser, record }) {
      const alice = browser();
      await alice.send('POST', '/login', { body: { userId: 'alice' } });
      const token = alice.cookie!;
      const anonymous = browser();
      expect(record('query', await anonymous.send('GET', `/me?__Host-sid=${token}&token=${token}`))).toMatchObject({
        status: 401,
        body: { reason: 'missing' },
      });
      expect(record('bearer', await anonymous.send('GET', '/me', { headers: { authorization: `Bearer ${token}` } }))).toMatchObject({
        status: 401,
        body: { reason: 'missing' },
      });
    },
  },
  {
    name: "client IP through each framework's trusted-proxy setting; a forged hop is ignored",
    async run({ browser, record }) {
      const alice = browser();
      // The test connects from 127.0.0.1, the one trusted proxy; the client forged the first hop.
      await alice.send('POST', '/login', { body: { userId: 'alice' }, headers: { 'x-forwarded-for': '6.6.6.6, 81.2.69.160' } });
      const list = record('list', await alice.send('GET', '/sessions', { headers: { 'x-forwarded-for': '6.6.6.6, 81.2.69.160' } }));
      expect(list).toMatchObject({ status: 200, body: { sessions: [{ ip: '81.2.69.160' }] } });
    },
  },
  {
    name: 'API mode: a token pair; refresh rotates it, a reused refresh token ends the session',
    http: { carrier: 'bearer' },
    async run({ browser, record, clock }) {
      const client = browser();
      const bearer = (token: string) => ({ headers: { authorization: `Bearer ${token}` } });
      const login = record('login', await client.send('POST', '/login', { body: { userId: 'alice' } }));
      expect(login).toMatchObject({
        status: 200,
        setCookie: [],
        cacheControl: 'no-store',
        body: { token: expect.stringMatching(/^eyJ/), refreshToken: expect.stringMatching(/^swr1\./) },
      });
      const first = login.body as { token: string; refreshToken: string };
      expect(record('access', await client.send('GET', '/me', bearer(first.token)))).toMatchObject({ status: 200 });
      // The refresh token is no access token, and the access token no refresh token.
      expect(record('refresh as access', await client.send('GET', '/me', bearer(first.refreshToken)))).toMatchObject({ status: 401 });
      expect(record('access as refresh', await client.send('POST', '/sessions/refresh', bearer(first.token)))).toMatchObject({
        status: 401,
        body: { reason: 'invalid' },
      });
      const refreshed = record('refresh', await client.send('POST', '/sessions/refresh', bearer(first.refreshToken)));
      expect(refreshed).toMatchObject({ status: 200, cacheControl: 'no-store', body: { token: expect.stringMatching(/^eyJ/), expiresAt: expect.any(Number) } });
      const second = refreshed.body as { token: string; refreshToken: string };
      // A parallel tab inside the grace window gets the same refresh token, not a revocation.
      const again = record('refresh again (grace)', await client.send('POST', '/sessions/refresh', bearer(first.refreshToken)));
      expect((again.body as { refreshToken: string }).refreshToken).toBe(second.refreshToken);
      clock.advance(MINUTE);
      expect(record('reused', await client.send('POST', '/sessions/refresh', bearer(first.refreshToken)))).toMatchObject({
        status: 401,
        body: { error: 'ERR_SESSION_REVOKED', reason: 'refresh-reused' },
      });
      expect(record('after reuse', await client.send('GET', '/me', bearer(second.token)))).toMatchObject({ status: 401, body: { reason: 'revoked' } });
    },
  },
  {
    name: 'recent authentication: a sensitive route wants a login within 10 minutes; re-authenticating records when and how',
    async run({ browser, record, clock }) {
      const alice = browser();
      expect(record('anonymous', await browser().send('GET', '/sensitive'))).toMatchObject({ status: 401, body: { reason: 'missing' } });
      await alice.send('POST', '/login', { body: { userId: 'alice' } });
      expect(record('fresh login', await alice.send('GET', '/sensitive'))).toMatchObject({ status: 200, body: { amr: [] } });
      clock.advance(11 * MINUTE);
      expect(record('stale login', await alice.send('GET', '/sensitive'))).toMatchObject({
        status: 401,
        body: { error: 'ERR_SESSION_REAUTHENTICATION_REQUIRED', reason: 'reauthentication-required' },
      });
      // The session itself is fine: only the sensitive route asks for more.
      expect(record('me', await alice.send('GET', '/me'))).toMatchObject({ status: 200 });
      expect(record('re-authenticate', await alice.send('POST', '/step-up'))).toMatchObject({ status: 200, body: { confirmed: true } });
      expect(record('after', await alice.send('GET', '/sensitive'))).toMatchObject({ status: 200, body: { amr: ['pwd', 'otp'] } });
    },
  },
  {
    name: "API mode with tokens: 'session': one bearer token in the body and the Authorization header; cookies ignored",
    http: { carrier: 'bearer', tokens: 'session' },
    async run({ browser, record, url }) {
      const client = browser();
      const login = record('login', await client.send('POST', '/login', { body: { userId: 'alice' } }));
      expect(login).toMatchObject({ status: 200, setCookie: [], cacheControl: 'no-store', body: { token: expect.stringMatching(/^eyJ/) } });
      expect(login.body).not.toHaveProperty('refreshToken');
      // No refresh route: the request reaches the app, which has none (each framework's own 404).
      expect((await fetch(`${url}/sessions/refresh`, { method: 'POST' })).status).toBe(404);
      const token = (login.body as { token: string }).token;
      expect(record('bearer', await client.send('GET', '/me', { headers: { authorization: `Bearer ${token}` } }))).toMatchObject({ status: 200 });
      const viaCookie = browser();
      viaCookie.cookie = token;
      expect(record('cookie ignored', await viaCookie.send('GET', '/me'))).toMatchObject({ status: 401, body: { reason: 'missing' } });
    },
  },
  {
    name: 'admin routes: behind authorize, with the admin recorded as the actor',
    http: { admin: { authorize: (request: { headers: Record<string, unknown> }) => (request.headers['x-admin'] === 'root-token' ? 'admin-7' : null) } },
    async run({ browser, record }) {
      const alice = browser();
      await alice.send('POST', '/login', { body: { userId: 'alice' } });
      const admin = browser();
      expect(record('refused', await admin.send('GET', '/admin/sessions/users/alice'))).toMatchObject({
        status: 403,
        body: { error: 'ERR_SESSION_FORBIDDEN' },
      });
      const asAdmin = { headers: { 'x-admin': 'root-token' } };
      const listed = record('list', await admin.send('GET', '/admin/sessions/users/alice', asAdmin));
      expect(listed).toMatchObject({ status: 200, body: { sessions: [{ device: { browser: 'Chrome 131' } }] } });
      expect(record('revoke all', await admin.send('DELETE', '/admin/sessions/users/alice', asAdmin))).toMatchObject({ status: 200, body: { revoked: 1 } });
      const history = record('history', await admin.send('GET', '/admin/sessions/users/alice/history', asAdmin));
      expect(history.body).toMatchObject({ sessions: [{ reason: 'revoked', actor: 'admin-7', ip: '127.0.0.1' }], cursor: null });
      const events = record('events', await admin.send('GET', '/admin/sessions/users/alice/events', asAdmin));
      expect((events.body as { events: { type: string }[] }).events.map((e) => e.type)).toEqual(['session.ended', 'session.created']);
      expect(record('alice after', await alice.send('GET', '/me'))).toMatchObject({ status: 401, body: { reason: 'revoked' } });
    },
  },
];
