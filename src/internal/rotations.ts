import { ErrorCode, isSessionError } from '../errors.js';
import type { RotateResult } from '../ports/session-store.js';
import type { IssuedSession } from '../session-results.js';
import { randomToken } from '../tokens/random.js';
import { newSessionId } from '../tokens/session-id.js';
import type { ManagerParts } from './manager-parts.js';
import { publicSession } from './public-session.js';
import { refOf } from './session-arguments.js';
import type { Session } from '../types.js';

/** Session id rotation, including the answer to a retry of a rotation whose reply was lost. */
export class Rotations {
  readonly #parts: ManagerParts;

  constructor(parts: ManagerParts) {
    this.#parts = parts;
  }

  async rotate(sessionId: string, options: { reauthenticated?: boolean }): Promise<IssuedSession | null> {
    const { options: config, hasher, calls, store, ambiguous } = this.#parts;
    const ref = refOf(sessionId);
    if (!ref) return null;
    const now = config.clock();
    this.#parts.confirmed?.forget(sessionId);
    const secret = randomToken();
    const next = { id: newSessionId(ref.userKey), secretHash: hasher.secretHash(secret), ...(options.reauthenticated ? { authTime: now } : {}) };
    let result: RotateResult;
    try {
      result = await calls.store('rotate', () => store.rotate(ref, next, { now }));
    } catch (error) {
      // It may still be applied: a retry must find the successor this attempt made.
      if (isSessionError(error, ErrorCode.StoreUnavailable)) ambiguous.rotation(sessionId, { next: { id: next.id, secret } }, now);
      throw error;
    }
    if (result.status === 'ended' && result.justEnded) calls.reportEnded([result.session], now);
    if (result.status !== 'rotated') return result.status === 'ended' && result.session.endReason === 'rotated' ? this.#earlier(sessionId, now) : null;
    const session = publicSession(result.session);
    calls.announce([sessionId]);
    calls.emit({ type: 'session.rotated', v: 1, at: now, sessionId: session.id, userId: session.userId, previousSessionId: sessionId });
    return { session, ...(await this.#credentials(result.session.tokenPair === true, session, secret, now)) };
  }

  /** A session credential, or for a token pair's session a new pair starting a new lineage. */
  async #credentials(pair: boolean, session: Session, secret: string, now: number): Promise<Omit<IssuedSession, 'session'>> {
    if (pair) return this.#parts.pairs.issue(session, this.#parts.pairs.first(session, secret), now);
    return { token: await this.#parts.codec.sign({ sessionId: session.id, secret, expiresAt: session.absoluteExpiresAt, now }) };
  }

  /** The successor an earlier, timed-out rotation of this session made (within the window), or null. */
  async #earlier(sessionId: string, now: number): Promise<IssuedSession | null> {
    const { calls, store, ambiguous } = this.#parts;
    const pending = ambiguous.takeRotation(sessionId, now);
    const ref = pending && refOf(pending.next.id);
    if (!pending || !ref) return null;
    const stored = await calls.store('get', () => store.get(ref));
    if (!stored || stored.endReason !== null || now >= stored.expiresAt) return null;
    const session = publicSession(stored);
    calls.emit({ type: 'session.rotated', v: 1, at: now, sessionId: session.id, userId: session.userId, previousSessionId: sessionId });
    return { session, ...(await this.#credentials(stored.tokenPair === true, session, pending.next.secret, now)) };
  }
}
