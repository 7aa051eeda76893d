import { createHmac, hash } from 'node:crypto';
import { derivedKey } from './derived-key.js';

/** Block and digest sizes in bytes (FIPS 180-4). */
const SIZES = { sha256: { block: 64, digest: 32 }, sha384: { block: 128, digest: 48 }, sha512: { block: 128, digest: 64 } } as const;
export type HmacHash = keyof typeof SIZES;

/** Room for the message after the inner pad; longer messages go to createHmac. */
const SCRATCH_BYTES = 4096;
/** A UTF-16 code unit takes at most 3 UTF-8 bytes. */
const MAX_FAST_MESSAGE_UNITS = Math.floor(SCRATCH_BYTES / 3);

/**
 * HMAC (RFC 2104) over node:crypto's one-shot `hash()`, with the key's padded blocks laid out once.
 * createHmac builds a stream object and pads the key again on every call: about 1.7–2.9 µs per
 * credential-sized message on these machines against about 1.0 µs here, and a signature check and a
 * secret hash run on every request the verified-credential memo does not answer.
 * The same bytes as createHmac (test/tokens/hmac-sha.test.ts).
 */
export class HmacSha {
  readonly #hash: HmacHash;
  readonly #key: Uint8Array;
  /** key ⊕ ipad, then room for the message. */
  readonly #inner: Buffer;
  /** key ⊕ opad, then the inner digest. */
  readonly #outer: Buffer;
  readonly #block: number;
  readonly #mac: Buffer;

  /** HMAC-SHA-256 under a 32-byte key derived from the manager's `secret` for one purpose (`info`). */
  static derived(secret: Uint8Array, info: string): HmacSha {
    return new HmacSha('sha256', derivedKey(secret, info, 32));
  }

  constructor(hashName: HmacHash, key: Uint8Array) {
    const sizes = SIZES[hashName];
    if (!sizes) throw new TypeError(`HmacSha has no block size for ${String(hashName)}`);
    this.#hash = hashName;
    this.#key = key;
    this.#block = sizes.block;
    // A key longer than the block is hashed first (RFC 2104 §2).
    const padded = Buffer.alloc(sizes.block);
    padded.set(key.length > sizes.block ? hash(hashName, key, 'buffer') : key);
    this.#inner = Buffer.allocUnsafe(sizes.block + SCRATCH_BYTES);
    this.#outer = Buffer.allocUnsafe(sizes.block + sizes.digest);
    for (let i = 0; i < sizes.block; i += 1) {
      this.#inner[i] = padded[i]! ^ 0x36;
      this.#outer[i] = padded[i]! ^ 0x5c;
    }
    this.#mac = Buffer.allocUnsafe(sizes.digest);
  }

  /**
   * The MAC of `message` (UTF-8), in a buffer this instance reuses: read it before the next call.
   * The digests travel as 'binary' (latin1) strings, a character per byte: `hash()` answering a Buffer costs more.
   */
  mac(message: string): Buffer {
    if (message.length > MAX_FAST_MESSAGE_UNITS) return createHmac(this.#hash, this.#key).update(message).digest();
    const length = this.#inner.write(message, this.#block, 'utf8');
    this.#outer.write(hash(this.#hash, this.#inner.subarray(0, this.#block + length), 'binary'), this.#block, 'binary');
    this.#mac.write(hash(this.#hash, this.#outer, 'binary'), 0, 'binary');
    return this.#mac;
  }
}
