import type { DeviceFingerprint, EndReason, LocationInfo, Session, SessionData, StepUpState } from '../types.js';

/**
 * A session as stores keep it. Adds what the manager needs and the application never sees.
 * `secretHash` is a keyed hash of the credential's secret; the raw secret is never stored.
 */
export interface StoredSession extends Session {
  secretHash: string;
  /** The idle timeout this session was created with (policies may differ per user). */
  idleTimeoutMs: number;
  endedAt: number | null;
  endReason: EndReason | null;
  /** Who ended it: `user`, `system`, or an admin's id. */
  endedBy: string | null;
  /**
   * A session of an API token pair: `secretHash` is its current refresh token's, and access tokens
   * (which carry no secret) name it. Absent for a session credential's session.
   */
  tokenPair?: true;
}

/**
 * What a store reports about a session that ended: a tombstone, not the session's data (a store may
 * delete the data the moment a session ends and keep only this).
 */
export type EndedSession = Pick<StoredSession, 'id' | 'userId' | 'endedAt' | 'endedBy'> & { endReason: EndReason };

/**
 * Addresses one session. `userKey` is an opaque per-user partition key that the manager derives
 * (a keyed hash of the user id, also embedded in the session id). Stores may ignore it; the Redis
 * store uses it as the hash tag so a user's sessions and index share one cluster slot.
 */
export interface SessionRef {
  id: string;
  userKey: string;
}

export type LimitPolicy = 'reject' | 'evict-oldest' | 'evict-idle';

export interface ConcurrencyLimit {
  /** Live sessions a user may hold at once (>= 1). */
  max: number;
  /** What a login beyond `max` does: refuse it, or end the oldest / least recently used session. */
  policy: LimitPolicy;
}

/**
 * What a store remembers of a user across sessions, for anomaly detection: where the user was last
 * seen and which device families (browser, OS, device, no versions) the user logged in from. It
 * survives logout, so a login from the other side of the world a minute after one is still judged.
 * Minimal by design, bounded in size, and gone `retentionMs` after the user was last seen.
 */
export interface UserTrail {
  /** The last located sighting, with `seenAt`. */
  location: LocationInfo | null;
  /** Device families, most recently seen first. */
  devices: { family: string; seenAt: number }[];
}

/** What to add to the trail in the same atomic step as a login or an update. */
export interface TrailUpdate {
  /** A device family to remember (null: the device is unknown). */
  device: string | null;
  /** A location to remember as the last seen one (null: none this time; the last one stays). */
  location: LocationInfo | null;
  /** The trail expires this long after its last update. */
  retentionMs: number;
  /** At most this many device families are kept (the least recently seen go first). */
  maxDevices: number;
}

export type CreateResult =
  | {
      created: true;
      session: StoredSession;
      /** Sessions this login ended to make room (policy `evict-*`), already marked `evicted`. */
      evicted: EndedSession[];
      /** Sessions found past their deadline while counting, now marked expired. */
      expired: EndedSession[];
      /** The user's trail before this login, from stores that keep trails (`keepsTrails`); null for none yet. */
      trail?: UserTrail | null;
    }
  | {
      created: false;
      /** The user's live sessions that filled the limit (policy `reject`). */
      sessions: StoredSession[];
      expired: EndedSession[];
    };

export type TouchResult =
  | {
      status: 'active';
      session: StoredSession;
      /** Whether this call wrote. */
      touched: boolean;
      /** `lastAccess` before this call: when the session was last seen (e.g. for travel speed). */
      previousLastAccess: number;
    }
  /** `session.endReason` says why. `justEnded` is true only for the call that detected the expiry. */
  | { status: 'ended'; session: EndedSession; justEnded: boolean }
  | { status: 'missing' }
  /** The credential's secret does not match the stored hash. Nothing was written. */
  | { status: 'mismatch' };

/** Field-level change. `data.set` keys are written one by one, so parallel updates of different keys all survive. */
export interface SessionPatch {
  data?: { set?: SessionData; unset?: readonly string[] };
  stepUp?: StepUpState | null;
  authTime?: number;
  amr?: string[];
  deviceInfo?: DeviceFingerprint;
  locationInfo?: LocationInfo | null;
}

export type UpdateResult =
  | { status: 'updated'; session: StoredSession }
  /** `expectedVersion` did not match: someone else wrote first. Nothing was written. */
  | { status: 'conflict'; session: StoredSession }
  | { status: 'ended'; session: EndedSession; justEnded: boolean }
  | { status: 'missing' };

export type RefreshResult =
  /** The presented hash was the current one and is now spent; or, `replayed`, it was spent within the grace window and `nextHash` is still current (nothing written). */
  | { status: 'refreshed'; session: StoredSession; replayed: boolean }
  /** A spent hash came back outside the grace window: the session was ended with reason `refresh-reused` in the same step. */
  | { status: 'reused'; session: EndedSession }
  | { status: 'ended'; session: EndedSession; justEnded: boolean }
  | { status: 'missing' };

export type RotateResult =
  | { status: 'rotated'; session: StoredSession; previous: EndedSession }
  | { status: 'ended'; session: EndedSession; justEnded: boolean }
  | { status: 'missing' };

/**
 * Persists sessions. Every method is one atomic step against concurrent callers in any number of
 * processes; all times are absolute epoch milliseconds passed in by the manager (stores never read
 * a clock to decide expiry). "Not found" is a value, never an error; a store that cannot answer
 * throws, and the manager reports that as `ERR_SESSION_STORE_UNAVAILABLE`, never as "no session".
 *
 * Lifecycle rules every store follows (the conformance suite in `sessionward/testing` checks them):
 * - A session is live while `endReason` is null, `now < expiresAt` and `now < absoluteExpiresAt`.
 * - An ended session is kept as a tombstone (so a later request learns *why* it was refused) for
 *   the store's retention, but never past `absoluteExpiresAt`: nothing outlives its absolute deadline.
 * - Nothing revives an ended or expired session: touch, update and rotate all refuse it.
 */
export interface SessionStore {
  /**
   * Prunes the user's expired sessions, applies `limit`, and inserts `session` — as one step, so
   * N parallel logins never leave more than `limit.max` live sessions.
   */
  create(session: StoredSession, options: { userKey: string; limit: ConcurrencyLimit | null; now: number; trail?: TrailUpdate }): Promise<CreateResult>;

  /**
   * True when the store keeps user trails: `create` (with `trail`) answers the trail as it was and
   * updates it in the same step, `update` (with `trail`) updates it, and `purge` erases it. The
   * manager then needs no extra read at login for the default anomaly rules.
   */
  readonly keepsTrails?: boolean;

  /** Reads one session's record, without side effects. Ended sessions may read as null once their data is gone. */
  get(ref: SessionRef): Promise<StoredSession | null>;

  /**
   * Validate-and-touch, the per-request path. Checks `secretHash` when given, detects expiry (and
   * records it, once), and slides `lastAccess`/`expiresAt` only when at least `touchIntervalMs`
   * passed since the last write — so a busy session costs one write per interval, not per request.
   */
  touch(ref: SessionRef, options: { now: number; touchIntervalMs: number; secretHash?: string }): Promise<TouchResult>;

  /** Applies a field-level patch to a live session; with `expectedVersion`, only if it still matches. */
  update(ref: SessionRef, patch: SessionPatch, options: { now: number; expectedVersion?: number; trail?: TrailUpdate }): Promise<UpdateResult>;

  /**
   * Moves a live session to a new id and secret (same user key). The old id ends with reason
   * `rotated` at once. Of two concurrent rotations exactly one wins.
   */
  rotate(ref: SessionRef, next: { id: string; secretHash: string; authTime?: number }, options: { now: number }): Promise<RotateResult>;

  /**
   * Spends a token pair's refresh secret (optional: API token pairs need it). The caller has proven
   * `presentedHash` genuine for this session, so in one atomic step:
   * - the current `secretHash`: it becomes `nextHash`, the spent one is remembered with the time,
   *   and activity slides as in `touch` (never past the absolute deadline);
   * - the one spent last, within `graceMs`, while `nextHash` is current: the same successor again
   *   (`replayed`, nothing written), so parallel refreshes share one lineage;
   * - anything else is a spent one: the session ends (`refresh-reused`).
   * Ended and expired sessions answer as in `touch`; nothing revives them.
   */
  refresh?(ref: SessionRef, options: { presentedHash: string; nextHash: string; graceMs: number; now: number }): Promise<RefreshResult>;

  /** Ends one live session. Returns it as ended, or null when it was missing or already ended. */
  revoke(ref: SessionRef, options: { reason: EndReason; actor: string | null; now: number }): Promise<StoredSession | null>;

  /** Ends every live session of a user except the listed ids. Returns the sessions it ended. */
  revokeAll(userKey: string, options: { reason: EndReason; actor: string | null; now: number; except?: readonly string[] }): Promise<EndedSession[]>;

  /** Exactly the user's live sessions, oldest first. */
  list(userKey: string, options: { now: number }): Promise<StoredSession[]>;

  /** Releases timers and connections the store opened itself. */
  dispose?(): Promise<void>;

  /** Answers when the store can serve (a readiness probe); throws when it cannot, within its deadline. */
  ping?(): Promise<void>;

  /**
   * The store's own clock (epoch ms), when it keeps one. The manager then takes every decision
   * (expiry, timestamps, credential times) on it, so app servers with skewed clocks agree with
   * each other and with the store's physical expiry. Synchronous: an estimate the store maintains.
   */
  now?(): number;

  // Optional capabilities, for monitoring and administration (not on any request's path).

  /**
   * Every live session, in batches, without blocking the store (cursor-based; per master on a
   * cluster). Powers `stats()` and `revokeWhere()`.
   */
  scan?(options: { now: number; batchSize?: number }): AsyncIterable<StoredSession[]>;

  /** Records expiries nobody observed (sessions whose users never came back) and returns them. */
  sweep?(options: { now: number; batchSize?: number }): Promise<{ expired: EndedSession[] }>;

  /** Deletes everything a store keeps about a user: live sessions, tombstones, indexes. Returns how many were live. */
  purgeUser?(userKey: string, options: { now: number }): Promise<number>;
}
