import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { isSessionError, MemoryAuditSink, SessionManager } from 'sessionward';
import { RedisSessionStore } from 'sessionward/redis';
import { SECRET } from '../support/manager-fixture.js';
import { startRedis, type RedisProcess } from '../../fixtures/redis-servers.js';

// A server of its own: this file kills and restarts it.
let server: RedisProcess;
let client: Redis;
let manager: SessionManager;
// Loose enough that a loaded machine (other test files run in parallel) answers a live server in time.
const DEADLINE_MS = 500;

beforeAll(async () => {
  server = await startRedis();
  client = new Redis(server.url, { retryStrategy: () => 50 });
  client.on('error', () => {}); // the app's client: connection errors are expected here
  manager = new SessionManager({
    secret: SECRET,
    store: new RedisSessionStore({ client, commandTimeout: DEADLINE_MS, circuitBreaker: { threshold: 3, cooldown: 200 } }),
  });
});
afterAll(async () => {
  client.disconnect();
  await server.stop();
});

async function outcome<T>(run: () => Promise<T>): Promise<{ elapsed: number; value?: T; error?: unknown }> {
  const started = performance.now();
  try {
    const value = await run();
    return { elapsed: performance.now() - started, value };
  } catch (error) {
    return { elapsed: performance.now() - started, error };
  }
}

async function eventually(check: () => Promise<boolean>, timeoutMs: number): Promise<number> {
  const started = performance.now();
  while (!(await check())) {
    if (performance.now() - started > timeoutMs) throw new Error('did not recover in time');
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  return performance.now() - started;
}

describe('Redis outage', () => {
  it('fails every operation fast with the typed 503 error, then recovers by itself after a restart', async () => {
    const { token } = await manager.login({ userId: 'alice' });
    expect(await manager.validate(token)).toMatchObject({ ok: true });

    await server.kill();
    for (let attempt = 0; attempt < 10; attempt += 1) {
      const operations: (() => Promise<unknown>)[] = [() => manager.validate(token), () => manager.login({ userId: 'bob' }), () => manager.list('alice')];
      for (const run of operations) {
        const { elapsed, error, value } = await outcome(run);
        expect(value).toBeUndefined(); // never "logged out", never a result
        expect(isSessionError(error, 'ERR_SESSION_STORE_UNAVAILABLE')).toBe(true);
        expect((error as { statusCode: number }).statusCode).toBe(503);
        expect(elapsed).toBeLessThan(DEADLINE_MS + 400);
      }
    }

    await server.restart();
    // The server kept nothing (no persistence): the old session is gone, new logins work again.
    const recoveredIn = await eventually(async () => {
      const { value } = await outcome(() => manager.login({ userId: 'carol' }));
      return value !== undefined;
    }, 5_000);
    expect(recoveredIn).toBeLessThan(5_000);
    const { token: fresh } = await manager.login({ userId: 'dave' });
    expect(await manager.validate(fresh)).toMatchObject({ ok: true });
    expect(await manager.validate(token)).toEqual({ ok: false, reason: 'invalid' });
  });

  it('a Redis that hangs (no replies) is cut off by the deadline, not waited on', async () => {
    const { token } = await manager.login({ userId: 'frank' });
    await new Promise((resolve) => setTimeout(resolve, 250)); // let the breaker close after the previous test
    server.freeze();
    try {
      const first = await outcome(() => manager.validate(token));
      expect(isSessionError(first.error, 'ERR_SESSION_STORE_UNAVAILABLE')).toBe(true);
      expect(first.elapsed).toBeGreaterThanOrEqual(DEADLINE_MS - 20);
      expect(first.elapsed).toBeLessThan(DEADLINE_MS + 400);
      // Once the breaker is open, callers do not even wait for the deadline.
      await outcome(() => manager.validate(token));
      await outcome(() => manager.validate(token));
      const later = await outcome(() => manager.validate(token));
      expect(isSessionError(later.error, 'ERR_SESSION_STORE_UNAVAILABLE')).toBe(true);
      expect(later.elapsed).toBeLessThan(200); // far below the 500 ms deadline, with room for a loaded machine
      expect((later.error as { details: { retryAfterSeconds: number } }).details.retryAfterSeconds).toBeGreaterThanOrEqual(1);
    } finally {
      server.thaw();
    }
    await eventually(async () => (await outcome(() => manager.validate(token))).value !== undefined, 5_000);
    expect(await manager.validate(token)).toMatchObject({ ok: true });
  });

  it('a script error (a key of the wrong type) is a 500 store failure, not a 503 outage, and does not open the breaker', async () => {
    const { token, session } = await manager.login({ userId: 'grace' });
    const indexKey = (await client.keys(`*{${session.id.split('.')[0]}}:i`))[0]!;
    const saved = await client.dumpBuffer(indexKey);
    await client.del(indexKey);
    await client.set(indexKey, 'not a hash');
    try {
      for (let attempt = 0; attempt < 5; attempt += 1) {
        const { error } = await outcome(() => manager.validate(token));
        expect(error).toMatchObject({ code: 'ERR_SESSION_STORE_FAILED', statusCode: 500 });
        expect((error as Error).message).toMatch(/WRONGTYPE/);
      }
      expect(isSessionError((await outcome(() => manager.login({ userId: 'heidi' }))).error)).toBe(false); // breaker still shut
    } finally {
      await client.del(indexKey);
      await client.restore(indexKey, 0, saved!);
    }
    expect(await manager.validate(token)).toMatchObject({ ok: true });
  });

  it('with the fallback on, a killed Redis serves a recently confirmed session degraded on marked calls only, within the deadline, and the store decides again once back', async () => {
    const resilient = new SessionManager({
      secret: SECRET,
      store: new RedisSessionStore({ client, commandTimeout: DEADLINE_MS, circuitBreaker: { threshold: 3, cooldown: 200 } }),
      fallback: { maxAge: '1m' },
    });
    await new Promise((resolve) => setTimeout(resolve, 250)); // the breaker of earlier tests has closed
    const { token, session } = await resilient.login({ userId: 'grace' });
    expect(await resilient.validate(token)).toMatchObject({ ok: true });
    await server.kill();
    const served = await outcome(() => resilient.validate(token, { allowDegraded: true }));
    expect(served.value).toEqual({ ok: true, session: expect.objectContaining({ id: session.id }), degraded: true });
    expect(served.elapsed).toBeLessThan(DEADLINE_MS + 400);
    expect(isSessionError((await outcome(() => resilient.validate(token))).error, 'ERR_SESSION_STORE_UNAVAILABLE')).toBe(true);
    await server.restart();
    await eventually(async () => (await outcome(() => resilient.validate(token))).value !== undefined, 5_000);
    // The restarted server kept nothing: the store, once it answers again, is the authority.
    expect(await resilient.validate(token, { allowDegraded: true })).toEqual({ ok: false, reason: 'invalid' });
  });

  it('an outage is one store.unavailable event and one store.recovered, however many calls fail; ready() says so within the deadline', async () => {
    const audit = new MemoryAuditSink();
    const watched = new SessionManager({
      secret: SECRET,
      auditSink: audit,
      store: new RedisSessionStore({ client, commandTimeout: DEADLINE_MS, circuitBreaker: { threshold: 3, cooldown: 200 } }),
    });
    await new Promise((resolve) => setTimeout(resolve, 250)); // the breaker of earlier tests has closed
    const { token } = await watched.login({ userId: 'ivan' });
    expect(await watched.admin.ready()).toMatchObject({ ready: true });
    await server.kill();
    for (let i = 0; i < 30; i += 1) await outcome(() => watched.validate(token));
    const started = performance.now();
    expect(await watched.admin.ready()).toEqual({ ready: false, reason: 'ERR_SESSION_STORE_UNAVAILABLE' });
    expect(performance.now() - started).toBeLessThan(DEADLINE_MS + 400);
    await server.restart();
    await eventually(async () => (await watched.admin.ready()).ready, 5_000);
    await watched.admin.flushAudit();
    const outages = audit.events().filter((e) => e.type === 'store.unavailable' || e.type === 'store.recovered');
    expect(outages.map((e) => e.type)).toEqual(['store.unavailable', 'store.recovered']);
    expect(outages[1]).toMatchObject({ failedCalls: expect.any(Number) });
    expect((outages[1] as { failedCalls: number }).failedCalls).toBeGreaterThanOrEqual(31);
  });

  it('a login that timed out but was applied later leaves no ghost: the retry is not refused by the limit', async () => {
    const limited = new SessionManager({
      secret: SECRET,
      limit: { max: 2, policy: 'reject' },
      store: new RedisSessionStore({ client, commandTimeout: DEADLINE_MS, circuitBreaker: false }),
    });
    const first = await limited.login({ userId: 'judy' });
    server.freeze();
    const timedOut = await outcome(() => limited.login({ userId: 'judy' }));
    await new Promise((resolve) => setTimeout(resolve, 200)); // frozen for longer than the deadline
    server.thaw();
    expect(isSessionError(timedOut.error, 'ERR_SESSION_STORE_UNAVAILABLE')).toBe(true);
    const retry = await limited.login({ userId: 'judy' }); // the user's retry
    const live = (await limited.list('judy')).map((s) => s.id).sort();
    expect(live).toEqual([first.session.id, retry.session.id].sort()); // no session nobody holds
    expect(await limited.validate(retry.token)).toMatchObject({ ok: true });
  });

  it('a rotation that timed out but was applied later: the retry returns its successor, not null', async () => {
    const rotating = new SessionManager({ secret: SECRET, store: new RedisSessionStore({ client, commandTimeout: DEADLINE_MS, circuitBreaker: false }) });
    const { session, token } = await rotating.login({ userId: 'kim' });
    server.freeze();
    const timedOut = await outcome(() => rotating.rotate(session.id));
    await new Promise((resolve) => setTimeout(resolve, 200));
    server.thaw();
    expect(isSessionError(timedOut.error, 'ERR_SESSION_STORE_UNAVAILABLE')).toBe(true);
    // The queued rotation runs once the server answers, and its EVAL may only follow a NOSCRIPT
    // reply: wait for it to land rather than for a fixed time (50 ms was too short on a loaded CI).
    let check = await rotating.validate(token);
    for (const until = Date.now() + 5_000; check.ok && Date.now() < until; check = await rotating.validate(token)) {
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
    expect(check).toEqual({ ok: false, reason: 'rotated' });
    const retried = await rotating.rotate(session.id);
    expect(retried).not.toBeNull();
    expect(retried!.session.id).not.toBe(session.id);
    expect(await rotating.validate(retried!.token)).toMatchObject({ ok: true, session: { id: retried!.session.id } });
    expect(await rotating.rotate(session.id)).toBeNull(); // once: the window answered
  });

  it('reloads its scripts transparently after SCRIPT FLUSH', async () => {
    const { token, session } = await manager.login({ userId: 'erin' });
    await client.call('SCRIPT', 'FLUSH');
    expect(await manager.validate(token)).toMatchObject({ ok: true, session: { id: session.id } });
    await client.call('SCRIPT', 'FLUSH');
    expect(await manager.revoke(session.id)).toMatchObject({ id: session.id });
    expect(await manager.validate(token)).toEqual({ ok: false, reason: 'revoked' });
  });
});
