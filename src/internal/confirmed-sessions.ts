import type { Session } from '../types.js';
import { BoundedCache } from './bounded-cache.js';
import { partitionKeyOf } from '../tokens/session-id.js';

interface Confirmation {
  session: Session;
  secretHash: string;
  confirmedAt: number;
}

/**
 * The sessions this process last saw the store confirm, for the degraded fallback: bounded (least
 * recently confirmed out), bound to the credential's secret, and forgotten the moment this process
 * ends, rotates or sees a refusal of one.
 */
export class ConfirmedSessions {
  readonly #entries: BoundedCache<string, Confirmation>;
  /** The ids remembered per user key, so forgetting a user walks that user's sessions, not all of them. */
  readonly #byUser = new Map<string, Set<string>>();

  constructor(maxEntries: number) {
    this.#entries = new BoundedCache(maxEntries, (id) => {
      const userKey = partitionKeyOf(id);
      const ids = this.#byUser.get(userKey);
      if (ids?.delete(id) && ids.size === 0) this.#byUser.delete(userKey);
    });
  }

  confirm(session: Session, secretHash: string, at: number): void {
    this.#entries.set(session.id, { session, secretHash, confirmedAt: at });
    const userKey = partitionKeyOf(session.id);
    const ids = this.#byUser.get(userKey);
    if (ids) ids.add(session.id);
    else this.#byUser.set(userKey, new Set([session.id]));
  }

  clear(): void {
    this.#entries.clear();
  }

  forget(sessionId: string): void {
    this.#entries.delete(sessionId);
  }

  /** Every session of the user behind `userKey` (ids carry it), except the given ids. */
  forgetUser(userKey: string, except: readonly string[] = []): void {
    const ids = this.#byUser.get(userKey);
    if (ids) for (const id of [...ids]) if (!except.includes(id)) this.#entries.delete(id);
  }

  /**
   * A copy of the session as last confirmed, when that was at most `maxAgeMs` ago, the secret matches and
   * neither of its deadlines (as last known) has passed; otherwise null.
   */
  recall(sessionId: string, secretHash: string, now: number, maxAgeMs: number): Session | null {
    const entry = this.#entries.get(sessionId);
    if (!entry || entry.secretHash !== secretHash) return null;
    const { session, confirmedAt } = entry;
    if (now - confirmedAt > maxAgeMs || now >= session.expiresAt || now >= session.absoluteExpiresAt || session.stepUp) return null;
    return copySession(session);
  }
}

/**
 * Each answer gets its own copy, so a route that edits it cannot change what the next request
 * sees. Field by field: structuredClone of the whole session costs three times as much per hit.
 * A frozen device or location (as the Redis store reads them) cannot be edited and is shared; a
 * spread of a frozen object is also V8's slow path (about 120 ns against 20).
 */
function copySession(session: Session): Session {
  const { deviceInfo, locationInfo, data } = session;
  return {
    ...session,
    deviceInfo: Object.isFrozen(deviceInfo) ? deviceInfo : { ...deviceInfo },
    locationInfo: locationInfo && (Object.isFrozen(locationInfo) ? locationInfo : { ...locationInfo }),
    data: isEmpty(data) ? {} : structuredClone(data),
  };
}

function isEmpty(data: object): boolean {
  for (const _ in data) return false;
  return true;
}
