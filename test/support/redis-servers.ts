import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/** A redis-server this test run started, stopped by its own process handle (never anyone else's). */
export interface RedisProcess {
  port: number;
  url: string;
  /** Stops it for good and removes its directory. */
  stop(): Promise<void>;
  /** Kills the process (an outage); `restart()` brings it back on the same port. */
  kill(): Promise<void>;
  restart(): Promise<void>;
  /** Freezes (SIGSTOP) or thaws (SIGCONT) the process: a Redis that accepts nothing and answers nothing. */
  freeze(): void;
  thaw(): void;
}

const INSTALL_HINT =
  'redis-server was not found. The Redis tests start their own servers; install it with\n' +
  '  sudo apt-get install -y redis-server   (Debian/Ubuntu)\n' +
  '  brew install redis                     (macOS)\n' +
  'or point REDIS_URL / REDIS_CLUSTER_NODES at servers you run yourself.';

export function assertRedisInstalled(): void {
  try {
    execFileSync('redis-server', ['--version'], { stdio: 'ignore' });
  } catch {
    throw new Error(INSTALL_HINT);
  }
}

// Servers still running when this process exits (a crashed or aborted run) are killed with it.
const running = new Set<ChildProcess>();
process.once('exit', () => {
  for (const child of running) child.kill('SIGKILL');
});

export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.unref();
    server.on('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() => (typeof address === 'object' && address ? resolve(address.port) : reject(new Error('no port'))));
    });
  });
}

function ping(port: number): boolean {
  try {
    return execFileSync('redis-cli', ['-p', String(port), 'PING'], { encoding: 'utf8', timeout: 2_000 }).trim() === 'PONG';
  } catch {
    return false;
  }
}

async function waitFor(check: () => boolean, what: string, timeoutMs = 10_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!check()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

export async function startRedis(options: { port?: number; extraArgs?: string[]; dir?: string } = {}): Promise<RedisProcess> {
  assertRedisInstalled();
  const port = options.port ?? (await freePort());
  const dir = options.dir ?? mkdtempSync(join(tmpdir(), `sessionward-redis-${port}-`));
  let child: ChildProcess | undefined;
  const launch = async () => {
    child = spawn(
      'redis-server',
      ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no', '--dir', dir, '--daemonize', 'no', ...(options.extraArgs ?? [])],
      { stdio: 'ignore' },
    );
    const started = child;
    running.add(started);
    let exited = false;
    started.once('exit', () => {
      exited = true;
      running.delete(started);
    });
    await waitFor(() => exited || ping(port), `redis-server on port ${port}`);
    if (exited) throw new Error(`redis-server on port ${port} exited at startup`);
  };
  const kill = async () => {
    const running = child;
    if (!running || running.exitCode !== null || running.signalCode !== null) return;
    await new Promise<void>((resolve) => {
      running.once('exit', () => resolve());
      running.kill('SIGKILL');
    });
  };
  await launch();
  return {
    port,
    url: `redis://127.0.0.1:${port}`,
    kill,
    freeze: () => void child?.kill('SIGSTOP'),
    thaw: () => void child?.kill('SIGCONT'),
    stop: async () => {
      await kill();
      if (!options.dir) rmSync(dir, { recursive: true, force: true });
    },
    restart: async () => {
      await kill();
      await launch();
    },
  };
}

export interface RedisClusterProcess {
  nodes: { host: string; port: number }[];
  stop(): Promise<void>;
}

/** Three masters on loopback, no replicas, every slot assigned. */
export async function startCluster(): Promise<RedisClusterProcess> {
  const dir = mkdtempSync(join(tmpdir(), 'sessionward-cluster-'));
  const servers: RedisProcess[] = [];
  try {
    for (let i = 0; i < 3; i += 1) {
      const port = await freePort();
      servers.push(
        await startRedis({
          port,
          dir,
          extraArgs: ['--cluster-enabled', 'yes', '--cluster-config-file', `nodes-${port}.conf`, '--cluster-node-timeout', '5000'],
        }),
      );
    }
    execFileSync('redis-cli', ['--cluster', 'create', ...servers.map((s) => `127.0.0.1:${s.port}`), '--cluster-replicas', '0', '--cluster-yes'], {
      stdio: 'ignore',
      timeout: 30_000,
    });
    await waitFor(
      () => servers.every((s) => execFileSync('redis-cli', ['-p', String(s.port), 'CLUSTER', 'INFO'], { encoding: 'utf8' }).includes('cluster_state:ok')),
      'cluster_state:ok',
      30_000,
    );
  } catch (error) {
    await Promise.all(servers.map((s) => s.stop()));
    rmSync(dir, { recursive: true, force: true });
    throw error;
  }
  return {
    nodes: servers.map((s) => ({ host: '127.0.0.1', port: s.port })),
    stop: async () => {
      await Promise.all(servers.map((s) => s.stop()));
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

export interface SentinelTopology {
  /** The sentinel a client asks for the master (`new Redis({ sentinels, name })`). */
  sentinels: { host: string; port: number }[];
  name: string;
  /** Master and replica, in start order (their roles swap on failover). */
  servers: RedisProcess[];
  stop(): Promise<void>;
}

const SENTINEL_HINT =
  'redis-sentinel was not found. The Sentinel test starts its own; install it with\n' + '  sudo apt-get install -y redis-sentinel   (Debian/Ubuntu)';

/** A master, one replica and one sentinel watching them, on free loopback ports. */
export async function startSentinelTopology(): Promise<SentinelTopology> {
  try {
    execFileSync('redis-sentinel', ['--version'], { stdio: 'ignore' });
  } catch {
    throw new Error(SENTINEL_HINT);
  }
  const dir = mkdtempSync(join(tmpdir(), 'sessionward-sentinel-'));
  const name = 'sessionward';
  const master = await startRedis();
  const replica = await startRedis({ extraArgs: ['--replicaof', '127.0.0.1', String(master.port)] });
  await waitFor(
    () => execFileSync('redis-cli', ['-p', String(replica.port), 'INFO', 'replication'], { encoding: 'utf8' }).includes('master_link_status:up'),
    'the replica to sync',
  );
  const port = await freePort();
  const config = join(dir, 'sentinel.conf');
  writeFileSync(
    config,
    [
      `port ${port}`,
      'bind 127.0.0.1',
      `dir ${dir}`,
      `sentinel monitor ${name} 127.0.0.1 ${master.port} 1`,
      `sentinel down-after-milliseconds ${name} 1000`,
      `sentinel failover-timeout ${name} 5000`,
      `sentinel parallel-syncs ${name} 1`,
    ].join('\n'),
  );
  const sentinel = spawn('redis-sentinel', [config], { stdio: 'ignore' });
  running.add(sentinel);
  sentinel.once('exit', () => running.delete(sentinel));
  await waitFor(
    () => {
      try {
        return execFileSync('redis-cli', ['-p', String(port), 'SENTINEL', 'REPLICAS', name], { encoding: 'utf8' }).includes(String(replica.port));
      } catch {
        return false;
      }
    },
    'the sentinel to see the replica',
    20_000,
  );
  return {
    sentinels: [{ host: '127.0.0.1', port }],
    name,
    servers: [master, replica],
    stop: async () => {
      sentinel.kill('SIGKILL');
      await Promise.all([master.stop(), replica.stop()]);
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
