import { execFileSync } from 'node:child_process';
import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AllowAllDetector, SessionManager } from 'sessionward';
import { RedisSessionStore } from 'sessionward/redis';
import { SECRET } from '../support/manager-fixture.js';
import { startSentinelTopology, type SentinelTopology } from '../../fixtures/redis-servers.js';

let topology: SentinelTopology;
let client: Redis;
beforeAll(async () => {
  topology = await startSentinelTopology();
  client = new Redis({ sentinels: topology.sentinels, name: topology.name, retryStrategy: () => 100 });
  client.on('error', () => {});
}, 60_000);
afterAll(async () => {
  client?.disconnect();
  await topology?.stop();
});

/** The server's replication role; undefined while it is between roles (it may drop the connection then). */
const role = (port: number) => {
  try {
    return /role:(\w+)/.exec(execFileSync('redis-cli', ['-p', String(port), 'INFO', 'replication'], { encoding: 'utf8' }))?.[1];
  } catch {
    return undefined;
  }
};

describe('Sentinel failover', () => {
  it('a session revoked before SENTINEL FAILOVER stays revoked after it, live sessions survive, logins work again', async () => {
    const manager = new SessionManager({
      secret: SECRET,
      store: new RedisSessionStore({ client, commandTimeout: '1s', circuitBreaker: false }),
      anomalyDetector: new AllowAllDetector(),
    });
    const kept = await manager.login({ userId: 'alice' });
    const revoked = await manager.login({ userId: 'alice' });
    await manager.revoke(revoked.session.id, { actor: 'admin-1' });
    // What makes the revocation durable across a failover: it reached the replica.
    expect(Number(await client.call('WAIT', 1, 2_000))).toBe(1);

    const [first, second] = topology.servers;
    expect(role(first!.port)).toBe('master');
    const sentinel = (...args: string[]): string => {
      try {
        return execFileSync('redis-cli', ['-p', String(topology.sentinels[0]!.port), 'SENTINEL', ...args], { encoding: 'utf8' });
      } catch (error) {
        return String((error as { stdout?: string }).stdout ?? error);
      }
    };
    // A failover needs a replica the sentinel has seen; on a loaded machine that can take a poll or
    // two, and until then FAILOVER answers NOGOODSLAVE. Ask again until it is accepted.
    const deadline = Date.now() + 30_000;
    while (!/OK/.test(sentinel('FAILOVER', topology.name)) && Date.now() < deadline) await new Promise((r) => setTimeout(r, 200));
    // The sentinel names the new master as soon as it is promoted; the old one is turned into a
    // replica only at the sentinel's next INFO poll (up to 10 s later), and clients ask the sentinel.
    const named = () => sentinel('GET-MASTER-ADDR-BY-NAME', topology.name);
    while (!(role(second!.port) === 'master' && named().includes(String(second!.port))) && Date.now() < deadline) await new Promise((r) => setTimeout(r, 100));
    expect(role(second!.port)).toBe('master');

    // The client follows the sentinel to the new master; calls fail fast (503) until it has.
    let validated: unknown = null;
    while (Date.now() < deadline) {
      validated = await manager.validate(kept.token).catch(() => null);
      if (validated) break;
      await new Promise((r) => setTimeout(r, 100));
    }
    expect(validated).toMatchObject({ ok: true, session: { id: kept.session.id } });
    expect(await manager.validate(revoked.token)).toEqual({ ok: false, reason: 'revoked' });
    const after = await manager.login({ userId: 'alice' });
    expect(await manager.validate(after.token)).toMatchObject({ ok: true });
    expect((await manager.list('alice')).map((s) => s.id).sort()).toEqual([kept.session.id, after.session.id].sort());
  }, 60_000);
});
