import { ErrorCode, SessionError } from '../errors.js';
import { checkKeys } from '../internal/option-keys.js';
import type { SessionManager } from '../session-manager.js';
import type { ValidationResult } from '../session-results.js';
import type { RefusalReason, RequestContext, Session, SessionData } from '../types.js';
import { serializeCookie, type ResolvedCookie } from './cookie.js';
import type { HeaderWriter, HttpRequest, HttpResponse } from './http-types.js';
import { SESSION_BRAND } from './request-slots.js';
import type { Duration } from '../internal/duration.js';

/** What a request session needs from `HttpSessions`; one object, shared by every request. */
export interface RequestSessionConfig {
  manager: SessionManager;
  cookie: ResolvedCookie | null;
  clearSiteDataOnLogout: boolean;
  /** API mode with token pairs: logins and rotations issue an access token and a refresh token. */
  pairs: boolean;
  /** The cross-origin guard's 403, or null when the request may go on. */
  crossOrigin: (request: Pick<HttpRequest, 'method' | 'headers'>) => HttpResponse | null;
}

/** How a route loads its session. */
export interface LoadOptions {
  /** With the manager's `fallback` option: through a store outage, accept a recently confirmed session (`degraded`). @default false */
  allowDegraded?: boolean;
}

interface Loaded {
  session: Session | null;
  refusal: RefusalReason | null;
  pendingStepUp: Session | null;
  degraded: boolean;
}

/**
 * The session of one request, attached by the adapters (`req.session`, `request.session`,
 * `ctx.state.session`). Nothing is validated until the request uses it: `await load()`,
 * `requireSession()` or a session route. A request that never asks costs no store call, so public
 * pages keep working through a store outage. Logging in, out and rotating write the credential to
 * the response at once: a cookie in browser mode, `token` for the app to return in API mode.
 */
export class RequestSession {
  /** API mode: the credential issued by `login`, `rotate` or `refresh` in this request (with token pairs, the access token), to hand to the client. */
  token: string | null = null;
  /** API mode with token pairs: the refresh token issued in this request, and when `token` expires. */
  refreshToken: string | null = null;
  tokenExpiresAt: number | null = null;

  readonly #config: RequestSessionConfig;
  readonly #credential: string | readonly string[] | undefined;
  readonly #context: RequestContext;
  readonly #write: HeaderWriter;
  #loaded: Loaded | null = null;
  #loading: Promise<Session | null> | null = null;

  constructor(config: RequestSessionConfig, credential: string | readonly string[] | undefined, context: RequestContext, write: HeaderWriter) {
    this.#config = config;
    this.#credential = credential;
    this.#context = context;
    this.#write = write;
  }

  /** True once `load()` has answered. */
  /** What marks ours when an adapter looks for the request session on the framework's request. */
  get [SESSION_BRAND](): true {
    return true;
  }

  /**
   * The 403 for a cross-origin state-changing request, as the session routes answer it, or null
   * when it may go on: what the adapters' `csrfGuard()` asks.
   */
  crossOriginRefusal(request: Pick<HttpRequest, 'method' | 'headers'>): HttpResponse | null {
    return this.#config.crossOrigin(request);
  }

  get loaded(): boolean {
    return this.#loaded !== null;
  }

  /** The live session, or null. Read it after `await load()` (or behind `requireSession()`). */
  get session(): Session | null {
    return this.#state().session;
  }

  /** Why there is no usable session: `missing` when none was sent, `step-up-required` when it is held. */
  get refusal(): RefusalReason | null {
    return this.#state().refusal;
  }

  /**
   * True when the store was down and the session is the one this process last saw confirmed (the
   * `fallback` option, on a route that allows it). Nothing was written: no cookie is set or cleared.
   */
  get degraded(): boolean {
    return this.#state().degraded;
  }

  /** A session held for step-up: the app re-authenticates the user, then calls `confirmStepUp()`. */
  get pendingStepUp(): Session | null {
    return this.#state().pendingStepUp;
  }

  /**
   * Validates the request's credential once (later calls share the answer) and returns the live
   * session or null. A dead credential's cookie is cleared. `allowDegraded` (with the manager's
   * `fallback` option) answers through a store outage with a recently confirmed session.
   * @throws SessionError `ERR_SESSION_STORE_UNAVAILABLE` (the adapters answer 503, never 401)
   */
  load(options: LoadOptions = {}): Promise<Session | null> {
    // A degraded answer is not kept for a caller that did not allow it.
    if (this.#loaded?.degraded && !options.allowDegraded) this.#loading = null;
    this.#loading ??= this.#validate(options.allowDegraded === true);
    return this.#loading;
  }

  /**
   * Logs a user in with a fresh session id, ending whatever session this request carried (no
   * fixation). Throws `ERR_SESSION_LIMIT_EXCEEDED` (the adapters answer 403 with the live sessions).
   */
  async login(userId: string, options: { data?: SessionData; roles?: readonly string[]; amr?: readonly string[] } = {}): Promise<Session> {
    checkKeys(options, ['data', 'roles', 'amr'], 'options', 'argument'); // before the session this request carried ends
    await this.load();
    const previous = this.#current();
    if (previous) await this.#config.manager.logout(previous.id, { context: this.#context });
    const created = await this.#config.manager.login({ userId, context: this.#context, ...options, tokens: this.#config.pairs ? 'pair' : 'session' });
    this.#issue(created);
    return created.session;
  }

  /**
   * Token pairs: spends the refresh token this request carries (`Authorization: Bearer`) for a new
   * pair in `token` / `refreshToken`. Refusals are values: `refresh-reused` means the session ended.
   */
  async refresh(): Promise<Session | null> {
    const credential = typeof this.#credential === 'string' ? this.#credential : undefined;
    const outcome = await this.#config.manager.refresh(credential, { context: this.#context });
    if (!outcome.ok) {
      this.#loaded = { session: null, refusal: outcome.reason, pendingStepUp: null, degraded: false };
      return null;
    }
    this.#issue(outcome);
    return outcome.session;
  }

  /** Ends the session and clears the cookie (and, when configured, the site's storage). */
  async logout(): Promise<void> {
    await this.load();
    const current = this.#current();
    if (current) await this.#config.manager.logout(current.id, { context: this.#context });
    this.#loaded = { session: null, refusal: 'logged-out', pendingStepUp: null, degraded: false };
    this.clear();
    if (this.#config.clearSiteDataOnLogout) this.#write('clear-site-data', '"cookies", "storage"');
  }

  /** New id and credential for the same session (after a privilege change). */
  async rotate(options: { reauthenticated?: boolean } = {}): Promise<Session | null> {
    await this.load();
    const current = this.#current();
    const rotated = current ? await this.#config.manager.rotate(current.id, options) : null;
    if (rotated) this.#issue(rotated);
    return rotated?.session ?? null;
  }

  /**
   * The user re-authenticated (`amr`: how, e.g. `['pwd', 'otp']`): lifts a step-up hold, records
   * the time as `authTime`, and rotates the credential, as after any privilege change.
   */
  async confirmStepUp(options: { amr?: readonly string[] } = {}): Promise<Session | null> {
    await this.load();
    const held = this.#current();
    if (!held || !(await this.#config.manager.confirmStepUp(held.id, options))) return null;
    return this.rotate({ reauthenticated: true });
  }

  /** For guards: null when the request has a live session authenticated within `maxAge`, else why not. */
  async recentAuthRefusal(maxAge: Duration): Promise<RefusalReason | null> {
    const session = await this.load();
    if (!session) return this.refusal ?? 'missing';
    const recent = this.#config.manager.requireRecentAuth(session, maxAge);
    return recent.ok ? null : recent.reason;
  }

  /** Clears the credential cookie (browser mode). */
  clear(): void {
    const { cookie } = this.#config;
    if (cookie) this.#write('set-cookie', serializeCookie(cookie, '', 0));
    this.#write('cache-control', 'no-store');
  }

  async #validate(allowDegraded: boolean): Promise<Session | null> {
    let result: ValidationResult;
    try {
      result = await this.#config.manager.validate(this.#credential, { context: this.#context, allowDegraded });
    } catch (error) {
      this.#loading = null; // a store outage is not an answer: a later load may try again
      throw error;
    }
    if (result.ok) {
      this.#loaded = { session: result.session, refusal: null, pendingStepUp: null, degraded: result.degraded === true };
      return result.session;
    }
    const pendingStepUp = result.reason === 'step-up-required' ? (result.session ?? null) : null;
    this.#loaded = { session: null, refusal: result.reason, pendingStepUp, degraded: false };
    // Stop the browser sending a dead credential; a held one stays for the step-up.
    if (this.#credential !== undefined && !pendingStepUp) this.clear();
    return null;
  }

  #state(): Loaded {
    if (this.#loaded) return this.#loaded;
    throw new SessionError(
      ErrorCode.NotLoaded,
      'The request session is read before it was loaded: `await req.session.load()` first, or put requireSession() in front of the route',
    );
  }

  #current(): Session | null {
    return this.#loaded ? (this.#loaded.session ?? this.#loaded.pendingStepUp) : null;
  }

  #issue({ session, token, refreshToken, tokenExpiresAt }: { session: Session; token: string; refreshToken?: string; tokenExpiresAt?: number }): void {
    this.#loaded = session.stepUp
      ? { session: null, refusal: 'step-up-required', pendingStepUp: session, degraded: false }
      : { session, refusal: null, pendingStepUp: null, degraded: false };
    const { cookie } = this.#config;
    if (cookie) {
      // Measured on the manager's clock: at issue time the session's lastAccess is "now".
      const maxAge = cookie.persistent ? (session.absoluteExpiresAt - session.lastAccess) / 1000 : null;
      this.#write('set-cookie', serializeCookie(cookie, token, maxAge));
    } else {
      this.token = token;
      this.refreshToken = refreshToken ?? null;
      this.tokenExpiresAt = tokenExpiresAt ?? null;
    }
    this.#write('cache-control', 'no-store');
  }
}
