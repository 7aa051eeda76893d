import { beforeAll, describe, expect, it } from 'vitest';
import { MemoryAuditSink, SessionManager, type AuditEvent, type RequestContext } from 'sessionward';
import { TestClock } from 'sessionward/testing';
import { RuleBasedDetector } from '../../src/anomaly/rule-based-detector.js';
import { ImpossibleTravelRule } from '../../src/anomaly/rules/impossible-travel-rule.js';
import { MaxMindGeoResolver } from 'sessionward/maxmind';
import { PLACES, TRAPS, writeGeoFixtures, type Place } from '../../fixtures/geo-fixture.js';
import { HOUR, SECRET } from '../support/manager-fixture.js';

const CHROME = (major: number) => `Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/${major}.0.0.0 Safari/537.36`;
const FIREFOX_LINUX = 'Mozilla/5.0 (X11; Linux x86_64; rv:133.0) Gecko/20100101 Firefox/133.0';

let geo: MaxMindGeoResolver;
beforeAll(async () => {
  const { city, asn } = writeGeoFixtures();
  geo = await MaxMindGeoResolver.open({ cityDatabase: city, asnDatabase: asn });
});

const at = (place: Place | { ip: string }, userAgent = CHROME(131)): RequestContext => ({ ip: place.ip, headers: { 'user-agent': userAgent } });

/** Logs in at one place, moves the clock, and uses the session from another. */
async function journey(from: RequestContext, to: RequestContext, elapsedMs: number, options: ConstructorParameters<typeof SessionManager>[0] | object = {}) {
  const clock = new TestClock();
  const audit = new MemoryAuditSink();
  const manager = new SessionManager({
    secret: SECRET,
    clock: clock.now,
    geoResolver: geo,
    auditSink: audit,
    expiry: { idleTimeout: '4h', absoluteLifetime: '12h' }, // journeys take hours
    anomalyPolicy: { bySeverity: { high: 'log', critical: 'log' } }, // observe findings, keep the session
    ...options,
  });
  const { token, session } = await manager.login({ userId: 'alice', context: from });
  clock.advance(elapsedMs);
  const result = await manager.validate(token, { context: to });
  const findings = audit.events().flatMap((event: AuditEvent) => (event.type === 'session.anomaly' ? event.findings : []));
  return { manager, result, findings, rules: findings.map((f) => f.rule), session, token, clock, audit };
}

describe('impossible travel (real Reader, generated GeoIP2-City fixture)', () => {
  it('Seoul → New York in 1 h is impossible travel', async () => {
    const { findings } = await journey(at(PLACES.seoul), at(PLACES.newYork), HOUR);
    const travel = findings.find((f) => f.rule === 'impossible-travel');
    expect(travel).toMatchObject({ severity: 'critical', evidence: { from: 'Seoul, KR', to: 'New York, US', elapsedMinutes: 60 } });
    expect(travel!.evidence.distanceKm).toBeGreaterThan(11_000);
    expect(travel!.evidence.distanceKm).toBeLessThan(11_100);
  });

  it('Seoul → Busan in 1 h is not (about 325 km)', async () => {
    const { rules } = await journey(at(PLACES.seoul), at(PLACES.busan), HOUR);
    expect(rules).not.toContain('impossible-travel');
  });

  it('two IPs in the same city are not travel (a different ISP is only a network change)', async () => {
    const { rules } = await journey(at(PLACES.seoul), at(PLACES.seoulOtherIsp), 60_000);
    expect(rules).toEqual(['network-change']);
  });

  it('a country-only answer with a 1000 km radius causes no false travel; the radius is what prevents it', async () => {
    // New York → somewhere in the US (database centroid, 1000 km radius), 2 h later: 2,000+ km raw, over 1000 km/h.
    const { rules } = await journey(at(PLACES.newYork), at(PLACES.usCountryOnly), 2 * HOUR);
    expect(rules).not.toContain('impossible-travel');
    const rule = new ImpossibleTravelRule();
    const located = { ...(await geo.resolve(PLACES.usCountryOnly.ip))! };
    const before = { lastAccess: 0, locationInfo: (await geo.resolve(PLACES.newYork.ip))! };
    const input = (accuracyRadiusKm: number) => ({
      kind: 'request' as const,
      userId: 'u',
      recent: [],
      previous: before as never,
      current: { deviceInfo: {} as never, locationInfo: { ...located, accuracyRadiusKm }, at: 2 * HOUR },
    });
    expect(rule.evaluate(input(1000))).toBeNull();
    expect(rule.evaluate(input(5))).toMatchObject({ rule: 'impossible-travel' }); // same point, precise: it would be
  });

  it('private IPs never produce location findings, even where the database knows them', async () => {
    const { rules } = await journey(at(TRAPS[0]), at(TRAPS[1]), 60_000);
    expect(rules).toEqual([]);
    const { rules: mixed } = await journey(at(PLACES.seoul), at(TRAPS[0]), 60_000);
    expect(mixed).toEqual([]);
  });

  it("judges a login against the user's most recently active session", async () => {
    const clock = new TestClock();
    const audit = new MemoryAuditSink();
    const manager = new SessionManager({ secret: SECRET, clock: clock.now, geoResolver: geo, auditSink: audit });
    await manager.login({ userId: 'alice', context: at(PLACES.london) });
    clock.advance(20 * 60_000);
    const { session } = await manager.login({ userId: 'alice', context: at(PLACES.tokyo) });
    const anomaly = audit.events().find((event) => event.type === 'session.anomaly');
    expect(anomaly).toMatchObject({ sessionId: session.id, action: 'revoke', findings: [{ rule: 'impossible-travel', severity: 'critical' }] });
    // A login is never refused by an anomaly: the new session is held for step-up instead.
    expect(session.stepUp).toMatchObject({ reason: 'impossible-travel' });
  });
});

describe('device change (real user agents)', () => {
  it('a browser version bump is nothing', async () => {
    const { rules } = await journey(at(PLACES.seoul, CHROME(130)), at(PLACES.seoulOtherIsp, CHROME(131)), 60_000);
    expect(rules).not.toContain('device-change');
  });

  it('Chrome on Windows → Firefox on Linux is high', async () => {
    const { findings } = await journey(at(PLACES.seoul), at(PLACES.seoul, FIREFOX_LINUX), 60_000);
    expect(findings).toMatchObject([{ rule: 'device-change', severity: 'high', evidence: { changed: ['browser', 'os'] } }]);
  });

  it('Client Hints revealing the real OS version and model are a low device drift, not a new browser', async () => {
    const reduced = 'Mozilla/5.0 (Linux; Android 10; K) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Mobile Safari/537.36';
    // The same phone on another network, now sending Client Hints.
    const hinted: RequestContext = {
      ip: PLACES.seoulOtherIsp.ip,
      headers: {
        'user-agent': reduced,
        'sec-ch-ua-model': '"Pixel 8"',
        'sec-ch-ua-platform': '"Android"',
        'sec-ch-ua-platform-version': '"14"',
        'sec-ch-ua-mobile': '?1',
      },
    };
    const { findings, result } = await journey(at(PLACES.seoul, reduced), hinted, 60_000);
    expect(findings).toMatchObject([
      { rule: 'device-change', severity: 'low' },
      { rule: 'network-change', severity: 'low' },
    ]);
    expect(result).toMatchObject({ ok: true, session: { deviceInfo: { os: 'Android 14', device: 'mobile Pixel 8' } } });
  });

  it('the same input always gives the same verdict', async () => {
    const detector = new RuleBasedDetector();
    const first = await journey(at(PLACES.seoul), at(PLACES.newYork, FIREFOX_LINUX), HOUR);
    if (!('session' in first.result)) throw new Error('expected the session to be held, not ended');
    const input = {
      kind: 'request' as const,
      userId: 'alice',
      previous: first.session,
      recent: [],
      current: { deviceInfo: first.result.session.deviceInfo, locationInfo: first.result.session.locationInfo, at: first.session.createdAt + HOUR },
    };
    expect(await detector.evaluate(input)).toEqual(await detector.evaluate(input));
    expect((await detector.evaluate(input)).map((f) => f.rule)).toEqual(['impossible-travel', 'device-change', 'country-change', 'network-change']);
  });
});

describe('unchanged requests cost nothing extra', () => {
  it('does not fingerprint or locate again while IP and user agent stay the same', async () => {
    let lookups = 0;
    const counting = {
      resolve: async (ip: string) => {
        lookups += 1;
        return geo.resolve(ip);
      },
    };
    const { manager, token, clock } = await journey(at(PLACES.seoul), at(PLACES.seoul), 60_000, { geoResolver: counting });
    expect(lookups).toBe(1); // the login
    for (let i = 0; i < 5; i += 1) {
      clock.advance(1_000);
      await manager.validate(token, { context: at(PLACES.seoul) });
    }
    expect(lookups).toBe(1);
    await manager.validate(token, { context: at(PLACES.busan) });
    expect(lookups).toBe(2);
    await manager.validate(token, { context: at(PLACES.busan) });
    expect(lookups).toBe(2); // what was seen is remembered
  });
});
