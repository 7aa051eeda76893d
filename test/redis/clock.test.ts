import { Redis } from 'ioredis';
import { afterAll, describe, expect, inject, it } from 'vitest';
import { SessionManager } from 'sessionward';
import { RedisSessionStore } from 'sessionward/redis';
import { SECRET } from '../support/manager-fixture.js';
import { decodeMeta } from '../../src/redis/session-codec.js';

const client = new Redis(inject('redisUrl'));
afterAll(async () => {
  await client.quit();
});
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
const MINUTE = 60_000;
// The store's clock is Date.now() plus an offset measured over one TIME round trip, so it is exact to
// half a round trip and a rounded millisecond. A loaded machine's round trip can take 100 ms and more
// (a syncClock of 60 ms was seen with both cores busy); the skews this test is about are two minutes.
const OFFSET_PRECISION_MS = 250;

describe("one time source on Redis: the server's clock", () => {
  it('managers whose clocks are ±2 min apart agree on idle expiry, which Redis records in its own clock', async () => {
    const prefix = `clock-${process.pid}-${Math.random().toString(36).slice(2)}:`;
    const warnings: string[] = [];
    const store = new RedisSessionStore({ client, prefix, onWarning: (message) => warnings.push(message) });
    expect(Math.abs(await store.syncClock())).toBeLessThan(OFFSET_PRECISION_MS); // this machine's clock is Redis' clock
    const policy = { expiry: { idleTimeout: 1_500, absoluteLifetime: '1h' }, touchInterval: 500 } as const;
    const ahead = new SessionManager({ secret: SECRET, store, clock: () => Date.now() + 2 * MINUTE, ...policy });
    const behind = new SessionManager({ secret: SECRET, store, clock: () => Date.now() - 2 * MINUTE, ...policy });

    const [seconds] = (await client.call('TIME')) as [string];
    const { token, session } = await ahead.login({ userId: 'alice' });
    expect(Math.abs(session.createdAt - Number(seconds) * 1000)).toBeLessThan(1_500);
    await sleep(700);
    expect(await behind.validate(token)).toMatchObject({ ok: true }); // touches: the deadline slides on Redis' clock
    await sleep(700);
    expect(await ahead.validate(token)).toMatchObject({ ok: true });
    const [userKey, rand] = session.id.split('.') as [string, string];
    const [entry, [seconds2, micros]] = await Promise.all([client.hget(store.keys.index(userKey), rand), client.call('TIME') as Promise<[string, string]>]);
    const redisNow = Number(seconds2) * 1000 + Number(micros) / 1000;
    const { expiresAt } = decodeMeta(entry!);
    expect(expiresAt - redisNow).toBeGreaterThan(0);
    // The idle deadline in Redis' own clock, to within the offset's precision; a manager's own skewed
    // clock would put it two minutes off.
    expect(expiresAt - redisNow).toBeLessThanOrEqual(1_500 + OFFSET_PRECISION_MS);
    expect(await client.pexpiretime(store.keys.index(userKey))).toBeGreaterThanOrEqual(expiresAt); // and the key outlives it
    await sleep(1_800);
    expect(await behind.validate(token)).toMatchObject({ ok: false, reason: 'expired-idle' });
    expect(await ahead.validate(token)).toMatchObject({ ok: false, reason: 'expired-idle' });
    expect(warnings).toEqual([]);
  });
});
