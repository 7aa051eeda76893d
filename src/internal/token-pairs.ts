import { ErrorCode, isSessionError, unsupported } from '../errors.js';
import type { RefreshResult } from '../ports/session-store.js';
import type { RefreshOutcome, TokenPair } from '../session-results.js';
import type { RefreshTokenParts, RefreshTokens } from '../tokens/refresh-tokens.js';
import type { RequestContext, Session } from '../types.js';
import type { ManagerParts } from './manager-parts.js';

type PairParts = Pick<ManagerParts, 'options' | 'codec' | 'store' | 'calls' | 'hasher' | 'refusals' | 'observer' | 'confirmed' | 'ambiguous'>;
import { publicSession, refusalFor } from './public-session.js';
import { refOf } from './session-arguments.js';

/**
 * API token pairs: a short-lived access token (a JWS naming the session, checked against the
 * store on every request like any credential) and an opaque refresh token, rotated on every use in
 * one store step. A spent refresh token that comes back outside the grace window ends the session.
 */
export class TokenPairs {
  readonly #parts: PairParts;
  readonly #tokens: RefreshTokens;

  constructor(parts: PairParts, tokens: RefreshTokens) {
    this.#parts = parts;
    this.#tokens = tokens;
  }

  /** The refresh token that starts a session's lineage (generation 0), for the secret whose hash the session stores. */
  first(session: Pick<Session, 'id' | 'absoluteExpiresAt'>, secret: string): RefreshTokenParts {
    return { sessionId: session.id, generation: 0, expiresAt: session.absoluteExpiresAt, secret };
  }

  /** Throws at once when the store cannot rotate refresh tokens, before anything is written. */
  assertSupported(): void {
    if (typeof this.#parts.store.refresh !== 'function') throw unsupported('refresh', 'token pairs need a store that implements refresh()');
  }

  /** An access token for the session (never past its absolute deadline) and the given refresh token. */
  async issue(session: Pick<Session, 'id' | 'absoluteExpiresAt'>, refresh: RefreshTokenParts, now: number): Promise<TokenPair> {
    const tokenExpiresAt = Math.min(now + this.#parts.options.tokenPairs.accessTtlMs, session.absoluteExpiresAt);
    const token = await this.#parts.codec.signAccess({ sessionId: session.id, expiresAt: tokenExpiresAt, now });
    return { token, refreshToken: this.#tokens.format(refresh), tokenExpiresAt };
  }

  async refresh(refreshToken: unknown, context: RequestContext | undefined): Promise<RefreshOutcome> {
    const { options, calls, store, hasher, refusals, observer } = this.#parts;
    const now = options.clock();
    if (refreshToken === undefined || refreshToken === null || refreshToken === '') return refusals.refuse('missing', null, null, now, context);
    const presented = this.#tokens.parse(refreshToken);
    const ref = presented && refOf(presented.sessionId);
    if (!presented || !ref) return refusals.refuse('invalid', null, null, now, context);
    if (now >= presented.expiresAt) return refusals.refuse('expired-absolute', presented.sessionId, null, now, context);
    this.assertSupported();
    const next = this.#tokens.successor(presented);
    const presentedHash = hasher.secretHash(presented.secret);
    const graceMs = this.#parts.ambiguous.refreshGrace(presentedHash, now, options.tokenPairs.reuseGraceMs);
    let result: RefreshResult;
    try {
      result = await calls.store('refresh', () => store.refresh!(ref, { presentedHash, nextHash: hasher.secretHash(next.secret), graceMs, now }));
    } catch (error) {
      // It may still be applied: the client's retry with this token must get the successor, not a revocation.
      if (isSessionError(error, ErrorCode.StoreUnavailable)) this.#parts.ambiguous.refresh(presentedHash, now);
      throw error;
    }
    const client = context ? observer.client(context) : undefined;
    switch (result.status) {
      case 'missing':
        return refusals.refuse('invalid', presented.sessionId, null, now, context);
      case 'ended':
        if (result.justEnded) calls.reportEnded([result.session], now);
        return refusals.refuse(refusalFor(result.session.endReason), presented.sessionId, result.session.userId, now, context);
      case 'reused': {
        this.#parts.confirmed?.forget(presented.sessionId);
        calls.reportEnded([result.session], now, client);
        const { id: sessionId, userId } = result.session;
        calls.emit({ type: 'session.refresh-reused', v: 1, at: now, sessionId, userId, generation: presented.generation, ...(client ? { client } : {}) });
        return { ok: false, reason: 'refresh-reused' };
      }
      case 'refreshed': {
        const session = publicSession(result.session);
        const { replayed } = result;
        calls.emit({
          type: 'session.refreshed',
          v: 1,
          at: now,
          sessionId: session.id,
          userId: session.userId,
          replayed,
          expiresAt: session.expiresAt,
          ...(client ? { client } : {}),
        });
        return { ok: true, session, ...(await this.issue(session, next, now)) };
      }
    }
  }
}
