import type { AnomalyFinding } from './anomaly-detector.js';
import type { EndReason } from '../types.js';

/** Why `validate` refused a credential. Stable strings: clients may show or switch on them. */
export type RefusalReason =
  | 'missing'
  | 'malformed'
  | 'invalid'
  | 'expired-idle'
  | 'expired-absolute'
  | 'revoked'
  | 'evicted'
  | 'rotated'
  | 'logged-out'
  | 'step-up-required';

interface EventBase {
  /** Catalogue version; bumped only when an event's shape changes incompatibly. */
  v: 1;
  /** Epoch milliseconds. */
  at: number;
}

/** Session handles only: no secret, token or piece of one ever appears in an event. */
interface SessionEventBase extends EventBase {
  sessionId: string;
  userId: string;
}

export type AuditEvent =
  | (SessionEventBase & { type: 'session.created'; ip: string; device: string; country: string | null; absoluteExpiresAt: number })
  | (SessionEventBase & { type: 'session.renewed'; expiresAt: number })
  | (SessionEventBase & { type: 'session.rotated'; previousSessionId: string })
  | (SessionEventBase & { type: 'session.updated'; fields: string[] })
  | (SessionEventBase & { type: 'session.ended'; reason: EndReason; actor: string | null })
  | (SessionEventBase & { type: 'session.anomaly'; findings: AnomalyFinding[]; action: 'log' | 'step-up' | 'revoke' | 'revoke-all' })
  | (SessionEventBase & { type: 'session.step-up-required'; reason: string })
  | (SessionEventBase & { type: 'session.step-up-confirmed' })
  | (EventBase & { type: 'session.refused'; reason: RefusalReason; sessionId: string | null; userId: string | null; detail?: 'duplicate-credential' })
  | (EventBase & { type: 'login.refused-by-limit'; userId: string; limit: number; sessionIds: string[] })
  | (EventBase & { type: 'store.unavailable'; operation: string; error: string });

export type AuditEventType = AuditEvent['type'];

export interface HistoryQuery {
  userId: string;
  /** Only events at or after this time. */
  since?: number;
  /** Newest first; at most this many. */
  limit?: number;
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
  purge?(userId: string): Promise<number>;
}
