import { describe, expect, it, vi } from 'vitest';
import { isSessionError, MemorySessionStore, type SessionStore } from 'sessionward';
import { CHROME_WINDOWS, managerFixture } from '../support/manager-fixture.js';

/** A store whose every call fails, as a Redis that went away would. */
function brokenStore(): SessionStore {
  const fail = async () => {
    throw new Error('connect ECONNREFUSED 127.0.0.1:6379');
  };
  return { create: fail, get: fail, touch: fail, update: fail, rotate: fail, revoke: fail, revokeAll: fail, list: fail };
}

describe('store outage fails closed with a typed 503, never as "logged out"', () => {
  it('validate throws ERR_SESSION_STORE_UNAVAILABLE instead of refusing the credential', async () => {
    const healthy = managerFixture();
    const { token } = await healthy.manager.login({ userId: 'alice' });
    const down = managerFixture({ store: brokenStore() });
    const outcome = await down.manager.validate(token).then(
      (result) => result,
      (error: unknown) => error,
    );
    expect(isSessionError(outcome, 'ERR_SESSION_STORE_UNAVAILABLE')).toBe(true);
    expect(outcome).toMatchObject({ statusCode: 503, retryable: true, details: { retryAfterSeconds: 1 } });
    expect((outcome as Error).message).not.toContain(token);
    expect(down.events('store.unavailable')).toMatchObject([{ operation: 'validate' }]);
  });

  it.each(['create', 'revoke', 'revokeAll', 'list', 'rotate', 'update'] as const)('%s fails with the typed error', async (operation) => {
    const { manager } = managerFixture({ store: brokenStore() });
    const id = 'AAAAAAAAAAAAAAAA.BBBBBBBBBBBBBBBBBBBBBB';
    const calls = {
      create: () => manager.login({ userId: 'alice' }),
      revoke: () => manager.revoke(id),
      revokeAll: () => manager.revokeAll('alice'),
      list: () => manager.list('alice'),
      rotate: () => manager.rotate(id),
      update: () => manager.update(id, { set: { a: 1 } }),
    };
    await expect(calls[operation]()).rejects.toMatchObject({ code: 'ERR_SESSION_STORE_UNAVAILABLE', statusCode: 503 });
  });
});

describe('a store bug is not an outage', () => {
  it('a store missing a method, or throwing a TypeError, is a 500 ERR_SESSION_STORE_FAILED, never a retryable 503', async () => {
    const memory = new MemorySessionStore({ sweepInterval: false });
    // Has what construction checks for, lacks update(), and get() has a bug.
    const buggy = {
      create: memory.create.bind(memory),
      touch: memory.touch.bind(memory),
      revoke: memory.revoke.bind(memory),
      list: memory.list.bind(memory),
      get: async () => {
        throw new TypeError("Cannot read properties of undefined (reading 'split')");
      },
    } as unknown as SessionStore;
    const { manager, events } = managerFixture({ store: buggy });
    const { session } = await manager.login({ userId: 'alice' });
    for (const run of [() => manager.update(session.id, { set: { a: 1 } }), () => manager.get(session.id)]) {
      const error = await run().then(
        () => null,
        (e: unknown) => e,
      );
      expect(error).toMatchObject({ code: 'ERR_SESSION_STORE_FAILED', statusCode: 500, retryable: false });
      expect(isSessionError(error, 'ERR_SESSION_STORE_UNAVAILABLE')).toBe(false);
    }
    expect(events('store.unavailable')).toEqual([]);
  });
});

describe('advisory parts fail open', () => {
  it('a throwing fingerprinter, geo resolver or detector does not block a login', async () => {
    const onError = vi.fn();
    const { manager } = managerFixture({
      onError,
      fingerprinter: {
        fingerprint: async () => {
          throw new Error('parser exploded');
        },
      },
      geoResolver: {
        resolve: async () => {
          throw new Error('database unreadable');
        },
      },
      anomalyDetector: {
        evaluate: async () => {
          throw new Error('rule bug');
        },
      },
    });
    const { session, token } = await manager.login({ userId: 'alice', context: CHROME_WINDOWS });
    expect(session.deviceInfo).toMatchObject({ browser: 'unknown', ipAddress: CHROME_WINDOWS.ip });
    expect(session.locationInfo).toBeNull();
    expect(await manager.validate(token)).toMatchObject({ ok: true });
    expect(onError.mock.calls.map(([, part]) => part).sort()).toEqual(['anomalyDetector', 'fingerprinter', 'geoResolver']);
  });

  it('a failing audit sink never breaks a request, and is reported', async () => {
    const onError = vi.fn();
    const { manager } = managerFixture({
      onError,
      auditSink: [
        {
          emit: async () => {
            throw new Error('disk full');
          },
        },
        {
          emit: () => {
            throw new Error('sync throw');
          },
        },
      ],
    });
    const { token, session } = await manager.login({ userId: 'alice' });
    expect(await manager.validate(token)).toMatchObject({ ok: true });
    expect(await manager.revoke(session.id)).not.toBeNull();
    await new Promise((resolve) => setImmediate(resolve));
    expect(onError).toHaveBeenCalled();
    expect(onError.mock.calls.every(([, part]) => part === 'auditSink')).toBe(true);
  });

  it('findings from the detector at login are audited with their evidence', async () => {
    const { manager, events } = managerFixture({
      anomalyDetector: { evaluate: async () => [{ rule: 'test-rule', severity: 'low', score: 0.2, evidence: { why: 'because' } }] },
    });
    const { session } = await manager.login({ userId: 'alice' });
    expect(events('session.anomaly')).toMatchObject([{ sessionId: session.id, findings: [{ rule: 'test-rule', evidence: { why: 'because' } }] }]);
  });

  it('dispose releases the default store', async () => {
    const store = new MemorySessionStore({ sweepInterval: '1s' });
    const { manager } = managerFixture({ store });
    await manager.login({ userId: 'alice' });
    await manager.dispose();
    expect(store.size).toBe(0);
  });
});

describe('typed errors', () => {
  it('only SessionErrors with thrown codes escape, and isSessionError narrows details per code', async () => {
    const bare = { create: async () => ({}), touch: async () => ({}), revoke: async () => null, list: async () => [] } as unknown as SessionStore;
    const { manager } = managerFixture({ store: bare });
    const purge = await manager.admin.purgeUser('alice').catch((e: unknown) => e);
    expect(purge).toMatchObject({ code: 'ERR_SESSION_UNSUPPORTED', details: { operation: 'purgeUser' } });
    const stats = await manager.admin.stats().catch((e: unknown) => e);
    expect(stats).toMatchObject({ code: 'ERR_SESSION_UNSUPPORTED', details: { operation: 'stats' } });
    const limited = managerFixture({ limit: 1 });
    await limited.manager.login({ userId: 'alice' });
    const refused = await limited.manager.login({ userId: 'alice' }).catch((e: unknown) => e);
    if (!isSessionError(refused, 'ERR_SESSION_LIMIT_EXCEEDED')) throw new Error('expected a limit refusal');
    const sessions: { id: string }[] = refused.details.sessions; // typed without a cast
    expect(sessions).toHaveLength(1);
    expect(refused.details.limit).toBe(1);
    expect(isSessionError(refused, 'ERR_SESSION_STORE_UNAVAILABLE')).toBe(false);
  });

  it('a held validation carries its session in the type: no non-null assertion needed', async () => {
    const { manager } = managerFixture();
    const { token, session } = await manager.login({ userId: 'alice' });
    await manager.requireStepUp(session.id, 'change-password');
    const result = await manager.validate(token);
    if (result.ok || result.reason !== 'step-up-required') throw new Error('expected a hold');
    expect(result.session.id).toBe(session.id);
  });
});

describe('a login whose step-up hold could not be written', () => {
  it('fails as a 503 and its session, whose credential never left, is ended before the retry', async () => {
    const memory = new MemorySessionStore({ sweepInterval: false });
    let failUpdates = 1;
    const store = new Proxy(memory, {
      get(target, property, receiver) {
        const value = Reflect.get(target, property, receiver);
        if (typeof value !== 'function') return value;
        if (property === 'update')
          return (...args: unknown[]) => (failUpdates-- > 0 ? Promise.reject(new Error('connect ECONNREFUSED')) : value.apply(target, args));
        return value.bind(target);
      },
    });
    const suspicious = { evaluate: async () => [{ rule: 'custom', severity: 'high' as const, score: 0.9, evidence: {} }] };
    const { manager } = managerFixture({ store, anomalyDetector: suspicious, limit: 1 });
    await expect(manager.login({ userId: 'alice' })).rejects.toMatchObject({ code: 'ERR_SESSION_STORE_UNAVAILABLE' });
    const retry = await manager.login({ userId: 'alice' }); // limit 1: it would be refused if the first one lingered
    expect((await manager.list('alice')).map((s) => s.id)).toEqual([retry.session.id]);
    expect(retry.session.stepUp).toMatchObject({ reason: 'custom' });
  });
});
