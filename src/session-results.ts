import type { EndedSession } from './ports/session-store.js';
import type { RefusalReason, RequestContext, Session, SessionData } from './types.js';

export interface CreateSessionInput {
  userId: string;
  /** Passed to `expiry` and `limit` functions. Not stored. */
  roles?: readonly string[];
  /** Initial application data (JSON). */
  data?: SessionData;
  /** How the user authenticated (RFC 8176 names such as `pwd`, `otp`, `hwk`), kept as `session.amr`. */
  amr?: readonly string[];
  /** The login request: device and location come from it. */
  context?: RequestContext;
  /**
   * `'pair'` (API clients): a short-lived access token as `token`, plus a rotating `refreshToken`
   * (see `refresh`). @default 'session' (one credential, the session's own: a cookie or a bearer token)
   */
  tokens?: 'session' | 'pair';
}

/** An API token pair: `token` is the short-lived access token, `refreshToken` gets the next pair once. */
export interface TokenPair {
  token: string;
  refreshToken: string;
  /** When the access token stops working (epoch ms); refresh before or on the 401. */
  tokenExpiresAt: number;
}

export type RefreshOutcome =
  | ({ ok: true; session: Session } & TokenPair)
  /** `refresh-reused`: the token was spent already, so someone holds a copy; the session is ended. */
  | { ok: false; reason: Exclude<RefusalReason, 'step-up-required'> };

export interface IssuedSession {
  session: Session;
  /** The credential to hand to the client (cookie or bearer), or a token pair's access token. Shown once; only its keyed hash is stored. */
  token: string;
  /** Token pairs only: the refresh token and when the access token expires. */
  refreshToken?: string;
  tokenExpiresAt?: number;
}

export interface CreatedSession extends IssuedSession {
  /** Sessions this login ended under an `evict-*` limit policy. */
  evicted: EndedSession[];
}

export interface ValidateOptions {
  /** Record activity (at most once per touch interval). @default true */
  touch?: boolean;
  /** The request, so a changed IP or user agent is inspected. */
  context?: RequestContext;
  /** With the `fallback` option: during a store outage, answer a recently confirmed session as `degraded`. @default false */
  allowDegraded?: boolean;
}

export type ValidationResult =
  /** `degraded`: the store was down and this is the session as this process last saw it confirmed. */
  | { ok: true; session: Session; degraded?: true }
  /** Held until the user re-authenticates: the session still exists (confirm with `confirmStepUp(session.id)`). */
  | { ok: false; reason: 'step-up-required'; session: Session }
  | { ok: false; reason: Exclude<RefusalReason, 'step-up-required'> };

export interface RevokeOptions {
  /** Who ended it, for the audit trail: `user`, `system`, or an admin's id. @default 'system' */
  actor?: string;
  /** @default 'revoked' */
  reason?: 'revoked' | 'logout' | 'anomaly';
  /** The request that asked for it: its IP, user agent and request id go into the audit event. */
  context?: RequestContext;
}
