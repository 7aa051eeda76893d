import { beforeAll, describe, expect, it, vi } from 'vitest';
import { MemoryAuditSink, SessionManager, UserAgentFingerprinter, type GeoResolver, type RequestContext, type SessionManagerOptions } from 'sessionward';
import type { MaxMindGeoResolver } from 'sessionward/maxmind';
import { TestClock } from 'sessionward/testing';
import { PLACES, UNKNOWN_PUBLIC_IP } from '../../fixtures/geo-fixture.js';
import { at, CHROME, openFixtureGeo } from '../support/anomaly-context.js';
import { SECRET } from '../support/manager-fixture.js';

let geo: MaxMindGeoResolver;
beforeAll(async () => {
  geo = await openFixtureGeo();
});

function setup(options: Partial<SessionManagerOptions> = {}, clock = new TestClock()) {
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
  return { manager, clock, anomalies };
}

describe('travel cannot be evaded, and normal life is not punished', () => {
  it.each([
    ['a private address', '10.0.0.5'],
    ['a public address the database does not know', UNKNOWN_PUBLIC_IP],
  ])('London, then one request from %s, then Milton two minutes later: still impossible travel', async (_label, nowhere) => {
    const { manager, clock, anomalies } = setup();
    const { token } = await manager.login({ userId: 'alice', context: at(PLACES.london.ip) });
    clock.advance(60_000);
    expect(await manager.validate(token, { context: at(nowhere) })).toMatchObject({ ok: true });
    clock.advance(60_000);
    expect(await manager.validate(token, { context: at(PLACES.milton.ip) })).toEqual({ ok: false, reason: 'revoked' });
    expect(anomalies().at(-1)).toMatchObject({
      action: 'revoke',
      findings: expect.arrayContaining([
        expect.objectContaining({
          rule: 'impossible-travel',
          severity: 'critical',
          evidence: expect.objectContaining({ from: 'London, GB', to: 'Milton, US', elapsedMinutes: 2 }),
        }),
      ]),
    });
  });

  it("a dual-stack flip (London IPv4, then the same ISP's country-level IPv6 30 s later) never revokes or holds", async () => {
    const { manager, clock, anomalies } = setup();
    const { token } = await manager.login({ userId: 'alice', context: at(PLACES.london.ip) });
    for (let i = 0; i < 6; i += 1) {
      clock.advance(30_000);
      expect(await manager.validate(token, { context: at(i % 2 === 0 ? PLACES.gbV6CountryOnly.ip : PLACES.london.ip) })).toMatchObject({ ok: true });
    }
    expect(anomalies().every((event) => event.type === 'session.anomaly' && event.action === 'log')).toBe(true);
  });

  it('a browser update is neither a new device at login nor a device change mid-session', async () => {
    const { manager, clock, anomalies } = setup();
    await manager.login({ userId: 'alice', context: at(PLACES.seoul.ip, CHROME(131)) });
    clock.advance(60_000);
    const { token } = await manager.login({ userId: 'alice', context: at(PLACES.seoul.ip, CHROME(132)) });
    clock.advance(60_000);
    expect(await manager.validate(token, { context: at(PLACES.seoul.ip, CHROME(133)) })).toMatchObject({ ok: true });
    expect(anomalies()).toEqual([]);
  });
});

describe('command-line clients', () => {
  it('switching from curl to python-requests mid-session is a device change, not unknown to unknown', async () => {
    const { manager, clock, anomalies } = setup();
    const { token } = await manager.login({ userId: 'alice', context: at(PLACES.seoul.ip, 'curl/8.5.0') });
    clock.advance(60_000);
    expect(await manager.validate(token, { context: at(PLACES.seoul.ip, 'curl/8.6.0') })).toMatchObject({ ok: true }); // a version bump
    clock.advance(60_000);
    expect(await manager.validate(token, { context: at(PLACES.seoul.ip, 'python-requests/2.31.0') })).toMatchObject({ ok: false, reason: 'step-up-required' });
    expect(anomalies()).toMatchObject([
      {
        action: 'step-up',
        findings: [{ rule: 'device-change', evidence: { before: 'curl 8 on unknown (desktop)', after: 'python-requests 2 on unknown (desktop)' } }],
      },
    ]);
  });
});

describe('advisory parts truly fail open', () => {
  it('a fingerprinter that throws once at login does not make the next request a step-up', async () => {
    const real = new UserAgentFingerprinter();
    let fail = true;
    const flaky = {
      fingerprint: async (context: RequestContext) => {
        if (fail) {
          fail = false;
          throw new Error('parser exploded');
        }
        return real.fingerprint(context);
      },
    };
    const { manager, clock, anomalies } = setup({ fingerprinter: flaky });
    const { token, session } = await manager.login({ userId: 'alice', context: at(PLACES.seoul.ip) });
    expect(session.deviceInfo.browser).toBe('unknown');
    clock.advance(60_000);
    const next = await manager.validate(token, { context: at(PLACES.seoul.ip) });
    expect(next).toMatchObject({ ok: true, session: { deviceInfo: { browser: 'Chrome 131' } } }); // learnt, not judged
    expect(anomalies()).toEqual([]);
  });

  it('a fingerprinter that throws mid-session holds nothing, and after it recovers nothing is held either', async () => {
    const real = new UserAgentFingerprinter();
    let broken = false;
    const flaky = {
      fingerprint: async (context: RequestContext) => {
        if (broken) throw new Error('parser exploded');
        return real.fingerprint(context);
      },
    };
    const { manager, clock, anomalies } = setup({ fingerprinter: flaky });
    const { token } = await manager.login({ userId: 'alice', context: at(PLACES.seoul.ip) });
    broken = true;
    clock.advance(60_000);
    expect(await manager.validate(token, { context: at(PLACES.seoul.ip, CHROME(132)) })).toMatchObject({
      ok: true,
      session: { deviceInfo: { browser: 'Chrome 131' } },
    });
    broken = false;
    clock.advance(60_000);
    expect(await manager.validate(token, { context: at(PLACES.seoul.ip, CHROME(132)) })).toMatchObject({
      ok: true,
      session: { deviceInfo: { browser: 'Chrome 132' } },
    });
    expect(anomalies()).toEqual([]);
  });

  it('a geo resolver or fingerprinter that never answers cannot hang a login: each has a deadline', async () => {
    const onError = vi.fn();
    const never = <T>() => new Promise<T>(() => {});
    const { manager } = setup({ onError, advisoryTimeout: '30ms', geoResolver: { resolve: () => never() }, fingerprinter: { fingerprint: () => never() } });
    const started = performance.now();
    const { session } = await manager.login({ userId: 'alice', context: at(PLACES.seoul.ip) });
    expect(performance.now() - started).toBeLessThan(500);
    expect(session).toMatchObject({ locationInfo: null, deviceInfo: { browser: 'unknown' } });
    expect(onError.mock.calls.map(([error, part]) => [part, (error as Error).message])).toEqual(
      expect.arrayContaining([
        ['fingerprinter', 'fingerprinter did not answer within 30 ms'],
        ['geoResolver', 'geoResolver did not answer within 30 ms'],
      ]),
    );
  });

  it('the advisory parts of many logins share one deadline timer, not one per part and login', async () => {
    const timers = vi.spyOn(globalThis, 'setTimeout');
    try {
      const { manager } = setup({ advisoryTimeout: '777ms' });
      await Promise.all(Array.from({ length: 50 }, (_, i) => manager.login({ userId: `user-${i}`, context: at(PLACES.seoul.ip) })));
      expect(timers.mock.calls.filter(([, delay]) => delay === 777).length).toBeLessThanOrEqual(2);
    } finally {
      timers.mockRestore();
    }
  });

  it('a resolver answering a location without coordinates gives no NaN travel finding; junk answers are dropped', async () => {
    const answers: unknown[] = [{ country: 'GB' }, { country: 'US', latitude: 'north', longitude: 10 }, { latitude: 999, longitude: 0, country: 'xx' }, 42];
    let i = 0;
    const odd: GeoResolver = { resolve: async () => answers[i++ % answers.length] as never };
    const { manager, clock, anomalies } = setup({ geoResolver: odd });
    const { token, session } = await manager.login({ userId: 'alice', context: at('203.0.113.1') });
    expect(session.locationInfo).toMatchObject({ country: 'GB', latitude: null, longitude: null });
    for (const ip of ['203.0.113.2', '203.0.113.3', '203.0.113.4']) {
      clock.advance(1_000);
      await manager.validate(token, { context: at(ip) });
    }
    expect(JSON.stringify(anomalies())).not.toMatch(/NaN|null,"speedKmh"|impossible-travel/);
  });
});
