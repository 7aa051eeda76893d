import { ErrorCode, isSessionError, SessionError } from './errors.js';
import { SessionAdmin } from './admin/session-admin.js';
import { AnomalyInspector } from './internal/anomaly-inspector.js';
import { LoginFlow } from './internal/login-flow.js';
import { assembleParts, type ManagerParts } from './internal/manager-parts.js';
import { publicSession, refusalFor } from './internal/public-session.js';
import { Rotations } from './internal/rotations.js';
import { toMilliseconds, type Duration } from './internal/duration.js';
import { checkKeys } from './internal/option-keys.js';
import { checkAmr, checkUserId, jsonData, refOf } from './internal/session-arguments.js';
import { resolveOptions, type SessionManagerOptions } from './options.js';
import type { EndedSession, SessionPatch, SessionRef, TouchResult } from './ports/session-store.js';
import type { CreateSessionInput, CreatedSession, IssuedSession, RefreshOutcome, RevokeOptions, ValidateOptions, ValidationResult } from './session-results.js';
import type { VerifiedCredential } from './tokens/credential-codec.js';
import type { RequestContext, Session, SessionData } from './types.js';

/** The name a validation's store call reports to `onStoreCall`. */
type StoreOperation = 'validate' | 'touch';

/**
 * The session system on the request path: issues credentials, validates them on every request
 * against the store (the authority for revocation), enforces expiry and the concurrent-login
 * limit, and reports every lifecycle step to the audit sinks. Framework-free: adapters translate
 * requests into calls here. Administration lives on `admin`.
 *
 * @example
 * const sessions = new SessionManager({ secret: process.env.SESSION_SECRET!, limit: { max: 3, policy: 'evict-oldest' } });
 * const { token } = await sessions.login({ userId: user.id, context });
 * const result = await sessions.validate(token); // { ok: true, session } | { ok: false, reason }
 */
export class SessionManager {
  readonly #parts: ManagerParts;
  readonly #login: LoginFlow;
  readonly #inspector: AnomalyInspector;
  readonly #rotations: Rotations;
  /** Administration and monitoring: stats, history, bulk revocation, erasure, sweeping, health, readiness. */
  readonly admin: SessionAdmin;

  constructor(options: SessionManagerOptions) {
    const parts = assembleParts(resolveOptions(options));
    this.#parts = parts;
    this.#login = new LoginFlow(parts);
    this.#inspector = new AnomalyInspector(parts);
    this.#rotations = new Rotations(parts);
    this.admin = new SessionAdmin({
      store: parts.store,
      auditSinks: parts.options.auditSinks,
      calls: parts.calls,
      activity: parts.activity,
      clock: parts.options.clock,
      userKey: (userId) => parts.hasher.userKey(checkUserId(userId)),
      cache: parts.cache,
      formToken: (binding) => parts.hasher.formToken(binding),
    });
  }

  /**
   * Logs a user in: a new session with a fresh random id (never one the client chose), created
   * together with the concurrent-login check in one atomic store step.
   * @throws SessionError `ERR_SESSION_LIMIT_EXCEEDED` (403) carrying the user's live sessions
   * @throws SessionError `ERR_SESSION_STORE_UNAVAILABLE` (503)
   */
  login(input: CreateSessionInput): Promise<CreatedSession> {
    return this.#login.login(input);
  }

  /**
   * The per-request check: the credential's signature and expiry locally, then one store call that
   * confirms the session is live and records activity (at most one write per touch interval).
   * Refusals are values; only faults throw. With the `fallback` option and `allowDegraded`, a store
   * outage answers the session as this process last saw it confirmed (`degraded: true`).
   * @throws SessionError `ERR_SESSION_STORE_UNAVAILABLE` (503): never read it as "logged out"
   */
  validate(credential: string | readonly string[] | null | undefined, options: ValidateOptions = {}): Promise<ValidationResult> {
    return this.#validate(credential, options, 'validate');
  }

  /** `validate`, with the store call named for what asked (a heartbeat `touch` is not a validation in the metrics). */
  async #validate(credential: string | readonly string[] | null | undefined, options: ValidateOptions, operation: StoreOperation): Promise<ValidationResult> {
    if (credential === undefined || credential === null || credential === '' || credential.length === 0) return { ok: false, reason: 'missing' };
    const now = this.#parts.options.clock();
    // Several different credentials (a planted second cookie of the same name): none is trusted,
    // whichever order they came in.
    if (Array.isArray(credential)) {
      if (new Set(credential).size > 1) return this.#parts.refusals.refuse('malformed', null, null, now, options.context, 'duplicate-credential');
      credential = credential[0] as string;
    }
    const check = this.#parts.codec.verifyNow(credential, now) ?? (await this.#parts.codec.verify(credential, now));
    if (!check.ok) return this.#parts.refusals.refuse(check.reason, 'sessionId' in check ? check.sessionId : null, null, now, options.context);

    const { confirmed, cache } = this.#parts;
    const binding = bindingOf(check);
    const cached = cache?.hit(check.sessionId, binding, now);
    if (cached && this.#answersFromCache(cached, now, options)) return { ok: true, session: cached };
    let result: ValidationResult;
    try {
      result = await this.#confirm(check, now, options, operation);
    } catch (error) {
      const degraded = this.#degraded(error, check, now, options);
      if (!degraded) throw error;
      this.#parts.calls.servedDegraded(degraded.id, degraded.userId);
      return { ok: true, session: degraded, degraded: true };
    }
    if (result.ok) {
      confirmed?.confirm(result.session, binding, now);
      cache?.remember(result.session, binding, now);
    } else {
      confirmed?.forget(check.sessionId);
      cache?.drop([check.sessionId]);
    }
    return result;
  }

  /** The store's answer for a verified credential (a `then`: one async frame fewer per request). */
  #confirm(check: VerifiedCredential, now: number, options: ValidateOptions, operation: StoreOperation): Promise<ValidationResult> {
    const ref = { id: check.sessionId, userKey: check.userKey };
    const touchIntervalMs = options.touch === false ? Number.POSITIVE_INFINITY : undefined;
    return this.#touch(ref, now, check.secretHash ?? undefined, operation, touchIntervalMs).then((result) => this.#answer(check, result, now, options));
  }

  /** What the validation answers for the store's word on the session. */
  #answer(check: VerifiedCredential, result: TouchResult, now: number, options: ValidateOptions): ValidationResult | Promise<ValidationResult> {
    switch (result.status) {
      case 'missing':
        // Inside the clock leeway after the absolute deadline the store has already let the
        // session go: it is the same expiry a later request is told about, so say so.
        return this.#parts.refusals.refuse(now >= check.expiresAt ? 'expired-absolute' : 'invalid', check.sessionId, null, now, options.context);
      case 'mismatch':
        return this.#parts.refusals.refuse('invalid', check.sessionId, null, now, options.context);
      case 'ended':
        if (result.justEnded) this.#parts.calls.reportEnded([result.session], now);
        return this.#parts.refusals.refuse(refusalFor(result.session.endReason), check.sessionId, result.session.userId, now, options.context);
      case 'active': {
        // An access token names a session of a token pair; any other session needs its secret.
        if (check.secretHash === null && !result.session.tokenPair) return this.#parts.refusals.refuse('invalid', check.sessionId, null, now, options.context);
        const session = publicSession(result.session);
        if (result.touched)
          this.#parts.calls.emit({ type: 'session.renewed', v: 1, at: now, sessionId: session.id, userId: session.userId, expiresAt: session.expiresAt });
        if (options.context && this.#parts.observer.changed(session.deviceInfo, options.context)) {
          return this.#inspector.inspect({ ...session, lastAccess: result.previousLastAccess }, options.context, now);
        }
        if (session.stepUp) return { ok: false, reason: 'step-up-required', session };
        return { ok: true, session };
      }
    }
  }

  /**
   * Spends a token pair's refresh token for a new pair (API clients), in one store round trip. A
   * parallel request with the same token inside `tokenPairs.reuseGrace` gets the same pair; after
   * it, a spent token ends the session with every token of it (`refresh-reused`, audited with the
   * evidence). Never past the session's absolute deadline; the idle timeout counts refreshes too.
   * @throws SessionError `ERR_SESSION_STORE_UNAVAILABLE` (503): keep the refresh token and retry
   */
  async refresh(refreshToken: string | null | undefined, options: { context?: RequestContext } = {}): Promise<RefreshOutcome> {
    checkKeys(options, ['context'], 'options', 'argument');
    return this.#parts.pairs.refresh(refreshToken, options.context);
  }

  /**
   * Records activity for a credential outside an HTTP request (e.g. a websocket heartbeat),
   * throttled like `validate`. It takes the credential, not a session id: ids are handles shown in
   * lists, and a handle must never keep a session alive.
   */
  async touch(credential: string): Promise<Session | null> {
    const result = await this.#validate(credential, {}, 'touch');
    return result.ok ? result.session : null;
  }

  /**
   * New id and credential for a live session (after login or a privilege change); the old
   * credential stops working at once. Of two concurrent rotations one wins; the other gets null.
   */
  async rotate(sessionId: string, options: { reauthenticated?: boolean } = {}): Promise<IssuedSession | null> {
    checkKeys(options, ['reauthenticated'], 'options', 'argument');
    return this.#rotations.rotate(sessionId, options);
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
    checkKeys(change, ['set', 'unset'], 'change', 'argument');
    checkKeys(options, ['expectedVersion'], 'options', 'argument');
    const ref = refOf(sessionId);
    if (!ref) return null;
    const patch: SessionPatch = {
      data: { set: change.set === undefined ? {} : jsonData(change.set, 'set'), unset: [...(change.unset ?? [])] },
    };
    const now = this.#parts.options.clock();
    const result = await this.#parts.calls.store('update', () => this.#parts.store.update(ref, patch, { now, ...options }));
    if (result.status === 'conflict') {
      throw new SessionError(ErrorCode.Conflict, 'Session changed since the expected version; re-read and retry');
    }
    if (result.status === 'ended' && result.justEnded) this.#parts.calls.reportEnded([result.session], now);
    if (result.status !== 'updated') return null;
    const fields = [...Object.keys(patch.data?.set ?? {}), ...(patch.data?.unset ?? [])];
    this.#parts.calls.announce([sessionId]);
    this.#parts.calls.emit({ type: 'session.updated', v: 1, at: now, sessionId, userId: result.session.userId, fields });
    return publicSession(result.session);
  }

  /**
   * Holds a session until the user re-authenticates (e.g. before a sensitive action): `validate`
   * answers `step-up-required` until `confirmStepUp`.
   */
  async requireStepUp(sessionId: string, reason: string): Promise<Session | null> {
    const session = await this.#parts.writes.patch(sessionId, { stepUp: { reason, since: this.#parts.options.clock() } });
    if (session) this.#parts.calls.emit({ type: 'session.step-up-required', v: 1, at: this.#parts.options.clock(), sessionId, userId: session.userId, reason });
    return session;
  }

  /**
   * The app has re-authenticated the user: lifts a pending step-up and records the time as
   * `authTime` (and how, as `amr`, when given). Consider `rotate(id, { reauthenticated: true })`
   * after it, as after any privilege change.
   */
  async confirmStepUp(sessionId: string, options: { amr?: readonly string[] } = {}): Promise<Session | null> {
    checkKeys(options, ['amr'], 'options', 'argument');
    const now = this.#parts.options.clock();
    const amr = options.amr === undefined ? {} : { amr: checkAmr(options.amr, 'amr') };
    const session = await this.#parts.writes.patch(sessionId, { stepUp: null, authTime: now, ...amr });
    if (session) this.#parts.calls.emit({ type: 'session.step-up-confirmed', v: 1, at: now, sessionId, userId: session.userId });
    return session;
  }

  /**
   * Whether the user authenticated recently enough for a sensitive action (OWASP ASVS 7.5, NIST
   * 800-63B §5): else `reauthentication-required`. Re-authenticate the user, then `confirmStepUp`.
   */
  requireRecentAuth(session: Pick<Session, 'authTime'>, maxAge: Duration): { ok: true } | { ok: false; reason: 'reauthentication-required' } {
    const maxAgeMs = toMilliseconds(maxAge, 'maxAge');
    return this.#parts.options.clock() - session.authTime <= maxAgeMs ? { ok: true } : { ok: false, reason: 'reauthentication-required' };
  }

  /** Ends one session; its credential is refused from the next request on. Null if it was not live. */
  async revoke(sessionId: string, options: RevokeOptions = {}): Promise<Session | null> {
    checkKeys(options, REVOKE_OPTIONS, 'options', 'argument');
    return this.#parts.writes.revoke(sessionId, options);
  }

  /** The user's own logout: `revoke` with reason `logout`. Pass the request's `context` for the audit trail. */
  logout(sessionId: string, options: { context?: RequestContext } = {}): Promise<Session | null> {
    return this.revoke(sessionId, { actor: 'user', reason: 'logout', ...options });
  }

  /** Ends all of a user's live sessions, except the given ids ("sign out everywhere else"). */
  async revokeAll(userId: string, options: RevokeOptions & { except?: string | readonly string[] } = {}): Promise<EndedSession[]> {
    // A misspelt `except` would end the very session that asked to keep itself.
    checkKeys(options, [...REVOKE_OPTIONS, 'except'], 'options', 'argument');
    const userKey = this.#parts.hasher.userKey(checkUserId(userId));
    const except = typeof options.except === 'string' ? [options.except] : [...(options.except ?? [])];
    return this.#parts.writes.revokeAll(userKey, { ...options, except });
  }

  /** Exactly the user's live sessions, oldest first, with device, location and last access. */
  async list(userId: string): Promise<Session[]> {
    const userKey = this.#parts.hasher.userKey(checkUserId(userId));
    const now = this.#parts.options.clock();
    const sessions = await this.#parts.calls.store('list', () => this.#parts.store.list(userKey, { now }));
    return sessions.map(publicSession);
  }

  /** One live session by id (for admin views), or null. */
  async get(sessionId: string): Promise<Session | null> {
    const ref = refOf(sessionId);
    if (!ref) return null;
    const stored = await this.#parts.calls.store('get', () => this.#parts.store.get(ref));
    const now = this.#parts.options.clock();
    return stored && stored.endReason === null && now < stored.expiresAt && now < stored.absoluteExpiresAt ? publicSession(stored) : null;
  }

  /** The high-entropy Client Hints the fingerprinter reads (for `Accept-CH`). */
  get clientHints(): readonly string[] {
    return this.#parts.options.fingerprinter.clientHints ?? [];
  }

  /** Releases the sweeper, the cache's subscription and what the default store holds (timers). Stores and clients you passed in stay yours to close. */
  async dispose(): Promise<void> {
    this.admin.stopSweeper();
    this.#parts.ambiguous.dispose();
    await this.#parts.cache?.close();
    await this.#parts.store.dispose?.();
  }

  // --- internals -------------------------------------------------------------------------------

  /**
   * A cache hit answers only when nothing needs the store: the request comes from where the
   * session was seen (else the anomaly rules run) and no activity write is due (idle keeps sliding).
   */
  #answersFromCache(session: Session, now: number, options: ValidateOptions): boolean {
    if (options.context && this.#parts.observer.changed(session.deviceInfo, options.context)) return false;
    return options.touch === false || now - session.lastAccess < this.#parts.options.touchIntervalMs;
  }

  /**
   * The fallback's answer to a store outage: the session as last confirmed here, if the route
   * allows it, it was confirmed recently enough, and the request comes from where it did then.
   */
  #degraded(error: unknown, check: VerifiedCredential, now: number, options: ValidateOptions): Session | null {
    const { confirmed, options: config, observer } = this.#parts;
    if (!options.allowDegraded || !confirmed || !config.fallback || !isSessionError(error, ErrorCode.StoreUnavailable)) return null;
    const session = confirmed.recall(check.sessionId, bindingOf(check), now, config.fallback.maxAgeMs);
    if (!session || (options.context && observer.changed(session.deviceInfo, options.context))) return null;
    return session;
  }

  /** One store round trip: confirm the session is live and record activity if the interval passed. */
  #touch(ref: SessionRef, now: number, secretHash: string | undefined, operation: StoreOperation, touchIntervalMs = this.#parts.options.touchIntervalMs) {
    const options = { now, touchIntervalMs, secretHash };
    return this.#parts.calls.store(operation, () => this.#parts.store.touch(ref, options));
  }
}

const REVOKE_OPTIONS = ['actor', 'reason', 'context'] as const satisfies readonly (keyof RevokeOptions)[];

/** What a remembered confirmation is bound to: the credential's secret, or for access tokens (no secret) their kind. */
function bindingOf(check: VerifiedCredential): string {
  return check.secretHash ?? 'access-token';
}
