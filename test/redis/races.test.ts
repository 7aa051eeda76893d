import type { Cluster, Redis } from 'ioredis';
import { describe, expect, it } from 'vitest';
import { isSessionError, SessionManager, type LimitPolicy } from 'sessionward';
import { RedisSessionStore } from 'sessionward/redis';
import { runBehindBarrier, TestClock } from 'sessionward/testing';
import { SECRET } from '../support/manager-fixture.js';
import { fileClients } from '../support/redis-clients.js';

const ROUNDS = 20;
// The store's atomicity is proven 20× per store by the conformance suite; this adds two connections.
const LIMIT_ROUNDS = 5;
const { topologies } = fileClients();

/** Two app servers: separate connections, separate managers, one Redis. */
function twoServers(connect: () => Redis | Cluster, policy: LimitPolicy = 'reject') {
  const clock = new TestClock();
  const prefix = `race-${process.pid}:`;
  const servers = [connect(), connect()].map((client) => {
    return new SessionManager({
      secret: SECRET,
      clock: clock.now,
      // Atomicity, not deadlines (test/redis/faults.test.ts has those): other files share the CPU.
      store: new RedisSessionStore({ client, prefix, clock: clock.now, commandTimeout: '10s', circuitBreaker: false }),
      limit: { max: 3, policy },
      touchInterval: '1m',
    });
  });
  return { servers, clock, on: (i: number) => servers[i % 2]! };
}

for (const [topology, connect] of Object.entries(topologies)) {
  describe(`races across two app servers (${topology})`, () => {
    for (const policy of ['reject', 'evict-oldest'] as const) {
      it(`${policy}: 200 parallel logins with limit 3 leave exactly 3 (${LIMIT_ROUNDS}×)`, async () => {
        const { on } = twoServers(connect, policy);
        for (let round = 0; round < LIMIT_ROUNDS; round += 1) {
          const userId = `${policy}-${round}-${Math.random()}`;
          const results = await runBehindBarrier(200, (i) => on(i).login({ userId }));
          const refused = results.filter((r) => r.status === 'rejected');
          expect(refused.every((r) => isSessionError(r.reason, 'ERR_SESSION_LIMIT_EXCEEDED'))).toBe(true);
          expect(refused).toHaveLength(policy === 'reject' ? 197 : 0);
          expect(await on(0).list(userId)).toHaveLength(3);
          expect(await on(1).list(userId)).toHaveLength(3);
        }
      });
    }

    it(`a revoke racing an in-flight touch stays revoked (${ROUNDS}×)`, async () => {
      const { on, clock } = twoServers(connect);
      for (let round = 0; round < ROUNDS; round += 1) {
        const userId = `revoke-${round}-${Math.random()}`;
        const { token, session } = await on(0).login({ userId });
        clock.advance(61_000); // every validate below wants to write
        await runBehindBarrier<unknown>(10, (i) => (i === 5 ? on(1).revoke(session.id) : on(i).validate(token)));
        expect(await on(0).validate(token)).toEqual({ ok: false, reason: 'revoked' });
        expect(await on(1).list(userId)).toEqual([]);
        expect(await on(0).get(session.id)).toBeNull();
      }
    });

    it(`parallel updates of different fields from both servers all survive (${ROUNDS}×)`, async () => {
      const { on } = twoServers(connect);
      for (let round = 0; round < ROUNDS; round += 1) {
        const { session } = await on(0).login({ userId: `update-${round}-${Math.random()}` });
        await runBehindBarrier(20, (i) => on(i).update(session.id, { set: { [`field${i}`]: i } }));
        const stored = await on(1).get(session.id);
        expect(Object.keys(stored!.data).sort()).toEqual(Array.from({ length: 20 }, (_, i) => `field${i}`).sort());
        expect(stored!.version).toBe(21);
      }
    });

    it(`concurrent rotations from both servers: exactly one wins (${ROUNDS}×)`, async () => {
      const { on } = twoServers(connect);
      for (let round = 0; round < ROUNDS; round += 1) {
        const userId = `rotate-${round}-${Math.random()}`;
        const { session, token } = await on(0).login({ userId });
        const results = await runBehindBarrier(4, (i) => on(i).rotate(session.id));
        const winners = results.flatMap((r) => (r.status === 'fulfilled' && r.value ? [r.value] : []));
        expect(winners).toHaveLength(1);
        expect(await on(1).validate(token)).toEqual({ ok: false, reason: 'rotated' });
        expect(await on(0).validate(winners[0]!.token)).toMatchObject({ ok: true });
        expect((await on(1).list(userId)).map((s) => s.id)).toEqual([winners[0]!.session.id]);
      }
    });
  });
}
