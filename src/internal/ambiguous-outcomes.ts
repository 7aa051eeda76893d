import type { SessionRef } from '../ports/session-store.js';

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
  readonly #ghosts = new Map<string, { ref: SessionRef; until: number }>();
  readonly #rotations = new Map<string, PendingRotation & { until: number }>();

  ghost(ref: SessionRef, now: number): void {
    bounded(this.#ghosts).set(ref.id, { ref, until: now + WINDOW_MS });
  }

  /** Ghost logins of one user (or of everyone), still worth ending. */
  ghosts(now: number, userKey?: string): SessionRef[] {
    for (const [id, ghost] of this.#ghosts) if (ghost.until <= now) this.#ghosts.delete(id);
    return [...this.#ghosts.values()].filter((g) => userKey === undefined || g.ref.userKey === userKey).map((g) => g.ref);
  }

  settled(id: string): void {
    this.#ghosts.delete(id);
  }

  get hasGhosts(): boolean {
    return this.#ghosts.size > 0;
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
