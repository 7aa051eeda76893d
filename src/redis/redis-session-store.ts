import { toMilliseconds, type Duration } from '../internal/duration.js';
import { invalidOption } from '../errors.js';
import type {
  ConcurrencyLimit,
  CreateResult,
  EndedSession,
  RefreshResult,
  RotateResult,
  SessionPatch,
  SessionRef,
  SessionStore,
  StoredSession,
  TouchResult,
  TrailUpdate,
  UpdateResult,
} from '../ports/session-store.js';
import type { EndReason } from '../types.js';
import { CircuitBreaker } from './circuit-breaker.js';
import { checkServer, type ServerReport } from './server-check.js';
import { IndexSweeper, type SweepResult } from './sweeper.js';
import { PRUNE } from './scripts/prune.js';
import { PURGE } from './scripts/purge.js';
import { assertNoKeyPrefix, isCluster } from './redis-client.js';
import { KeySpace, randOf } from './key-space.js';
import type { RedisCommander } from './redis-client.js';
import { ServerClock } from './server-clock.js';
import { ScriptRunner, script } from './script-runner.js';
import { CREATE } from './scripts/create.js';
import { END_ALL } from './scripts/end-all.js';
import { END } from './scripts/end.js';
import { READ } from './scripts/read.js';
import { REFRESH } from './scripts/refresh.js';
import { ROTATE } from './scripts/rotate.js';
import { TOUCH } from './scripts/touch.js';
import { UPDATE } from './scripts/update.js';
import { decodeMeta, decodeSession, decodeTombstone, decodeTrail, encodeMeta, encodePatch, encodeRecord, encodeTrail, endedSession } from './session-codec.js';
import { BoundedCache } from '../internal/bounded-cache.js';

export interface RedisSessionStoreOptions {
  /** Your ioredis client: `new Redis(...)`, a Sentinel client or `new Cluster(...)`. The store never closes it. */
  client: RedisCommander;
  /** Prefix of every key. @default 'sw:' */
  prefix?: string;
  /** How long an ended session's tombstone is kept so a late request learns why it was refused. @default '1h' */
  endedRetention?: Duration;
  /** Deadline of each store operation; past it the call fails with ERR_SESSION_STORE_UNAVAILABLE. @default '1s' */
  commandTimeout?: Duration;
  /** Consecutive failures that open the circuit, and how long it stays open; `false` to disable. @default { threshold: 5, cooldown: '2s' } */
  circuitBreaker?: { threshold?: number; cooldown?: Duration } | false;
  /** Hears configuration problems found at startup (e.g. an `allkeys-*` eviction policy). @default process.emitWarning */
  onWarning?: (message: string) => void;
  /**
   * What to do when `checkServer()` finds a setting that can lose sessions (an evicting
   * `maxmemory-policy`, Redis < 7): `'warn'` through `onWarning`, or `'refuse'`: `checkServer()`
   * rejects with `ERR_SESSION_INVALID_OPTIONS` and no login is stored. @default 'warn'
   */
  unsafeServer?: 'warn' | 'refuse';
  /** For tests only: the clock every decision uses. By default the store follows Redis' own clock (`TIME`). */
  clock?: () => number;
}

const scripts = {
  create: script(CREATE),
  touch: script(TOUCH),
  update: script(UPDATE),
  rotate: script(ROTATE),
  refresh: script(REFRESH),
  end: script(END),
  revokeAll: script(END_ALL),
  read: script(READ),
  prune: script(PRUNE),
  purge: script(PURGE),
};

type Reply = [string, ...unknown[]];
/** A "now" before every deadline: `get` reads a session as stored and leaves judging its expiry to the caller. */
const BEFORE_ANY_DEADLINE = Number.MIN_SAFE_INTEGER;
type Ended = ['ended', number, string, string, string, string];

/**
 * Sessions in Redis (standalone, Sentinel or Cluster), shared by every app server. Each change is
 * one Lua script over keys that share the user's hash tag, so limits, rotation and revocation are
 * atomic across processes. Validation is one round trip: a plain HMGET when the touch cannot be
 * due, the touch script otherwise, which writes at most once per touch interval.
 */
export class RedisSessionStore implements SessionStore {
  readonly #keys: KeySpace;
  readonly #runner: ScriptRunner;
  readonly #retentionMs: number;
  readonly #sweeper: IndexSweeper;
  readonly #onWarning: (message: string) => void;
  #checked: Promise<ServerReport> | undefined;
  readonly #serverClock: ServerClock;
  readonly #testClock: (() => number) | null;
  readonly #refuseUnsafe: boolean;
  readonly client: RedisCommander;
  /**
   * The lastAccess this process last saw per session. It only ever moves later, so a request
   * within the touch interval of it cannot be due for a touch and needs only the plain read; a
   * session not in here (new to this process, or pushed out) takes the touch script.
   */
  readonly #lastSeen = new BoundedCache<string, number>(50_000);

  constructor(options: RedisSessionStoreOptions) {
    if (typeof options?.client?.call !== 'function') throw invalidOption('client', 'must be an ioredis client (Redis or Cluster)');
    assertNoKeyPrefix(options.client);
    const prefix = options.prefix ?? 'sw:';
    if (typeof prefix !== 'string' || /[{}]/.test(prefix)) throw invalidOption('prefix', 'must be a string without { or }');
    this.client = options.client;
    this.#keys = new KeySpace(prefix);
    this.#retentionMs = toMilliseconds(options.endedRetention ?? '1h', 'endedRetention');
    const timeout = toMilliseconds(options.commandTimeout ?? '1s', 'commandTimeout');
    const breaker = options.circuitBreaker === false ? null : breakerFrom(options.circuitBreaker ?? {});
    this.#runner = new ScriptRunner(options.client, timeout, breaker);
    this.#sweeper = new IndexSweeper(options.client, this.#keys, this.#runner, scripts.prune);
    this.#onWarning = options.onWarning ?? ((message) => process.emitWarning(message, { code: 'SESSIONWARD_REDIS' }));
    if (options.clock !== undefined && typeof options.clock !== 'function') throw invalidOption('clock', 'must be a function');
    this.#serverClock = new ServerClock(() => this.#runner.command(() => options.client.call('TIME')) as Promise<[string, string]>, this.#onWarning);
    this.#testClock = options.clock ?? null;
    if (options.unsafeServer !== undefined && options.unsafeServer !== 'warn' && options.unsafeServer !== 'refuse') {
      throw invalidOption('unsafeServer', "must be 'warn' or 'refuse'");
    }
    this.#refuseUnsafe = options.unsafeServer === 'refuse';
  }

  /**
   * Redis' clock as this process sees it (measured with TIME, refreshed every minute): the time
   * source of every manager on this store, so app servers with skewed clocks agree.
   */
  now(): number {
    return this.#testClock ? this.#testClock() : this.#serverClock.now();
  }

  /** A readiness probe: PING within the command deadline (fails fast while disconnected). */
  async ping(): Promise<void> {
    await this.#runner.command(() => this.client.call('PING'));
  }

  /** Measures the offset to Redis' clock now; await it at startup to have it before the first request. */
  syncClock(): Promise<number> {
    return this.#serverClock.sync();
  }

  /**
   * Reads the server's configuration and reports what can break sessions. Runs once by itself on
   * the first login (off the request's path); call it at startup to fail or log early.
   */
  checkServer(): Promise<ServerReport> {
    this.#checked ??= Promise.all([checkServer(this.client), this.syncClock().catch(() => 0)]).then(([report]) => {
      if (this.#refuseUnsafe && report.warnings.length > 0) throw invalidOption('unsafeServer', `Redis is unsafe for sessions: ${report.warnings.join(' ')}`);
      for (const warning of report.warnings) this.#onWarning(warning);
      return report;
    });
    return this.#checked;
  }

  /**
   * Records expiries nobody observed and drops old tombstones, walking the index keys with SCAN
   * (per master on a cluster). Bounded by `batchSize` user indexes per run; later runs continue
   * where it stopped.
   */
  sweep(options: { now?: number; batchSize?: number; scanCount?: number } = {}): Promise<SweepResult> {
    return this.#sweeper.sweep({
      now: options.now ?? this.now(),
      retentionMs: this.#retentionMs,
      maxIndexes: options.batchSize ?? 1_000,
      scanCount: options.scanCount ?? 100,
    });
  }

  async *scan(options: { now: number; batchSize?: number }): AsyncIterable<StoredSession[]> {
    const masters = isCluster(this.client) ? this.client.nodes('master') : [this.client];
    const count = options.batchSize ?? 200;
    for (const node of masters) {
      let cursor = '0';
      do {
        const [next, keys] = (await this.#runner.command(() => node.call('SCAN', cursor, 'MATCH', this.#keys.indexPattern(), 'COUNT', count))) as [
          string,
          string[],
        ];
        cursor = next;
        // One user at a time per key, all users of this batch at once: small scripts, never a long block.
        const sessions = await Promise.all(keys.map((key) => this.list(this.#keys.userKeyOfIndex(key), { now: options.now })));
        const batch = sessions.flat();
        if (batch.length > 0) yield batch;
      } while (cursor !== '0');
    }
  }

  async purgeUser(userKey: string, options: { now: number }): Promise<number> {
    return (await this.#runner.run(scripts.purge, [this.#keys.index(userKey), this.#keys.trail(userKey)], [options.now])) as number;
  }

  get keys(): KeySpace {
    return this.#keys;
  }

  readonly keepsTrails = true;

  async create(session: StoredSession, options: { userKey: string; limit: ConcurrencyLimit | null; now: number; trail?: TrailUpdate }): Promise<CreateResult> {
    const { userKey, limit, now } = options;
    // Refusing: no login is stored until the server passed. Warning: the check runs off the path.
    if (this.#refuseUnsafe) await this.checkServer();
    else if (!this.#checked) void this.checkServer().catch(() => undefined);
    const rand = randOf({ id: session.id, userKey });
    const args = [
      rand,
      now,
      limit?.max ?? 0,
      limit?.policy ?? 'reject',
      this.#retentionMs,
      session.userId,
      encodeMeta(session),
      ...encodeTrail(options.trail),
      encodeRecord(session),
    ];
    const keys = [this.#keys.index(userKey), this.#keys.trail(userKey)];
    const reply = (await this.#runner.run(scripts.create, keys, args)) as Reply;
    const expired = (reply[2] as string[][]).map(([r, reason, at]) => endedSession(`${userKey}.${r}`, session.userId, reason!, at!, 'system'));
    if (reply[0] === 'refused') return { created: false, sessions: this.#decodeLive(userKey, session.userId, reply[1] as string[][]), expired };
    const evicted = (reply[1] as string[]).map((r) => endedSession(`${userKey}.${r}`, session.userId, 'evicted', now, 'system'));
    this.#lastSeen.set(session.id, session.lastAccess);
    const trail = decodeTrail(reply[3]);
    return { created: true, session: structuredClone(session), evicted, expired, ...(trail === undefined ? {} : { trail }) };
  }

  async get(ref: SessionRef): Promise<StoredSession | null> {
    const rand = randOf(ref);
    const reply = (await this.#runner.run(scripts.read, [this.#keys.index(ref.userKey)], [BEFORE_ANY_DEADLINE, rand])) as [string, [string, string, string][]];
    const [userId, entries] = reply;
    const entry = entries[0];
    return entry ? decodeSession(ref.id, userId, entry[1], entry[2]) : null;
  }

  async touch(ref: SessionRef, options: { now: number; touchIntervalMs: number; secretHash?: string }): Promise<TouchResult> {
    const rand = randOf(ref);
    const interval = Number.isFinite(options.touchIntervalMs) ? options.touchIntervalMs : -1;
    const seen = this.#lastSeen.get(ref.id);
    if (interval < 0 || (seen !== undefined && options.now - seen < interval)) {
      const answer = await this.#plainRead(ref, rand, options.now, options.secretHash ?? '');
      if (answer) return answer;
    }
    const reply = (await this.#runner.run(
      scripts.touch,
      [this.#keys.index(ref.userKey)],
      [rand, options.now, interval, options.secretHash ?? '', this.#retentionMs],
    )) as Reply;
    if (reply[0] === 'active') {
      const [, touched, meta, record, userId, previous] = reply as [string, number, string, string, string, string];
      const session = decodeSession(ref.id, userId, meta, record);
      this.#lastSeen.set(ref.id, session.lastAccess);
      return { status: 'active', session, touched: touched === 1, previousLastAccess: Number(previous) };
    }
    return this.#notLive(ref, reply) as TouchResult;
  }

  /**
   * The hot path when no touch can be due: entry, record and user id in one HMGET, which is atomic
   * and authoritative (an end removes the record in the same step as it writes the tombstone).
   * Answers null when the script must decide: a deadline passed (the expiry is recorded there) or
   * the record is gone.
   */
  async #plainRead(ref: SessionRef, rand: string, now: number, secretHash: string): Promise<TouchResult | null> {
    const [meta, record, userId] = (await this.#runner.command(() => this.client.call('HMGET', this.#keys.index(ref.userKey), rand, `${rand}/`, 'u'))) as [
      string | null,
      string | null,
      string | null,
    ];
    if (meta === null) return { status: 'missing' };
    if (meta.charCodeAt(0) === 88 /* X */) {
      const ended = decodeTombstone(meta);
      if (secretHash !== '' && secretHash !== ended.secretHash) return { status: 'mismatch' };
      return { status: 'ended', session: endedSession(ref.id, userId ?? '', ended.reason, ended.endedAt, ended.endedBy), justEnded: false };
    }
    const entry = decodeMeta(meta);
    if (secretHash !== '' && secretHash !== entry.secretHash) return { status: 'mismatch' };
    if (record === null || now >= entry.expiresAt || now >= entry.absoluteExpiresAt) return null;
    return { status: 'active', session: decodeSession(ref.id, userId ?? '', entry, record), touched: false, previousLastAccess: entry.lastAccess };
  }

  async update(ref: SessionRef, patch: SessionPatch, options: { now: number; expectedVersion?: number; trail?: TrailUpdate }): Promise<UpdateResult> {
    const rand = randOf(ref);
    const { set, remove } = encodePatch(patch);
    const keys = [this.#keys.index(ref.userKey), this.#keys.trail(ref.userKey)];
    const reply = (await this.#runner.run(scripts.update, keys, [
      rand,
      options.now,
      options.expectedVersion ?? '',
      this.#retentionMs,
      ...encodeTrail(options.trail),
      set.length / 2,
      ...set,
      ...remove,
    ])) as Reply;
    if (reply[0] === 'updated' || reply[0] === 'conflict') {
      const [status, meta, record, userId] = reply as ['updated' | 'conflict', string, string, string];
      return { status, session: decodeSession(ref.id, userId, meta, record) };
    }
    return this.#notLive(ref, reply) as UpdateResult;
  }

  async refresh(ref: SessionRef, options: { presentedHash: string; nextHash: string; graceMs: number; now: number }): Promise<RefreshResult> {
    const rand = randOf(ref);
    const reply = (await this.#runner.run(
      scripts.refresh,
      [this.#keys.index(ref.userKey)],
      [rand, options.now, options.presentedHash, options.nextHash, options.graceMs, this.#retentionMs],
    )) as Reply;
    if (reply[0] === 'refreshed') {
      const [, replayed, meta, record, userId] = reply as [string, number, string, string, string];
      return { status: 'refreshed', session: decodeSession(ref.id, userId, meta, record), replayed: replayed === 1 };
    }
    if (reply[0] === 'reused') {
      const [, userId, endedAt] = reply as [string, string, string];
      return { status: 'reused', session: endedSession(ref.id, userId, 'refresh-reused', endedAt, 'system') };
    }
    return this.#notLive(ref, reply) as RefreshResult;
  }

  async rotate(ref: SessionRef, next: { id: string; secretHash: string; authTime?: number }, options: { now: number }): Promise<RotateResult> {
    const rand = randOf(ref);
    const nextRand = randOf({ id: next.id, userKey: ref.userKey });
    const reply = (await this.#runner.run(
      scripts.rotate,
      [this.#keys.index(ref.userKey)],
      [rand, nextRand, options.now, next.secretHash, next.authTime ?? '', this.#retentionMs],
    )) as Reply;
    if (reply[0] === 'rotated') {
      const [, meta, record, userId, endedAt] = reply as [string, string, string, string, string];
      return {
        status: 'rotated',
        session: decodeSession(next.id, userId, meta, record),
        previous: endedSession(ref.id, userId, 'rotated', endedAt, 'system'),
      };
    }
    return this.#notLive(ref, reply) as RotateResult;
  }

  async revoke(ref: SessionRef, options: { reason: EndReason; actor: string | null; now: number }): Promise<StoredSession | null> {
    const rand = randOf(ref);
    const reply = (await this.#runner.run(
      scripts.end,
      [this.#keys.index(ref.userKey)],
      [rand, options.now, options.reason, options.actor ?? '', this.#retentionMs],
    )) as Reply;
    if (reply[0] !== 'ended') return null;
    const [, meta, record, userId] = reply as [string, string, string, string];
    return {
      ...decodeSession(ref.id, userId, meta, record),
      isActive: false,
      endReason: options.reason,
      endedAt: options.now,
      endedBy: options.actor,
    };
  }

  async revokeAll(userKey: string, options: { reason: EndReason; actor: string | null; now: number; except?: readonly string[] }): Promise<EndedSession[]> {
    const keep = (options.except ?? []).filter((id) => id.startsWith(`${userKey}.`)).map((id) => randOf({ id, userKey }));
    const [userId, rands] = (await this.#runner.run(
      scripts.revokeAll,
      [this.#keys.index(userKey)],
      [options.now, options.reason, options.actor ?? '', this.#retentionMs, ...keep],
    )) as [string, string[]];
    return rands.map((r) => endedSession(`${userKey}.${r}`, userId, options.reason, options.now, options.actor ?? ''));
  }

  async list(userKey: string, options: { now: number }): Promise<StoredSession[]> {
    const [userId, entries] = (await this.#runner.run(scripts.read, [this.#keys.index(userKey)], [options.now])) as [string, string[][]];
    return this.#decodeLive(userKey, userId, entries);
  }

  /** Live sessions from {rand, entry, record} triples, oldest first. */
  #decodeLive(userKey: string, userId: string, entries: string[][]): StoredSession[] {
    return entries
      .map(([r, meta, record]) => decodeSession(`${userKey}.${r}`, userId, meta!, record!))
      .sort((a, b) => a.createdAt - b.createdAt || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
  }

  #notLive(ref: SessionRef, reply: Reply): Exclude<TouchResult, { status: 'active' }> {
    if (reply[0] === 'ended') {
      const [, justEnded, reason, endedAt, endedBy, userId] = reply as Ended;
      return { status: 'ended', session: endedSession(ref.id, userId, reason, endedAt, endedBy), justEnded: justEnded === 1 };
    }
    return { status: reply[0] === 'mismatch' ? 'mismatch' : 'missing' };
  }
}

function breakerFrom(options: { threshold?: number; cooldown?: Duration }): CircuitBreaker {
  const threshold = options.threshold ?? 5;
  if (!Number.isInteger(threshold) || threshold < 1) throw invalidOption('circuitBreaker.threshold', 'must be a positive integer');
  return new CircuitBreaker(threshold, toMilliseconds(options.cooldown ?? '2s', 'circuitBreaker.cooldown'));
}
