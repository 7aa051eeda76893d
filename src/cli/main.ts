#!/usr/bin/env node
import { parseArgs } from 'node:util';
import { isSessionError, SessionManager } from 'sessionward';
import { RedisSessionStore, RedisStreamAuditSink } from 'sessionward/redis';
import { counts, table, when } from './format.js';

const USAGE = `Usage: sessionward <command> [options]

Commands:
  sessions list --user <id>                        a user's live sessions
  sessions revoke --session <id>                   end one session
  sessions revoke --user <id> [--except <id>]      end a user's sessions
  history --user <id> [--page-size <n>]            a user's ended sessions and why
  stats [--top <n>]                                live sessions by user, country, browser, OS, device
  sweep [--batch-size <n>]                         record expiries nobody observed

Options:
  --redis <url>          Redis URL (default: $REDIS_URL); a cluster node is detected and used as a seed
  --cluster              treat --redis as a cluster seed without asking the node
  --secret <secret>      the app's session secret (default: $SESSION_SECRET)
  --prefix <prefix>      session key prefix (default: sw:)
  --audit-prefix <p>     audit stream prefix (default: sw:audit)
  --json                 machine-readable output
`;

class UsageError extends Error {}

async function main(argv: string[]): Promise<number> {
  const { values, positionals } = parseArgs({
    args: argv,
    allowPositionals: true,
    options: {
      redis: { type: 'string' },
      secret: { type: 'string' },
      prefix: { type: 'string' },
      'audit-prefix': { type: 'string' },
      user: { type: 'string' },
      session: { type: 'string' },
      except: { type: 'string' },
      'page-size': { type: 'string' },
      'batch-size': { type: 'string' },
      top: { type: 'string' },
      json: { type: 'boolean' },
      help: { type: 'boolean', short: 'h' },
      cluster: { type: 'boolean' },
    },
  });
  const command = positionals.join(' ');
  if (values.help) {
    process.stdout.write(USAGE);
    return 0;
  }
  if (command === '') throw new UsageError('a command is needed');
  const known = ['sessions list', 'sessions revoke', 'history', 'stats', 'sweep'];
  if (!known.includes(command)) throw new UsageError(`unknown command "${command}"`);
  const url = values.redis ?? process.env.REDIS_URL;
  if (!url) throw new UsageError('--redis <url> (or REDIS_URL) is required');
  const secret = values.secret ?? process.env.SESSION_SECRET;
  if (!secret) throw new UsageError('--secret (or SESSION_SECRET) is required: it is the key of the stored hashes');
  const number = (name: 'page-size' | 'batch-size' | 'top', fallback: number) => {
    const text = values[name];
    if (text === undefined) return fallback;
    if (!/^\d+$/.test(text) || Number(text) < 1) throw new UsageError(`--${name} must be a positive whole number`);
    return Number(text);
  };
  const need = (name: 'user' | 'session') => {
    if (!values[name]) throw new UsageError(`${command} needs --${name}`);
    return values[name]!;
  };

  const redis = await connect(url, values.cluster === true);
  try {
    const prefix = values.prefix ?? 'sw:';
    const manager = new SessionManager({
      secret,
      store: new RedisSessionStore({ client: redis, prefix, onWarning: () => {} }),
      auditSink: new RedisStreamAuditSink({ client: redis, prefix: values['audit-prefix'] ?? 'sw:audit' }),
    });
    const print = (json: unknown, human: string) => process.stdout.write(`${values.json ? JSON.stringify(json, null, 2) : human}\n`);

    if (command === 'sessions list') {
      const sessions = await manager.list(need('user'));
      print(
        sessions,
        sessions.length === 0
          ? 'no live sessions'
          : table(
              ['SESSION', 'DEVICE', 'IP', 'COUNTRY', 'CREATED', 'LAST ACTIVE'],
              sessions.map((s) => [
                s.id,
                `${s.deviceInfo.browser} on ${s.deviceInfo.os}`,
                s.deviceInfo.ipAddress || '-',
                s.locationInfo?.country ?? '-',
                when(s.createdAt),
                when(s.lastAccess),
              ]),
            ),
      );
    } else if (command === 'sessions revoke') {
      if (values.session) {
        const ended = await manager.revoke(values.session, { actor: 'cli' });
        if (!ended) {
          print({ revoked: 0 }, `no live session ${values.session}`);
          return 1;
        }
        print({ revoked: 1 }, `revoked ${ended.id} (${ended.userId})`);
      } else {
        const ended = await manager.revokeAll(need('user'), { actor: 'cli', ...(values.except ? { except: values.except } : {}) });
        print({ revoked: ended.length }, `revoked ${ended.length} session${ended.length === 1 ? '' : 's'}`);
      }
    } else if (command === 'history') {
      const page = await manager.admin.history(need('user'), { pageSize: number('page-size', 20) });
      print(
        page,
        page.sessions.length === 0
          ? 'no ended sessions'
          : table(
              ['SESSION', 'ENDED', 'REASON', 'BY', 'CREATED', 'IP'],
              page.sessions.map((s) => [
                s.sessionId,
                when(s.endedAt),
                s.reason + (s.derived ? ' (derived)' : ''),
                s.actor ?? '-',
                when(s.createdAt),
                s.ip ?? '-',
              ]),
            ),
      );
    } else if (command === 'stats') {
      const stats = await manager.admin.stats({ topUsers: number('top', 10) });
      print(
        stats,
        [
          `active sessions  ${stats.activeSessions} (${stats.users} users, ${stats.bots} bots)`,
          `top users        ${stats.topUsers.map((u) => `${u.userId} ${u.sessions}`).join(', ') || '-'}`,
          `countries        ${counts(stats.byCountry)}`,
          `browsers         ${counts(stats.byBrowser)}`,
          `systems          ${counts(stats.byOs)}`,
          `device types     ${counts(stats.byDeviceType)}`,
          `took             ${stats.tookMs} ms`,
        ].join('\n'),
      );
    } else {
      const expired = await manager.admin.sweep({ batchSize: number('batch-size', 10_000) });
      print({ expired: expired.length }, `recorded ${expired.length} expired session${expired.length === 1 ? '' : 's'}`);
    }
    return 0;
  } finally {
    redis.disconnect();
  }
}

/**
 * A client that fails at once when Redis is unreachable, instead of retrying forever. A node of a
 * cluster (asked with INFO, or `--cluster`) becomes the seed of a Cluster client, so every command
 * reaches the slot's owner and stats cover every master.
 */
async function connect(url: string, forceCluster: boolean) {
  let ioredis: { Redis: typeof import('ioredis').Redis; Cluster: typeof import('ioredis').Cluster };
  try {
    const { Redis, Cluster } = await import('ioredis');
    ioredis = { Redis, Cluster };
  } catch {
    throw new Error('the sessionward CLI needs ioredis: npm install ioredis');
  }
  const parsed = new URL(url);
  const where = `${parsed.hostname}:${parsed.port || 6379}`;
  const options = { connectTimeout: 2_000, maxRetriesPerRequest: 1, enableOfflineQueue: false };
  const node = new ioredis.Redis(url, { ...options, lazyConnect: true, retryStrategy: () => null });
  node.on('error', () => {});
  try {
    await node.connect();
  } catch (error) {
    node.disconnect();
    const reason = /ECONNREFUSED|Connection is closed/.test((error as Error).message) ? 'connection refused' : (error as Error).message;
    throw new ConnectionError(`cannot connect to ${where} (${reason})`);
  }
  const clustered = forceCluster || /cluster_enabled:1/.test(String(await node.call('INFO', 'cluster')));
  if (!clustered) return node;
  node.disconnect();
  const cluster = new ioredis.Cluster([{ host: parsed.hostname, port: Number(parsed.port || 6379) }], {
    lazyConnect: true,
    enableOfflineQueue: false,
    clusterRetryStrategy: () => null,
    redisOptions: {
      ...options,
      ...(parsed.password ? { password: decodeURIComponent(parsed.password) } : {}),
      ...(parsed.username ? { username: decodeURIComponent(parsed.username) } : {}),
    },
  });
  cluster.on('error', () => {});
  try {
    await cluster.connect();
  } catch (error) {
    cluster.disconnect();
    throw new ConnectionError(`cannot connect to the cluster of ${where} (${(error as Error).message})`);
  }
  return cluster;
}

class ConnectionError extends Error {}

main(process.argv.slice(2)).then(
  (code) => process.exit(code),
  (error: unknown) => {
    if (error instanceof UsageError || (error instanceof Error && 'code' in error && String(error.code).startsWith('ERR_PARSE_ARGS'))) {
      process.stderr.write(`sessionward: ${error.message}\n\n${USAGE}`);
      process.exit(2);
    }
    if (error instanceof ConnectionError || isSessionError(error, 'ERR_SESSION_STORE_UNAVAILABLE')) {
      process.stderr.write(`sessionward: ${(error as Error).message}\n`);
      process.exit(3);
    }
    const message = error instanceof Error ? error.message : String(error);
    if (/^(MOVED|ASK|CLUSTERDOWN|TRYAGAIN)\b/.test(message) || /\b(MOVED|CROSSSLOT)\b/.test(message)) {
      process.stderr.write(
        `sessionward: Redis answered with a cluster redirection (${message.split('\n')[0]}): run with --cluster, or point --redis at a cluster node\n`,
      );
      process.exit(3);
    }
    process.stderr.write(`sessionward: ${error instanceof Error ? error.message : String(error)}\n`);
    process.exit(1);
  },
);
