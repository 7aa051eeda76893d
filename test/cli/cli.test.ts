import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { Cluster, Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { AllowAllDetector, SessionManager, type Session } from 'sessionward';
import { RedisSessionStore, RedisStreamAuditSink } from 'sessionward/redis';
import { SECRET } from '../support/manager-fixture.js';
import { freePort } from '../../fixtures/redis-servers.js';

// The built CLI (npm test builds first), as a separate process against the test setup's redis-server.
const cli = fileURLToPath(new URL('../../dist/cli.js', import.meta.url));
const url = inject('redisUrl');
const prefix = `cli-${process.pid}:`;
const auditPrefix = `cli-${process.pid}:audit`;
const redis = new Redis(url);
let sessions: Session[];

function run(...args: string[]): { code: number | null; stdout: string; stderr: string } {
  const result = spawnSync(process.execPath, [cli, ...args], {
    encoding: 'utf8',
    env: { ...process.env, REDIS_URL: url, SESSION_SECRET: SECRET },
    timeout: 20_000,
  });
  return { code: result.status, stdout: result.stdout, stderr: result.stderr };
}
const withKeys = (...args: string[]) => run(...args, '--prefix', prefix, '--audit-prefix', auditPrefix);

beforeAll(async () => {
  const manager = new SessionManager({
    secret: SECRET,
    store: new RedisSessionStore({ client: redis, prefix }),
    auditSink: new RedisStreamAuditSink({ client: redis, prefix: auditPrefix }),
    anomalyDetector: new AllowAllDetector(),
  });
  const chrome = {
    ip: '81.2.69.160',
    headers: { 'user-agent': 'Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Safari/537.36' },
  };
  sessions = [];
  for (let i = 0; i < 3; i += 1) sessions.push((await manager.login({ userId: 'alice', context: chrome })).session);
  await manager.login({ userId: 'bob' });
  await manager.logout(sessions[2]!.id);
  await manager.admin.flushAudit();
});
afterAll(async () => {
  await redis.quit();
});

describe('sessionward CLI against a real redis-server', () => {
  it("lists a user's sessions as a table and as JSON", () => {
    const human = withKeys('sessions', 'list', '--user', 'alice');
    expect(human.code).toBe(0);
    expect(human.stdout.split('\n')[0]).toMatch(/^SESSION\s+DEVICE\s+IP\s+COUNTRY\s+CREATED\s+LAST ACTIVE$/);
    expect(human.stdout).toContain('Chrome 131 on Windows 10');
    expect(human.stdout.trim().split('\n')).toHaveLength(3);
    const json = JSON.parse(withKeys('sessions', 'list', '--user', 'alice', '--json').stdout) as Session[];
    expect(json.map((s) => s.id).sort()).toEqual([sessions[0]!.id, sessions[1]!.id].sort());
  });

  it('shows history and stats', () => {
    const history = JSON.parse(withKeys('history', '--user', 'alice', '--json').stdout);
    expect(history.sessions).toMatchObject([{ sessionId: sessions[2]!.id, reason: 'logout', actor: 'user' }]);
    const stats = JSON.parse(withKeys('stats', '--json').stdout);
    expect(stats).toMatchObject({
      activeSessions: 3,
      users: 2,
      topUsers: [
        { userId: 'alice', sessions: 2 },
        { userId: 'bob', sessions: 1 },
      ],
    });
    expect(withKeys('stats').stdout).toMatch(/active sessions\s+3 \(2 users, 0 bots\)/);
    expect(withKeys('sweep')).toMatchObject({ code: 0, stdout: 'recorded 0 expired sessions\n' });
  });

  it('revokes one session, then the rest except one, and says when nothing matched', () => {
    expect(withKeys('sessions', 'revoke', '--session', sessions[0]!.id)).toMatchObject({ code: 0, stdout: `revoked ${sessions[0]!.id} (alice)\n` });
    expect(withKeys('sessions', 'revoke', '--session', sessions[0]!.id).code).toBe(1);
    expect(JSON.parse(withKeys('sessions', 'revoke', '--user', 'bob', '--json').stdout)).toEqual({ revoked: 1 });
    expect(withKeys('sessions', 'revoke', '--user', 'alice', '--except', sessions[1]!.id).stdout).toBe('revoked 0 sessions\n');
    expect(JSON.parse(withKeys('sessions', 'list', '--user', 'alice', '--json').stdout)).toHaveLength(1);
  });

  it.each([
    [[], /a command is needed/],
    [['frobnicate'], /unknown command "frobnicate"/],
    [['sessions', 'list'], /sessions list needs --user/],
    [['history', '--user', 'alice', '--page-size', 'lots'], /--page-size must be a positive whole number/],
    [['stats', '--bogus'], /Unknown option '--bogus'/],
  ])('refuses %j with a message, usage, and exit code 2', (args, message) => {
    const result = withKeys(...args);
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(message);
    expect(result.stderr).toContain('Usage: sessionward');
    expect(result.stdout).toBe('');
  });

  it('--help prints usage to stdout with exit code 0', () => {
    expect(run('--help')).toMatchObject({ code: 0, stdout: expect.stringContaining('Usage: sessionward'), stderr: '' });
  });

  it('pointed at one node of a cluster, uses the whole cluster: full stats, and lists on every slot', async () => {
    const nodes = inject('redisClusterNodes');
    const cluster = new Cluster(nodes);
    try {
      const clusterPrefix = `cli-cluster-${process.pid}:`;
      const manager = new SessionManager({
        secret: SECRET,
        store: new RedisSessionStore({ client: cluster, prefix: clusterPrefix }),
        anomalyDetector: new AllowAllDetector(),
      });
      const users = Array.from({ length: 12 }, (_, i) => `user-${i}`);
      for (const userId of users) await manager.login({ userId });
      const seed = `redis://${nodes[0]!.host}:${nodes[0]!.port}`;
      const stats = run('stats', '--json', '--redis', seed, '--prefix', clusterPrefix);
      expect(stats.code).toBe(0);
      expect(JSON.parse(stats.stdout)).toMatchObject({ activeSessions: 12, users: 12 });
      for (const userId of users) {
        const listed = run('sessions', 'list', '--user', userId, '--json', '--redis', seed, '--prefix', clusterPrefix);
        expect(listed.code).toBe(0);
        expect(JSON.parse(listed.stdout)).toHaveLength(1);
      }
    } finally {
      await cluster.quit();
    }
  });

  it('fails clearly, with exit code 3, when Redis is unreachable', async () => {
    const port = await freePort();
    const started = performance.now();
    const result = run('stats', '--redis', `redis://127.0.0.1:${port}`);
    expect(result.code).toBe(3);
    expect(result.stderr).toBe(`sessionward: cannot connect to 127.0.0.1:${port} (connection refused)\n`);
    expect(performance.now() - started).toBeLessThan(5_000);
  });

  it('needs the secret and a Redis URL', () => {
    const noSecret = spawnSync(process.execPath, [cli, 'stats'], { encoding: 'utf8', env: { PATH: process.env.PATH!, REDIS_URL: url } });
    expect(noSecret.status).toBe(2);
    expect(noSecret.stderr).toMatch(/--secret \(or SESSION_SECRET\) is required/);
    const noRedis = spawnSync(process.execPath, [cli, 'stats'], { encoding: 'utf8', env: { PATH: process.env.PATH!, SESSION_SECRET: SECRET } });
    expect(noRedis.status).toBe(2);
    expect(noRedis.stderr).toMatch(/--redis <url> \(or REDIS_URL\) is required/);
  });
});
