import fc from 'fast-check';
import { errors, jwtVerify, SignJWT } from 'jose';
import { describe, expect, it, vi } from 'vitest';
import { ACCESS_TOKEN_TYPE, CredentialCodec, SESSION_CREDENTIAL_TYPE } from '../../src/tokens/credential-codec.js';
import { HmacCredentials, type HmacVerdict } from '../../src/tokens/hmac-credentials.js';
import { KeyedHasher } from '../../src/tokens/keyed-hasher.js';
import { resolveKeys } from '../../src/tokens/signing-keys.js';

// The synchronous HMAC check must answer exactly what jose answers for the options the codec uses,
// for every credential it decides: checked here against jose itself on signed, mangled and forged input.
const SECRET = 'hmac-differential-secret-0123456789-abcdefghijklmnop';
const OTHER_SECRET = 'another-secret-entirely-0123456789-abcdefghijklmnop';
const NOW = 1_795_000_000_000;
const NOW_S = NOW / 1000;
const RULES = { issuer: 'sessionward', audience: 'app', requiredClaims: ['exp', 'iat', 'sid'], clockToleranceSeconds: 5 };
const keys = await resolveKeys([{ kid: 'k1', alg: 'HS256', secret: SECRET }]);
const fast = new HmacCredentials(keys, [SESSION_CREDENTIAL_TYPE, ACCESS_TOKEN_TYPE], RULES);

async function joseVerdict(token: string): Promise<HmacVerdict> {
  try {
    const { payload, protectedHeader } = await jwtVerify(
      token,
      (header) => {
        if (header.kid !== 'k1' || header.alg !== 'HS256') throw new errors.JWKSNoMatchingKey();
        return keys[0]!.verifyKey;
      },
      {
        algorithms: ['HS256'],
        issuer: RULES.issuer,
        audience: RULES.audience,
        requiredClaims: [...RULES.requiredClaims],
        clockTolerance: RULES.clockToleranceSeconds,
        currentDate: new Date(NOW),
      },
    );
    return { ok: true, payload, typ: protectedHeader.typ ?? '' };
  } catch (error) {
    if (error instanceof errors.JWTExpired) return { ok: false, reason: 'expired', payload: error.payload };
    if (error instanceof errors.JOSEError) return { ok: false, reason: 'invalid' };
    return { ok: false, reason: 'malformed' };
  }
}

// A valid claim set with up to two claims replaced: wrong values, wrong types, gone, or times at
// every boundary of the clock tolerance.
const VALID = { iss: 'sessionward', aud: 'app', sid: 'abcdefghijklmnop.abcdefghijklmnopqrstuv', sec: 'abcdefghijklmnopqrstuv', iat: NOW_S, exp: NOW_S + 60 };
const near = fc.integer({ min: NOW_S - 8, max: NOW_S + 8 });
const wrong = fc.oneof(fc.constant(undefined), fc.constant(null), fc.string({ maxLength: 4 }), fc.integer(), fc.constant(['x']), fc.constant({}));
const replacements: Record<string, fc.Arbitrary<unknown>> = {
  iss: fc.oneof(wrong, fc.constant('other'), fc.constant(['sessionward'])),
  aud: fc.oneof(wrong, fc.constant('other'), fc.constant(['x', 'app']), fc.constant(['x'])),
  sid: wrong,
  sec: wrong,
  iat: fc.oneof(wrong, near),
  exp: fc.oneof(wrong, near),
  nbf: fc.oneof(wrong, near),
  extra: fc.jsonValue(),
};
const claims = fc
  .array(fc.constantFrom(...Object.keys(replacements)), { maxLength: 2 })
  .chain((names) => fc.record(Object.fromEntries(names.map((name) => [name, replacements[name]!]))))
  .map((changes) => ({ ...VALID, ...changes }));

async function sign(payload: Record<string, unknown>, header: Record<string, unknown>, secret = SECRET): Promise<string> {
  const defined = Object.fromEntries(Object.entries(payload).filter(([, value]) => value !== undefined));
  return new SignJWT(defined).setProtectedHeader(header as { alg: string }).sign(new TextEncoder().encode(secret));
}

describe('the synchronous HMAC check agrees with jose', () => {
  it('on every claim set, boundary times and wrong types included (property)', async () => {
    await fc.assert(
      fc.asyncProperty(claims, fc.constantFrom(SESSION_CREDENTIAL_TYPE, ACCESS_TOKEN_TYPE), async (payload, typ) => {
        const token = await sign(payload, { alg: 'HS256', kid: 'k1', typ });
        const verdict = fast.verify(token, NOW);
        expect(verdict).toBeDefined(); // our own header: decided here, not handed to jose
        expect(verdict).toEqual(await joseVerdict(token));
      }),
      { numRuns: Number(process.env.FC_RUNS ?? 400), seed: Number(process.env.FC_SEED ?? 20261202) },
    );
  });

  it('on tampered payloads and signatures, and on another key', async () => {
    const good = { iss: 'sessionward', aud: 'app', sid: 'abcdefghijklmnop.abcdefghijklmnopqrstuv', sec: 'abcdefghijklmnopqrstuv', iat: NOW_S, exp: NOW_S + 60 };
    const token = await sign(good, { alg: 'HS256', kid: 'k1', typ: SESSION_CREDENTIAL_TYPE });
    expect(fast.verify(token, NOW)).toMatchObject({ ok: true, typ: SESSION_CREDENTIAL_TYPE });
    const [header, body, signature] = token.split('.') as [string, string, string];
    const forged = [
      `${header}.${Buffer.from(JSON.stringify({ ...good, sid: 'zzzzzzzzzzzzzzzz.abcdefghijklmnopqrstuv' })).toString('base64url')}.${signature}`,
      `${header}.${body}.${signature.slice(0, -2)}${signature.at(-2) === 'A' ? 'B' : 'A'}${signature.at(-1)}`,
      `${header}.${body}.${signature.slice(0, 20)}`,
      `${header}.${body}.`,
      await sign(good, { alg: 'HS256', kid: 'k1', typ: SESSION_CREDENTIAL_TYPE }, OTHER_SECRET),
      `${header}.${Buffer.from('not json').toString('base64url')}.${signature}`,
    ];
    for (const candidate of forged) {
      expect(fast.verify(candidate, NOW)).toEqual({ ok: false, reason: 'invalid' });
      expect(await joseVerdict(candidate)).toMatchObject({ ok: false, reason: 'invalid' });
    }
  });

  it('leaves every header it did not issue to jose: other order, alg, kid, typ, extra parameters', async () => {
    const good = { iss: 'sessionward', aud: 'app', sid: 'abcdefghijklmnop.abcdefghijklmnopqrstuv', iat: NOW_S, exp: NOW_S + 60 };
    const headers = [
      { kid: 'k1', alg: 'HS256', typ: SESSION_CREDENTIAL_TYPE },
      { alg: 'HS256', kid: 'k2', typ: SESSION_CREDENTIAL_TYPE },
      { alg: 'HS256', kid: 'k1', typ: 'JWT' },
      { alg: 'HS256', kid: 'k1' },
      { alg: 'HS256', kid: 'k1', typ: SESSION_CREDENTIAL_TYPE, crit: ['b64'], b64: true },
      { alg: 'HS384', kid: 'k1', typ: SESSION_CREDENTIAL_TYPE },
    ];
    for (const header of headers) expect(fast.verify(await sign(good, header), NOW)).toBeUndefined();
  });

  it("decides the codec's own credentials and access tokens (so they never pay for jose)", async () => {
    const codec = new CredentialCodec({
      keys: [{ kid: 'k1', alg: 'HS256', secret: SECRET }],
      issuer: RULES.issuer,
      audience: RULES.audience,
      clockToleranceMs: 5_000,
      memoSize: 0,
      hasher: new KeyedHasher(new TextEncoder().encode(SECRET)),
    });
    const sessionId = 'abcdefghijklmnop.abcdefghijklmnopqrstuv';
    const credential = await codec.sign({ sessionId, secret: 'abcdefghijklmnopqrstuv', expiresAt: NOW + 60_000, now: NOW });
    const access = await codec.signAccess({ sessionId, expiresAt: NOW + 60_000, now: NOW });
    expect(fast.verify(credential, NOW)).toMatchObject({ ok: true, typ: SESSION_CREDENTIAL_TYPE });
    expect(fast.verify(access, NOW)).toMatchObject({ ok: true, typ: ACCESS_TOKEN_TYPE });
    expect(await codec.verify(credential, NOW)).toMatchObject({ ok: true, sessionId });
    expect(await codec.verify(credential, NOW + 70_000)).toEqual({ ok: false, reason: 'expired-absolute', sessionId });
  });
});

describe('signing with an HMAC key', () => {
  const sessionId = 'abcdefghijklmnop.abcdefghijklmnopqrstuv';
  const codecFor = (alg: 'HS256' | 'HS384' | 'HS512') =>
    new CredentialCodec({
      keys: [{ kid: `k-${alg}`, alg, secret: SECRET }],
      issuer: RULES.issuer,
      audience: RULES.audience,
      clockToleranceMs: 5_000,
      memoSize: 0,
      hasher: new KeyedHasher(new TextEncoder().encode(SECRET)),
    });

  it('makes, byte for byte, the token jose makes for the same header and claims', async () => {
    for (const alg of ['HS256', 'HS384', 'HS512'] as const) {
      const codec = codecFor(alg);
      const times = { iat: Math.floor(NOW / 1000), exp: Math.floor((NOW + 60_000) / 1000) };
      const byJose = (typ: string, payload: Record<string, string>) =>
        new SignJWT(payload)
          .setProtectedHeader({ alg, kid: `k-${alg}`, typ })
          .setIssuer(RULES.issuer)
          .setAudience(RULES.audience)
          .setIssuedAt(times.iat)
          .setExpirationTime(times.exp)
          .sign(new TextEncoder().encode(SECRET));
      expect(await codec.sign({ sessionId, secret: 'abcdefghijklmnopqrstuv', expiresAt: NOW + 60_000, now: NOW })).toBe(
        await byJose(SESSION_CREDENTIAL_TYPE, { sid: sessionId, sec: 'abcdefghijklmnopqrstuv' }),
      );
      expect(await codec.signAccess({ sessionId, expiresAt: NOW + 60_000, now: NOW })).toBe(await byJose(ACCESS_TOKEN_TYPE, { sid: sessionId }));
    }
  });

  it('never goes through WebCrypto, which costs a login several times the HMAC itself', async () => {
    const codec = codecFor('HS256');
    await codec.sign({ sessionId, secret: 'abcdefghijklmnopqrstuv', expiresAt: NOW + 60_000, now: NOW }); // keys resolved
    const subtleSign = vi.spyOn(globalThis.crypto.subtle, 'sign');
    try {
      const credential = await codec.sign({ sessionId, secret: 'abcdefghijklmnopqrstuv', expiresAt: NOW + 60_000, now: NOW });
      await codec.signAccess({ sessionId, expiresAt: NOW + 60_000, now: NOW });
      expect(subtleSign).not.toHaveBeenCalled();
      expect(await codec.verify(credential, NOW)).toMatchObject({ ok: true, sessionId });
    } finally {
      subtleSign.mockRestore();
    }
  });
});
