import { HmacSha } from './hmac-sha.js';
import { BoundedCache } from '../internal/bounded-cache.js';

/**
 * Keyed hashes derived from the manager's `secret`. The store only ever sees these: a stolen
 * database yields neither credential secrets nor the user ids behind the partition keys.
 */
export class KeyedHasher {
  readonly #hmac: HmacSha;
  // A login, its audit events and every admin call by user id derive the same user key: remembered.
  readonly #userKeys = new BoundedCache<string, string>(10_000);

  constructor(secret: Uint8Array) {
    this.#hmac = HmacSha.derived(secret, 'sessionward/v1/keyed-hash');
  }

  /** 96-bit partition key for a user: 16 base64url characters, stable for a given secret. */
  userKey(userId: string): string {
    let key = this.#userKeys.get(userId);
    if (key === undefined) {
      key = this.#digest(`u\0${userId}`, 12);
      this.#userKeys.set(userId, key);
    }
    return key;
  }

  /** 128-bit keyed hash of a credential secret: what the store keeps instead of the secret. */
  secretHash(secret: string): string {
    return this.#digest(`s\0${secret}`, 16);
  }

  /** A form token (CSRF) bound to `binding`, e.g. an admin's session id: the same on every server of the app. */
  formToken(binding: string): string {
    return this.#digest(`f\0${binding}`, 16);
  }

  /** A stored stand-in for an IP: equal IPs give equal values, but the address cannot be read back. */
  ipHash(ip: string): string {
    return `h:${this.#digest(`i\0${ip}`, 12)}`;
  }

  /** The first `bytes` of the MAC, base64url. */
  #digest(input: string, bytes: number): string {
    return this.#hmac.mac(input).toString('base64url', 0, bytes);
  }
}
