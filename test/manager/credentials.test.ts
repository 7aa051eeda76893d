import { generateKeyPairSync, hkdfSync } from 'node:crypto';
import { SignJWT, UnsecuredJWT } from 'jose';
import { describe, expect, it } from 'vitest';
import { SessionManager } from 'sessionward';
import { HOUR, managerFixture, SECRET } from '../support/manager-fixture.js';

/** The HS256 key the default configuration derives from SECRET: forgeries signed with it test one rule at a time. */
const REAL_KEY = new Uint8Array(hkdfSync('sha256', SECRET, new Uint8Array(0), 'sessionward/v1/jwt-hs256', 32));

function payloadOf(token: string): Record<string, unknown> {
  return JSON.parse(Buffer.from(token.split('.')[1]!, 'base64url').toString());
}

describe('credentials', () => {
  it('accepts its own credential and names the session', async () => {
    const { manager } = managerFixture();
    const { token, session } = await manager.login({ userId: 'alice' });
    expect(await manager.validate(token)).toMatchObject({ ok: true, session: { id: session.id, userId: 'alice' } });
  });

  it('carries no user id or personal data in the claims', async () => {
    const { manager } = managerFixture();
    const { token } = await manager.login({ userId: 'alice@example.com', data: { name: 'Alice' } });
    const decoded = Buffer.from(token.split('.')[0]!, 'base64url').toString() + Buffer.from(token.split('.')[1]!, 'base64url').toString();
    expect(decoded).not.toContain('alice');
    expect(Object.keys(payloadOf(token)).sort()).toEqual(['aud', 'exp', 'iat', 'iss', 'sec', 'sid']);
  });

  it.each([
    ['missing', undefined, 'missing'],
    ['empty', '', 'missing'],
    ['not a JWS', 'not-a-token', 'malformed'],
    ['oversized', `${'a'.repeat(3000)}.b.c`, 'malformed'],
    ['with whitespace', 'a .b.c', 'malformed'],
    ['non-JSON payload', 'eyJhbGciOiJIUzI1NiJ9.bm90IGpzb24.c2ln', 'invalid'],
  ])('refuses a %s credential before any store call', async (_label, credential, reason) => {
    const { manager, calls } = managerFixture();
    const result = await manager.validate(credential);
    expect(result).toEqual({ ok: false, reason });
    expect(calls.touch ?? 0).toBe(0);
  });

  it('refuses a tampered credential (payload changed, signature kept) before any store call', async () => {
    const { manager, calls } = managerFixture();
    const { token } = await manager.login({ userId: 'alice' });
    const [header, , signature] = token.split('.');
    const payload = { ...payloadOf(token), exp: (payloadOf(token).exp as number) + 3600 };
    const tampered = `${header}.${Buffer.from(JSON.stringify(payload)).toString('base64url')}.${signature}`;
    expect(await manager.validate(tampered)).toEqual({ ok: false, reason: 'invalid' });
    const flipped = token.slice(0, -2) + (token.endsWith('AA') ? 'BB' : 'AA');
    expect(await manager.validate(flipped)).toEqual({ ok: false, reason: 'invalid' });
    expect(calls.touch ?? 0).toBe(0);
  });

  it('refuses alg "none" and any algorithm other than the one pinned to the kid', async () => {
    const { manager, calls } = managerFixture();
    const { token } = await manager.login({ userId: 'alice' });
    const unsigned = new UnsecuredJWT(payloadOf(token)).encode();
    expect(await manager.validate(unsigned)).toEqual({ ok: false, reason: 'malformed' }); // empty signature: not even a JWS
    // Shaped like a JWS (non-empty signature), so it reaches verification and is refused there.
    const header = (alg: string) => Buffer.from(JSON.stringify({ alg, kid: 'sw1', typ: 'sw-session+jwt' })).toString('base64url');
    expect(await manager.validate(`${header('none')}.${token.split('.')[1]}.AAAA`)).toEqual({ ok: false, reason: 'invalid' });
    // The right key, but HS512 where sw1 is pinned to HS256.
    const otherAlg = await new SignJWT(payloadOf(token))
      .setProtectedHeader({ alg: 'HS512', kid: 'sw1', typ: 'sw-session+jwt' })
      .sign(new Uint8Array(64).fill(7));
    expect(await manager.validate(otherAlg)).toEqual({ ok: false, reason: 'invalid' });
    const otherAlgRealKey = await new SignJWT(payloadOf(token)).setProtectedHeader({ alg: 'HS384', kid: 'sw1', typ: 'sw-session+jwt' }).sign(REAL_KEY);
    expect(await manager.validate(otherAlgRealKey)).toEqual({ ok: false, reason: 'invalid' });
    expect(calls.touch ?? 0).toBe(0);
  });

  it('refuses wrong audience, issuer, type or key, even when signed with the right key', async () => {
    const { manager } = managerFixture();
    const { token } = await manager.login({ userId: 'alice' });
    const claims = payloadOf(token);
    const other = new SessionManager({ secret: SECRET, audience: 'other-app' });
    const { token: foreign } = await other.login({ userId: 'alice' });
    expect(await manager.validate(foreign)).toEqual({ ok: false, reason: 'invalid' });
    const otherIssuer = new SessionManager({ secret: SECRET, issuer: 'someone-else' });
    expect(await manager.validate((await otherIssuer.login({ userId: 'alice' })).token)).toEqual({ ok: false, reason: 'invalid' });
    const forged = await new SignJWT(claims)
      .setProtectedHeader({ alg: 'HS256', kid: 'sw1', typ: 'sw-session+jwt' })
      .sign(new TextEncoder().encode('attacker-secret-0123456789-abcdefghij'));
    expect(await manager.validate(forged)).toEqual({ ok: false, reason: 'invalid' });
    // Signed with the real key, so only the typ is wrong: an access/other token cannot stand in.
    const wrongType = await new SignJWT(claims).setProtectedHeader({ alg: 'HS256', kid: 'sw1', typ: 'JWT' }).sign(REAL_KEY);
    expect(await manager.validate(wrongType)).toEqual({ ok: false, reason: 'invalid' });
    const rightType = await new SignJWT(claims).setProtectedHeader({ alg: 'HS256', kid: 'sw1', typ: 'sw-session+jwt' }).sign(REAL_KEY);
    expect(await manager.validate(rightType)).toMatchObject({ ok: true }); // the control: the same claims with the right typ pass
  });

  it('refuses a credential issued in the future beyond the clock leeway', async () => {
    const { manager, clock } = managerFixture();
    const { token } = await manager.login({ userId: 'alice' });
    const claims = payloadOf(token);
    const sign = (iat: number) => new SignJWT({ ...claims, iat }).setProtectedHeader({ alg: 'HS256', kid: 'sw1', typ: 'sw-session+jwt' }).sign(REAL_KEY);
    const nowSeconds = Math.floor(clock.now() / 1000);
    expect(await manager.validate(await sign(nowSeconds + 3600))).toEqual({ ok: false, reason: 'invalid' });
    expect(await manager.validate(await sign(nowSeconds + 3))).toMatchObject({ ok: true }); // within the 5 s leeway
  });

  it('reports the absolute deadline as expired-absolute whether the store or the credential notices, naming the session', async () => {
    for (const late of [1_000, 11_000]) {
      const { manager, clock, events } = managerFixture({ expiry: { absoluteLifetime: '1h', idleTimeout: '30m' } });
      const { token, session } = await manager.login({ userId: 'alice' });
      for (let i = 0; i < 3; i += 1) {
        clock.advance(20 * 60_000 - 1);
        expect(await manager.validate(token)).toMatchObject({ ok: true });
      }
      clock.advance(session.absoluteExpiresAt + late - clock.now());
      expect(await manager.validate(token)).toEqual({ ok: false, reason: 'expired-absolute' });
      expect(events('session.refused').at(-1)).toMatchObject({ reason: 'expired-absolute', sessionId: session.id, userKey: session.id.split('.')[0] });
    }
  });

  it('refuses an expired credential locally, as expired-absolute', async () => {
    const { manager, clock, calls } = managerFixture({ expiry: { absoluteLifetime: '1h', idleTimeout: '30m' } });
    const { token } = await manager.login({ userId: 'alice' });
    clock.advance(HOUR + 10_000);
    expect(await manager.validate(token)).toEqual({ ok: false, reason: 'expired-absolute' });
    expect(calls.touch ?? 0).toBe(0);
  });

  it('resists algorithm confusion: an HS256 token keyed with the EdDSA public key is refused', async () => {
    const { privateKey, publicKey } = generateKeyPairSync('ed25519');
    const { manager } = managerFixture({ signingKeys: [{ kid: 'ed1', alg: 'EdDSA', privateKey, publicKey }] });
    const { token } = await manager.login({ userId: 'alice' });
    expect(await manager.validate(token)).toMatchObject({ ok: true });
    const publicBytes = publicKey.export({ format: 'der', type: 'spki' });
    const confused = await new SignJWT(payloadOf(token))
      .setProtectedHeader({ alg: 'HS256', kid: 'ed1', typ: 'sw-session+jwt' })
      .sign(new Uint8Array(publicBytes));
    expect(await manager.validate(confused)).toEqual({ ok: false, reason: 'invalid' });
  });

  it('rotates keys by kid: old credentials verify while their key is listed, and not after', async () => {
    const oldKey = { kid: '2026-10', alg: 'HS256' as const, secret: 'old-key-0123456789-abcdefghijklmnopqrstuv' };
    const newKey = { kid: '2026-11', alg: 'HS256' as const, secret: 'new-key-0123456789-abcdefghijklmnopqrstuv' };
    const shared = managerFixture({ signingKeys: [oldKey] });
    const { token: oldToken } = await shared.manager.login({ userId: 'alice' });
    const during = new SessionManager({ secret: SECRET, store: shared.store, clock: shared.clock.now, signingKeys: [newKey, { ...oldKey, verifyOnly: true }] });
    expect(await during.validate(oldToken)).toMatchObject({ ok: true });
    const { token: newToken } = await during.login({ userId: 'bob' });
    expect(JSON.parse(Buffer.from(newToken.split('.')[0]!, 'base64url').toString())).toMatchObject({ kid: '2026-11' });
    const after = new SessionManager({ secret: SECRET, store: shared.store, clock: shared.clock.now, signingKeys: [newKey] });
    expect(await after.validate(newToken)).toMatchObject({ ok: true });
    expect(await after.validate(oldToken)).toEqual({ ok: false, reason: 'invalid' });
  });

  it('decides revocation in the store even while the credential is valid and remembered', async () => {
    const { manager } = managerFixture();
    const { token, session } = await manager.login({ userId: 'alice' });
    expect(await manager.validate(token)).toMatchObject({ ok: true }); // signature now memoised
    await manager.revoke(session.id, { actor: 'admin-1' });
    expect(await manager.validate(token)).toEqual({ ok: false, reason: 'revoked' });
  });

  it('a remembered signature under another header or payload is not the remembered credential', async () => {
    const { manager, calls } = managerFixture();
    const { token } = await manager.login({ userId: 'alice' });
    const other = await manager.login({ userId: 'bob' });
    expect(await manager.validate(token)).toMatchObject({ ok: true }); // remembered
    const [header, , signature] = token.split('.');
    const grafted = [`${header}.${other.token.split('.')[1]}.${signature}`, `${other.token.split('.')[0]}x.${token.split('.')[1]}.${signature}`, signature!];
    const before = calls.touch ?? 0;
    for (const forged of grafted) expect((await manager.validate(forged)).ok).toBe(false);
    expect(calls.touch ?? 0).toBe(before);
    expect(await manager.validate(token)).toMatchObject({ ok: true, session: { userId: 'alice' } });
  });

  it('a listed session id cannot authenticate, even with a leaked signing key', async () => {
    const { manager } = managerFixture();
    const { session } = await manager.login({ userId: 'alice' });
    const [listed] = await manager.list('alice');
    const leakedKey = new Uint8Array(hkdfSync('sha256', SECRET, new Uint8Array(0), 'sessionward/v1/jwt-hs256', 32));
    const forged = await new SignJWT({ sid: listed!.id, sec: 'C'.repeat(22) })
      .setProtectedHeader({ alg: 'HS256', kid: 'sw1', typ: 'sw-session+jwt' })
      .setIssuer('sessionward')
      .setAudience('sessionward')
      .setIssuedAt()
      .setExpirationTime('1h')
      .sign(leakedKey);
    expect(await manager.validate(forged)).toEqual({ ok: false, reason: 'invalid' });
    expect((await manager.get(session.id))!.lastAccess).toBe(session.lastAccess);
  });

  it('never adopts a client-chosen session id', async () => {
    const { manager, calls } = managerFixture();
    const chosen = 'AAAAAAAAAAAAAAAA.BBBBBBBBBBBBBBBBBBBBBB';
    const { session } = await manager.login({ userId: 'alice', data: { id: chosen } });
    expect(session.id).not.toBe(chosen);
    // Validly signed (as by a leaked key), so only the store can say the id names no session.
    const forged = await new SignJWT({ sid: chosen, sec: 'C'.repeat(22) })
      .setProtectedHeader({ alg: 'HS256', kid: 'sw1', typ: 'sw-session+jwt' })
      .setIssuer('sessionward')
      .setAudience('sessionward')
      .setIssuedAt()
      .setExpirationTime('1h')
      .sign(REAL_KEY);
    const touchesBefore = calls.touch ?? 0;
    expect(await manager.validate(forged)).toEqual({ ok: false, reason: 'invalid' });
    expect(calls.touch).toBe(touchesBefore + 1);
    expect(await manager.get(chosen)).toBeNull();
  });
});
