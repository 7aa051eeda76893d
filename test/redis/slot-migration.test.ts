import { execFileSync } from 'node:child_process';
import { Cluster } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AllowAllDetector, isSessionError, SessionManager } from 'sessionward';
import { RedisSessionStore } from 'sessionward/redis';
import { SECRET } from '../support/manager-fixture.js';
import { startCluster, type RedisClusterProcess } from '../../fixtures/redis-servers.js';

// A cluster of its own: this file moves a slot between masters while sessions are in use.
let cluster: RedisClusterProcess;
let client: Cluster;
beforeAll(async () => {
  cluster = await startCluster();
  client = new Cluster(cluster.nodes);
}, 60_000);
afterAll(async () => {
  await client?.quit();
  await cluster?.stop();
});

const cli = (port: number, ...args: string[]) => execFileSync('redis-cli', ['-p', String(port), ...args], { encoding: 'utf8' }).trim();
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** The master (port and node id) owning a slot, and another master to move it to. */
function ownersOf(slot: number): { from: { port: number; id: string }; to: { port: number; id: string } } {
  const nodes = cluster.nodes.map(({ port }) => ({ port, id: cli(port, 'CLUSTER', 'MYID') }));
  const owner = nodes.find(({ port }) => cli(port, 'CLUSTER', 'COUNTKEYSINSLOT', String(slot)) !== '0')!;
  return { from: owner, to: nodes.find((node) => node.id !== owner.id)! };
}

describe('a live slot migration (keys split between two masters for seconds)', () => {
  it('validations and logins of the migrating user keep working: TRYAGAIN and ASK are retried within the deadline', async () => {
    const manager = new SessionManager({
      secret: SECRET,
      store: new RedisSessionStore({ client, prefix: 'mig:', commandTimeout: '6s', circuitBreaker: false }),
      anomalyDetector: new AllowAllDetector(),
      touchInterval: '1s',
    });
    const logins = [];
    for (let i = 0; i < 20; i += 1) logins.push(await manager.login({ userId: 'mover' }));
    const userKey = logins[0]!.session.id.split('.')[0]!;
    const slot = Number(await client.call('CLUSTER', 'KEYSLOT', `{${userKey}}`));
    const { from, to } = ownersOf(slot);

    cli(to.port, 'CLUSTER', 'SETSLOT', String(slot), 'IMPORTING', from.id);
    cli(from.port, 'CLUSTER', 'SETSLOT', String(slot), 'MIGRATING', to.id);
    const keys = cli(from.port, 'CLUSTER', 'GETKEYSINSLOT', String(slot), '1000').split('\n').filter(Boolean);
    const index = keys.find((key) => key.endsWith(':i'))!;
    const migrate = (batch: string[]) => cli(from.port, 'MIGRATE', '127.0.0.1', String(to.port), '', '0', '5000', 'KEYS', ...batch);

    let stop = false;
    const failures: unknown[] = [];
    let answered = 0;
    const traffic = (async () => {
      while (!stop) {
        for (const { token } of logins) {
          const result = await manager.validate(token).catch((error: unknown) => {
            failures.push(error);
            return null;
          });
          if (result) {
            expect(result).toMatchObject({ ok: true });
            answered += 1;
          }
        }
        await manager.login({ userId: 'mover' }).catch((error: unknown) => failures.push(error));
      }
    })();

    // The index first, the sessions 2.5 s later: every script of this user spans both nodes meanwhile.
    migrate([index]);
    await sleep(2_500);
    const rest = cli(from.port, 'CLUSTER', 'GETKEYSINSLOT', String(slot), '1000').split('\n').filter(Boolean);
    for (let i = 0; i < rest.length; i += 5) migrate(rest.slice(i, i + 5));
    for (const { port } of cluster.nodes) cli(port, 'CLUSTER', 'SETSLOT', String(slot), 'NODE', to.id);
    await sleep(500);
    stop = true;
    await traffic;

    expect(failures.map((error) => (isSessionError(error) ? `${error.code}: ${error.message}` : String(error)))).toEqual([]);
    expect(answered).toBeGreaterThan(20);
    expect(cli(to.port, 'CLUSTER', 'COUNTKEYSINSLOT', String(slot))).not.toBe('0');
    for (const { token } of logins) expect(await manager.validate(token)).toMatchObject({ ok: true });
  }, 30_000);
});
