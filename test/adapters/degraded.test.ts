import { afterEach, describe, expect, it } from 'vitest';
import { MemoryAuditSink, MemorySessionStore, SessionManager } from 'sessionward';
import { TestClock } from 'sessionward/testing';
import { SECRET } from '../support/manager-fixture.js';
import { failingWhen } from '../support/outage-store.js';
import { FRAMEWORKS, startApp, type RunningApp } from './apps.js';
import { Browser } from './http-client.js';

const running: RunningApp[] = [];
afterEach(async () => {
  await Promise.all(running.splice(0).map((app) => app.close()));
});

describe.each(FRAMEWORKS)('fallback over HTTP (%s)', (framework) => {
  it('a route marked allowDegraded serves a recently confirmed session through an outage, flagged, without touching the cookie', async () => {
    const clock = new TestClock();
    const outage = { down: false };
    const store = failingWhen(new MemorySessionStore({ clock: clock.now, sweepInterval: false }), outage);
    const manager = new SessionManager({ secret: SECRET, clock: clock.now, store, auditSink: new MemoryAuditSink(), fallback: { maxAge: '2m' } });
    const app = await startApp(framework, { manager });
    running.push(app);
    const alice = new Browser(app.url);
    await alice.send('POST', '/login', { body: { userId: 'alice' } });
    expect(await alice.send('GET', '/resilient')).toMatchObject({ status: 200, body: { userId: 'alice', degraded: false } });

    outage.down = true;
    const served = await alice.send('GET', '/resilient');
    expect(served).toMatchObject({ status: 200, body: { userId: 'alice', degraded: true }, setCookie: [] });
    // Routes that did not opt in, the session routes and logins still answer 503, never 401.
    expect(await alice.send('GET', '/me')).toMatchObject({ status: 503, setCookie: [] });
    expect((await alice.send('GET', '/sessions')).status).toBe(503);
    expect((await alice.send('POST', '/sessions/logout')).status).toBe(503);
    expect((await new Browser(app.url).send('POST', '/login', { body: { userId: 'bob' } })).status).toBe(503);

    clock.advance(2 * 60_000 + 1);
    expect(await alice.send('GET', '/resilient')).toMatchObject({ status: 503, setCookie: [] });
    outage.down = false;
    expect(await alice.send('GET', '/resilient')).toMatchObject({ status: 200, body: { degraded: false } });
  });
});
