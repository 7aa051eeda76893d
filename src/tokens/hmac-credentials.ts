import { timingSafeEqual } from 'node:crypto';
import { HmacSha, type HmacHash } from './hmac-sha.js';
import type { ResolvedKey } from './signing-keys.js';

/** What the claims must say, as jose's `jwtVerify` options put it. */
export interface ClaimRules {
  issuer: string;
  audience: string;
  /** Claims that must be present besides `iss` and `aud` (which jose requires once it checks them). */
  requiredClaims: readonly string[];
  /** Seconds, as jose takes it. */
  clockToleranceSeconds: number;
}

/** A credential the synchronous check decided, or `undefined`: not one of ours, jose decides it. */
export type HmacVerdict =
  | { ok: true; payload: Record<string, unknown>; typ: string }
  | { ok: false; reason: 'invalid' | 'malformed' }
  | { ok: false; reason: 'expired'; payload: Record<string, unknown> };

const HASH: Record<string, HmacHash> = { HS256: 'sha256', HS384: 'sha384', HS512: 'sha512' };
const strictUtf8 = new TextDecoder('utf-8', { fatal: true });

/**
 * Signs and checks HMAC-signed credentials with node:crypto, synchronously. jose 6 signs and
 * verifies through WebCrypto, which costs about 45 µs of CPU per HS256 token on these machines
 * against about 8 µs here: every login signs, and a process serving more sessions than the
 * verified-credential memo holds verifies on every request.
 * Only a credential whose protected header is byte for byte one this codec issues (alg, kid, typ,
 * in that order) is decided here; any other goes to jose. The checks after the signature are
 * jose's, for the options the codec passes it, and a signed token is the one jose's SignJWT makes
 * (test/tokens/hmac-credentials.test.ts holds the two to the same answers and bytes).
 */
export class HmacCredentials {
  readonly #byHeader = new Map<string, { hmac: HmacSha; typ: string }>();
  /** The encoded header and key for `typ` + '\n' + `kid` (no type has a line break). */
  readonly #signers = new Map<string, { header: string; hmac: HmacSha }>();
  readonly #rules: ClaimRules;
  readonly #required: readonly string[];

  constructor(keys: readonly ResolvedKey[], types: readonly string[], rules: ClaimRules) {
    this.#rules = rules;
    this.#required = ['iss', 'aud', ...rules.requiredClaims];
    for (const key of keys) {
      const hash = HASH[key.alg];
      if (!hash || !key.hmacSecret) continue;
      const hmac = new HmacSha(hash, key.hmacSecret);
      for (const typ of types) {
        const header = Buffer.from(JSON.stringify({ alg: key.alg, kid: key.kid, typ })).toString('base64url');
        this.#byHeader.set(header, { hmac, typ });
        this.#signers.set(`${typ}\n${key.kid}`, { header, hmac });
      }
    }
  }

  /**
   * The compact JWS of `claims` under the header {alg, kid, typ}, as jose's SignJWT encodes it
   * (claims in the order given); undefined when `kid` is not an HMAC key.
   */
  sign(kid: string, typ: string, claims: Record<string, unknown>): string | undefined {
    const signer = this.#signers.get(`${typ}\n${kid}`);
    if (!signer) return undefined;
    const input = `${signer.header}.${Buffer.from(JSON.stringify(claims)).toString('base64url')}`;
    return `${input}.${signer.hmac.mac(input).toString('base64url')}`;
  }

  /** `credential` is already known to be three base64url segments. */
  verify(credential: string, nowMs: number): HmacVerdict | undefined {
    const headerEnd = credential.indexOf('.');
    const key = this.#byHeader.get(credential.slice(0, headerEnd));
    if (!key) return undefined;
    const payloadEnd = credential.indexOf('.', headerEnd + 1);
    const signature = Buffer.from(credential.slice(payloadEnd + 1), 'base64url');
    const expected = key.hmac.mac(credential.slice(0, payloadEnd));
    if (signature.length !== expected.length || !timingSafeEqual(signature, expected)) return { ok: false, reason: 'invalid' };
    let payload: unknown;
    try {
      payload = JSON.parse(strictUtf8.decode(Buffer.from(credential.slice(headerEnd + 1, payloadEnd), 'base64url')));
    } catch {
      return { ok: false, reason: 'invalid' };
    }
    if (typeof payload !== 'object' || payload === null || Array.isArray(payload)) return { ok: false, reason: 'invalid' };
    return this.#claims(payload as Record<string, unknown>, key.typ, nowMs);
  }

  #claims(claims: Record<string, unknown>, typ: string, nowMs: number): HmacVerdict {
    const { issuer, audience, clockToleranceSeconds: tolerance } = this.#rules;
    for (const claim of this.#required) if (!Object.hasOwn(claims, claim)) return { ok: false, reason: 'invalid' };
    if (claims.iss !== issuer) return { ok: false, reason: 'invalid' };
    const { aud } = claims;
    if (!(aud === audience || (Array.isArray(aud) && aud.includes(audience)))) return { ok: false, reason: 'invalid' };
    const now = Math.floor(nowMs / 1000);
    if (typeof claims.iat !== 'number') return { ok: false, reason: 'invalid' };
    if (claims.nbf !== undefined && (typeof claims.nbf !== 'number' || claims.nbf > now + tolerance)) return { ok: false, reason: 'invalid' };
    if (typeof claims.exp !== 'number') return { ok: false, reason: 'invalid' };
    if (claims.exp <= now - tolerance) return { ok: false, reason: 'expired', payload: claims };
    return { ok: true, payload: claims, typ };
  }
}
