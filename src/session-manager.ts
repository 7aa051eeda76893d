import { DeviceObserver, isUnknownDevice } from './internal/device-observer.js';
import { checkedFindings } from './internal/port-answers.js';
import { truncateIp } from './request/ip-address.js';
import { ErrorCode, invalidArgument, isSessionError, SessionError } from './errors.js';
import { GuardedCalls } from './internal/guarded-calls.js';
import { Refusals } from './internal/refusals.js';
import { AmbiguousOutcomes } from './internal/ambiguous-outcomes.js';
import { ActivityCounters } from './monitoring/activity-counters.js';
import { SessionAdmin } from './admin/session-admin.js';
import { resolveOptions, type ResolvedOptions, type SessionManagerOptions } from './options.js';
import type { AnomalyFinding } from './ports/anomaly-detector.js';
import type { AuditClient } from './ports/audit-sink.js';
import type { CreateResult, EndedSession, RotateResult, SessionPatch, SessionRef, SessionStore, StoredSession, TrailUpdate } from './ports/session-store.js';
import { deviceFamily } from './fingerprint/device-family.js';
import { summarizeSession } from './session-summary.js';
import { isJsonObject, publicSession, refusalFor } from './internal/public-session.js';
import { CredentialCodec } from './tokens/credential-codec.js';
import { KeyedHasher } from './tokens/keyed-hasher.js';
import { UserIdSealer } from './tokens/user-id-sealer.js';
import { sealUserIds } from './internal/sealed-user-store.js';
import { randomToken } from './tokens/random.js';
import { newSessionId, userKeyOf } from './tokens/session-id.js';
import type { DeviceFingerprint, LocationInfo, RequestContext, Session, SessionData } from './types.js';

import type { CreateSessionInput, CreatedSession, IssuedSession, RevokeOptions, ValidationResult } from './session-results.js';

export type { CreateSessionInput, CreatedSession, IssuedSession, RevokeOptions, ValidationResult } from './session-results.js';

const MAX_USER_ID_LENGTH = 512;

/**
 * The session system: issues credentials, validates them on every request against the store (the
 * authority for revocation), enforces expiry and the concurrent-login limit, and reports every
 * lifecycle step to the audit sinks. Framework-free: adapters translate requests into calls here.
 *
 * @example
 * const sessions = new SessionManager({ secret: process.env.SESSION_SECRET!, limit: { max: 3, policy: 'evict-oldest' } });
 * const { token } = await sessions.create({ userId: user.id, context });
 * const result = await sessions.validate(token); // { ok: true, session } | { ok: false, reason }
 */
export class SessionManager {
  readonly #options: ResolvedOptions;
  readonly #hasher: KeyedHasher;
  readonly #codec: CredentialCodec;
  readonly #observer: DeviceObserver;
  readonly #calls: GuardedCalls;
  /** Administration and monitoring: stats, history, bulk revocation, erasure, sweeping, health, readiness. */
  readonly admin: SessionAdmin;
  readonly #refusals: Refusals;
  /** The configured store, seen through user-id sealing. */
  readonly #store: SessionStore;
  readonly #ambiguous: AmbiguousOutcomes;

  constructor(options: SessionManagerOptions) {
    this.#options = resolveOptions(options);
    this.#hasher = new KeyedHasher(this.#options.secret);
    this.#store = sealUserIds(this.#options.store, new UserIdSealer(this.#options.secret));
    this.#codec = new CredentialCodec({
      keys: this.#options.signingKeys,
      issuer: this.#options.issuer,
      audience: this.#options.audience,
      clockToleranceMs: this.#options.clockToleranceMs,
      memoSize: this.#options.verifiedCredentialCacheSize,
      hasher: this.#hasher,
    });
    const activity = new ActivityCounters();
    this.#calls = new GuardedCalls(this.#options, activity, (userId) => this.#hasher.userKey(userId));
    this.admin = new SessionAdmin({
      store: this.#store,
      audit: this.#options.audit,
      calls: this.#calls,
      activity,
      clock: this.#options.clock,
      userKey: (userId) => this.#hasher.userKey(checkUserId(userId)),
    });
    const { fingerprinter, geo, truncateIp: truncation, hashIp } = this.#options;
    const storedIp = hashIp ? (ip: string) => this.#hasher.ipHash(ip) : truncation ? (ip: string) => truncateIp(ip, truncation) : (ip: string) => ip;
    this.#observer = new DeviceObserver(fingerprinter, geo, storedIp, (part, fallback, run) => this.#calls.advisory(part, fallback, run));
    this.#refusals = new Refusals(this.#options, this.#calls, this.#observer);
    this.#ambiguous = new AmbiguousOutcomes(this.#store, this.#calls, this.#options.clock);
  }

  /**
   * Logs a user in: a new session with a fresh random id (never one the client chose), created
   * together with the concurrent-login check in one atomic store step.
   * @throws SessionError `ERR_SESSION_LIMIT_EXCEEDED` (403) carrying the user's live sessions
   * @throws SessionError `ERR_SESSION_STORE_UNAVAILABLE` (503)
   */
  async create(input: CreateSessionInput): Promise<CreatedSession> {
    const userId = checkUserId(input?.userId);
    const data = input.data === undefined ? {} : jsonData(input.data, 'data');
    const subject = { userId, ...(input.roles ? { roles: input.roles } : {}) };
    const expiry = this.#options.expiryFor(subject);
    const limit = this.#options.limitFor(subject);
    const context = input.context ?? { headers: {} };
    const client = this.#observer.client(context);
    const userKey = this.#hasher.userKey(userId);
    const { anomalyDetector } = this.#options;
    // A store that keeps trails answers the user's history in the login's own round trip.
    const keepsTrails = this.#keepsTrails;
    const [observed, recent] = await Promise.all([
      this.#observer.observe(context),
      anomalyDetector.usesHistory && !keepsTrails ? this.#calls.store('list', () => this.#store.list(userKey, { now: this.#options.clock() })) : [],
    ]);

    const now = this.#options.clock();
    const { deviceInfo } = observed;
    const locationInfo = observed.locationInfo && { ...observed.locationInfo, seenAt: now };
    const secret = randomToken();
    const absoluteExpiresAt = now + expiry.absoluteLifetimeMs;
    const stored: StoredSession = {
      id: newSessionId(userKey),
      userId,
      deviceInfo,
      locationInfo,
      createdAt: now,
      lastAccess: now,
      expiresAt: Math.min(now + expiry.idleTimeoutMs, absoluteExpiresAt),
      absoluteExpiresAt,
      authTime: now,
      isActive: true,
      version: 1,
      stepUp: null,
      data,
      secretHash: this.#hasher.secretHash(secret),
      idleTimeoutMs: expiry.idleTimeoutMs,
      endedAt: null,
      endReason: null,
      endedBy: null,
    };
    // Signed before the store write, so a session never exists without its credential.
    const token = await this.#codec.sign({ sessionId: stored.id, secret, expiresAt: absoluteExpiresAt, now });
    const trailUpdate = keepsTrails ? this.#trailUpdate({ deviceInfo, locationInfo }) : undefined;
    await this.#ambiguous.reclaim(userKey);
    let result: CreateResult;
    try {
      result = await this.#calls.store('create', () => this.#store.create(stored, { userKey, limit, now, ...(trailUpdate ? { trail: trailUpdate } : {}) }));
    } catch (error) {
      // It may still be applied, leaving a session whose credential nobody holds: end it once the
      // store answers, before the user's retry is counted against the limit.
      if (isSessionError(error, ErrorCode.StoreUnavailable)) this.#ambiguous.ghost({ id: stored.id, userKey }, now);
      throw error;
    }
    this.#calls.reportEnded(result.expired, now);

    if (!result.created) {
      const sessions = result.sessions.map((stored) => summarizeSession(publicSession(stored)));
      this.#calls.emit({ type: 'login.refused-by-limit', v: 1, at: now, userId, limit: limit?.max ?? 0, sessionIds: sessions.map((s) => s.id), client });
      throw new SessionError(ErrorCode.LimitExceeded, 'Concurrent session limit reached', {
        details: { sessions, limit: limit?.max ?? 0, reason: 'limit-exceeded' },
      });
    }
    this.#calls.reportEnded(result.evicted, now);
    const created = publicSession(result.session);
    this.#calls.emit({
      type: 'session.created',
      v: 1,
      at: now,
      sessionId: created.id,
      userId,
      ip: deviceInfo.ipAddress,
      device: deviceInfo.fingerprint,
      country: locationInfo?.country ?? null,
      absoluteExpiresAt,
      client,
    });
    const findings = await this.#calls.advisory('anomaly', [], async () =>
      checkedFindings(
        await anomalyDetector.evaluate({
          kind: 'login',
          userId,
          previous: null,
          current: { deviceInfo, locationInfo, at: now },
          recent: recent.map(publicSession),
          ...(result.trail === undefined ? {} : { trail: result.trail }),
        }),
      ),
    );
    const session = await this.#judgeLogin(created, findings, client, now);
    return { session, token, evicted: result.evicted };
  }

  /**
   * The user has just proved who they are, so a login is never refused by an anomaly: anything
   * above "log" holds the new session for step-up (before its credential leaves this method), and
   * revoke-all also ends the user's other sessions.
   */
  async #judgeLogin(session: Session, findings: AnomalyFinding[], client: AuditClient, now: number): Promise<Session> {
    if (findings.length === 0) return session;
    const action = this.#options.anomalyPolicy.actionFor(findings);
    this.#calls.emit({ type: 'session.anomaly', v: 1, at: now, sessionId: session.id, userId: session.userId, findings, action, client });
    if (action === 'log') return session;
    let held: Session;
    try {
      held = (await this.#patch(session.id, { stepUp: { reason: stepUpReason(findings), since: now } })) ?? session;
    } catch (error) {
      // The login fails; its session (whose credential never leaves here) must not linger unheld.
      if (isSessionError(error, ErrorCode.StoreUnavailable)) this.#ambiguous.ghost({ id: session.id, userKey: session.id.split('.')[0]! }, now);
      throw error;
    }
    if (action === 'revoke-all') await this.revokeAll(session.userId, { except: session.id, reason: 'anomaly' });
    return held;
  }

  get #keepsTrails(): boolean {
    return this.#store.keepsTrails === true && this.#options.trail !== null;
  }

  /** What a sighting adds to the user's trail: the device family (when known) and the place (when located). */
  #trailUpdate(seen: { deviceInfo: DeviceFingerprint; locationInfo: LocationInfo | null }): TrailUpdate {
    const { retentionMs, maxDevices } = this.#options.trail!;
    return { device: isUnknownDevice(seen.deviceInfo) ? null : deviceFamily(seen.deviceInfo), location: seen.locationInfo, retentionMs, maxDevices };
  }

  /**
   * The per-request check: the credential's signature and expiry locally, then one store call that
   * confirms the session is live and records activity (at most one write per touch interval).
   * Refusals are values; only faults throw.
   * @throws SessionError `ERR_SESSION_STORE_UNAVAILABLE` (503): never read it as "logged out"
   */
  async validate(
    credential: string | readonly string[] | null | undefined,
    options: { touch?: boolean /** The request, so a changed IP or user agent is inspected. */; context?: RequestContext } = {},
  ): Promise<ValidationResult> {
    if (credential === undefined || credential === null || credential === '' || credential.length === 0) return { ok: false, reason: 'missing' };
    const now = this.#options.clock();
    // Several different credentials (a planted second cookie of the same name): none is trusted,
    // whichever order they came in.
    if (Array.isArray(credential)) {
      if (new Set(credential).size > 1) return this.#refusals.refuse('malformed', null, null, now, options.context, 'duplicate-credential');
      credential = credential[0] as string;
    }
    const check = await this.#codec.verify(credential, now);
    if (!check.ok) return this.#refusals.refuse(check.reason, 'sessionId' in check ? check.sessionId : null, null, now, options.context);

    const ref = { id: check.sessionId, userKey: check.userKey };
    const touchIntervalMs = options.touch === false ? Number.POSITIVE_INFINITY : undefined;
    const result = await this.#touch(ref, now, check.secretHash, touchIntervalMs);
    switch (result.status) {
      case 'missing':
        // Inside the clock leeway after the absolute deadline the store has already let the
        // session go: it is the same expiry a later request is told about, so say so.
        return this.#refusals.refuse(now >= check.expiresAt ? 'expired-absolute' : 'invalid', check.sessionId, null, now, options.context);
      case 'mismatch':
        return this.#refusals.refuse('invalid', check.sessionId, null, now, options.context);
      case 'ended':
        if (result.justEnded) this.#calls.reportEnded([result.session], now);
        return this.#refusals.refuse(refusalFor(result.session.endReason), check.sessionId, result.session.userId, now, options.context);
      case 'active': {
        const session = publicSession(result.session);
        if (result.touched)
          this.#calls.emit({ type: 'session.renewed', v: 1, at: now, sessionId: session.id, userId: session.userId, expiresAt: session.expiresAt });
        if (options.context && this.#observer.changed(session.deviceInfo, options.context)) {
          return this.#inspect({ ...session, lastAccess: result.previousLastAccess }, options.context, now);
        }
        if (session.stepUp) return { ok: false, reason: 'step-up-required', session };
        return { ok: true, session };
      }
    }
  }

  /**
   * Records activity for a credential outside an HTTP request (e.g. a websocket heartbeat),
   * throttled like `validate`. It takes the credential, not a session id: ids are handles shown in
   * lists, and a handle must never keep a session alive.
   */
  async touch(credential: string): Promise<Session | null> {
    const result = await this.validate(credential);
    return result.ok ? result.session : null;
  }

  /**
   * New id and credential for a live session (after login or a privilege change); the old
   * credential stops working at once. Of two concurrent rotations one wins; the other gets null.
   */
  async rotate(sessionId: string, options: { reauthenticated?: boolean } = {}): Promise<IssuedSession | null> {
    const ref = refOf(sessionId);
    if (!ref) return null;
    const now = this.#options.clock();
    const secret = randomToken();
    const next = { id: newSessionId(ref.userKey), secretHash: this.#hasher.secretHash(secret), ...(options.reauthenticated ? { authTime: now } : {}) };
    let result: RotateResult;
    try {
      result = await this.#calls.store('rotate', () => this.#store.rotate(ref, next, { now }));
    } catch (error) {
      // It may still be applied: a retry must find the successor this attempt made.
      if (isSessionError(error, ErrorCode.StoreUnavailable)) this.#ambiguous.rotation(sessionId, { next: { id: next.id, secret } }, now);
      throw error;
    }
    if (result.status === 'ended' && result.justEnded) this.#calls.reportEnded([result.session], now);
    if (result.status !== 'rotated') return result.status === 'ended' && result.session.endReason === 'rotated' ? this.#earlierRotation(sessionId, now) : null;
    const session = publicSession(result.session);
    this.#calls.emit({ type: 'session.rotated', v: 1, at: now, sessionId: session.id, userId: session.userId, previousSessionId: sessionId });
    const token = await this.#codec.sign({ sessionId: session.id, secret, expiresAt: session.absoluteExpiresAt, now });
    return { session, token };
  }

  /** The successor an earlier, timed-out rotation of this session made (within the window), or null. */
  async #earlierRotation(sessionId: string, now: number): Promise<IssuedSession | null> {
    const pending = this.#ambiguous.takeRotation(sessionId, now);
    const ref = pending && refOf(pending.next.id);
    if (!pending || !ref) return null;
    const stored = await this.#calls.store('get', () => this.#store.get(ref));
    if (!stored || stored.endReason !== null || now >= stored.expiresAt) return null;
    const session = publicSession(stored);
    this.#calls.emit({ type: 'session.rotated', v: 1, at: now, sessionId: session.id, userId: session.userId, previousSessionId: sessionId });
    const token = await this.#codec.sign({ sessionId: session.id, secret: pending.next.secret, expiresAt: session.absoluteExpiresAt, now });
    return { session, token };
  }

  /**
   * Changes application data field by field: parallel updates of different keys all survive. With
   * `expectedVersion`, applies only if nobody wrote since that version.
   * @returns the updated session, or null when it no longer exists or has ended (nothing is revived)
   * @throws SessionError `ERR_SESSION_CONFLICT` (409) when `expectedVersion` is stale
   */
  async update(
    sessionId: string,
    change: { set?: SessionData; unset?: readonly string[] },
    options: { expectedVersion?: number } = {},
  ): Promise<Session | null> {
    const ref = refOf(sessionId);
    if (!ref) return null;
    const patch: SessionPatch = {
      data: { set: change.set === undefined ? {} : jsonData(change.set, 'set'), unset: [...(change.unset ?? [])] },
    };
    const now = this.#options.clock();
    const result = await this.#calls.store('update', () => this.#store.update(ref, patch, { now, ...options }));
    if (result.status === 'conflict') {
      throw new SessionError(ErrorCode.Conflict, 'Session changed since the expected version; re-read and retry');
    }
    if (result.status === 'ended' && result.justEnded) this.#calls.reportEnded([result.session], now);
    if (result.status !== 'updated') return null;
    const fields = [...Object.keys(patch.data?.set ?? {}), ...(patch.data?.unset ?? [])];
    this.#calls.emit({ type: 'session.updated', v: 1, at: now, sessionId, userId: result.session.userId, fields });
    return publicSession(result.session);
  }

  /**
   * Holds a session until the user re-authenticates (e.g. before a sensitive action): `validate`
   * answers `step-up-required` until `confirmStepUp`.
   */
  async requireStepUp(sessionId: string, reason: string): Promise<Session | null> {
    const session = await this.#patch(sessionId, { stepUp: { reason, since: this.#options.clock() } });
    if (session) this.#calls.emit({ type: 'session.step-up-required', v: 1, at: this.#options.clock(), sessionId, userId: session.userId, reason });
    return session;
  }

  /**
   * The app has re-authenticated the user: lifts a pending step-up and records the time as
   * `authTime`. Consider `rotate(id, { reauthenticated: true })` after it, as after any privilege change.
   */
  async confirmStepUp(sessionId: string): Promise<Session | null> {
    const now = this.#options.clock();
    const session = await this.#patch(sessionId, { stepUp: null, authTime: now });
    if (session) this.#calls.emit({ type: 'session.step-up-confirmed', v: 1, at: now, sessionId, userId: session.userId });
    return session;
  }

  /** Ends one session; its credential is refused from the next request on. Null if it was not live. */
  async revoke(sessionId: string, options: RevokeOptions = {}): Promise<Session | null> {
    const ref = refOf(sessionId);
    if (!ref) return null;
    const now = this.#options.clock();
    const actor = options.actor ?? 'system';
    const ended = await this.#calls.store('revoke', () => this.#store.end(ref, { reason: options.reason ?? 'revoked', actor, now }));
    if (!ended) return null;
    this.#calls.reportEnded([ended as EndedSession], now, options.context ? this.#observer.client(options.context) : undefined);
    return publicSession(ended);
  }

  /** The user's own logout: `revoke` with reason `logout`. Pass the request's `context` for the audit trail. */
  logout(sessionId: string, options: { context?: RequestContext } = {}): Promise<Session | null> {
    return this.revoke(sessionId, { actor: 'user', reason: 'logout', ...options });
  }

  /** Ends all of a user's live sessions, except the given ids ("sign out everywhere else"). */
  async revokeAll(userId: string, options: RevokeOptions & { except?: string | readonly string[] } = {}): Promise<EndedSession[]> {
    const userKey = this.#hasher.userKey(checkUserId(userId));
    const except = typeof options.except === 'string' ? [options.except] : [...(options.except ?? [])];
    const now = this.#options.clock();
    const actor = options.actor ?? 'system';
    const reason = options.reason ?? 'revoked';
    const ended = await this.#calls.store('revokeAll', () => this.#store.endAll(userKey, { reason, actor, now, except }));
    this.#calls.reportEnded(ended, now);
    return ended;
  }

  /** Exactly the user's live sessions, oldest first, with device, location and last access. */
  async list(userId: string): Promise<Session[]> {
    const userKey = this.#hasher.userKey(checkUserId(userId));
    const now = this.#options.clock();
    const sessions = await this.#calls.store('list', () => this.#store.list(userKey, { now }));
    return sessions.map(publicSession);
  }

  /** One live session by id (for admin views), or null. */
  async get(sessionId: string): Promise<Session | null> {
    const ref = refOf(sessionId);
    if (!ref) return null;
    const stored = await this.#calls.store('get', () => this.#store.get(ref));
    const now = this.#options.clock();
    return stored && stored.endReason === null && now < stored.expiresAt && now < stored.absoluteExpiresAt ? publicSession(stored) : null;
  }

  /** The high-entropy Client Hints the fingerprinter reads (for `Accept-CH`). */
  get clientHints(): readonly string[] {
    return this.#options.fingerprinter.clientHints ?? [];
  }

  /** Releases the sweeper and what the default store holds (timers). Stores you passed in stay yours to close. */
  async dispose(): Promise<void> {
    this.admin.stopSweeper();
    this.#ambiguous.dispose();
    await this.#store.dispose?.();
  }

  // --- internals -------------------------------------------------------------------------------

  /** One store round trip: confirm the session is live and record activity if the interval passed. */
  #touch(ref: SessionRef, now: number, secretHash: string | undefined, touchIntervalMs = this.#options.touchIntervalMs) {
    const options = { now, touchIntervalMs, ...(secretHash === undefined ? {} : { secretHash }) };
    return this.#calls.store('validate', () => this.#store.touch(ref, options));
  }

  /**
   * A live session seen from another IP or user agent: describe the request, let the detector judge
   * it against the session as it was, apply the strongest action, and remember what was seen so the
   * next request from the same place costs nothing extra.
   */
  async #inspect(session: Session, context: RequestContext, now: number): Promise<ValidationResult> {
    const observed = await this.#observer.observe(context);
    const current = { deviceInfo: observed.deviceInfo, locationInfo: observed.locationInfo && { ...observed.locationInfo, seenAt: now } };
    const findings = await this.#calls.advisory('anomaly', [], async () =>
      checkedFindings(
        await this.#options.anomalyDetector.evaluate({
          kind: 'request',
          userId: session.userId,
          previous: session,
          current: { ...current, at: now },
          recent: [],
        }),
      ),
    );
    const action = this.#options.anomalyPolicy.actionFor(findings);
    if (findings.length > 0) {
      this.#calls.emit({
        type: 'session.anomaly',
        v: 1,
        at: now,
        sessionId: session.id,
        userId: session.userId,
        findings,
        action,
        client: this.#observer.client(context),
      });
    }
    if (action === 'revoke' || action === 'revoke-all') {
      if (action === 'revoke') await this.revoke(session.id, { reason: 'anomaly', context });
      else await this.revokeAll(session.userId, { reason: 'anomaly' });
      return this.#refusals.refuse('revoked', session.id, session.userId, now, context);
    }
    const stepUp = action === 'step-up' && !session.stepUp ? { reason: stepUpReason(findings), since: now } : undefined;
    // Remember what was seen, but never forget what is known: a failed fingerprint keeps the stored
    // device (with the new IP), a request without a location keeps the last known one.
    const deviceInfo = isUnknownDevice(current.deviceInfo) ? { ...session.deviceInfo, ipAddress: current.deviceInfo.ipAddress } : current.deviceInfo;
    const seen = { deviceInfo, ...(current.locationInfo ? { locationInfo: current.locationInfo } : {}) };
    const trail = this.#keepsTrails ? this.#trailUpdate({ deviceInfo, locationInfo: current.locationInfo }) : undefined;
    const updated = await this.#patch(session.id, { ...seen, ...(stepUp ? { stepUp } : {}) }, trail);
    if (!updated) return this.#refusals.refuse('revoked', session.id, session.userId, now, context);
    if (updated.stepUp) return { ok: false, reason: 'step-up-required', session: updated };
    return { ok: true, session: updated };
  }

  /** A manager-field update of a live session (no app data), or null when it is not live. */
  async #patch(sessionId: string, patch: SessionPatch, trail?: TrailUpdate): Promise<Session | null> {
    const ref = refOf(sessionId);
    if (!ref) return null;
    const now = this.#options.clock();
    const result = await this.#calls.store('update', () => this.#store.update(ref, patch, { now, ...(trail ? { trail } : {}) }));
    if (result.status === 'ended' && result.justEnded) this.#calls.reportEnded([result.session], now);
    return result.status === 'updated' ? publicSession(result.session) : null;
  }
}

function stepUpReason(findings: readonly AnomalyFinding[]): string {
  return findings.map((finding) => finding.rule).join(',');
}

function refOf(sessionId: string): SessionRef | null {
  const userKey = userKeyOf(sessionId);
  return userKey === null ? null : { id: sessionId, userKey };
}

function checkUserId(userId: unknown): string {
  if (typeof userId !== 'string' || userId.length === 0 || userId.length > MAX_USER_ID_LENGTH) {
    throw invalidArgument('userId', `must be a non-empty string of at most ${MAX_USER_ID_LENGTH} characters`);
  }
  return userId;
}

/** A JSON copy: every store keeps exactly what JSON can, so behaviour does not depend on the store. */
function jsonData(value: unknown, argument: string): SessionData {
  if (!isJsonObject(value)) throw invalidArgument(argument, 'must be a plain JSON object');
  return JSON.parse(JSON.stringify(value)) as SessionData;
}
