import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Browser, Page } from 'puppeteer-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MemoryAuditSink, SessionManager } from 'sessionward';
import { FRAMEWORKS, startApp } from '../adapters/apps.js';
import { Browser as NodeClient } from '../adapters/http-client.js';
import { launchChromium } from '../support/chromium.js';
import { SECRET } from '../support/manager-fixture.js';

let chromium: Browser;
beforeAll(async () => {
  chromium = await launchChromium();
});
afterAll(async () => {
  await chromium?.close();
});

/** A page on another site (127.0.0.1 is a different site from localhost) that auto-posts a form. */
async function attackerSite(target: string): Promise<{ url: string; close(): Promise<void> }> {
  const html = `<!doctype html><form id="f" method="POST" action="${target}"></form><script>document.getElementById('f').submit()</script>`;
  const server: Server = createServer((_req, res) => res.writeHead(200, { 'content-type': 'text/html' }).end(html));
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/`, close: () => new Promise((resolve) => server.close(() => resolve())) };
}

/** Request headers as Chromium really sent them (cookies included), looked up by URL path. */
async function sentHeaders(page: Page): Promise<{ get(path: string): Record<string, string> | undefined }> {
  const paths = new Map<string, string>();
  const headers = new Map<string, Record<string, string>>();
  const cdp = await page.createCDPSession();
  await cdp.send('Network.enable');
  // The two events come in either order; they are joined by request id when read.
  cdp.on('Network.requestWillBeSent', (event) => paths.set(event.requestId, new URL(event.request.url).pathname));
  cdp.on('Network.requestWillBeSentExtraInfo', (event) => {
    headers.set(event.requestId, Object.fromEntries(Object.entries(event.headers).map(([name, value]) => [name.toLowerCase(), String(value)])));
  });
  return {
    get: (path) =>
      [...paths]
        .filter(([, p]) => p === path)
        .map(([id]) => headers.get(id))
        .find((h) => h !== undefined),
  };
}

/** Polls until `read` gives a value, or fails after a deadline (DevTools events trail responses). */
async function eventually<T>(read: () => T | undefined, what: string): Promise<T> {
  const deadline = Date.now() + 5_000;
  for (;;) {
    const value = read();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`no ${what} within 5 s`);
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}

describe.each(FRAMEWORKS)('in real Chromium (%s)', (framework) => {
  it('a cross-site auto-posted form cannot sign the user out elsewhere, even with SameSite=None', async () => {
    const manager = new SessionManager({ secret: SECRET, auditSink: new MemoryAuditSink() });
    const app = await startApp(framework, { manager, cookie: { sameSite: 'None' } });
    const origin = app.url.replace('127.0.0.1', 'localhost');
    const context = await chromium.createBrowserContext();
    const page = await context.newPage();
    const ownPage = await context.newPage();
    const headers = await sentHeaders(page);
    const attacker = await attackerSite(`${origin}/sessions/revoke-others`);
    try {
      await ownPage.goto(`${origin}/public`);
      const login = await ownPage.evaluate(
        async () => (await fetch('/login', { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{"userId":"alice"}' })).status,
      );
      expect(login).toBe(200);
      await new NodeClient(app.url).send('POST', '/login', { body: { userId: 'alice' } }); // the user's phone
      expect(await manager.list('alice')).toHaveLength(2);

      const answered = page.waitForResponse((response) => response.url().endsWith('/sessions/revoke-others'));
      // Not awaited: the page navigates away before its own load event, which goto would wait for.
      void page.goto(attacker.url).catch(() => {});
      const response = await answered;
      expect(response.status()).toBe(403);
      expect(await response.json()).toEqual({ error: 'ERR_SESSION_FORBIDDEN', reason: 'cross-origin' });
      const forged = await eventually(() => headers.get('/sessions/revoke-others'), 'headers of the forged request');
      expect(forged['sec-fetch-site']).toBe('cross-site');
      expect(forged.cookie).toMatch(/__Host-sid=eyJ/); // the browser did attach the cookie: only the guard stopped it
      expect(await manager.list('alice')).toHaveLength(2);

      // The same action from the app's own page goes through.
      const own = await ownPage.evaluate(async () => (await fetch('/sessions/revoke-others', { method: 'POST' })).json());
      expect(own).toEqual({ revoked: 1 });
      expect(await manager.list('alice')).toHaveLength(1);
    } finally {
      await context.close();
      await attacker.close();
      await app.close();
    }
  });

  it('with clientHints on, Chromium sends the high-entropy hints and the fingerprint uses them', async () => {
    const manager = new SessionManager({ secret: SECRET });
    const app = await startApp(framework, { manager, clientHints: true });
    const origin = app.url.replace('127.0.0.1', 'localhost');
    const context = await chromium.createBrowserContext();
    const page = await context.newPage();
    const headers = await sentHeaders(page);
    try {
      await page.goto(`${origin}/public`); // answers with Accept-CH
      await page.evaluate(async () => fetch('/login', { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{"userId":"alice"}' }));
      const sent = await eventually(() => headers.get('/login'), 'headers of the login request');
      expect(sent['sec-ch-ua-full-version-list']).toMatch(/"Chromium";v="\d+\.\d+\.\d+\.\d+"/);
      expect(sent).toHaveProperty('sec-ch-ua-platform-version');
      expect(sent).toHaveProperty('sec-ch-ua-model');
      const [session] = await manager.list('alice');
      const major = /"Chromium";v="(\d+)/.exec(sent['sec-ch-ua-full-version-list']!)![1];
      expect(session!.deviceInfo.browser).toBe(`Chromium ${major}`);
    } finally {
      await context.close();
      await app.close();
    }
  });
});
