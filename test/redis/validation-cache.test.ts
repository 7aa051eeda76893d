import { Cluster, Redis } from 'ioredis';
import { afterAll, describe, expect, inject, it } from 'vitest';
import { type AnomalyDetector, SessionManager, type SessionManagerOptions } from 'sessionward';
import { RedisRevocationChannel, RedisSessionStore } from 'sessionward/redis';
import { CHROME_WINDOWS, SECRET } from '../support/manager-fixture.js';

const clients: (Redis | Cluster)[] = [];
const managers: SessionManager[] = [];
afterAll(async () => {
  await Promise.all(managers.map((manager) => manager.dispose()));
  await Promise.all(clients.map((client) => client.quit()));
});

const topologies = {
  standalone: () => new Redis(inject('redisUrl')),
  cluster: () => new Cluster(inject('redisClusterNodes')),
};

// A request from this IP is critical: the policy's default revokes the session.
const suspicious: AnomalyDetector = {
  usesHistory: false,
  evaluate: async ({ kind, current }) =>
    kind === 'request' && current.deviceInfo.ipAddress === '198.51.100.66' ? [{ rule: 'test', severity: 'critical', score: 1, evidence: {} }] : [],
};

async function until(check: () => Promise<boolean>, timeoutMs = 2_000): Promise<number> {
  const started = performance.now();
  while (!(await check())) {
    if (performance.now() - started > timeoutMs) throw new Error(`not within ${timeoutMs} ms`);
    await new Promise((resolve) => setTimeout(resolve, 2));
  }
  return performance.now() - started;
}

/** Two app servers with the cache on: separate connections for commands and for the push channel. */
async function twoServers(connect: () => Redis | Cluster, options: Partial<SessionManagerOptions> = {}) {
  const prefix = `cache-${process.pid}-${Math.random().toString(36).slice(2)}:`;
  const channel = `${prefix}revocations`;
  const storeCalls = [0, 0];
  const servers = [0, 1].map((i) => {
    const client = connect();
    clients.push(client);
    const manager = new SessionManager({
      secret: SECRET,
      store: new RedisSessionStore({ client, prefix, commandTimeout: '5s', circuitBreaker: false }),
      cache: { maxStaleness: '30s' },
      revocations: new RedisRevocationChannel({ client, channel }),
      anomalyDetector: suspicious,
      onStoreCall: (operation) => {
        if (operation === 'validate') storeCalls[i]! += 1;
      },
      ...options,
    });
    managers.push(manager);
    return manager;
  });
  await until(async () => servers.every((manager) => manager.admin.health().cache?.live === true), 10_000);
  return { a: servers[0]!, b: servers[1]!, storeCalls, channel };
}

for (const [topology, connect] of Object.entries(topologies)) {
  describe(`validation cache across two app servers (${topology})`, () => {
    it('answers repeat validations without the store, and a session ended on the other server is refused at once', async () => {
      const { a, b, storeCalls } = await twoServers(connect, { limit: { max: 1, policy: 'evict-oldest' } });
      const cases: { name: string; end: (session: { id: string; userId: string }) => Promise<unknown> }[] = [
        { name: 'revoke', end: (s) => a.revoke(s.id) },
        { name: 'logout', end: (s) => a.logout(s.id) },
        { name: 'revokeAll', end: (s) => a.revokeAll(s.userId) },
        { name: 'eviction', end: (s) => a.login({ userId: s.userId }) },
        { name: 'rotation', end: (s) => a.rotate(s.id) },
        { name: 'step-up hold', end: (s) => a.requireStepUp(s.id, 'test') },
        { name: 'anomaly revoke', end: (s) => b.validate(tokens.get(s.id)!, { context: { ...CHROME_WINDOWS, ip: '198.51.100.66' } }).then(() => a) },
        { name: 'purge', end: (s) => a.admin.purgeUser(s.userId) },
      ];
      const tokens = new Map<string, string>();
      let slowest = 0;
      for (const { name, end } of cases) {
        const { session, token } = await a.login({ userId: `user-${name}` });
        tokens.set(session.id, token);
        expect(await b.validate(token)).toMatchObject({ ok: true });
        const before = storeCalls[1]!;
        expect(await b.validate(token)).toMatchObject({ ok: true });
        expect(storeCalls[1], `${name}: a repeat validation is a cache hit`).toBe(before);
        await end(session);
        const tookMs = await until(async () => !(await b.validate(token)).ok, 1_000);
        expect(tookMs, `${name}: refused on the other server`).toBeLessThan(1_000);
        slowest = Math.max(slowest, tookMs);
      }
      console.log(`${topology}: slowest propagation ${slowest.toFixed(1)} ms over ${cases.length} kinds of end`);
    });

    it('a cut subscriber turns the cache off at once, and it is trusted again only after resubscribing and a fresh confirmation', async () => {
      const { a, b, storeCalls } = await twoServers(connect);
      const { token } = await a.login({ userId: 'cut' });
      await b.validate(token);
      const hits = () => b.admin.health().cache!.hits;
      const hitsBefore = hits();
      await b.validate(token);
      expect(hits()).toBe(hitsBefore + 1);
      // Kill every pub/sub connection on every node: both servers' subscribers drop.
      const nodes = topology === 'cluster' ? (clients.at(-1) as Cluster).nodes('master') : [clients.at(-1) as Redis];
      await Promise.all(nodes.map((node) => node.call('CLIENT', 'KILL', 'TYPE', 'pubsub')));
      await until(async () => b.admin.health().cache!.live === false, 2_000);
      const strict = storeCalls[1]!;
      await b.validate(token);
      expect(storeCalls[1]).toBe(strict + 1); // to the store, not the cache
      await until(async () => b.admin.health().cache!.live === true, 10_000);
      // The entries from before the cut were dropped: the first validation asks the store again.
      const resumed = storeCalls[1]!;
      await b.validate(token);
      expect(storeCalls[1]).toBe(resumed + 1);
      await b.validate(token);
      expect(storeCalls[1]).toBe(resumed + 1);
      // And revocations reach it again.
      const { session } = (await a.list('cut')).map((s) => ({ session: s }))[0]!;
      await a.revoke(session.id);
      await until(async () => !(await b.validate(token)).ok, 1_000);
    });
  });
}
