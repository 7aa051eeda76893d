import type { EndedSession } from './ports/session-store.js';
import type { RefusalReason, RequestContext, Session, SessionData } from './types.js';

export interface CreateSessionInput {
  userId: string;
  /** Passed to `expiry` and `limit` functions. Not stored. */
  roles?: readonly string[];
  /** Initial application data (JSON). */
  data?: SessionData;
  /** The login request: device and location come from it. */
  context?: RequestContext;
}

export interface IssuedSession {
  session: Session;
  /** The credential to hand to the client (cookie or bearer). Shown once; only its keyed hash is stored. */
  token: string;
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
