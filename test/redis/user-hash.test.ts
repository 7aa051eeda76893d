import { Cluster } from 'ioredis';
import { describe, expect, inject, it } from 'vitest';
import { SessionManager } from 'sessionward';
import { RedisSessionStore } from 'sessionward/redis';
import { TestClock } from 'sessionward/testing';
import { SECRET } from '../support/manager-fixture.js';
import { fileClients } from '../support/redis-clients.js';

// One hash per user holds every session's entry and record, in one field (src/redis/scripts/common.ts). These
// check what the plain-read hot path relies on, on standalone and on the cluster.
const { track, topologies } = fileClients();

for (const [topology, connect] of Object.entries(topologies)) {
  describe(`the user hash (${topology})`, () => {
    const clock = new TestClock();
    const client = connect();
    const prefix = `uh-${process.pid}-${topology}:`;
    const store = new RedisSessionStore({ client, prefix, clock: clock.now, commandTimeout: '10s' });
    const manager = new SessionManager({ secret: SECRET, store, clock: clock.now, limit: { max: 2, policy: 'evict-oldest' }, touchInterval: '1m' });
    /** How many session records the user's hash holds: a live session's field carries its record after its entry. */
    const records = async (sessionId: string) => {
      const hash = await client.hgetall(store.keys.index(sessionId.slice(0, 16)));
      // One field per session (entry and record together) and the user id: no field of its own for a record.
      expect(Object.keys(hash).filter((field) => field !== 'u' && !/^[A-Za-z0-9_-]{22}$/.test(field))).toEqual([]);
      return Object.values(hash).filter((value) => value.startsWith('L|') && value.includes('\x1e')).length;
    };

    it('keeps a record only for live sessions: every kind of end removes it in the same step', async () => {
      const userId = `ends-${topology}`;
      const logins = [];
      for (let i = 0; i < 3; i += 1) {
        clock.advance(10); // the oldest is the first one
        logins.push(await manager.login({ userId })); // the third evicts the first
      }
      const id = logins[0]!.session.id;
      expect(await records(id)).toBe(2);
      expect(await manager.revoke(logins[1]!.session.id)).not.toBeNull();
      expect(await records(id)).toBe(1);
      expect(await manager.rotate(logins[2]!.session.id)).not.toBeNull();
      expect(await records(id)).toBe(1);
      await manager.login({ userId });
      expect(await records(id)).toBe(2);
      expect(await manager.revokeAll(userId)).toHaveLength(2);
      expect(await records(id)).toBe(0);
    });

    it('reads a session stored by the layout before (entry and record in two fields) as gone, and the user signs in again', async () => {
      const userId = `older-${topology}`;
      const { token, session } = await manager.login({ userId });
      const index = store.keys.index(session.id.slice(0, 16));
      const rand = session.id.slice(17);
      const field = (await client.hget(index, rand))!;
      const cut = field.indexOf('\x1e');
      await client.hset(index, rand, field.slice(0, cut), `${rand}/`, field.slice(cut + 1));
      expect(await manager.validate(token)).toMatchObject({ ok: false, reason: 'invalid' });
      expect(await manager.list(userId)).toEqual([]);
      const again = await manager.login({ userId });
      expect(await manager.validate(again.token)).toMatchObject({ ok: true });
      expect((await manager.list(userId)).map((listed) => listed.id)).toEqual([again.session.id]);
    });

    it('refuses a session another server revoked on the very next request, though this one saw it live (the plain read)', async () => {
      const other = new SessionManager({ secret: SECRET, store: new RedisSessionStore({ client, prefix, clock: clock.now }), clock: clock.now });
      const { token, session } = await manager.login({ userId: `other-${topology}` });
      expect(await manager.validate(token)).toMatchObject({ ok: true });
      clock.advance(1_000);
      await other.revoke(session.id);
      expect(await manager.validate(token)).toMatchObject({ ok: false, reason: 'revoked' });
    });

    it('keeps app data whose keys and values hold the record separators from forging parts', async () => {
      const { token, session } = await manager.login({ userId: `hostile-${topology}`, data: { plain: 1 } });
      const hostile = { 'x\x1eat\x1f0': 'v\x1ev\x1f1', '\x1f': '\x1e', at: 'not the auth time' };
      const updated = await manager.update(session.id, { set: hostile });
      expect(updated).toMatchObject({ authTime: session.authTime, version: session.version + 1, data: { plain: 1, ...hostile } });
      await manager.update(session.id, { unset: ['x\x1eat\x1f0'] });
      const read = await manager.validate(token);
      expect(read).toMatchObject({ ok: true, session: { authTime: session.authTime, data: { plain: 1, '\x1f': '\x1e', at: 'not the auth time' } } });
      expect(Object.keys(read.ok ? read.session.data : {}).sort()).toEqual(['\x1f', 'at', 'plain']);
    });
  });
}

describe('a Cluster client with enableAutoPipelining (ioredis 5 routes an auto-pipelined EVALSHA by its SHA: redis/ioredis#2109)', () => {
  it('logs in, validates, rotates and revokes users spread over every master, in parallel', async () => {
    const client = track(new Cluster(inject('redisClusterNodes'), { enableAutoPipelining: true }));
    const manager = new SessionManager({ secret: SECRET, store: new RedisSessionStore({ client, prefix: `ap-${process.pid}:` }) });
    for (let round = 0; round < 3; round += 1) {
      const logins = await Promise.all(Array.from({ length: 40 }, (_, i) => manager.login({ userId: `ap-${round}-${i}` })));
      const checks = await Promise.all(logins.map(({ token }) => manager.validate(token)));
      expect(checks.every((check) => check.ok)).toBe(true);
      const rotated = await Promise.all(logins.map(({ session }) => manager.rotate(session.id)));
      expect(rotated.every((issued) => issued !== null)).toBe(true);
      const revoked = await Promise.all(rotated.map((issued) => manager.revoke(issued!.session.id)));
      expect(revoked.every((session) => session !== null)).toBe(true);
    }
  });
});
