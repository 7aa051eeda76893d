import { describe, expect, it } from 'vitest';
import { JsonLinesAuditSink, MemoryAuditSink } from 'sessionward';
import { CHROME_WINDOWS, managerFixture, MINUTE } from '../support/manager-fixture.js';
import { failingWhen } from '../support/outage-store.js';

/** Every 16-character piece of a string: what must never appear in logs. */
function pieces(secret: string, size = 16): string[] {
  const out: string[] = [];
  for (let i = 0; i + size <= secret.length; i += 1) out.push(secret.slice(i, i + size));
  return out;
}

describe('audit trail', () => {
  it('records every lifecycle step with who and why, and never a credential or a piece of one', async () => {
    const lines: string[] = [];
    const memory = new MemoryAuditSink();
    const { manager, clock } = managerFixture({
      auditSink: [memory, new JsonLinesAuditSink({ write: (line) => lines.push(line) })],
      limit: { max: 2, policy: 'evict-oldest' },
    });
    const tokens: string[] = [];
    const a = await manager.login({ userId: 'alice', context: CHROME_WINDOWS });
    tokens.push(a.token);
    clock.advance(2 * MINUTE);
    await manager.validate(a.token); // renewed
    const b = await manager.login({ userId: 'alice' });
    tokens.push(b.token);
    clock.advance(1_000);
    const c = await manager.login({ userId: 'alice' }); // evicts a
    tokens.push(c.token);
    await manager.validate(a.token); // refused: evicted
    const rotated = await manager.rotate(b.session.id);
    tokens.push(rotated!.token);
    await manager.update(rotated!.session.id, { set: { cart: 1 } });
    await manager.revoke(rotated!.session.id, { actor: 'admin-9' });
    await manager.logout(c.session.id);
    await manager.validate('garbage.garbage.garbage');
    const d = await manager.login({ userId: 'alice' });
    tokens.push(d.token);
    clock.advance(31 * MINUTE);
    await manager.validate(d.token); // expired-idle

    const types = memory.events().map((event) => event.type);
    expect(types).toEqual([
      'session.created',
      'session.renewed',
      'session.created',
      'session.anomaly', // b logs in from a device a does not have: new-device, logged
      'session.ended', // a evicted
      'session.created',
      'session.refused', // a, evicted
      'session.rotated', // b continues under a new id; the event names both

      'session.updated',
      'session.ended', // revoked by admin-9
      'session.ended', // c logout
      'session.refused', // garbage
      'session.created',
      'session.ended', // d expired-idle
      'session.refused',
    ]);
    const ended = memory.events().flatMap((event) => (event.type === 'session.ended' ? [[event.reason, event.actor]] : []));
    expect(ended).toEqual([
      ['evicted', 'system'],
      ['revoked', 'admin-9'],
      ['logout', 'user'],
      ['expired-idle', 'system'],
    ]);
    expect(memory.events().every((event) => event.v === 1 && typeof event.at === 'number')).toBe(true);

    // Nothing secret anywhere: not in events, not in the JSON lines, not in the stored records.
    const secrets = tokens.flatMap((token) => {
      const claims = JSON.parse(Buffer.from(token.split('.')[1]!, 'base64url').toString());
      return [token, claims.sec as string, ...token.split('.').slice(1)];
    });
    const haystack = [JSON.stringify(memory.events()), lines.join('')].join('\n');
    for (const secret of secrets) for (const piece of pieces(secret)) expect(haystack).not.toContain(piece);
    expect(lines.every((line) => line.endsWith('\n') && !line.slice(0, -1).includes('\n'))).toBe(true);
    expect(lines).toHaveLength(types.length);
  });

  it('errors carry no credential or piece of one either: limit refusal, conflict, outage, bad options', async () => {
    const broken = { down: false };
    const { manager, memory } = managerFixture({ limit: 2 });
    const store = failingWhen(memory, broken, () => new Error('ECONNRESET'));
    const outageManager = managerFixture({ store }).manager;
    const tokens = [(await manager.login({ userId: 'alice' })).token, (await manager.login({ userId: 'alice' })).token];
    const { token: outageToken, session } = await outageManager.login({ userId: 'bob' });
    tokens.push(outageToken);
    const errors: unknown[] = [];
    await manager.login({ userId: 'alice' }).catch((e: unknown) => errors.push(e));
    const [first] = await manager.list('alice');
    await manager.update(first!.id, { set: { a: 1 } });
    await manager.update(first!.id, { set: { a: 2 } }, { expectedVersion: 1 }).catch((e: unknown) => errors.push(e));
    broken.down = true;
    await outageManager.validate(outageToken).catch((e: unknown) => errors.push(e));
    await outageManager.revoke(session.id).catch((e: unknown) => errors.push(e));
    try {
      managerFixture({ secret: tokens[0]!.slice(0, 20) });
    } catch (error) {
      errors.push(error);
    }
    expect(errors.map((e) => (e as { code: string }).code)).toEqual([
      'ERR_SESSION_LIMIT_EXCEEDED',
      'ERR_SESSION_CONFLICT',
      'ERR_SESSION_STORE_UNAVAILABLE',
      'ERR_SESSION_STORE_UNAVAILABLE',
      'ERR_SESSION_INVALID_OPTIONS',
    ]);
    const haystack = errors
      .map((e) => {
        const error = e as Error & { details?: unknown; cause?: unknown };
        return [error.message, error.stack, JSON.stringify(error.details), String(error.cause)].join('\n');
      })
      .join('\n');
    const secrets = tokens.flatMap((token) => [
      token,
      JSON.parse(Buffer.from(token.split('.')[1]!, 'base64url').toString()).sec as string,
      ...token.split('.').slice(1),
    ]);
    for (const secret of secrets) for (const piece of pieces(secret)) expect(haystack).not.toContain(piece);
  });

  it('stores a keyed hash of the credential secret, never the secret', async () => {
    const { manager, memory } = managerFixture();
    const { token, session } = await manager.login({ userId: 'alice' });
    const secret = JSON.parse(Buffer.from(token.split('.')[1]!, 'base64url').toString()).sec as string;
    const stored = await memory.get({ id: session.id, userKey: session.id.slice(0, 16) });
    expect(stored!.secretHash).toMatch(/^[A-Za-z0-9_-]{22}$/);
    expect(JSON.stringify(stored)).not.toContain(secret);
    for (const piece of pieces(secret, 8)) expect(JSON.stringify(stored)).not.toContain(piece);
  });

  it("answers a user's history, newest first", async () => {
    const { manager } = managerFixture();
    const { session } = await manager.login({ userId: 'alice' });
    await manager.login({ userId: 'bob' });
    await manager.revoke(session.id, { actor: 'admin' });
    const history = await manager.admin.events('alice');
    expect(history.map((event) => event.type)).toEqual(['session.ended', 'session.created']);
    expect(await manager.admin.events('alice', { maxEvents: 1 })).toHaveLength(1);
  });
});

describe('MemoryAuditSink', () => {
  it('keeps the newest events within its capacity, in order', async () => {
    const sink = new MemoryAuditSink({ capacity: 3 });
    for (let i = 0; i < 5; i += 1) {
      await sink.emit({ type: 'session.renewed', v: 1, at: i, time: new Date(i).toISOString(), sessionId: `s${i}`, userId: 'u', userKey: 'k', expiresAt: 0 });
    }
    expect(sink.events().map((event) => event.at)).toEqual([2, 3, 4]);
    expect(() => new MemoryAuditSink({ capacity: 0 })).toThrow(/capacity/);
  });
});

describe('JsonLinesAuditSink', () => {
  it('escapes newlines so a hostile value cannot forge a log line', async () => {
    const lines: string[] = [];
    const sink = new JsonLinesAuditSink({ write: (line) => lines.push(line) });
    await sink.emit({
      type: 'session.created',
      v: 1,
      at: 1,
      time: new Date(1).toISOString(),
      sessionId: 's',
      userId: 'evil\n{"type":"forged"}',
      userKey: 'k',
      ip: '',
      device: '',
      country: null,
      absoluteExpiresAt: 2,
    });
    expect(lines).toHaveLength(1);
    expect(lines[0]!.trimEnd().split('\n')).toHaveLength(1);
    expect(JSON.parse(lines[0]!).userId).toBe('evil\n{"type":"forged"}');
  });

  it('escapes U+2028, U+2029 and C1 controls (NEL, 8-bit CSI), which JSON leaves raw', async () => {
    const lines: string[] = [];
    const sink = new JsonLinesAuditSink({ write: (line) => lines.push(line) });
    const hostile = 'a\u2028b\u2029c\u0085d\u009b31m';
    await sink.emit({
      type: 'session.created',
      v: 1,
      at: 1,
      time: new Date(1).toISOString(),
      sessionId: 's',
      userId: hostile,
      userKey: 'k',
      ip: '',
      device: '',
      country: null,
      absoluteExpiresAt: 2,
    });
    expect(lines[0]).not.toMatch(/[\u0080-\u009f\u2028\u2029]/);
    expect(lines[0]).toContain('a\\u2028b\\u2029c\\u0085d\\u009b31m');
    expect(JSON.parse(lines[0]!).userId).toBe(hostile);
  });

  it('hands events to a structured logger', async () => {
    const logged: unknown[] = [];
    const sink = new JsonLinesAuditSink({ logger: { info: (object, message) => logged.push([object, message]) } });
    await sink.emit({ type: 'session.renewed', v: 1, at: 1, time: new Date(1).toISOString(), sessionId: 's', userId: 'u', userKey: 'k', expiresAt: 2 });
    expect(logged).toEqual([[{ audit: expect.objectContaining({ type: 'session.renewed' }) }, 'session.renewed']]);
  });
});

describe('who was on the other end', () => {
  const CONTEXT = { ...CHROME_WINDOWS, ip: '203.0.113.77', requestId: 'req-42\r\nforged' };

  it('refusals, logouts, limit refusals and anomalies carry the stored-form IP, a user-agent summary and the request id; every event an ISO time', async () => {
    const { manager, events } = managerFixture({ truncateIp: true, limit: 1 });
    const { token, session } = await manager.login({ userId: 'alice', context: CONTEXT });
    await manager.login({ userId: 'alice', context: CONTEXT }).catch(() => {});
    await manager.validate(`${token.slice(0, -4)}AAAA`, { context: CONTEXT });
    await manager.validate(token, { context: { ...CONTEXT, headers: { 'user-agent': 'curl/8.5.0' } } }); // device change: anomaly
    await manager.logout(session.id, { context: CONTEXT });
    const client = { ip: '203.0.113.0', userAgent: CHROME_WINDOWS.headers['user-agent'], requestId: 'req-42forged' };
    expect(events('login.refused-by-limit')).toMatchObject([{ client }]);
    expect(events('session.refused')[0]).toMatchObject({ reason: 'invalid', client });
    expect(events('session.anomaly')).toMatchObject([{ client: { ip: '203.0.113.0', userAgent: 'curl/8.5.0' } }]);
    expect(events('session.ended').at(-1)).toMatchObject({ reason: 'logout', actor: 'user', client });
    for (const event of events()) expect(event.time).toBe(new Date(event.at).toISOString());
  });

  it('many forged credentials from one IP raise one session.guessing event per window and call the hook with the raw IP', async () => {
    const reports: unknown[] = [];
    const { manager, events, clock } = managerFixture({
      truncateIp: true,
      guessing: { threshold: 10, window: '1m', onDetected: (report) => reports.push(report) },
    });
    const { token } = await manager.login({ userId: 'alice' });
    const forged = `${token.slice(0, -4)}AAAA`;
    for (let i = 0; i < 25; i += 1) await manager.validate(forged, { context: { headers: {}, ip: '198.51.100.9' } });
    for (let i = 0; i < 9; i += 1) await manager.validate('x.y.z', { context: { headers: {}, ip: '192.0.2.1' } });
    await manager.validate(token, { context: { headers: {}, ip: '198.51.100.9' } }); // a good one does not count
    expect(events('session.guessing')).toMatchObject([{ ip: '198.51.100.0', count: 10, windowMs: 60_000 }]);
    expect(reports).toEqual([{ ip: '198.51.100.9', count: 10, windowMs: 60_000 }]);
    clock.advance(61_000);
    for (let i = 0; i < 10; i += 1) await manager.validate(forged, { context: { headers: {}, ip: '198.51.100.9' } });
    expect(events('session.guessing')).toHaveLength(2);
    const quiet = managerFixture({ guessing: false });
    for (let i = 0; i < 50; i += 1) await quiet.manager.validate(forged, { context: { headers: {}, ip: '198.51.100.9' } });
    expect(quiet.events('session.guessing')).toEqual([]);
  });
});
