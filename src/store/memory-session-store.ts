import { invalidArgument } from '../errors.js';
import { toMilliseconds, type Duration } from '../internal/duration.js';
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
  UserTrail,
} from '../ports/session-store.js';
import type { EndReason } from '../types.js';
import { setOwn } from '../internal/own-property.js';
import { extendTrail } from './user-trail.js';
import { byCreation, byLastAccess, expiryReason, idleDeadline, isLive, markEnded, removalTime, summarize } from './lifecycle.js';

export interface MemorySessionStoreOptions {
  /** How long an ended session is kept so a late request learns why it was refused. @default '1h' */
  endedRetention?: Duration;
  /** How often expired entries are dropped; `false` to sweep only on access. @default '1m' */
  sweepInterval?: Duration | false;
  /** The store's clock: physical removal and, through `now()`, every decision of the managers using it. @default Date.now */
  clock?: () => number;
}

interface Entry {
  session: StoredSession;
  userKey: string;
  removeAt: number;
  /** The refresh secret hash spent last (token pairs), for the grace window. */
  spent?: { hash: string; at: number };
}

/**
 * Sessions in this process's memory: for development, tests, the demo and single-process apps.
 * Entries expire (lazily and by a periodic sweep) and `dispose()` releases the timer. Every method
 * runs without awaiting in between, so each is atomic within the process. Not shared between
 * processes: use `RedisSessionStore` for more than one.
 */
export class MemorySessionStore implements SessionStore {
  readonly #entries = new Map<string, Entry>();
  /** Per user: ids of sessions not yet ended (some may be past their deadline until pruned). */
  readonly #index = new Map<string, Set<string>>();
  /** Per user: the trail across sessions, and when it lapses. */
  readonly #trails = new Map<string, { trail: UserTrail; removeAt: number }>();
  readonly keepsTrails = true;
  readonly #retentionMs: number;
  readonly #clock: () => number;
  readonly #sweeper: NodeJS.Timeout | undefined;

  constructor(options: MemorySessionStoreOptions = {}) {
    this.#retentionMs = toMilliseconds(options.endedRetention ?? '1h', 'endedRetention');
    this.#clock = options.clock ?? Date.now;
    if (options.sweepInterval !== false) {
      const every = toMilliseconds(options.sweepInterval ?? '1m', 'sweepInterval');
      this.#sweeper = setInterval(() => this.prune(), every);
      this.#sweeper.unref();
    }
  }

  /** The time source of every manager on this store. */
  now(): number {
    return this.#clock();
  }

  /** Sessions held, tombstones included. */
  get size(): number {
    return this.#entries.size;
  }

  async create(session: StoredSession, options: { userKey: string; limit: ConcurrencyLimit | null; now: number; trail?: TrailUpdate }): Promise<CreateResult> {
    const { userKey, limit, now } = options;
    if (this.#entry(session.id)) throw invalidArgument('session.id', 'already exists');
    const expired: EndedSession[] = [];
    const live: StoredSession[] = [];
    for (const entry of this.#userEntries(userKey)) {
      if (isLive(entry.session, now)) live.push(entry.session);
      else expired.push(summarize(this.#end(entry, expiryReason(entry.session, now), 'system', now)));
    }
    const evicted: EndedSession[] = [];
    if (limit && live.length >= limit.max) {
      if (limit.policy === 'reject') return { created: false, sessions: live.sort(byCreation).map(copy), expired };
      const victims = live.sort(limit.policy === 'evict-idle' ? byLastAccess : byCreation).slice(0, live.length - limit.max + 1);
      for (const victim of victims) evicted.push(summarize(this.#end(this.#entry(victim.id)!, 'evicted', 'system', now)));
    }
    const stored = copy(session);
    this.#put({ session: stored, userKey, removeAt: removalTime(stored, now, this.#retentionMs) });
    const trail = options.trail ? this.#extendTrail(userKey, options.trail, now) : undefined;
    return { created: true, session: copy(stored), evicted, expired, ...(trail === undefined ? {} : { trail }) };
  }

  async get(ref: SessionRef): Promise<StoredSession | null> {
    const entry = this.#entry(ref.id);
    return entry ? copy(entry.session) : null;
  }

  async touch(ref: SessionRef, options: { now: number; touchIntervalMs: number; secretHash?: string }): Promise<TouchResult> {
    const { now } = options;
    const stored = this.#entry(ref.id);
    // The secret is checked before anything about the session's state is revealed or written.
    if (stored && options.secretHash !== undefined && stored.session.secretHash !== options.secretHash) return { status: 'mismatch' };
    const found = this.#liveEntry(ref, now);
    if (found.status !== 'live') return found;
    const { entry } = found;
    const { session } = entry;
    const previousLastAccess = session.lastAccess;
    const touched = now - session.lastAccess >= options.touchIntervalMs;
    if (touched) {
      session.lastAccess = now;
      session.expiresAt = idleDeadline(session, now);
      entry.removeAt = removalTime(session, now, this.#retentionMs);
    }
    return { status: 'active', session: copy(session), touched, previousLastAccess };
  }

  async update(ref: SessionRef, patch: SessionPatch, options: { now: number; expectedVersion?: number; trail?: TrailUpdate }): Promise<UpdateResult> {
    const found = this.#liveEntry(ref, options.now);
    if (found.status !== 'live') return found;
    const { session } = found.entry;
    if (options.expectedVersion !== undefined && session.version !== options.expectedVersion) {
      return { status: 'conflict', session: copy(session) };
    }
    for (const [key, value] of Object.entries(patch.data?.set ?? {})) setOwn(session.data, key, structuredClone(value));
    for (const key of patch.data?.unset ?? []) delete session.data[key];
    if (patch.stepUp !== undefined) session.stepUp = patch.stepUp;
    if (patch.authTime !== undefined) session.authTime = patch.authTime;
    if (patch.amr !== undefined) session.amr = [...patch.amr];
    if (patch.deviceInfo !== undefined) session.deviceInfo = patch.deviceInfo;
    if (patch.locationInfo !== undefined) session.locationInfo = patch.locationInfo;
    session.version += 1;
    if (options.trail) this.#extendTrail(found.entry.userKey, options.trail, options.now);
    return { status: 'updated', session: copy(session) };
  }

  async refresh(ref: SessionRef, options: { presentedHash: string; nextHash: string; graceMs: number; now: number }): Promise<RefreshResult> {
    const { now } = options;
    const found = this.#liveEntry(ref, now);
    if (found.status !== 'live') return found;
    const { entry } = found;
    const { session } = entry;
    if (session.secretHash === options.presentedHash) {
      entry.spent = { hash: options.presentedHash, at: now };
      session.secretHash = options.nextHash;
      session.lastAccess = now;
      session.expiresAt = idleDeadline(session, now);
      session.version += 1;
      entry.removeAt = removalTime(session, now, this.#retentionMs);
      return { status: 'refreshed', session: copy(session), replayed: false };
    }
    const { spent } = entry;
    if (spent?.hash === options.presentedHash && session.secretHash === options.nextHash && now - spent.at <= options.graceMs) {
      return { status: 'refreshed', session: copy(session), replayed: true };
    }
    return { status: 'reused', session: summarize(this.#end(entry, 'refresh-reused', 'system', now)) };
  }

  async rotate(ref: SessionRef, next: { id: string; secretHash: string; authTime?: number }, options: { now: number }): Promise<RotateResult> {
    const { now } = options;
    if (this.#entry(next.id)) throw invalidArgument('next.id', 'already exists');
    const found = this.#liveEntry(ref, now);
    if (found.status !== 'live') return found;
    const rotated: StoredSession = {
      ...copy(found.entry.session),
      id: next.id,
      secretHash: next.secretHash,
      authTime: next.authTime ?? found.entry.session.authTime,
      lastAccess: now,
      version: found.entry.session.version + 1,
    };
    rotated.expiresAt = idleDeadline(rotated, now);
    const previous = summarize(this.#end(found.entry, 'rotated', 'system', now));
    this.#put({ session: rotated, userKey: found.entry.userKey, removeAt: removalTime(rotated, now, this.#retentionMs) });
    return { status: 'rotated', session: copy(rotated), previous };
  }

  async revoke(ref: SessionRef, options: { reason: EndReason; actor: string | null; now: number }): Promise<StoredSession | null> {
    const entry = this.#entry(ref.id);
    if (!entry || !isLive(entry.session, options.now)) return null;
    return copy(this.#end(entry, options.reason, options.actor, options.now));
  }

  async revokeAll(userKey: string, options: { reason: EndReason; actor: string | null; now: number; except?: readonly string[] }): Promise<EndedSession[]> {
    const keep = new Set(options.except ?? []);
    const ended: StoredSession[] = [];
    for (const entry of this.#userEntries(userKey)) {
      if (keep.has(entry.session.id) || !isLive(entry.session, options.now)) continue;
      ended.push(this.#end(entry, options.reason, options.actor, options.now));
    }
    return ended.sort(byCreation).map(summarize);
  }

  async list(userKey: string, options: { now: number }): Promise<StoredSession[]> {
    return this.#userEntries(userKey)
      .filter((entry) => isLive(entry.session, options.now))
      .map((entry) => copy(entry.session))
      .sort(byCreation);
  }

  async *scan(options: { now: number; batchSize?: number }): AsyncIterable<StoredSession[]> {
    const size = options.batchSize ?? 500;
    let batch: StoredSession[] = [];
    for (const id of [...this.#entries.keys()]) {
      const entry = this.#entry(id);
      if (!entry || !isLive(entry.session, options.now)) continue;
      batch.push(copy(entry.session));
      if (batch.length >= size) {
        yield batch;
        batch = [];
      }
    }
    if (batch.length > 0) yield batch;
  }

  async sweep(options: { now: number; batchSize?: number }): Promise<{ expired: EndedSession[] }> {
    const expired: EndedSession[] = [];
    for (const id of [...this.#entries.keys()]) {
      if (expired.length >= (options.batchSize ?? Number.POSITIVE_INFINITY)) break;
      const entry = this.#entry(id);
      if (entry && entry.session.endReason === null && !isLive(entry.session, options.now)) {
        expired.push(summarize(this.#end(entry, expiryReason(entry.session, options.now), 'system', options.now)));
      }
    }
    return { expired };
  }

  async purgeUser(userKey: string, options: { now: number }): Promise<number> {
    this.#trails.delete(userKey);
    let live = 0;
    for (const [id, entry] of [...this.#entries]) {
      if (entry.userKey !== userKey) continue;
      if (isLive(entry.session, options.now)) live += 1;
      this.#remove(id, entry);
    }
    return live;
  }

  /** Drops entries (and trails) past their removal time. Runs on a timer; callable directly. */
  prune(): number {
    const now = this.#clock();
    let removed = 0;
    for (const [userKey, { removeAt }] of this.#trails) if (removeAt <= now) this.#trails.delete(userKey);
    for (const [id, entry] of this.#entries) {
      if (entry.removeAt <= now) {
        this.#remove(id, entry);
        removed += 1;
      }
    }
    return removed;
  }

  async dispose(): Promise<void> {
    clearInterval(this.#sweeper);
    this.#entries.clear();
    this.#index.clear();
    this.#trails.clear();
  }

  /** Returns the trail as it was (null for none, or lapsed) and stores it extended. */
  #extendTrail(userKey: string, update: TrailUpdate, now: number): UserTrail | null {
    const kept = this.#trails.get(userKey);
    const previous = kept && kept.removeAt > this.#clock() ? kept.trail : null;
    this.#trails.set(userKey, { trail: extendTrail(previous, update, now), removeAt: this.#clock() + update.retentionMs });
    return previous && structuredClone(previous);
  }

  #entry(id: string): Entry | undefined {
    const entry = this.#entries.get(id);
    if (entry && entry.removeAt <= this.#clock()) {
      this.#remove(id, entry);
      return undefined;
    }
    return entry;
  }

  /** The entry when live; otherwise what callers report (recording an expiry it finds). */
  #liveEntry(
    ref: SessionRef,
    now: number,
  ): { status: 'live'; entry: Entry } | { status: 'ended'; session: EndedSession; justEnded: boolean } | { status: 'missing' } {
    const entry = this.#entry(ref.id);
    if (!entry) return { status: 'missing' };
    if (entry.session.endReason !== null) return { status: 'ended', session: summarize(entry.session), justEnded: false };
    if (!isLive(entry.session, now)) {
      return { status: 'ended', session: summarize(this.#end(entry, expiryReason(entry.session, now), 'system', now)), justEnded: true };
    }
    return { status: 'live', entry };
  }

  #userEntries(userKey: string): Entry[] {
    const entries: Entry[] = [];
    for (const id of this.#index.get(userKey) ?? []) {
      const entry = this.#entry(id);
      if (entry) entries.push(entry);
    }
    return entries;
  }

  #end(entry: Entry, reason: EndReason, actor: string | null, now: number): StoredSession {
    markEnded(entry.session, reason, actor, now);
    entry.removeAt = removalTime(entry.session, now, this.#retentionMs);
    this.#index.get(entry.userKey)?.delete(entry.session.id);
    return entry.session;
  }

  #put(entry: Entry): void {
    this.#entries.set(entry.session.id, entry);
    const ids = this.#index.get(entry.userKey) ?? new Set<string>();
    this.#index.set(entry.userKey, ids);
    ids.add(entry.session.id);
  }

  #remove(id: string, entry: Entry): void {
    this.#entries.delete(id);
    const ids = this.#index.get(entry.userKey);
    ids?.delete(id);
    if (ids?.size === 0) this.#index.delete(entry.userKey);
  }
}

/** Callers get copies: nothing outside the store can change what it holds (as with a real database). */
function copy(session: StoredSession): StoredSession {
  return structuredClone(session);
}
