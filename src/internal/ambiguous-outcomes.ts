import type { EndedSession, SessionRef, SessionStore } from '../ports/session-store.js';
import type { GuardedCalls } from './guarded-calls.js';

/** How long an unknown outcome is remembered: longer than any retry a client makes after a 503. */
const WINDOW_MS = 60_000;
/** Bounded, never a growing queue: past this, the oldest is forgotten. */
const MAX_ENTRIES = 1_000;

export interface PendingRotation {
  next: { id: string; secret: string; authTime?: number };
}

/**
 * Store calls that timed out may still be applied when Redis answers again (the command was sent).
 * This remembers, per process and for a short window, what such a call would have done:
 * - a login whose credential never reached the client: a ghost to end before the user's retry is
 *   counted against the limit (and by a timer as soon as the store answers);
 * - a rotation: a retry finds the old session rotated, and gets the successor the first attempt made.
 */
export class AmbiguousOutcomes {
  readonly #store: SessionStore;
  readonly #calls: GuardedCalls;
  readonly #clock: () => number;
  readonly #ghosts = new Map<string, { ref: SessionRef; until: number }>();
  readonly #refreshes = new Map<string, number>();
  readonly #rotations = new Map<string, PendingRotation & { until: number }>();
  #timer: NodeJS.Timeout | undefined;

  constructor(store: SessionStore, calls: GuardedCalls, clock: () => number) {
    this.#store = store;
    this.#calls = calls;
    this.#clock = clock;
  }

  /** A login whose create timed out: ended as soon as the store answers (a 1 s timer), or before the user's next login. */
  ghost(ref: SessionRef, now: number): void {
    bounded(this.#ghosts).set(ref.id, { ref, until: now + WINDOW_MS });
    if (this.#timer) return;
    this.#timer = setInterval(() => {
      void this.reclaim().finally(() => {
        if (this.#ghosts.size === 0) this.dispose();
      });
    }, 1_000);
    this.#timer.unref();
  }

  /** Ends the ghost logins (of one user, or all) still within the window; an outage leaves them for later. */
  async reclaim(userKey?: string): Promise<void> {
    if (this.#ghosts.size === 0) return;
    const now = this.#clock();
    for (const [id, ghost] of this.#ghosts) {
      if (ghost.until <= now) this.#ghosts.delete(id);
      else if (userKey === undefined || ghost.ref.userKey === userKey) {
        try {
          const at = this.#clock();
          const ended = await this.#calls.store('revoke', () =>
            this.#store.revoke(ghost.ref, { reason: 'revoked', actor: 'system:unanswered-login', now: at }),
          );
          this.#ghosts.delete(id);
          if (ended) this.#calls.reportEnded([ended as EndedSession], at);
        } catch {
          return; // still down: the login (or the timer) tries again
        }
      }
    }
  }

  dispose(): void {
    clearInterval(this.#timer);
    this.#timer = undefined;
  }

  /** A refresh whose answer was lost: the store may have spent the token, so its retry must not count as reuse. */
  refresh(presentedHash: string, now: number): void {
    bounded(this.#refreshes).set(presentedHash, now + WINDOW_MS);
  }

  /** How long a spent refresh token may still replay its successor: the whole window after a lost answer here. */
  refreshGrace(presentedHash: string, now: number, graceMs: number): number {
    const until = this.#refreshes.get(presentedHash);
    return until !== undefined && until > now ? Math.max(graceMs, WINDOW_MS) : graceMs;
  }

  rotation(previousId: string, pending: PendingRotation, now: number): void {
    bounded(this.#rotations).set(previousId, { ...pending, until: now + WINDOW_MS });
  }

  /** The rotation of `previousId` whose outcome is unknown, if still within the window; forgotten once read. */
  takeRotation(previousId: string, now: number): PendingRotation | null {
    const pending = this.#rotations.get(previousId);
    this.#rotations.delete(previousId);
    return pending && pending.until > now ? pending : null;
  }
}

function bounded<K, V>(map: Map<K, V>): Map<K, V> {
  if (map.size >= MAX_ENTRIES) map.delete(map.keys().next().value as K);
  return map;
}
