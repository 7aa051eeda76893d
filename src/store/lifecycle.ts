import type { EndedSession, StoredSession } from '../ports/session-store.js';
import type { EndReason, Session } from '../types.js';

/** Live: not ended, and before both its idle and its absolute deadline. */
export function isLive(session: StoredSession, now: number): boolean {
  return session.endReason === null && now < session.expiresAt && now < session.absoluteExpiresAt;
}

/** Which deadline a session that is no longer live passed. */
export function expiryReason(session: StoredSession, now: number): EndReason {
  return now >= session.absoluteExpiresAt ? 'expired-absolute' : 'expired-idle';
}

/** Idle deadline after activity at `at`, never past the absolute one. */
export function idleDeadline(session: Pick<StoredSession, 'idleTimeoutMs' | 'absoluteExpiresAt'>, at: number): number {
  return Math.min(at + session.idleTimeoutMs, session.absoluteExpiresAt);
}

/**
 * When a store may physically drop a session: a live one a little after its idle deadline (so a late
 * request still learns it expired), an ended one `retentionMs` after it ended — and never later than
 * its absolute deadline.
 */
export function removalTime(session: StoredSession, now: number, retentionMs: number): number {
  const after = session.endReason === null ? session.expiresAt : now;
  return Math.min(after + retentionMs, session.absoluteExpiresAt);
}

/** Marks a session ended (in place) and returns it. */
export function markEnded(session: StoredSession, reason: EndReason, actor: string | null, now: number): StoredSession {
  session.isActive = false;
  session.endReason = reason;
  session.endedBy = actor;
  session.endedAt = reason === 'expired-absolute' ? session.absoluteExpiresAt : reason === 'expired-idle' ? session.expiresAt : now;
  return session;
}

/** Order for listings and for `evict-oldest`: creation time, then id for a stable tie-break. */
export function byCreation(a: Session, b: Session): number {
  return a.createdAt - b.createdAt || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0);
}

/** Order for `evict-idle`: least recently used first. */
export function byLastAccess(a: Session, b: Session): number {
  return a.lastAccess - b.lastAccess || byCreation(a, b);
}

/** The tombstone view of an ended session. */
export function summarize(session: StoredSession): EndedSession {
  if (session.endReason === null) throw new Error('summarize() needs an ended session');
  return { id: session.id, userId: session.userId, endReason: session.endReason, endedAt: session.endedAt, endedBy: session.endedBy };
}
