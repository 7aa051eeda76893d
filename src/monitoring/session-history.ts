import type { AuditEvent } from '../ports/audit-sink.js';
import type { EndReason } from '../types.js';

/** One ended session in a user's history: when and why it ended, who ended it, where it came from. */
export interface SessionHistoryEntry {
  sessionId: string;
  reason: EndReason;
  /** `user`, `system`, or an admin's id. */
  actor: string | null;
  endedAt: number;
  /** From the login event, when the audit trail still has it. */
  createdAt: number | null;
  ip: string | null;
  country: string | null;
  /**
   * True for an absolute expiry inferred from the login's deadline: a session's records are removed
   * at that deadline, so nothing observes it ending; a login past its deadline with no recorded end
   * ended then.
   */
  derived?: boolean;
}

export interface HistoryPage {
  sessions: SessionHistoryEntry[];
  /** Pass back as `cursor` for the next (older) page; null when there is none. */
  cursor: string | null;
}

/**
 * Ended sessions, newest first, from a user's audit events. A rotated session is traced back to
 * the login it came from. Pages are cut by an opaque cursor (time and id of the last entry).
 */
export function historyFrom(events: readonly AuditEvent[], query: { since?: number; pageSize?: number; cursor?: string | null }, now: number): HistoryPage {
  const created = new Map<string, Extract<AuditEvent, { type: 'session.created' }>>();
  const rotatedFrom = new Map<string, string>();
  const rotatedTo = new Map<string, string>();
  const ended = new Set<string>();
  for (const event of events) {
    if (event.type === 'session.created') created.set(event.sessionId, event);
    if (event.type === 'session.rotated') {
      rotatedFrom.set(event.sessionId, event.previousSessionId);
      rotatedTo.set(event.previousSessionId, event.sessionId);
    }
    if (event.type === 'session.ended') ended.add(event.sessionId);
  }
  const origin = (sessionId: string) => {
    let id = sessionId;
    for (let hops = 0; !created.has(id) && rotatedFrom.has(id) && hops < 100; hops += 1) id = rotatedFrom.get(id)!;
    return created.get(id);
  };
  const after = decodeCursor(query.cursor);
  const observed = events.flatMap((event): SessionHistoryEntry[] => {
    if (event.type !== 'session.ended') return [];
    const login = origin(event.sessionId);
    return [
      {
        sessionId: event.sessionId,
        reason: event.reason,
        actor: event.actor,
        endedAt: event.at,
        createdAt: login?.at ?? null,
        ip: login?.ip ?? null,
        country: login?.country ?? null,
      },
    ];
  });
  const derived = [...created.values()].flatMap((login): SessionHistoryEntry[] => {
    let id = login.sessionId;
    for (let hops = 0; rotatedTo.has(id) && hops < 100; hops += 1) id = rotatedTo.get(id)!;
    if (ended.has(id) || login.absoluteExpiresAt === undefined || now < login.absoluteExpiresAt) return [];
    return [
      {
        sessionId: id,
        reason: 'expired-absolute',
        actor: 'system',
        endedAt: login.absoluteExpiresAt,
        createdAt: login.at,
        ip: login.ip,
        country: login.country,
        derived: true,
      },
    ];
  });
  const entries = [...observed, ...derived]
    .filter((entry) => entry.endedAt >= (query.since ?? 0))
    .sort((a, b) => b.endedAt - a.endedAt || (a.sessionId < b.sessionId ? 1 : -1))
    .filter((entry) => !after || entry.endedAt < after.at || (entry.endedAt === after.at && entry.sessionId < after.id));
  const limit = query.pageSize ?? 50;
  const page = entries.slice(0, limit);
  const last = page.at(-1);
  return { sessions: page, cursor: entries.length > limit && last ? encodeCursor(last) : null };
}

function encodeCursor(entry: SessionHistoryEntry): string {
  return Buffer.from(JSON.stringify([entry.endedAt, entry.sessionId])).toString('base64url');
}

function decodeCursor(cursor: string | null | undefined): { at: number; id: string } | null {
  if (!cursor) return null;
  try {
    const [at, id] = JSON.parse(Buffer.from(cursor, 'base64url').toString()) as [unknown, unknown];
    return typeof at === 'number' && typeof id === 'string' ? { at, id } : null;
  } catch {
    return null;
  }
}
