import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import calculateSlot from 'cluster-key-slot';
import { SEOUL } from '../../fixtures/redis-memory.js';
import { expandDevice } from '../../src/redis/device-fragments.js';
import { KeySpace } from '../../src/redis/key-space.js';
import { decodeMeta, decodeSession, encodeMeta, encodePatch, encodeRecord } from '../../src/redis/session-codec.js';
import { UserAgentFingerprinter } from 'sessionward';
import { sampleSession, sampleUserKey } from 'sessionward/testing';

const NOW = 1_795_000_000_000;

describe('session encoding', () => {
  it('round-trips any session exactly (property)', () => {
    const json = fc.jsonValue().filter((value) => value !== undefined);
    fc.assert(
      fc.property(
        fc.dictionary(fc.string({ maxLength: 12 }), json, { maxKeys: 6 }),
        fc.option(
          fc.record({
            country: fc.option(fc.string({ maxLength: 2 })),
            city: fc.option(fc.string()),
            subdivision: fc.option(fc.string()),
            latitude: fc.option(fc.double({ min: -90, max: 90, noNaN: true })),
            longitude: fc.option(fc.double({ min: -180, max: 180, noNaN: true })),
            accuracyRadiusKm: fc.option(fc.nat(1000)),
            timeZone: fc.option(fc.string()),
            asn: fc.option(fc.nat()),
            asOrganization: fc.option(fc.string()),
          }),
        ),
        fc.string({ maxLength: 256 }),
        fc.nat(12 * 3_600_000),
        fc.boolean(),
        fc.constantFrom('at creation', 'earlier', 'later'),
        fc.constantFrom('none', 'at creation', 'later'),
        (data, location, userAgent, age, bot, authTime, seenAt) => {
          const userKey = sampleUserKey();
          // Inputs as JSON can carry them (JSON has no -0), as the manager normalises them.
          const asJson = <T>(value: T): T => JSON.parse(JSON.stringify(value));
          const seen = { none: undefined, 'at creation': NOW, later: NOW + age }[seenAt];
          const locationInfo = location && seen !== undefined ? { ...asJson(location), seenAt: seen } : asJson(location);
          const authAt = { 'at creation': NOW, earlier: NOW - 1 - age, later: NOW + age }[authTime];
          const session = sampleSession(userKey, NOW, { data: asJson(data), locationInfo, lastAccess: NOW + age, authTime: authAt });
          session.deviceInfo.userAgent = userAgent;
          session.deviceInfo.bot = bot;
          const decoded = decodeSession(session.id, session.userId, encodeMeta(session), encodeRecord(session));
          expect(decoded).toEqual(session);
        },
      ),
      { numRuns: Number(process.env.FC_RUNS ?? 300), seed: Number(process.env.FC_SEED ?? 20261124) }, // fixed in CI; FC_SEED=$RANDOM to explore
    );
  });

  it('keeps a live index entry under 64 bytes (Redis keeps small hashes compact below that)', () => {
    const session = sampleSession(sampleUserKey(), NOW);
    expect(encodeMeta(session).length).toBeLessThanOrEqual(64);
    expect(decodeMeta(encodeMeta(session))).toMatchObject({ createdAt: NOW, absoluteExpiresAt: session.absoluteExpiresAt });
  });

  it('keeps the part separators out of every value and name, so app data cannot forge a part', () => {
    const session = sampleSession(sampleUserKey(), NOW, { data: { 'x\x1eat\x1f0': 'v\x1ev\x1f1' } });
    session.deviceInfo.userAgent = 'ua\x1edv\x1f[]';
    const record = encodeRecord(session);
    expect(record.split('\x1e').map((part) => part.split('\x1f')[0])).toEqual(['d"x\\u001eat\\u001f0"', 'dv', 'v']); // no 'at' part: the session's auth time is its creation time
    expect(decodeSession(session.id, session.userId, encodeMeta(session), record)).toEqual(session);
  });

  it("reads back data keys that Object.prototype has as the app's own fields, prototype untouched", () => {
    const data = JSON.parse('{"__proto__":{"admin":true},"constructor":1,"toString":"x","hasOwnProperty":[2],"a\\"b":3}');
    const session = sampleSession(sampleUserKey(), NOW, { data });
    const decoded = decodeSession(session.id, session.userId, encodeMeta(session), encodeRecord(session));
    expect(Object.getPrototypeOf(decoded.data)).toBe(Object.prototype);
    expect(Object.keys(decoded.data)).toEqual(['__proto__', 'constructor', 'toString', 'hasOwnProperty', 'a"b']);
    expect(Object.getOwnPropertyDescriptor(decoded.data, '__proto__')?.value).toEqual({ admin: true });
    expect((decoded.data as Record<string, unknown>).admin).toBeUndefined();
    expect(decoded.data.constructor).toBe(1);
  });

  it('reads a device or location stored with fewer fields (an older record) without the missing ones', () => {
    const session = sampleSession(sampleUserKey(), NOW);
    const record = 'dv\x1f["ua","203.0.113.1","Chrome 131","Windows 10","desktop"]\x1elo\x1f["KR","Seoul"]\x1eat\x1f1\x1ev\x1f1';
    const decoded = decodeSession(session.id, session.userId, encodeMeta(session), record);
    expect(Object.keys(decoded.deviceInfo)).toEqual(['userAgent', 'ipAddress', 'browser', 'os', 'device']);
    expect(decoded.locationInfo).toStrictEqual({ country: 'KR', city: 'Seoul' });
  });

  it('leaves out an auth time and a location time that are the creation time (most sessions), and reads them back', () => {
    const created = sampleSession(sampleUserKey(), NOW, { locationInfo: { ...SEOUL!, seenAt: NOW } });
    const record = encodeRecord(created);
    expect(record.split('\x1e').map((part) => part.split('\x1f')[0])).not.toContain('at');
    expect(record).not.toContain(String(NOW));
    expect(decodeSession(created.id, created.userId, encodeMeta(created), record)).toEqual(created);
    const later = sampleSession(sampleUserKey(), NOW, { authTime: NOW + 5, locationInfo: { ...SEOUL!, seenAt: NOW + 7 } });
    const decoded = decodeSession(later.id, later.userId, encodeMeta(later), encodeRecord(later));
    expect([decoded.authTime, decoded.locationInfo?.seenAt]).toEqual([NOW + 5, NOW + 7]);
  });

  it('leaves the bot flag out of the device part unless it is set (6 bytes of nearly every record), and reads it back', () => {
    const human = sampleSession(sampleUserKey(), NOW);
    const bot = sampleSession(sampleUserKey(), NOW);
    bot.deviceInfo.bot = true;
    const values = (session: typeof human) => JSON.parse(expandDevice(encodePatch({ deviceInfo: session.deviceInfo }).set[1]!)) as unknown[];
    expect(values(human)).toHaveLength(6);
    expect(values(bot)).toHaveLength(7);
    for (const session of [human, bot])
      expect(decodeSession(session.id, session.userId, encodeMeta(session), encodeRecord(session)).deviceInfo).toStrictEqual(session.deviceInfo);
    // A record written with the flag as false, as before, reads the same.
    const written = 'dv\x1f["ua","203.0.113.1","Chrome 131","Windows 10","desktop","abc",false]\x1eat\x1f1\x1ev\x1f1';
    expect(decodeSession(human.id, human.userId, encodeMeta(human), written).deviceInfo.bot).toBe(false);
  });

  it("keeps a common browser's session field (entry and record) inside the 320-byte allocator size class, Chrome on Windows inside 256", async () => {
    const fingerprinter = new UserAgentFingerprinter();
    const browsers: [string, number][] = [
      ['Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Safari/537.36', 256],
      ['Mozilla/5.0 (Linux; Android 14; Pixel 8) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Mobile Safari/537.36', 320],
      ['Mozilla/5.0 (iPhone; CPU iPhone OS 17_5 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.5 Mobile/15E148 Safari/604.1', 320],
      ['Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.5 Safari/605.1.15', 320],
    ];
    const location = { ...SEOUL!, seenAt: NOW };
    for (const [userAgent, bound] of browsers) {
      const deviceInfo = await fingerprinter.fingerprint({ ip: '203.0.113.10', headers: { 'user-agent': userAgent } });
      const session = sampleSession(sampleUserKey(), NOW, { deviceInfo, locationInfo: location, data: { role: 'member', cartItems: 2 } });
      // One hash field holds the entry, a separator and the record; Redis adds a 3-byte header and a terminating zero.
      expect(encodeMeta(session).length + 1 + encodeRecord(session).length + 4, userAgent).toBeLessThanOrEqual(bound);
    }
  });

  it('skips a part without a name instead of looping on it', () => {
    const session = sampleSession(sampleUserKey(), NOW);
    const decoded = decodeSession(session.id, session.userId, encodeMeta(session), `${encodeRecord(session)}\x1enameless`);
    expect(decoded).toEqual(session);
  });

  it('turns a patch into field writes and deletions', () => {
    expect(encodePatch({ data: { set: { a: [1] }, unset: ['b'] }, stepUp: null, locationInfo: null, authTime: 5 })).toEqual({
      set: ['d"a"', '[1]', 'at', '5'],
      remove: ['d"b"', 'lo', 'su'],
    });
  });
});

describe('key space', () => {
  it('puts every key of a user in one cluster slot, and users apart', () => {
    const keys = new KeySpace('sw:');
    const userKey = sampleUserKey();
    const slot = calculateSlot(keys.index(userKey));
    expect(calculateSlot(keys.trail(userKey))).toBe(slot);
    const slots = new Set(Array.from({ length: 200 }, () => calculateSlot(keys.index(sampleUserKey()))));
    expect(slots.size).toBeGreaterThan(150); // spread over the cluster
  });

  it('escapes glob characters of the prefix in the SCAN pattern and recovers the user key', () => {
    const keys = new KeySpace('app*[1]:');
    expect(keys.indexPattern()).toBe('app\\*\\[1\\]:{*}:i');
    expect(keys.userKeyOfIndex(keys.index('abcdefghijklmnop'))).toBe('abcdefghijklmnop');
  });
});
