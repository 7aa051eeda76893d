import { mkdirSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Redis } from 'ioredis';
import type { Browser, Page } from 'puppeteer-core';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { AllowAllDetector, SessionManager } from 'sessionward';
import { dashboard } from 'sessionward/dashboard';
import { MaxMindGeoResolver } from 'sessionward/maxmind';
import { RedisSessionStore } from 'sessionward/redis';
import { PLACES, writeGeoFixtures } from '../../fixtures/geo-fixture.js';
import { FRAMEWORKS, startApp } from '../adapters/apps.js';
import { Browser as NodeClient } from '../adapters/http-client.js';
import { launchChromium } from '../support/chromium.js';
import { CHROME_WINDOWS, FIREFOX_LINUX, SECRET } from '../support/manager-fixture.js';

/** Set by `npm run screenshots`: the pages are saved there (docs/dashboard) as the test walks them. */
const SCREENSHOTS = process.env.DASHBOARD_SCREENSHOTS;
const HOSTILE_UA = 'Mozilla/5.0 <script>window.__pwned=1</script><img src=x onerror="window.__pwned=2"> Evil/1.0';

let chromium: Browser;
const redis = new Redis(inject('redisUrl'));
beforeAll(async () => {
  chromium = await launchChromium();
});
afterAll(async () => {
  await chromium?.close();
  await redis.quit();
});

/** A page on another site that auto-posts a revoke form to the dashboard. */
async function attackerSite(target: string, sessionId: string): Promise<{ url: string; close(): Promise<void> }> {
  const html = `<!doctype html><form id="f" method="POST" action="${target}"><input name="sessionId" value="${sessionId}"><input name="userId" value="alice"><input name="csrf" value="guess"></form><script>document.getElementById('f').submit()</script>`;
  const server: Server = createServer((_req, res) => res.writeHead(200, { 'content-type': 'text/html' }).end(html));
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/`, close: () => new Promise((resolve) => server.close(() => resolve())) };
}

async function shoot(page: Page, name: string, framework: string): Promise<void> {
  if (!SCREENSHOTS || framework !== 'express') return;
  mkdirSync(SCREENSHOTS, { recursive: true });
  await page.setViewport({ width: 1280, height: 800 });
  await page.screenshot({ path: `${SCREENSHOTS}/${name}.png`, fullPage: true });
}

describe.each(FRAMEWORKS)('admin dashboard in real Chromium (%s, real Redis)', (framework) => {
  it('shows a user’s sessions with devices and places, revokes one, shows it in history, refuses forgeries, renders hostile input inert', async () => {
    const { city, asn } = writeGeoFixtures();
    const manager = new SessionManager({
      secret: SECRET,
      store: new RedisSessionStore({ client: redis, prefix: `dash-${process.pid}-${Math.random().toString(36).slice(2)}:` }),
      geoResolver: await MaxMindGeoResolver.open({ cityDatabase: city, asnDatabase: asn }),
      anomalyDetector: new AllowAllDetector(),
    });
    const app = await startApp(framework, {
      manager,
      admin: { authorize: (_request, session) => (session?.userId === 'root' ? 'root' : null), dashboard: dashboard() },
    });
    const origin = app.url.replace('127.0.0.1', 'localhost');
    const base = `${origin}/admin/sessions/dashboard`;
    // alice on three devices in three places; one user agent is an attack.
    const seoul = await manager.login({ userId: 'alice', context: { ...CHROME_WINDOWS, ip: PLACES.seoul.ip } });
    const london = await manager.login({ userId: 'alice', context: { ...FIREFOX_LINUX, ip: PLACES.london.ip } });
    await manager.login({ userId: 'alice', context: { headers: { 'user-agent': HOSTILE_UA }, ip: PLACES.newYork.ip } });
    const context = await chromium.createBrowserContext();
    const page = await context.newPage();
    const attacker = await attackerSite(`${base}/revoke`, london.session.id);
    try {
      // Not an admin yet: refused.
      expect((await page.goto(base))!.status()).toBe(403);
      await page.goto(`${origin}/public`);
      const login = await page.evaluate(
        async () => (await fetch('/login', { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{"userId":"root"}' })).status,
      );
      expect(login).toBe(200);

      const overview = await page.goto(base);
      expect(overview!.status()).toBe(200);
      expect(overview!.headers()['content-security-policy']).toMatch(/default-src 'none'; style-src 'nonce-[^']+'/);
      expect(await page.$eval('.cards', (el) => el.textContent)).toMatch(/4\s*active sessions[\s\S]*2\s*users/);
      expect(await page.$$eval('svg.bars', (charts) => charts.length)).toBe(4);
      await shoot(page, 'overview', framework);

      await page.goto(`${base}/users/alice`);
      const rows = await page.$$eval('tr[data-session]', (trs) => trs.map((tr) => ({ id: tr.getAttribute('data-session'), text: tr.textContent ?? '' })));
      expect(rows).toHaveLength(3);
      const row = (id: string) => rows.find((r) => r.id === id)!.text;
      expect(row(seoul.session.id)).toMatch(/Chrome 131 · Windows 10 · desktop[\s\S]*1\.224\.10\.20[\s\S]*Seoul, KR/);
      expect(row(london.session.id)).toMatch(/Firefox 133 · Linux · desktop[\s\S]*81\.2\.69\.160[\s\S]*London, GB/);
      expect(rows.map((r) => r.text).join('')).toContain('New York, US');
      // The hostile user agent is text on the page, not markup: nothing ran, no element was made.
      expect(rows.map((r) => r.text).join('')).toContain('<script>window.__pwned=1</script>');
      expect(await page.evaluate('window.__pwned')).toBeUndefined();
      expect(await page.evaluate("document.scripts.length + document.querySelectorAll('main img').length")).toBe(0);
      // No credential on any page: only session ids (handles), never a token.
      const markup = await page.content();
      expect(markup).not.toContain(seoul.token);
      expect(markup).not.toMatch(/eyJ[\w-]+\.[\w-]+\./);
      await shoot(page, 'user', framework);

      // A cross-site auto-posted form is refused before anything runs.
      // (In a tab of its own: its navigation must not race this page's next steps.)
      const attackerTab = await context.newPage();
      const forged = attackerTab.waitForResponse((response) => response.url().endsWith('/dashboard/revoke'));
      void attackerTab.goto(attacker.url).catch(() => {});
      expect((await forged).status()).toBe(403);
      await attackerTab.close();
      await page.bringToFront();
      // A same-origin POST without the form token is refused too (from a page of the app: the dashboard's own CSP allows no fetch at all).
      await page.goto(`${origin}/public`);
      const tokenless = await page.evaluate(
        async (id) =>
          (
            await fetch('/admin/sessions/dashboard/revoke', {
              method: 'POST',
              headers: { 'content-type': 'application/x-www-form-urlencoded' },
              body: `sessionId=${id}&userId=alice`,
            })
          ).status,
        london.session.id,
      );
      expect(tokenless).toBe(403);
      expect(await manager.list('alice')).toHaveLength(3);
      await page.goto(`${base}/users/alice`);

      // Revoke London with its button: the user's next request with it is refused.
      await Promise.all([page.waitForNavigation(), page.click(`tr[data-session="${london.session.id}"] button`)]);
      expect(new URL(page.url()).pathname).toMatch(/\/dashboard\/users\/alice$/);
      // The user's next request with that session's cookie is refused.
      const londonUser = new NodeClient(app.url);
      londonUser.cookie = london.token;
      expect(await londonUser.send('GET', '/me')).toMatchObject({ status: 401, body: { reason: 'revoked' } });
      expect(await page.$$eval('tr[data-session]', (trs) => trs.length)).toBe(2);
      const history = await page.$$eval('h2 + table', (tables) => tables.at(-1)?.textContent ?? '');
      expect(history).toMatch(/revoked\s*root/);

      // Revoke where, with a dry-run preview first: nothing ends until it is confirmed.
      await page.goto(`${base}/revoke-where`);
      await page.type('input[name="country"]', 'kr');
      await Promise.all([page.waitForNavigation(), page.click('button.primary[type="submit"]:not(header button)')]);
      expect(await page.$eval('main h2', (el) => el.textContent)).toBe('1 sessions match');
      expect(await manager.validate(seoul.token)).toMatchObject({ ok: true });
      await shoot(page, 'revoke-where', framework);
      await Promise.all([page.waitForNavigation(), page.click('main .actions form button')]);
      expect(await page.$eval('.notice', (el) => el.textContent)).toBe('Revoked 1 sessions.');
      expect(await manager.validate(seoul.token)).toMatchObject({ ok: false, reason: 'revoked' });
    } finally {
      await context.close();
      await attacker.close();
      await app.close();
      await manager.dispose();
    }
  });
});
