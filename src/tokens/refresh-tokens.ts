import { timingSafeEqual } from 'node:crypto';
import { HmacSha } from './hmac-sha.js';
import { userKeyOf } from './session-id.js';

/** What a refresh token says: its session, which refresh of it made the token (0 at login), the session's absolute deadline, and its secret. */
export interface RefreshTokenParts {
  sessionId: string;
  generation: number;
  /** Epoch ms, whole seconds: past it the token is refused without asking the store. */
  expiresAt: number;
  secret: string;
}

const PREFIX = 'swr1';
/** `swr1.<sessionId>.<generation>.<expiry seconds>.<secret>.<tag>` (numbers base 36): never parses as a JWS. */
const PATTERN = /^swr1\.([A-Za-z0-9_-]{16}\.[A-Za-z0-9_-]{22})\.([0-9a-z]{1,6})\.([0-9a-z]{1,10})\.([A-Za-z0-9_-]{22})\.([A-Za-z0-9_-]{22})$/;

/**
 * The opaque half of an API token pair. The first secret is 128 CSPRNG bits; each successor's is
 * derived from its predecessor under a key only the manager holds, so every parallel refresh of
 * one token gets the same successor (one lineage, never a fork) while the store keeps nothing but
 * keyed hashes. The tag (a MAC over the rest) means a token the manager never issued is refused
 * before any store call, and a genuine one the store no longer expects can only be a spent one.
 */
export class RefreshTokens {
  readonly #hmac: HmacSha;

  constructor(secret: Uint8Array) {
    this.#hmac = HmacSha.derived(secret, 'sessionward/v1/refresh-token');
  }

  format(parts: RefreshTokenParts): string {
    const body = `${PREFIX}.${parts.sessionId}.${parts.generation.toString(36)}.${Math.floor(parts.expiresAt / 1000).toString(36)}.${parts.secret}`;
    return `${body}.${this.#mac('tag', body)}`;
  }

  /** The token's parts when it is one this manager issued, else null (any input, never a throw). */
  parse(token: unknown): RefreshTokenParts | null {
    if (typeof token !== 'string' || token.length > 160) return null;
    const match = PATTERN.exec(token);
    if (!match || userKeyOf(match[1]!) === null) return null;
    const tag = Buffer.from(match[5]!);
    const expected = Buffer.from(this.#mac('tag', token.slice(0, token.lastIndexOf('.'))));
    if (tag.length !== expected.length || !timingSafeEqual(tag, expected)) return null;
    return { sessionId: match[1]!, generation: parseInt(match[2]!, 36), expiresAt: parseInt(match[3]!, 36) * 1000, secret: match[4]! };
  }

  /** The token that refreshing `parts` issues: always the same one for the same token. */
  successor(parts: RefreshTokenParts): RefreshTokenParts {
    return {
      sessionId: parts.sessionId,
      generation: parts.generation + 1,
      expiresAt: parts.expiresAt,
      secret: this.#mac('next', `${parts.sessionId}.${parts.generation}.${parts.secret}`),
    };
  }

  #mac(purpose: string, input: string): string {
    return this.#hmac.mac(`${purpose}\0${input}`).toString('base64url', 0, 16);
  }
}
