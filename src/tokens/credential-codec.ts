import { invalidOption } from '../errors.js';
import { errors, jwtVerify, SignJWT, type JWSHeaderParameters, type JWTHeaderParameters } from 'jose';
import type { KeyedHasher } from './keyed-hasher.js';
import { RANDOM_TOKEN_PATTERN } from './random.js';
import { userKeyOf } from './session-id.js';
import { BoundedCache } from '../internal/bounded-cache.js';
import { HmacCredentials, type ClaimRules, type HmacVerdict } from './hmac-credentials.js';
import { resolveKeys, type ResolvedKey, type SigningKeyInput } from './signing-keys.js';

/** `typ` of a session credential; other token kinds get their own, so none stands in for another. */
export const SESSION_CREDENTIAL_TYPE = 'sw-session+jwt';
/** `typ` of a short-lived access token of an API token pair: it names its session and carries no secret. */
export const ACCESS_TOKEN_TYPE = 'sw-access+jwt';

/** Longer than any credential we issue; longer input is refused before any parsing or crypto. */
const MAX_CREDENTIAL_LENGTH = 2048;
const COMPACT_JWS = /^[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+$/;

/** A credential whose signature, claims and expiry checked out: the session it names. */
export interface VerifiedCredential {
  ok: true;
  sessionId: string;
  userKey: string;
  /** The keyed hash of a session credential's secret; null for an access token, which the session's liveness alone decides. */
  secretHash: string | null;
  expiresAt: number;
}

export type CredentialCheck =
  | VerifiedCredential
  | { ok: false; reason: 'malformed' | 'invalid' }
  /** Genuine but past its `exp` (the session's absolute deadline): which session it named is known. */
  | { ok: false; reason: 'expired-absolute'; sessionId: string };

interface ResolvedKeys {
  byKid: Map<string, ResolvedKey>;
  /** The key new credentials are signed with. */
  signer: ResolvedKey | undefined;
  hmac: HmacCredentials;
}

export interface CredentialCodecOptions {
  keys: readonly SigningKeyInput[];
  issuer: string;
  audience: string;
  clockToleranceMs: number;
  /** Verified credentials remembered (signature results only; the store still decides revocation). */
  memoSize: number;
  hasher: KeyedHasher;
}

/** A remembered check, under its signature: the whole credential must still match. */
interface Remembered {
  credential: string;
  check: Readonly<VerifiedCredential>;
}

/** The compact JWS's last segment (the whole string when it has none, which then never matches). */
function signatureOf(credential: string): string {
  return credential.slice(credential.lastIndexOf('.') + 1);
}

/**
 * Signs and checks session credentials: compact JWS with pinned algorithms, `iss`, `aud`, `typ`
 * and `exp` enforced, keys selected by `kid`. A credential names a session and carries its secret;
 * it proves nothing about the session's state, which only the store knows.
 */
export class CredentialCodec {
  readonly #options: CredentialCodecOptions;
  readonly #algorithms: string[];
  #keys: Promise<ResolvedKeys> | undefined;
  /** The keys once resolved, so that the common check needs no await. */
  #ready: ResolvedKeys | undefined;
  // Signature verification is the expensive part of a request and a given string always verifies
  // the same way, so its result is memoised (bounded: BoundedCache.admitsNew). Expiry is re-checked on
  // every use; revocation is never cached here.
  // The remembered answer is returned as it is (frozen): no copy per request. Keyed by the
  // signature, beside the whole credential it must equal: a lookup hashes the fresh 43-character
  // signature instead of all ~290 characters (0.45 against 0.16 µs).
  readonly #verified: BoundedCache<string, Remembered> | null;
  /** What the claims must say: one set of rules for jose and for the synchronous HMAC check. */
  readonly #rules: ClaimRules;

  constructor(options: CredentialCodecOptions) {
    this.#options = options;
    this.#algorithms = [...new Set(options.keys.map((key) => key.alg))];
    this.#verified = options.memoSize > 0 ? new BoundedCache(options.memoSize) : null;
    this.#rules = {
      issuer: options.issuer,
      audience: options.audience,
      requiredClaims: ['exp', 'iat', 'sid'],
      clockToleranceSeconds: Math.ceil(options.clockToleranceMs / 1000),
    };
  }

  sign(claims: { sessionId: string; secret: string; expiresAt: number; now: number }): Promise<string> {
    return this.#sign(SESSION_CREDENTIAL_TYPE, { sid: claims.sessionId, sec: claims.secret }, claims);
  }

  /** A short-lived access token for a session of an API token pair (no secret: the store decides). */
  signAccess(claims: { sessionId: string; expiresAt: number; now: number }): Promise<string> {
    return this.#sign(ACCESS_TOKEN_TYPE, { sid: claims.sessionId }, claims);
  }

  async #sign(typ: string, payload: Record<string, string>, times: { expiresAt: number; now: number }): Promise<string> {
    const { signer, hmac } = await this.#resolvedKeys();
    if (!signer?.signKey) throw invalidOption('signingKeys', 'needs a key that signs'); // unreachable: validated at construction
    const { issuer, audience } = this.#options;
    const iat = Math.floor(times.now / 1000);
    const exp = Math.floor(times.expiresAt / 1000);
    // The claims in the order SignJWT below adds them, so both make the same token.
    // Object.assign, not a spread with new properties after it (V8's slow path, about 1 µs per login).
    const signed = hmac.sign(signer.kid, typ, Object.assign({}, payload, { iss: issuer, aud: audience, iat, exp }));
    if (signed !== undefined) return signed;
    const header: JWTHeaderParameters = { alg: signer.alg, kid: signer.kid, typ };
    return new SignJWT(payload).setProtectedHeader(header).setIssuer(issuer).setAudience(audience).setIssuedAt(iat).setExpirationTime(exp).sign(signer.signKey);
  }

  async verify(credential: unknown, now: number): Promise<CredentialCheck> {
    const decided = this.verifyNow(credential, now);
    if (decided) return decided;
    const keys = await this.#resolvedKeys();
    const string = credential as string; // verifyNow answers every non-string
    return this.#checked(keys.hmac.verify(string, now) ?? (await this.#verifyWithJose(string, now, keys.byKid)), string, now);
  }

  /**
   * The check, when it needs no waiting: every refusal of the shape, a remembered credential, and
   * (once the keys are resolved) one signed by an HMAC key under a header this codec issues. Else
   * undefined, and `verify` decides. Validation runs on every request, so it saves the awaits.
   */
  verifyNow(credential: unknown, now: number): CredentialCheck | undefined {
    if (typeof credential !== 'string' || credential.length === 0 || credential.length > MAX_CREDENTIAL_LENGTH) return { ok: false, reason: 'malformed' };
    // Only verified credentials are remembered, so a remembered one is well formed: the shape check is for the rest.
    const known = this.#verified?.peek(signatureOf(credential));
    if (known !== undefined && known.credential === credential) return this.#unexpired(known.check, now);
    if (!COMPACT_JWS.test(credential)) return { ok: false, reason: 'malformed' };
    const verdict = this.#ready?.hmac.verify(credential, now);
    return verdict && this.#checked(verdict, credential, now);
  }

  #unexpired(known: Readonly<VerifiedCredential>, now: number): CredentialCheck {
    if (now > known.expiresAt + this.#options.clockToleranceMs) return { ok: false, reason: 'expired-absolute', sessionId: known.sessionId };
    return known;
  }

  /** A signature verdict as the check's answer, remembered when it verified. */
  #checked(checked: HmacVerdict, credential: string, now: number): CredentialCheck {
    if (!checked.ok) {
      // Claims are checked only after the signature, so an expired credential's payload is genuine.
      const sid = checked.reason === 'expired' ? checked.payload.sid : undefined;
      if (typeof sid === 'string' && userKeyOf(sid) !== null) return { ok: false, reason: 'expired-absolute', sessionId: sid };
      return { ok: false, reason: checked.reason === 'malformed' ? 'malformed' : 'invalid' };
    }
    const { payload, typ } = checked;
    const { sid, sec, exp, iat } = payload;
    const userKey = typeof sid === 'string' ? userKeyOf(sid) : null;
    // Each kind exactly as issued: a session credential carries its secret, an access token none.
    const shaped = typ === SESSION_CREDENTIAL_TYPE ? typeof sec === 'string' && RANDOM_TOKEN_PATTERN.test(sec) : typ === ACCESS_TOKEN_TYPE && sec === undefined;
    if (userKey === null || !shaped || typeof exp !== 'number') return { ok: false, reason: 'invalid' };
    // Issued "in the future" beyond the leeway: a server with a broken clock, or a forged timeline.
    if (typeof iat !== 'number' || iat * 1000 > now + this.#options.clockToleranceMs) return { ok: false, reason: 'invalid' };
    const entry: Readonly<VerifiedCredential> = Object.freeze({
      ok: true,
      sessionId: sid as string,
      userKey,
      secretHash: typ === SESSION_CREDENTIAL_TYPE ? this.#options.hasher.secretHash(sec as string) : null,
      expiresAt: exp * 1000,
    });
    if (this.#verified?.admitsNew()) this.#verified.set(signatureOf(credential), { credential, check: entry });
    return this.#unexpired(entry, now);
  }

  /** Every credential not decided by the synchronous HMAC check (other key types, headers we never issue). */
  async #verifyWithJose(credential: string, now: number, keys: Map<string, ResolvedKey>): Promise<HmacVerdict> {
    try {
      const { payload, protectedHeader } = await jwtVerify(
        credential,
        (header: JWSHeaderParameters) => {
          const key = header.kid === undefined ? undefined : keys.get(header.kid);
          // The header's alg must be the one pinned to this kid: no algorithm confusion.
          if (!key || key.alg !== header.alg) throw new errors.JWKSNoMatchingKey();
          return key.verifyKey;
        },
        this.#claimOptions(now),
      );
      return { ok: true, payload, typ: protectedHeader.typ ?? '' };
    } catch (error) {
      if (error instanceof errors.JWTExpired) return { ok: false, reason: 'expired', payload: error.payload };
      if (error instanceof errors.JOSEError) return { ok: false, reason: 'invalid' };
      return { ok: false, reason: 'malformed' }; // e.g. a payload that is not JSON
    }
  }

  #claimOptions(now: number) {
    const { issuer, audience, requiredClaims, clockToleranceSeconds } = this.#rules;
    return {
      algorithms: this.#algorithms,
      issuer,
      audience,
      requiredClaims: [...requiredClaims],
      clockTolerance: clockToleranceSeconds,
      currentDate: new Date(now),
    };
  }

  #resolvedKeys(): Promise<ResolvedKeys> {
    this.#keys ??= resolveKeys(this.#options.keys).then((keys) => {
      this.#ready = {
        byKid: new Map(keys.map((key) => [key.kid, key])),
        signer: keys.find((key) => key.signKey !== null),
        hmac: new HmacCredentials(keys, [SESSION_CREDENTIAL_TYPE, ACCESS_TOKEN_TYPE], this.#rules),
      };
      return this.#ready;
    });
    return this.#keys;
  }
}
