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
import { PURGE } from './scripts/purge.js';
import { assertNoKeyPrefix, isCluster } from './redis-client.js';
import { KeySpace, randOf } from './key-space.js';
import type { RedisCommander } from './redis-client.js';
import { ServerClock } from './server-clock.js';
import { BoundedCache } from '../internal/bounded-cache.js';
import { ScriptRunner } from './script-runner.js';
import { list, text, textOrNull, texts, type Gone, type LiveReply, type NotLive } from './scripts/reply.js';
import { CREATE } from './scripts/create.js';
import { END_ALL } from './scripts/end-all.js';
import { END } from './scripts/end.js';
import { READ } from './scripts/read.js';
import { REFRESH } from './scripts/refresh.js';
import { ROTATE } from './scripts/rotate.js';
import { TOUCH } from './scripts/touch.js';
import { UPDATE } from './scripts/update.js';
import { DecodedRecords } from './decoded-records.js';
import {
  decodeSession,
  decodeTombstone,
  decodeTrail,
  encodeMeta,
  encodePatch,
  encodeRecord,
  encodeTrail,
  endedSession,
  sessionOf,
  splitLiveField,
} from './session-codec.js';

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

/** A "now" before every deadline: `get` reads a session as stored and leaves judging its expiry to the caller. */
const BEFORE_ANY_DEADLINE = Number.MIN_SAFE_INTEGER;

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
   * session not in here (new to this process, or pushed out) takes the touch script. Set again at
   * every touch, so the oldest-set entry goes first (a read does not reorder it: that costs more
   * than it saves).
   */
  readonly #lastSeen = new BoundedCache<string, number>(50_000);
  /** The sessions validations read, decoded once per write (bounded: about 1 KB each). */
  readonly #decoded = new DecodedRecords(10_000);

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
    this.#sweeper = new IndexSweeper(options.client, this.#keys, this.#runner);
    this.#onWarning = options.onWarning ?? ((message) => process.emitWarning(message, { code: 'SESSIONWARD_REDIS' }));
    if (options.clock !== undefined && typeof options.clock !== 'function') throw invalidOption('clock', 'must be a function');
    this.#serverClock = new ServerClock(async () => {
      const [seconds = '', micros = ''] = texts(await this.#runner.command(() => options.client.call('TIME')));
      return [seconds, micros];
    }, this.#onWarning);
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
        const reply = list(await this.#runner.command(() => node.call('SCAN', cursor, 'MATCH', this.#keys.indexPattern(), 'COUNT', count)));
        cursor = text(reply[0]);
        // One user at a time per key, all users of this batch at once: small scripts, never a long block.
        const sessions = await Promise.all(texts(reply[1]).map((key) => this.list(this.#keys.userKeyOfIndex(key), { now: options.now })));
        const batch = sessions.flat();
        if (batch.length > 0) yield batch;
      } while (cursor !== '0');
    }
  }

  purgeUser(userKey: string, options: { now: number }): Promise<number> {
    return this.#runner.call(PURGE, [this.#keys.index(userKey), this.#keys.trail(userKey)], options.now);
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
    const reply = await this.#runner.call(CREATE, [this.#keys.index(userKey), this.#keys.trail(userKey)], {
      rand: randOf({ id: session.id, userKey }),
      now,
      max: limit?.max ?? 0,
      policy: limit?.policy ?? 'reject',
      retention: this.#retentionMs,
      userId: session.userId,
      entry: encodeMeta(session),
      trail: encodeTrail(options.trail),
      record: encodeRecord(session),
    });
    const expired = reply.expired.map(({ rand, reason, endedAt }) => endedSession(`${userKey}.${rand}`, session.userId, reason, endedAt, 'system'));
    if (reply.kind === 'refused') return { created: false, sessions: this.#decodeLive(userKey, session.userId, reply.sessions), expired };
    const evicted = reply.evicted.map((rand) => endedSession(`${userKey}.${rand}`, session.userId, 'evicted', now, 'system'));
    this.#lastSeen.set(session.id, session.lastAccess);
    const trail = decodeTrail(reply.trail);
    // Redis holds its own copy, so the session given is the one stored (no clone: 4 µs a login).
    return { created: true, session, evicted, expired, ...(trail === undefined ? {} : { trail }) };
  }

  async get(ref: SessionRef): Promise<StoredSession | null> {
    const { userId, sessions } = await this.#runner.call(READ, [this.#keys.index(ref.userKey)], BEFORE_ANY_DEADLINE, [randOf(ref)]);
    const found = sessions[0];
    return found ? decodeSession(ref.id, userId, found.entry, found.record) : null;
  }

  touch(ref: SessionRef, options: { now: number; touchIntervalMs: number; secretHash?: string }): Promise<TouchResult> {
    const rand = randOf(ref);
    const interval = Number.isFinite(options.touchIntervalMs) ? options.touchIntervalMs : -1;
    const secretHash = options.secretHash ?? '';
    const seen = this.#lastSeen.peek(ref.id);
    if (interval < 0 || (seen !== undefined && options.now - seen < interval)) {
      // One promise on the hot path (no async frame per step): the script only when the read cannot decide.
      return this.#runner
        .command(() => this.client.call('HMGET', this.#keys.index(ref.userKey), rand, 'u'))
        .then((found) => this.#plainAnswer(ref, list(found), options.now, secretHash) ?? this.#touchScript(ref, rand, options.now, interval, secretHash));
    }
    return this.#touchScript(ref, rand, options.now, interval, secretHash);
  }

  async #touchScript(ref: SessionRef, rand: string, now: number, interval: number, secretHash: string): Promise<TouchResult> {
    const reply = await this.#runner.call(TOUCH, [this.#keys.index(ref.userKey)], rand, now, interval, secretHash, this.#retentionMs);
    if (reply.kind !== 'active') return notLiveResult(ref, reply);
    const entry = this.#decoded.entry(ref.id, reply.entry);
    const session = sessionOf(ref.id, reply.userId, entry, this.#decoded.record(ref.id, reply.entry, entry, reply.record));
    this.#lastSeen.set(ref.id, session.lastAccess);
    return { status: 'active', session, touched: reply.touched, previousLastAccess: reply.previousLastAccess };
  }

  /**
   * The hot path when no touch can be due: the session's field (entry and record) and the user id,
   * as one HMGET answers them, which is atomic and authoritative (an end writes its tombstone over
   * the record). Null when the script must decide: a deadline passed (the expiry is recorded
   * there) or the record is gone.
   */
  #plainAnswer(ref: SessionRef, found: unknown[], now: number, secretHash: string): TouchResult | null {
    const field = textOrNull(found[0]);
    const userId = textOrNull(found[1]) ?? '';
    if (field === null) return { status: 'missing' };
    if (field.charCodeAt(0) === 88 /* X */) {
      const ended = decodeTombstone(field);
      if (secretHash !== '' && secretHash !== ended.secretHash) return { status: 'mismatch' };
      return { status: 'ended', session: endedSession(ref.id, userId, ended.reason, ended.endedAt, ended.endedBy), justEnded: false };
    }
    const [meta, record] = splitLiveField(field);
    const entry = this.#decoded.entry(ref.id, meta);
    if (secretHash !== '' && secretHash !== entry.secretHash) return { status: 'mismatch' };
    if (record === null || now >= entry.expiresAt || now >= entry.absoluteExpiresAt) return null;
    const session = sessionOf(ref.id, userId, entry, this.#decoded.record(ref.id, meta, entry, record));
    return { status: 'active', session, touched: false, previousLastAccess: entry.lastAccess };
  }

  async update(ref: SessionRef, patch: SessionPatch, options: { now: number; expectedVersion?: number; trail?: TrailUpdate }): Promise<UpdateResult> {
    const { set, remove } = encodePatch(patch);
    const reply = await this.#runner.call(UPDATE, [this.#keys.index(ref.userKey), this.#keys.trail(ref.userKey)], {
      rand: randOf(ref),
      now: options.now,
      expectedVersion: options.expectedVersion,
      retention: this.#retentionMs,
      trail: encodeTrail(options.trail),
      set,
      remove,
    });
    if (reply.kind === 'updated' || reply.kind === 'conflict')
      return { status: reply.kind, session: decodeSession(ref.id, reply.userId, reply.entry, reply.record) };
    return notLiveResult(ref, reply);
  }

  async refresh(ref: SessionRef, options: { presentedHash: string; nextHash: string; graceMs: number; now: number }): Promise<RefreshResult> {
    const { presentedHash, nextHash, graceMs, now } = options;
    const reply = await this.#runner.call(REFRESH, [this.#keys.index(ref.userKey)], randOf(ref), now, presentedHash, nextHash, graceMs, this.#retentionMs);
    if (reply.kind === 'refreshed')
      return { status: 'refreshed', session: decodeSession(ref.id, reply.userId, reply.entry, reply.record), replayed: reply.replayed };
    if (reply.kind === 'reused') return { status: 'reused', session: endedSession(ref.id, reply.userId, 'refresh-reused', reply.endedAt, 'system') };
    return notLiveResult(ref, reply);
  }

  async rotate(ref: SessionRef, next: { id: string; secretHash: string; authTime?: number }, options: { now: number }): Promise<RotateResult> {
    const nextRand = randOf({ id: next.id, userKey: ref.userKey });
    const reply = await this.#runner.call(
      ROTATE,
      [this.#keys.index(ref.userKey)],
      randOf(ref),
      nextRand,
      options.now,
      next.secretHash,
      next.authTime,
      this.#retentionMs,
    );
    if (reply.kind !== 'rotated') return notLiveResult(ref, reply);
    return {
      status: 'rotated',
      session: decodeSession(next.id, reply.userId, reply.entry, reply.record),
      previous: endedSession(ref.id, reply.userId, 'rotated', reply.endedAt, 'system'),
    };
  }

  async revoke(ref: SessionRef, options: { reason: EndReason; actor: string | null; now: number }): Promise<StoredSession | null> {
    const reply = await this.#runner.call(
      END,
      [this.#keys.index(ref.userKey)],
      randOf(ref),
      options.now,
      options.reason,
      options.actor ?? '',
      this.#retentionMs,
    );
    if (reply.kind !== 'ended') return null;
    return {
      ...decodeSession(ref.id, reply.userId, reply.entry, reply.record),
      isActive: false,
      endReason: options.reason,
      endedAt: options.now,
      endedBy: options.actor,
    };
  }

  async revokeAll(userKey: string, options: { reason: EndReason; actor: string | null; now: number; except?: readonly string[] }): Promise<EndedSession[]> {
    const keep = (options.except ?? []).filter((id) => id.startsWith(`${userKey}.`)).map((id) => randOf({ id, userKey }));
    const actor = options.actor ?? '';
    const { userId, ended } = await this.#runner.call(END_ALL, [this.#keys.index(userKey)], options.now, options.reason, actor, this.#retentionMs, keep);
    return ended.map((rand) => endedSession(`${userKey}.${rand}`, userId, options.reason, options.now, actor));
  }

  async list(userKey: string, options: { now: number }): Promise<StoredSession[]> {
    const { userId, sessions } = await this.#runner.call(READ, [this.#keys.index(userKey)], options.now);
    return this.#decodeLive(userKey, userId, sessions);
  }

  /** Live sessions from the scripts' {rand, entry, record}, oldest first. */
  #decodeLive(userKey: string, userId: string, sessions: readonly LiveReply[]): StoredSession[] {
    return sessions
      .map(({ rand, entry, record }) => decodeSession(`${userKey}.${rand}`, userId, entry, record))
      .sort((a, b) => a.createdAt - b.createdAt || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
  }
}

type Ended = { status: 'ended'; session: EndedSession; justEnded: boolean };

/** The store's answer for a session a script found not live. */
function notLiveResult(ref: SessionRef, reply: Gone): Ended | { status: 'missing' };
function notLiveResult(ref: SessionRef, reply: NotLive): Ended | { status: 'missing' | 'mismatch' };
function notLiveResult(ref: SessionRef, reply: NotLive): Ended | { status: 'missing' | 'mismatch' } {
  if (reply.kind === 'ended') {
    return { status: 'ended', session: endedSession(ref.id, reply.userId, reply.reason, reply.endedAt, reply.endedBy), justEnded: reply.justEnded };
  }
  return { status: reply.kind };
}

function breakerFrom(options: { threshold?: number; cooldown?: Duration }): CircuitBreaker {
  const threshold = options.threshold ?? 5;
  if (!Number.isInteger(threshold) || threshold < 1) throw invalidOption('circuitBreaker.threshold', 'must be a positive integer');
  return new CircuitBreaker(threshold, toMilliseconds(options.cooldown ?? '2s', 'circuitBreaker.cooldown'));
}
