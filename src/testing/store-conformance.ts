import type { LimitPolicy, SessionStore, StoredSession } from '../ports/session-store.js';
import { newSessionId } from '../tokens/session-id.js';
import { runBehindBarrier } from './barrier.js';
import { sampleSession, sampleUserKey } from './sample-session.js';
import { minimalExpect, type Expect } from './minimal-expect.js';
import { TestClock } from './test-clock.js';

/**
 * The test functions of your runner: vitest's, jest's, or node:test's (`import { describe, it,
 * beforeEach, afterEach } from 'node:test'`). Without `expect`, a built-in one is used.
 */
export interface TestRunner {
  describe(name: string, body: () => void): unknown;
  it(name: string, body: () => Promise<void>): unknown;
  beforeEach(hook: () => Promise<void>): unknown;
  afterEach(hook: () => Promise<void>): unknown;
  expect?: Expect;
}

export interface StoreConformanceOptions {
  /** Shown in the test names. */
  name: string;
  /** A fresh store. `clock` is the suite's clock; stores that keep time themselves (memory) should use it. */
  createStore(clock: () => number): SessionStore | Promise<SessionStore>;
  /** Called after each test, e.g. to close connections. @default store.dispose() */
  disposeStore?(store: SessionStore): void | Promise<void>;
  /** How often each race is repeated. @default 20 */
  raceRepeats?: number;
  /** Parallel logins in the limit race. @default 200 */
  raceSize?: number;
  /** Whether the store keeps user trails (`keepsTrails`); `false` leaves the trail tests out. @default true */
  trails?: boolean;
  /** Whether the store implements `refresh` (API token pairs); `false` leaves those tests out. @default true */
  tokenPairs?: boolean;
}

const MINUTE = 60_000;

/**
 * The contract every `SessionStore` must meet, as one suite for any runner. Run it against your own store:
 *
 * @example
 * import { describe, it, beforeEach, afterEach, expect } from 'vitest'; // or node:test, without expect
 * import { describeSessionStoreConformance } from 'sessionward/testing';
 * describeSessionStoreConformance({ describe, it, beforeEach, afterEach, expect }, { name: 'my store', createStore: () => new MyStore() });
 */
export function describeSessionStoreConformance(runner: TestRunner, options: StoreConformanceOptions): void {
  const { describe, it, beforeEach, afterEach } = runner;
  const expect = runner.expect ?? minimalExpect;
  const repeats = options.raceRepeats ?? 20;
  const raceSize = options.raceSize ?? 200;

  describe(`SessionStore conformance: ${options.name}`, () => {
    let store: SessionStore;
    let clock: TestClock;
    let userKey: string;

    beforeEach(async () => {
      clock = new TestClock();
      store = await options.createStore(clock.now);
      userKey = sampleUserKey();
    });
    afterEach(async () => {
      await (options.disposeStore ? options.disposeStore(store) : store.dispose?.());
    });

    const ref = (session: { id: string }) => ({ id: session.id, userKey });
    const add = async (overrides: Partial<StoredSession> = {}) => {
      const result = await store.create(sampleSession(userKey, clock.now(), overrides), { userKey, limit: null, now: clock.now() });
      if (!result.created) throw new Error('create without a limit was refused');
      return result.session;
    };
    const liveIds = async () => (await store.list(userKey, { now: clock.now() })).map((s) => s.id);

    describe('create and read', () => {
      it('keeps every field exactly', async () => {
        const session = sampleSession(userKey, clock.now(), {
          data: { cart: [1, 2, { sku: 'é-☃' }], flag: true, nothing: null },
          locationInfo: {
            country: 'KR',
            city: 'Seoul',
            subdivision: '11',
            latitude: 37.5665,
            longitude: 126.978,
            accuracyRadiusKm: 5,
            timeZone: 'Asia/Seoul',
            asn: 4766,
            asOrganization: 'Korea Telecom',
          },
          stepUp: { reason: 'new-device', since: clock.now() },
        });
        const result = await store.create(session, { userKey, limit: null, now: clock.now() });
        expect(result).toMatchObject({ created: true, evicted: [], expired: [] });
        expect(await store.get(ref(session))).toEqual(session);
      });

      it('answers null for an unknown session', async () => {
        expect(await store.get({ id: newSessionId(userKey), userKey })).toBeNull();
        expect(await store.touch({ id: newSessionId(userKey), userKey }, { now: clock.now(), touchIntervalMs: 0 })).toEqual({ status: 'missing' });
      });

      it('hands out copies that cannot change what is stored', async () => {
        const session = await add({ data: { role: 'user' } });
        session.data.role = 'admin';
        const fetched = await store.get(ref(session));
        fetched!.data.role = 'admin';
        expect((await store.get(ref(session)))!.data.role).toBe('user');
      });
    });

    describe('list', () => {
      it('returns exactly the live sessions of that user, oldest first', async () => {
        const first = await add();
        clock.advance(1_000);
        const second = await add();
        clock.advance(1_000);
        const ended = await add();
        await store.revoke(ref(ended), { reason: 'revoked', actor: 'admin', now: clock.now() });
        const otherKey = sampleUserKey();
        await store.create(sampleSession(otherKey, clock.now()), { userKey: otherKey, limit: null, now: clock.now() });
        expect(await liveIds()).toEqual([first.id, second.id]);
      });

      it('leaves out sessions past their idle deadline', async () => {
        await add({ idleTimeoutMs: 10 * MINUTE, expiresAt: clock.now() + 10 * MINUTE });
        clock.advance(11 * MINUTE);
        const fresh = await add();
        expect(await liveIds()).toEqual([fresh.id]);
      });
    });

    describe('touch (validate-and-touch)', () => {
      it('writes nothing inside the touch interval', async () => {
        const session = await add();
        clock.advance(30_000);
        const result = await store.touch(ref(session), { now: clock.now(), touchIntervalMs: MINUTE, secretHash: session.secretHash });
        expect(result).toMatchObject({ status: 'active', touched: false, previousLastAccess: session.lastAccess });
        expect((await store.get(ref(session)))!.lastAccess).toBe(session.lastAccess);
      });

      it('slides lastAccess and the idle deadline once the interval passed', async () => {
        const session = await add();
        clock.advance(2 * MINUTE);
        const now = clock.now();
        const result = await store.touch(ref(session), { now, touchIntervalMs: MINUTE, secretHash: session.secretHash });
        expect(result).toMatchObject({ status: 'active', touched: true, previousLastAccess: session.lastAccess });
        const stored = await store.get(ref(session));
        expect(stored).toMatchObject({ lastAccess: now, expiresAt: now + session.idleTimeoutMs, version: session.version });
      });

      it('never extends past the absolute deadline', async () => {
        const session = await add({ absoluteExpiresAt: clock.now() + 40 * MINUTE });
        clock.advance(25 * MINUTE);
        const result = await store.touch(ref(session), { now: clock.now(), touchIntervalMs: MINUTE });
        expect(result.status).toBe('active');
        expect((await store.get(ref(session)))!.expiresAt).toBe(session.absoluteExpiresAt);
      });

      it('refuses a wrong secret without writing or revealing state', async () => {
        const session = await add();
        clock.advance(5 * MINUTE);
        const result = await store.touch(ref(session), { now: clock.now(), touchIntervalMs: 0, secretHash: 'x'.repeat(22) });
        expect(result).toEqual({ status: 'mismatch' });
        expect((await store.get(ref(session)))!.lastAccess).toBe(session.lastAccess);
      });

      it('records an idle expiry once and refuses the session from then on', async () => {
        const session = await add();
        clock.advance(31 * MINUTE);
        const first = await store.touch(ref(session), { now: clock.now(), touchIntervalMs: 0 });
        expect(first).toMatchObject({ status: 'ended', justEnded: true, session: { endReason: 'expired-idle', endedBy: 'system' } });
        const second = await store.touch(ref(session), { now: clock.now(), touchIntervalMs: 0 });
        expect(second).toMatchObject({ status: 'ended', justEnded: false, session: { endReason: 'expired-idle' } });
        expect(await liveIds()).toEqual([]);
      });

      it('never answers active past the absolute deadline', async () => {
        const session = await add({ idleTimeoutMs: 20 * MINUTE, absoluteExpiresAt: clock.now() + 60 * MINUTE, expiresAt: clock.now() + 20 * MINUTE });
        for (let i = 0; i < 5; i += 1) {
          clock.advance(15 * MINUTE);
          await store.touch(ref(session), { now: clock.now(), touchIntervalMs: 0 });
        }
        const result = await store.touch(ref(session), { now: clock.now(), touchIntervalMs: 0 });
        // Either the record went with its deadline, or it says why it ended: never anything else.
        expect(['ended', 'missing']).toContain(result.status);
        expect(result).toMatchObject(result.status === 'ended' ? { session: { endReason: 'expired-absolute' } } : { status: 'missing' });
      });

      it('does not revive an ended session', async () => {
        const session = await add();
        await store.revoke(ref(session), { reason: 'revoked', actor: 'admin', now: clock.now() });
        clock.advance(2 * MINUTE);
        const result = await store.touch(ref(session), { now: clock.now(), touchIntervalMs: 0 });
        expect(result).toMatchObject({ status: 'ended', session: { endReason: 'revoked', endedBy: 'admin' } });
        expect(await liveIds()).toEqual([]);
      });
    });

    describe('update', () => {
      it('keeps awkward field names as plain fields (__proto__, constructor, dots, unicode)', async () => {
        const session = await add();
        const set = JSON.parse('{"__proto__":{"x":1},"constructor":"c","a.b":2,"키":"값"}') as Record<string, unknown>;
        await store.update(ref(session), { data: { set } }, { now: clock.now() });
        const data = (await store.get(ref(session)))!.data;
        expect(Object.keys(data).sort()).toEqual(['__proto__', 'a.b', 'constructor', '키'].sort());
        expect(Object.getPrototypeOf(data)).toBe(Object.prototype);
        expect(JSON.stringify(data)).toContain('"__proto__":{"x":1}');
      });

      it('sets and unsets fields and bumps the version', async () => {
        const session = await add({ data: { keep: 1, drop: 2 } });
        const result = await store.update(ref(session), { data: { set: { added: 'x' }, unset: ['drop'] } }, { now: clock.now() });
        expect(result).toMatchObject({ status: 'updated', session: { data: { keep: 1, added: 'x' }, version: 2 } });
        expect((await store.get(ref(session)))!.data).toEqual({ keep: 1, added: 'x' });
      });

      it('writes the manager fields: step-up, auth time, device, location', async () => {
        const session = await add();
        const device = { ...session.deviceInfo, browser: 'Chrome 131', fingerprint: 'c'.repeat(22) };
        const patch = { stepUp: { reason: 'impossible-travel', since: 5 }, authTime: 7, deviceInfo: device, locationInfo: null };
        await store.update(ref(session), patch, { now: clock.now() });
        expect(await store.get(ref(session))).toMatchObject(patch);
        await store.update(ref(session), { stepUp: null }, { now: clock.now() });
        expect((await store.get(ref(session)))!.stepUp).toBeNull();
      });

      it('refuses a stale expectedVersion and writes nothing', async () => {
        const session = await add();
        await store.update(ref(session), { data: { set: { a: 1 } } }, { now: clock.now(), expectedVersion: 1 });
        const stale = await store.update(ref(session), { data: { set: { a: 2 } } }, { now: clock.now(), expectedVersion: 1 });
        expect(stale).toMatchObject({ status: 'conflict', session: { version: 2 } });
        expect((await store.get(ref(session)))!.data).toEqual({ a: 1 });
      });

      it('does not resurrect an ended or expired session', async () => {
        const ended = await add();
        await store.revoke(ref(ended), { reason: 'logout', actor: 'user', now: clock.now() });
        expect(await store.update(ref(ended), { data: { set: { a: 1 } } }, { now: clock.now() })).toMatchObject({ status: 'ended' });
        const idle = await add();
        clock.advance(31 * MINUTE);
        expect(await store.update(ref(idle), { data: { set: { a: 1 } } }, { now: clock.now() })).toMatchObject({
          status: 'ended',
          justEnded: true,
          session: { endReason: 'expired-idle' },
        });
        expect(await store.update({ id: newSessionId(userKey), userKey }, { data: { set: { a: 1 } } }, { now: clock.now() })).toEqual({ status: 'missing' });
      });

      it(`keeps every one of parallel updates to different fields (${repeats}×)`, async () => {
        for (let round = 0; round < repeats; round += 1) {
          const session = await add();
          await runBehindBarrier(20, (i) => store.update(ref(session), { data: { set: { [`field${i}`]: i } } }, { now: clock.now() }));
          const stored = await store.get(ref(session));
          expect(Object.keys(stored!.data)).toHaveLength(20);
          expect(stored!.version).toBe(21);
        }
      });
    });

    describe('rotate', () => {
      it('moves the session to a new id and ends the old one at once', async () => {
        const session = await add({ data: { cart: 3 } });
        clock.advance(MINUTE);
        const now = clock.now();
        const next = { id: newSessionId(userKey), secretHash: 'n'.repeat(22), authTime: now };
        const result = await store.rotate(ref(session), next, { now });
        expect(result).toMatchObject({
          status: 'rotated',
          session: { id: next.id, secretHash: next.secretHash, authTime: now, data: { cart: 3 }, createdAt: session.createdAt, lastAccess: now },
          previous: { id: session.id, endReason: 'rotated' },
        });
        expect(await store.touch(ref(session), { now: clock.now(), touchIntervalMs: 0 })).toMatchObject({ status: 'ended', session: { endReason: 'rotated' } });
        expect(await liveIds()).toEqual([next.id]);
      });

      it('keeps the absolute deadline', async () => {
        const session = await add();
        const next = { id: newSessionId(userKey), secretHash: 'n'.repeat(22) };
        const result = await store.rotate(ref(session), next, { now: clock.now() });
        expect(result.status === 'rotated' && result.session.absoluteExpiresAt).toBe(session.absoluteExpiresAt);
      });

      it(`lets exactly one of two concurrent rotations win (${repeats}×)`, async () => {
        for (let round = 0; round < repeats; round += 1) {
          const session = await add();
          const results = await runBehindBarrier(2, () =>
            store.rotate(ref(session), { id: newSessionId(userKey), secretHash: 'n'.repeat(22) }, { now: clock.now() }),
          );
          const statuses = results.map((r) => (r.status === 'fulfilled' ? r.value.status : 'threw'));
          expect(statuses.sort()).toEqual(['ended', 'rotated']);
        }
        expect(await liveIds()).toHaveLength(repeats);
      });
    });

    const tokenPairs = options.tokenPairs ?? true;
    (tokenPairs ? describe : () => undefined)('refresh (API token pairs)', () => {
      const refresh = (session: { id: string }, presentedHash: string, nextHash: string, graceMs = 5_000) => {
        if (typeof store.refresh !== 'function') throw new Error('the store has no refresh(): implement it, or pass tokenPairs: false');
        return store.refresh(ref(session), { presentedHash, nextHash, graceMs, now: clock.now() });
      };

      it('spends the current secret hash, slides activity; the same call inside the grace window replays without writing', async () => {
        const session = await add({ secretHash: 'a'.repeat(22) });
        clock.advance(MINUTE);
        const first = await refresh(session, 'a'.repeat(22), 'b'.repeat(22));
        expect(first).toMatchObject({
          status: 'refreshed',
          replayed: false,
          session: { secretHash: 'b'.repeat(22), lastAccess: clock.now(), version: session.version + 1 },
        });
        clock.advance(1_000);
        const again = await refresh(session, 'a'.repeat(22), 'b'.repeat(22));
        expect(again).toMatchObject({ status: 'refreshed', replayed: true, session: { secretHash: 'b'.repeat(22), version: session.version + 1 } });
        expect(await refresh(session, 'b'.repeat(22), 'c'.repeat(22))).toMatchObject({ status: 'refreshed', replayed: false });
      });

      it('ends the session when a spent hash comes back after the grace window, or any other hash', async () => {
        const late = await add({ secretHash: 'a'.repeat(22) });
        await refresh(late, 'a'.repeat(22), 'b'.repeat(22));
        clock.advance(5_001);
        expect(await refresh(late, 'a'.repeat(22), 'b'.repeat(22))).toMatchObject({ status: 'reused', session: { id: late.id, endReason: 'refresh-reused' } });
        expect(await store.touch(ref(late), { now: clock.now(), touchIntervalMs: 0 })).toMatchObject({
          status: 'ended',
          session: { endReason: 'refresh-reused' },
        });
        const other = await add({ secretHash: 'a'.repeat(22) });
        expect(await refresh(other, 'z'.repeat(22), 'y'.repeat(22))).toMatchObject({ status: 'reused' });
        expect(await refresh(other, 'a'.repeat(22), 'b'.repeat(22))).toMatchObject({ status: 'ended', session: { endReason: 'refresh-reused' } });
      });

      it(`parallel refreshes of one hash: exactly one spends it, the rest replay (${repeats}×)`, async () => {
        for (let round = 0; round < repeats; round += 1) {
          const session = await add({ secretHash: 'a'.repeat(22) });
          const results = await runBehindBarrier(10, () => refresh(session, 'a'.repeat(22), 'b'.repeat(22)));
          const outcomes = results.map((r) => (r.status === 'fulfilled' ? `${r.value.status}:${'replayed' in r.value ? r.value.replayed : ''}` : 'threw'));
          expect(outcomes.sort()).toEqual(['refreshed:false', ...Array(9).fill('refreshed:true')]);
        }
      });
    });

    describe('revoke and revokeAll', () => {
      it('ends one session with reason and actor, once', async () => {
        const session = await add();
        const ended = await store.revoke(ref(session), { reason: 'revoked', actor: 'admin-7', now: clock.now() });
        expect(ended).toMatchObject({ id: session.id, isActive: false, endReason: 'revoked', endedBy: 'admin-7', endedAt: clock.now() });
        expect(await store.revoke(ref(session), { reason: 'revoked', actor: 'admin-7', now: clock.now() })).toBeNull();
        expect(await store.revoke({ id: newSessionId(userKey), userKey }, { reason: 'revoked', actor: null, now: clock.now() })).toBeNull();
      });

      it('ends all live sessions but the excepted ones', async () => {
        const keep = await add();
        const a = await add();
        const b = await add();
        const ended = await store.revokeAll(userKey, { reason: 'revoked', actor: 'user', now: clock.now(), except: [keep.id] });
        expect(ended.map((s) => s.id).sort()).toEqual([a.id, b.id].sort());
        expect(ended.every((s) => s.endReason === 'revoked')).toBe(true);
        expect(await liveIds()).toEqual([keep.id]);
      });

      it('keeps a tombstone that says why, but nothing past the absolute deadline', async () => {
        const deadline = Date.now() + 400;
        const session = await add({ absoluteExpiresAt: deadline, expiresAt: deadline });
        await store.revoke(ref(session), { reason: 'revoked', actor: 'admin', now: clock.now() });
        expect(await store.touch(ref(session), { now: clock.now(), touchIntervalMs: 0 })).toMatchObject({ status: 'ended', session: { endReason: 'revoked' } });
        // Past the deadline on the suite's clock and on the store's own (Redis expires keys in real time).
        await new Promise((resolve) => setTimeout(resolve, 700));
        clock.advance(deadline + 300 - clock.now());
        expect(await store.get(ref(session))).toBeNull();
        expect(await store.touch(ref(session), { now: clock.now(), touchIntervalMs: 0 })).toEqual({ status: 'missing' });
      });
    });

    describe('concurrent-login limit', () => {
      const limited = (policy: LimitPolicy, max = 2) => ({ userKey, limit: { max, policy }, now: clock.now() });

      it('reject: refuses the login and lists the live sessions', async () => {
        const a = await add();
        clock.advance(1_000);
        const b = await add();
        const result = await store.create(sampleSession(userKey, clock.now()), limited('reject'));
        expect(result.created).toBe(false);
        expect(!result.created && result.sessions.map((s) => s.id)).toEqual([a.id, b.id]);
        expect(await liveIds()).toEqual([a.id, b.id]);
      });

      it('evict-oldest: ends the earliest created session', async () => {
        const oldest = await add();
        clock.advance(1_000);
        const newer = await add();
        clock.advance(1_000);
        const result = await store.create(sampleSession(userKey, clock.now()), limited('evict-oldest'));
        expect(result.created && result.evicted.map((s) => [s.id, s.endReason])).toEqual([[oldest.id, 'evicted']]);
        expect(await liveIds()).toEqual([newer.id, result.created && result.session.id]);
        expect(await store.touch(ref(oldest), { now: clock.now(), touchIntervalMs: 0 })).toMatchObject({ session: { endReason: 'evicted' } });
      });

      it('evict-idle: ends the least recently used session', async () => {
        const older = await add();
        clock.advance(1_000);
        const idle = await add();
        clock.advance(2 * MINUTE);
        await store.touch(ref(older), { now: clock.now(), touchIntervalMs: MINUTE });
        const result = await store.create(sampleSession(userKey, clock.now()), limited('evict-idle'));
        expect(result.created && result.evicted.map((s) => s.id)).toEqual([idle.id]);
      });

      it('does not count expired sessions, and reports them', async () => {
        const stale = await add();
        const live = await add({ idleTimeoutMs: 60 * MINUTE, expiresAt: clock.now() + 60 * MINUTE });
        clock.advance(31 * MINUTE);
        const result = await store.create(sampleSession(userKey, clock.now()), limited('reject'));
        expect(result).toMatchObject({ created: true, evicted: [], expired: [{ id: stale.id, endReason: 'expired-idle' }] });
        expect(await liveIds()).toEqual([live.id, result.created && result.session.id]);
      });

      for (const policy of ['reject', 'evict-oldest', 'evict-idle'] as const) {
        it(`${policy}: ${raceSize} parallel logins with limit 3 leave exactly 3 (${repeats}×)`, async () => {
          for (let round = 0; round < repeats; round += 1) {
            const key = sampleUserKey();
            const results = await runBehindBarrier(raceSize, () =>
              store.create(sampleSession(key, clock.now()), { userKey: key, limit: { max: 3, policy }, now: clock.now() }),
            );
            const outcomes = results.map((r) => {
              if (r.status === 'rejected') throw r.reason;
              return r.value;
            });
            const created = outcomes.filter((o) => o.created);
            expect(await store.list(key, { now: clock.now() })).toHaveLength(3);
            if (policy === 'reject') {
              expect(created).toHaveLength(3);
              expect(outcomes.length - created.length).toBe(raceSize - 3);
            } else {
              expect(created).toHaveLength(raceSize);
              const evicted = created.flatMap((o) => (o.created ? o.evicted : []));
              expect(evicted).toHaveLength(raceSize - 3);
            }
          }
        });
      }
    });

    if (options.trails !== false) {
      describe('user trail', () => {
        const place = (city: string, latitude: number, seenAt: number) => ({
          country: 'GB',
          city,
          subdivision: null,
          latitude,
          longitude: 0,
          accuracyRadiusKm: 5,
          timeZone: null,
          asn: 2856,
          asOrganization: null,
          seenAt,
        });
        const login = (update: { device: string | null; location: ReturnType<typeof place> | null }, maxDevices = 3, retentionMs = 30 * 60 * MINUTE) =>
          store.create(sampleSession(userKey, clock.now()), { userKey, limit: null, now: clock.now(), trail: { ...update, maxDevices, retentionMs } });

        it('answers the trail as it was before each login, surviving logout, and extends it in the same step', async () => {
          expect(store.keepsTrails).toBe(true);
          const first = await login({ device: 'chrome|windows|desktop', location: place('London', 51.5, clock.now()) });
          expect(first).toMatchObject({ created: true, trail: null });
          await store.revokeAll(userKey, { reason: 'logout', actor: 'user', now: clock.now() });
          clock.advance(MINUTE);
          const second = await login({ device: 'firefox|linux|desktop', location: null });
          expect(second).toMatchObject({
            created: true,
            trail: { location: { city: 'London', latitude: 51.5, seenAt: first.created ? clock.now() - MINUTE : 0 } },
          });
          expect(second.created && second.trail!.devices.map((d) => d.family)).toEqual(['chrome|windows|desktop']);
          clock.advance(MINUTE);
          const third = await login({ device: 'chrome|windows|desktop', location: null });
          // No location this time: the last known place stays. Devices: newest first, no duplicates.
          expect(third.created && third.trail).toMatchObject({
            location: { city: 'London' },
            devices: [{ family: 'firefox|linux|desktop' }, { family: 'chrome|windows|desktop' }],
          });
          const fourth = await login({ device: null, location: null });
          expect(fourth.created && fourth.trail!.devices.map((d) => d.family)).toEqual(['chrome|windows|desktop', 'firefox|linux|desktop']);
        });

        it('keeps at most maxDevices families, dropping the least recently seen', async () => {
          for (const device of ['a', 'b', 'c', 'd']) {
            await login({ device, location: null });
            clock.advance(1_000);
          }
          const result = await login({ device: null, location: null });
          expect(result.created && result.trail!.devices.map((d) => d.family)).toEqual(['d', 'c', 'b']);
        });

        it('an update with a trail records the new place; purge erases the trail', async () => {
          const created = await login({ device: 'a', location: place('London', 51.5, clock.now()) });
          if (!created.created) throw new Error('create without a limit was refused');
          clock.advance(MINUTE);
          const moved = place('Manchester', 53.48, clock.now());
          await store.update(
            ref(created.session),
            { locationInfo: moved },
            { now: clock.now(), trail: { device: 'a', location: moved, maxDevices: 3, retentionMs: 30 * 60 * MINUTE } },
          );
          expect(await login({ device: null, location: null })).toMatchObject({ trail: { location: { city: 'Manchester', seenAt: moved.seenAt } } });
          await store.purgeUser?.(userKey, { now: clock.now() });
          expect(await login({ device: null, location: null })).toMatchObject({ trail: null });
        });

        it('lapses after its retention', async () => {
          await login({ device: 'a', location: null }, 3, 150);
          clock.advance(300);
          await new Promise((resolve) => setTimeout(resolve, 300)); // stores that expire keys on their own clock (Redis)
          expect(await login({ device: null, location: null })).toMatchObject({ trail: null });
        });
      });
    }
  });
}
