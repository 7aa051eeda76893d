import { KeyObject, sign, verify } from 'node:crypto';
import { derivedKey } from './derived-key.js';
import { constants, deflateRawSync } from 'node:zlib';
import type { CryptoKey } from 'jose';
import { invalidOption } from '../errors.js';

export type HmacAlgorithm = 'HS256' | 'HS384' | 'HS512';
export type AsymmetricAlgorithm = 'EdDSA' | 'ES256' | 'ES384' | 'PS256' | 'RS256';

/**
 * A key for signing and verifying credentials. List several to rotate: the first key that is not
 * `verifyOnly` signs, every listed key verifies (selected by `kid`), so old credentials keep
 * working until their key is removed.
 */
export type SigningKeyInput =
  | { kid: string; alg: HmacAlgorithm; secret: string | Uint8Array; verifyOnly?: boolean }
  | {
      kid: string;
      alg: AsymmetricAlgorithm;
      /** Needed on the key that signs. */
      privateKey?: CryptoKey | KeyObject;
      publicKey: CryptoKey | KeyObject;
      verifyOnly?: boolean;
    };

type HmacKeyInput = Extract<SigningKeyInput, { secret: unknown }>;

function isHmac(key: SigningKeyInput): key is HmacKeyInput {
  return key.alg === 'HS256' || key.alg === 'HS384' || key.alg === 'HS512';
}

export interface ResolvedKey {
  kid: string;
  alg: string;
  signKey: CryptoKey | KeyObject | null;
  verifyKey: CryptoKey | KeyObject;
  /** An HMAC key's secret, for the synchronous check of our own credentials (hmac-credentials.ts). */
  hmacSecret: Uint8Array | null;
}

const hmacHash: Record<HmacAlgorithm, string> = { HS256: 'SHA-256', HS384: 'SHA-384', HS512: 'SHA-512' };
const minimumSecretBytes: Record<HmacAlgorithm, number> = { HS256: 32, HS384: 48, HS512: 64 };
const asymmetric = new Set<string>(['EdDSA', 'ES256', 'ES384', 'PS256', 'RS256']);

const GENERATE = 'generate one with: openssl rand -base64 48';

/**
 * Refuses secrets a brute force could find: too short, too few distinct bytes, or made of repeats
 * (`'abcdefgh'.repeat(4)`). Repeats are found by compression: LZ77 back-references shrink a
 * repeated pattern, while random input of any alphabet (hex, base64, raw bytes) does not shrink
 * beyond what Huffman coding alone gives. Measured: random inputs ≥ 1.0, repeats ≤ 0.66.
 */
export function assertStrongSecret(value: unknown, option: string, minimumBytes = 32): Uint8Array {
  const bytes = typeof value === 'string' ? new TextEncoder().encode(value) : value;
  if (!(bytes instanceof Uint8Array)) throw invalidOption(option, `must be a string or Uint8Array; ${GENERATE}`);
  if (bytes.length < minimumBytes) {
    throw invalidOption(option, `must be at least ${minimumBytes} bytes of random data (got ${bytes.length}); ${GENERATE}`);
  }
  const withRepeats = deflateRawSync(bytes, { level: 9 }).length;
  const withoutRepeats = deflateRawSync(bytes, { strategy: constants.Z_HUFFMAN_ONLY }).length;
  if (new Set(bytes).size < 8 || withRepeats / withoutRepeats < 0.85) {
    throw invalidOption(option, `is too repetitive to be a secret (it repeats a pattern, so it is far weaker than its length); ${GENERATE}`);
  }
  return bytes;
}

/** The default key when no `signingKeys` are given: HS256 derived from `secret`. */
export function derivedSigningKey(secret: Uint8Array): SigningKeyInput {
  const key = new Uint8Array(derivedKey(secret, 'sessionward/v1/jwt-hs256', 32));
  return { kid: 'sw1', alg: 'HS256', secret: key };
}

/** Validates the key list synchronously so a bad option fails at construction. */
export function validateSigningKeys(keys: unknown): SigningKeyInput[] {
  if (!Array.isArray(keys) || keys.length === 0) throw invalidOption('signingKeys', 'must be a non-empty array');
  const seen = new Set<string>();
  keys.forEach((key: Partial<SigningKeyInput> & Record<string, unknown>, index) => {
    const at = `signingKeys[${index}]`;
    if (typeof key?.kid !== 'string' || key.kid.length === 0 || key.kid.length > 64) {
      throw invalidOption(`${at}.kid`, 'must be a non-empty string of at most 64 characters');
    }
    if (seen.has(key.kid)) throw invalidOption(`${at}.kid`, `duplicate kid "${key.kid}"`);
    seen.add(key.kid);
    if (key.alg === 'HS256' || key.alg === 'HS384' || key.alg === 'HS512') {
      assertStrongSecret(key.secret, `${at}.secret`, minimumSecretBytes[key.alg]);
    } else if (typeof key.alg === 'string' && asymmetric.has(key.alg)) {
      checkKeyPair(key as Extract<SigningKeyInput, { publicKey: unknown }>, at);
    } else {
      throw invalidOption(`${at}.alg`, `must be one of HS256, HS384, HS512, ${[...asymmetric].join(', ')}`);
    }
  });
  const typed = keys as SigningKeyInput[];
  const signer = typed.find((key) => !key.verifyOnly);
  if (!signer) throw invalidOption('signingKeys', 'needs at least one key that is not verifyOnly');
  if (!isHmac(signer) && !signer.privateKey) {
    throw invalidOption(`signingKeys[${typed.indexOf(signer)}].privateKey`, 'is required on the signing key');
  }
  return typed;
}

/** What each algorithm needs of a key: its type and (for EC) its curve. */
const keyTypes: Record<AsymmetricAlgorithm, { types: string[]; curve?: string }> = {
  EdDSA: { types: ['ed25519', 'ed448'] },
  ES256: { types: ['ec'], curve: 'prime256v1' },
  ES384: { types: ['ec'], curve: 'secp384r1' },
  PS256: { types: ['rsa', 'rsa-pss'] },
  RS256: { types: ['rsa'] },
};

function asKeyObject(value: unknown, option: string, kind: 'public' | 'private'): KeyObject {
  let key: KeyObject | null = null;
  if (value instanceof KeyObject) key = value;
  else if (value instanceof (globalThis as unknown as { CryptoKey: new () => CryptoKey }).CryptoKey) key = KeyObject.from(value as CryptoKey);
  if (!key || key.type !== kind) throw invalidOption(option, `must be a ${kind} KeyObject or CryptoKey (e.g. crypto.createP${kind.slice(1)}Key(pem))`);
  return key;
}

/**
 * Checks an asymmetric key now, so a wrong one fails at construction rather than refusing every
 * credential later: the key type must fit the algorithm, and a signing key must pair with its
 * public key (a test signature is made and verified).
 */
function checkKeyPair(key: Extract<SigningKeyInput, { publicKey: unknown }>, at: string): void {
  const { types, curve } = keyTypes[key.alg];
  const publicKey = asKeyObject(key.publicKey, `${at}.publicKey`, 'public');
  const fits = (candidate: KeyObject) =>
    types.includes(candidate.asymmetricKeyType ?? '') && (curve === undefined || candidate.asymmetricKeyDetails?.namedCurve === curve);
  if (!fits(publicKey)) {
    throw invalidOption(
      `${at}.publicKey`,
      `is a ${publicKey.asymmetricKeyType} key, which ${key.alg} cannot use (needs ${types.join(' or ')}${curve ? ` on ${curve}` : ''})`,
    );
  }
  if (key.privateKey === undefined) return;
  const privateKey = asKeyObject(key.privateKey, `${at}.privateKey`, 'private');
  const digest = key.alg === 'EdDSA' ? null : key.alg.endsWith('384') ? 'sha384' : 'sha256';
  const probe = Buffer.from('sessionward key check');
  if (!fits(privateKey) || !verify(digest, probe, publicKey, sign(digest, probe, privateKey))) {
    throw invalidOption(`${at}.privateKey`, 'does not pair with publicKey');
  }
}

/** Imports HMAC secrets once as CryptoKeys: jose verifies about twice as fast than with raw bytes. */
export async function resolveKeys(keys: readonly SigningKeyInput[]): Promise<ResolvedKey[]> {
  return Promise.all(
    keys.map(async (key): Promise<ResolvedKey> => {
      if (isHmac(key)) {
        const raw = typeof key.secret === 'string' ? new TextEncoder().encode(key.secret) : key.secret;
        const cryptoKey = await crypto.subtle.importKey('raw', raw, { name: 'HMAC', hash: hmacHash[key.alg] }, false, ['sign', 'verify']);
        return { kid: key.kid, alg: key.alg, signKey: key.verifyOnly ? null : cryptoKey, verifyKey: cryptoKey, hmacSecret: raw };
      }
      return {
        kid: key.kid,
        alg: key.alg,
        signKey: key.verifyOnly ? null : (key.privateKey ?? null),
        verifyKey: key.publicKey,
        hmacSecret: null,
      };
    }),
  );
}
