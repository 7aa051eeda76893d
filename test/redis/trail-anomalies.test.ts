import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { MemoryAuditSink, MemorySessionStore, SessionManager, type SessionManagerOptions } from 'sessionward';
import type { MaxMindGeoResolver } from 'sessionward/maxmind';
import { RedisSessionStore } from 'sessionward/redis';
import { TestClock } from 'sessionward/testing';
import { PLACES } from '../../fixtures/geo-fixture.js';
import { at, CHROME, openFixtureGeo } from '../support/anomaly-context.js';
import { SECRET } from '../support/manager-fixture.js';

// The user's trail on both built-in stores (memory and real Redis): login judgements survive logout.
let geo: MaxMindGeoResolver;
beforeAll(async () => {
  geo = await openFixtureGeo();
});

function setup(options: Partial<SessionManagerOptions>, clock: TestClock) {
  const audit = new MemoryAuditSink();
  const manager = new SessionManager({
    secret: SECRET,
    clock: clock.now,
    geoResolver: geo,
    auditSink: audit,
    expiry: { idleTimeout: '4h' },
    onError: () => {},
    ...options,
  });
  const anomalies = () => audit.events().filter((e) => e.type === 'session.anomaly');
  return { manager, anomalies };
}

const redis = new Redis(inject('redisUrl'));
afterAll(async () => {
  await redis.quit();
});
const stores = {
  memory: (clock: TestClock) => new MemorySessionStore({ clock: clock.now, sweepInterval: false }),
  redis: (clock: TestClock) =>
    new RedisSessionStore({ client: redis, prefix: `trail-${process.pid}-${Math.random().toString(36).slice(2)}:`, clock: clock.now }),
};

describe.each(Object.keys(stores) as (keyof typeof stores)[])("login judged against the user's trail, which survives logout (%s store)", (name) => {
  it('log out in London, log in from Milton a minute later: impossible travel, and the new session is held', async () => {
    const clock = new TestClock();
    const { manager, anomalies } = setup({ store: stores[name](clock) }, clock);
    const london = await manager.login({ userId: 'alice', context: at(PLACES.london.ip) });
    await manager.logout(london.session.id);
    clock.advance(60_000);
    const milton = await manager.login({ userId: 'alice', context: at(PLACES.milton.ip) });
    expect(milton.session.stepUp).toMatchObject({ reason: expect.stringContaining('impossible-travel') });
    expect(anomalies().at(-1)).toMatchObject({
      findings: expect.arrayContaining([expect.objectContaining({ rule: 'impossible-travel', severity: 'critical' })]),
    });
    expect(await manager.validate(milton.token)).toMatchObject({ ok: false, reason: 'step-up-required' });
  });

  it('a device family never seen before is new at login even when the user has no live session', async () => {
    const clock = new TestClock();
    const { manager, anomalies } = setup({ store: stores[name](clock) }, clock);
    const first = await manager.login({ userId: 'alice', context: at(PLACES.seoul.ip) });
    await manager.logout(first.session.id);
    clock.advance(60_000);
    await manager.login({ userId: 'alice', context: at(PLACES.seoul.ip, 'Mozilla/5.0 (X11; Linux x86_64; rv:133.0) Gecko/20100101 Firefox/133.0') });
    expect(anomalies()).toMatchObject([{ action: 'log', findings: [{ rule: 'new-device', severity: 'low' }] }]);
    clock.advance(60_000);
    await manager.login({ userId: 'alice', context: at(PLACES.seoul.ip, CHROME(140)) }); // a known family, a newer version
    expect(anomalies()).toHaveLength(1);
  });
});
