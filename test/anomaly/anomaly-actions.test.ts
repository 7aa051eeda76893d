import { beforeAll, describe, expect, it } from 'vitest';
import { MemoryAuditSink, SessionManager, type RequestContext, type SessionManagerOptions } from 'sessionward';
import { TestClock } from 'sessionward/testing';
import { MaxMindGeoResolver } from 'sessionward/maxmind';
import { PLACES, writeGeoFixtures } from '../../fixtures/geo-fixture.js';
import { HOUR, SECRET } from '../support/manager-fixture.js';

const CHROME_WINDOWS = 'Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Safari/537.36';
const FIREFOX_LINUX = 'Mozilla/5.0 (X11; Linux x86_64; rv:133.0) Gecko/20100101 Firefox/133.0';
const at = (ip: string, userAgent = CHROME_WINDOWS): RequestContext => ({ ip, headers: { 'user-agent': userAgent } });

let geo: MaxMindGeoResolver;
beforeAll(async () => {
  const { city, asn } = writeGeoFixtures();
  geo = await MaxMindGeoResolver.open({ cityDatabase: city, asnDatabase: asn });
});

function setup(options: Partial<SessionManagerOptions> = {}) {
  const clock = new TestClock();
  const audit = new MemoryAuditSink();
  const manager = new SessionManager({ secret: SECRET, clock: clock.now, geoResolver: geo, auditSink: audit, expiry: { idleTimeout: '4h' }, ...options });
  const anomalies = () => audit.events().filter((e) => e.type === 'session.anomaly');
  return { manager, clock, audit, anomalies };
}

describe('anomaly actions (default policy: low/medium log, high step-up, critical revoke)', () => {
  it('step-up: the session is held until the app confirms re-authentication', async () => {
    const { manager, clock, anomalies } = setup();
    const { token, session } = await manager.login({ userId: 'alice', context: at(PLACES.seoul.ip) });
    clock.advance(60_000);
    const held = await manager.validate(token, { context: at(PLACES.seoul.ip, FIREFOX_LINUX) });
    expect(held).toMatchObject({ ok: false, reason: 'step-up-required', session: { stepUp: { reason: 'device-change' } } });
    expect(anomalies()).toMatchObject([{ action: 'step-up', findings: [{ rule: 'device-change', severity: 'high' }] }]);
    // Still held on the next requests, without judging them again.
    expect(await manager.validate(token, { context: at(PLACES.seoul.ip, FIREFOX_LINUX) })).toMatchObject({ reason: 'step-up-required' });
    expect(await manager.validate(token)).toMatchObject({ reason: 'step-up-required' });
    expect(anomalies()).toHaveLength(1);
    clock.advance(60_000);
    const confirmed = await manager.confirmStepUp(session.id);
    expect(confirmed).toMatchObject({ stepUp: null, authTime: clock.now() });
    expect(await manager.validate(token, { context: at(PLACES.seoul.ip, FIREFOX_LINUX) })).toMatchObject({ ok: true });
  });

  it('revoke: impossible travel ends the session on that request', async () => {
    const { manager, clock, anomalies } = setup();
    const { token } = await manager.login({ userId: 'alice', context: at(PLACES.seoul.ip) });
    const other = await manager.login({ userId: 'alice', context: at(PLACES.seoul.ip) });
    clock.advance(HOUR);
    expect(await manager.validate(token, { context: at(PLACES.newYork.ip) })).toEqual({ ok: false, reason: 'revoked' });
    expect(await manager.validate(token)).toEqual({ ok: false, reason: 'revoked' });
    expect(anomalies()).toMatchObject([
      { action: 'revoke', findings: [{ rule: 'impossible-travel', severity: 'critical' }, { rule: 'country-change' }, { rule: 'network-change' }] },
    ]);
    expect(await manager.validate(other.token)).toMatchObject({ ok: true }); // only this one
  });

  it('revoke-all: ends every session of the user, the others included', async () => {
    const { manager, clock } = setup({ anomalyPolicy: { byRule: { 'impossible-travel': 'revoke-all' } } });
    const { token } = await manager.login({ userId: 'alice', context: at(PLACES.seoul.ip) });
    const laptop = await manager.login({ userId: 'alice', context: at(PLACES.seoul.ip) });
    const phone = await manager.login({ userId: 'alice', context: at(PLACES.seoulOtherIsp.ip) });
    const bob = await manager.login({ userId: 'bob', context: at(PLACES.seoul.ip) });
    clock.advance(HOUR);
    expect(await manager.validate(token, { context: at(PLACES.newYork.ip) })).toEqual({ ok: false, reason: 'revoked' });
    expect(await manager.validate(laptop.token)).toEqual({ ok: false, reason: 'revoked' });
    expect(await manager.validate(phone.token)).toEqual({ ok: false, reason: 'revoked' });
    expect(await manager.list('alice')).toEqual([]);
    expect(await manager.validate(bob.token)).toMatchObject({ ok: true });
  });

  it('log: a country change is recorded, the session goes on and remembers the new place', async () => {
    const { manager, clock, anomalies } = setup({ anomalyPolicy: { byRule: { 'impossible-travel': 'log' } } });
    const { token } = await manager.login({ userId: 'alice', context: at(PLACES.seoul.ip) });
    clock.advance(3 * HOUR);
    const result = await manager.validate(token, { context: at(PLACES.london.ip) });
    expect(result).toMatchObject({ ok: true, session: { locationInfo: { city: 'London' }, deviceInfo: { ipAddress: PLACES.london.ip } } });
    expect(anomalies()).toMatchObject([{ action: 'log', findings: [{ rule: 'impossible-travel' }, { rule: 'country-change' }, { rule: 'network-change' }] }]);
  });

  it('requireStepUp holds a session on demand (e.g. before a sensitive action)', async () => {
    const { manager } = setup();
    const { token, session } = await manager.login({ userId: 'alice' });
    await manager.requireStepUp(session.id, 'change-password');
    expect(await manager.validate(token)).toMatchObject({ reason: 'step-up-required', session: { stepUp: { reason: 'change-password' } } });
    await manager.confirmStepUp(session.id);
    expect(await manager.validate(token)).toMatchObject({ ok: true });
  });

  it('stores truncated IPs when asked, while still locating the full address', async () => {
    const { manager, clock } = setup({ truncateIp: true });
    const { token, session } = await manager.login({ userId: 'alice', context: at(PLACES.seoul.ip) });
    expect(session.deviceInfo.ipAddress).toBe('1.224.10.0');
    expect(session.locationInfo).toMatchObject({ city: 'Seoul' });
    clock.advance(60_000);
    // Same /24: not a change, nothing to judge.
    expect(await manager.validate(token, { context: at('1.224.10.99') })).toMatchObject({ ok: true, session: { deviceInfo: { ipAddress: '1.224.10.0' } } });
  });
});

describe('IP privacy', () => {
  it('hashIp stores a keyed hash: comparable across requests, not readable, still located', async () => {
    const { manager, clock } = setup({ hashIp: true });
    const { token, session } = await manager.login({ userId: 'alice', context: at(PLACES.seoul.ip) });
    expect(session.deviceInfo.ipAddress).toMatch(/^h:[A-Za-z0-9_-]{16}$/);
    expect(JSON.stringify(session)).not.toContain(PLACES.seoul.ip);
    expect(session.locationInfo).toMatchObject({ city: 'Seoul' });
    clock.advance(60_000);
    expect(await manager.validate(token, { context: at(PLACES.seoul.ip) })).toMatchObject({
      ok: true,
      session: { deviceInfo: { ipAddress: session.deviceInfo.ipAddress } },
    });
    clock.advance(3 * HOUR); // Seoul → Busan by train
    const moved = await manager.validate(token, { context: at(PLACES.busan.ip) });
    expect(moved).toMatchObject({ ok: true, session: { locationInfo: { city: 'Busan' } } });
    if (!moved.ok) throw new Error('expected a live session');
    expect(moved.session.deviceInfo.ipAddress).toMatch(/^h:/);
    expect(moved.session.deviceInfo.ipAddress).not.toBe(session.deviceInfo.ipAddress);
  });

  it('refuses hashIp together with truncateIp', () => {
    expect(() => setup({ hashIp: true, truncateIp: true })).toThrow(/"hashIp"/);
  });
});
