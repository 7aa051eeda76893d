import type { RefusalReason } from '../ports/audit-sink.js';
import type { SessionManager } from '../session-manager.js';
import type { RequestContext, Session, SessionData } from '../types.js';
import { serializeCookie, type ResolvedCookie } from './cookie.js';
import type { HeaderWriter } from './http-types.js';

/**
 * The session of one request, attached by the adapters (`req.session`, `request.session`,
 * `ctx.state.session`). Logging in, out and rotating write the credential to the response at once:
 * a cookie in browser mode, `token` for the app to return in API mode.
 */
export class RequestSession {
  /** The live session, or null. */
  session: Session | null;
  /** Why there is no usable session: `missing` when none was sent, `step-up-required` when it is held. */
  refusal: RefusalReason | null;
  /** A session held for step-up: the app re-authenticates the user, then calls `confirmStepUp()`. */
  pendingStepUp: Session | null;
  /** API mode: the credential issued by `login` or `rotate` in this request, to hand to the client. */
  token: string | null = null;

  readonly #manager: SessionManager;
  readonly #context: RequestContext;
  readonly #cookie: ResolvedCookie | null;
  readonly #write: HeaderWriter;

  constructor(
    init: { session: Session | null; refusal: RefusalReason | null; pendingStepUp: Session | null },
    manager: SessionManager,
    context: RequestContext,
    cookie: ResolvedCookie | null,
    write: HeaderWriter,
  ) {
    this.session = init.session;
    this.refusal = init.refusal;
    this.pendingStepUp = init.pendingStepUp;
    this.#manager = manager;
    this.#context = context;
    this.#cookie = cookie;
    this.#write = write;
  }

  /**
   * Logs a user in with a fresh session id, ending whatever session this request carried (no
   * fixation). Throws `ERR_SESSION_LIMIT_EXCEEDED` (the adapters answer 403 with the live sessions).
   */
  async login(userId: string, options: { data?: SessionData; roles?: readonly string[] } = {}): Promise<Session> {
    const previous = this.session ?? this.pendingStepUp;
    if (previous) await this.#manager.logout(previous.id);
    const { session, token } = await this.#manager.create({ userId, context: this.#context, ...options });
    this.#issue(session, token);
    return session;
  }

  /** Ends the session and clears the cookie. */
  async logout(): Promise<void> {
    const current = this.session ?? this.pendingStepUp;
    if (current) await this.#manager.logout(current.id);
    this.session = null;
    this.pendingStepUp = null;
    this.refusal = 'logged-out';
    this.clear();
  }

  /** New id and credential for the same session (after a privilege change). */
  async rotate(options: { reauthenticated?: boolean } = {}): Promise<Session | null> {
    const current = this.session ?? this.pendingStepUp;
    const rotated = current ? await this.#manager.rotate(current.id, options) : null;
    if (rotated) this.#issue(rotated.session, rotated.token);
    return rotated?.session ?? null;
  }

  /** The user re-authenticated: lifts the step-up hold and rotates the credential, as after any privilege change. */
  async confirmStepUp(): Promise<Session | null> {
    const held = this.pendingStepUp ?? this.session;
    if (!held || !(await this.#manager.confirmStepUp(held.id))) return null;
    return this.rotate({ reauthenticated: true });
  }

  /** Clears the credential cookie (browser mode). */
  clear(): void {
    if (this.#cookie) this.#write('set-cookie', serializeCookie(this.#cookie, '', 0));
    this.#write('cache-control', 'no-store');
  }

  #issue(session: Session, token: string): void {
    this.session = session;
    this.pendingStepUp = session.stepUp ? session : null;
    this.refusal = session.stepUp ? 'step-up-required' : null;
    if (session.stepUp) this.session = null;
    if (this.#cookie) {
      // Measured on the manager's clock: at issue time the session's lastAccess is "now".
      const maxAge = this.#cookie.persistent ? (session.absoluteExpiresAt - session.lastAccess) / 1000 : null;
      this.#write('set-cookie', serializeCookie(this.#cookie, token, maxAge));
    } else this.token = token;
    this.#write('cache-control', 'no-store');
  }
}
