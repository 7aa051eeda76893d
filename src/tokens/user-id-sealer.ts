import { createCipheriv, createDecipheriv } from 'node:crypto';
import { derivedKey } from './derived-key.js';
import { ErrorCode, SessionError } from '../errors.js';
import { BoundedCache } from '../internal/bounded-cache.js';
import { randomBuffer } from './random.js';

/**
 * Encrypts user ids before they reach a store (AES-256-GCM under a key derived from the manager's
 * `secret`), so a copy of the store's data names no user. Stores keep and return the sealed form
 * as an opaque string; partitioning uses the keyed user key, never the id.
 */
export class UserIdSealer {
  readonly #key: Buffer;
  // Every validation opens its session's sealed id; a session's sealed form never changes, so the
  // answer is remembered (bounded: BoundedCache.admitsNew) instead of decrypting on every request.
  readonly #opened: BoundedCache<string, string>;
  #decryptions = 0;

  constructor(secret: Uint8Array, memoSize = 10_000) {
    this.#opened = new BoundedCache(memoSize);
    this.#key = derivedKey(secret, 'sessionward/v1/user-id', 32);
  }

  seal(userId: string): string {
    const iv = randomBuffer(12);
    const cipher = createCipheriv('aes-256-gcm', this.#key, iv);
    const body = Buffer.concat([cipher.update(userId, 'utf8'), cipher.final()]);
    const sealed = Buffer.concat([iv, body, cipher.getAuthTag()]).toString('base64url');
    this.#opened.set(sealed, userId); // the store answers the login with it at once
    return sealed;
  }

  /** @throws SessionError `ERR_SESSION_STORE_FAILED` for a value this secret did not seal */
  open(sealed: string): string {
    const known = this.#opened.peek(sealed);
    if (known !== undefined) return known;
    const userId = this.#decrypt(sealed);
    if (this.#opened.admitsNew()) this.#opened.set(sealed, userId);
    return userId;
  }

  /** How many sealed ids were decrypted, not answered from the memo. */
  get decryptions(): number {
    return this.#decryptions;
  }

  #decrypt(sealed: string): string {
    this.#decryptions += 1;
    const bytes = Buffer.from(sealed, 'base64url');
    try {
      if (bytes.length < 28) throw new Error('too short');
      const decipher = createDecipheriv('aes-256-gcm', this.#key, bytes.subarray(0, 12));
      decipher.setAuthTag(bytes.subarray(bytes.length - 16));
      return Buffer.concat([decipher.update(bytes.subarray(12, bytes.length - 16)), decipher.final()]).toString('utf8');
    } catch (cause) {
      throw new SessionError(ErrorCode.StoreFailed, 'A stored user id was not sealed with this secret', { cause });
    }
  }
}
