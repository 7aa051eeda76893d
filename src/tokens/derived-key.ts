import { hkdfSync } from 'node:crypto';

/**
 * A key of `bytes` for one purpose (`info`, e.g. 'sessionward/v1/user-id'), derived from the
 * manager's `secret` with HKDF-SHA-256 (no salt): each purpose gets its own, and none reveals another.
 */
export function derivedKey(secret: Uint8Array, info: string, bytes: number): Buffer {
  return Buffer.from(hkdfSync('sha256', secret, new Uint8Array(0), info, bytes));
}
