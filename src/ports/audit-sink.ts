import type { AnomalyFinding } from './anomaly-detector.js';
import type { EndReason, RefusalReason } from '../types.js';

interface EventBase {
  /** Catalogue version; bumped only when an event's shape changes incompatibly. */
  v: 1;
  /** Epoch milliseconds (for arithmetic). */
  at: number;
  /** The same instant as ISO 8601 UTC (for people and log pipelines). */
  time: string;
}

/** Who was on the other end of a request, as far as the audit trail keeps it. */
export interface AuditClient {
  /** Stored the way session IPs are (as is, truncated or keyed-hashed: `truncateIp` / `hashIp`). */
  ip: string;
  /** The User-Agent header, control characters removed, cut to 128 characters. */
  userAgent: string;
  /** The request's correlation id, when the app passed one (`RequestContext.requestId`). */
  requestId?: string;
}

/** What a caller hands the manager to emit: `time` is filled in from `at`, `userKey` from `userId`. */
export type AuditEventInput = AuditEvent extends infer E ? (E extends AuditEvent ? Omit<E, 'time' | 'userKey'> : never) : never;

/** Session handles only: no secret, token or piece of one ever appears in an event. */
interface SessionEventBase extends EventBase {
  sessionId: string;
  userId: string;
  /** The user's keyed partition key (a pseudonym, also the start of every session id): what stores key a user by. */
  userKey: string;
}

export type AuditEvent =
  | (SessionEventBase & { type: 'session.created'; ip: string; device: string; country: string | null; absoluteExpiresAt: number; client?: AuditClient })
  | (SessionEventBase & { type: 'session.renewed'; expiresAt: number })
  | (SessionEventBase & { type: 'session.rotated'; previousSessionId: string })
  /** A token pair was refreshed (API mode); `replayed` when a parallel request inside the grace window got the same successor. */
  | (SessionEventBase & { type: 'session.refreshed'; replayed: boolean; expiresAt: number; client?: AuditClient })
  /**
   * A spent refresh token came back after the grace window: someone holds a copy. The session and
   * every token of it were ended in the same store step. `generation`: which refresh of the session
   * the presented token came from (0 = the one issued at login).
   */
  | (SessionEventBase & { type: 'session.refresh-reused'; generation: number; client?: AuditClient })
  | (SessionEventBase & { type: 'session.updated'; fields: string[] })
  | (SessionEventBase & { type: 'session.ended'; reason: EndReason; actor: string | null; client?: AuditClient })
  | (SessionEventBase & { type: 'session.anomaly'; findings: AnomalyFinding[]; action: 'log' | 'step-up' | 'revoke' | 'revoke-all'; client?: AuditClient })
  | (SessionEventBase & { type: 'session.step-up-required'; reason: string })
  | (SessionEventBase & { type: 'session.step-up-confirmed' })
  | (EventBase & {
      type: 'session.refused';
      reason: RefusalReason;
      sessionId: string | null;
      userId: string | null;
      userKey?: string;
      detail?: 'duplicate-credential';
      client?: AuditClient;
    })
  | (EventBase & { type: 'login.refused-by-limit'; userId: string; userKey: string; limit: number; sessionIds: string[]; client?: AuditClient })
  /** One IP presented many forged or unknown credentials within the window (see `guessing`). */
  | (EventBase & { type: 'session.guessing'; ip: string; count: number; windowMs: number })
  /** The store stopped answering: once per outage (the first failed call), not per request. */
  | (EventBase & { type: 'store.unavailable'; operation: string; error: string })
  /** The validation cache stopped answering (its push channel may have missed a revocation), or answers again. */
  | (EventBase & { type: 'cache.suspended' })
  | (EventBase & { type: 'cache.resumed' })
  /** The fallback served a session while the store was down: once per outage (the first such request). */
  | (EventBase & { type: 'store.degraded'; since: number; sessionId: string; userId: string })
  /** The first successful call after an outage: how long it lasted and how many calls failed. */
  | (EventBase & { type: 'store.recovered'; downForMs: number; failedCalls: number });

export type AuditEventType = AuditEvent['type'];

export interface HistoryQuery {
  userId: string;
  /** The user's keyed partition key, for sinks that key storage by it (never by the raw id). */
  userKey: string;
  /** Only events at or after this time. */
  since?: number;
  /** Newest first; at most this many. */
  maxEvents?: number;
}

/**
 * Receives lifecycle events. `emit` must not throw for ordinary failures, but the manager guards
 * it anyway: a failing sink is reported through `onError` and never breaks a request.
 * Sinks that keep events may answer `history` (newest first).
 */
export interface AuditSink {
  emit(event: AuditEvent): Promise<void>;
  history?(query: HistoryQuery): Promise<AuditEvent[]>;
  /** Deletes every event about a user (right to erasure); returns how many. */
  purgeUser?(user: { userId: string; userKey: string }): Promise<number>;
}
