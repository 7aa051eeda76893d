import { describe, expect, it, vi } from 'vitest';
import { MemoryAuditSink } from 'sessionward';
import { managerFixture } from '../support/manager-fixture.js';

describe('audit delivery never breaks or holds up a request', () => {
  it('a sink that never answers: requests go on, events beyond 1000 pending are dropped and counted, each times out', async () => {
    const onError = vi.fn();
    const good = new MemoryAuditSink({ capacity: 5_000 });
    const hanging = { emit: () => new Promise<void>(() => {}) };
    const { manager } = managerFixture({ auditSink: [hanging, good], onError });
    const { token } = await manager.login({ userId: 'alice' });
    const started = performance.now();
    for (let i = 0; i < 1_100; i += 1) await manager.validate('garbage.garbage.garbage'); // one refusal event each
    expect(performance.now() - started).toBeLessThan(2_000);
    expect(await manager.validate(token)).toMatchObject({ ok: true });
    await new Promise((resolve) => setTimeout(resolve, 10));
    expect(manager.admin.health().audit).toMatchObject({ dropped: 101 });
    expect(good.events()).toHaveLength(1_101); // the healthy sink got everything
    await new Promise((resolve) => setTimeout(resolve, 2_100));
    expect(manager.admin.health().audit.failed).toBe(1_000); // timed out, reported
    expect(onError).toHaveBeenCalledWith(expect.objectContaining({ message: expect.stringMatching(/did not answer within 2000 ms/) }), 'auditSink');
  }, 10_000);

  it('keeps one deadline timer for all the events in flight, not one per event and sink', async () => {
    const timers = vi.spyOn(globalThis, 'setTimeout');
    try {
      const hanging = { emit: () => new Promise<void>(() => {}) };
      const { manager } = managerFixture({ auditSink: [hanging, new MemoryAuditSink()] });
      for (let i = 0; i < 200; i += 1) await manager.validate('garbage.garbage.garbage'); // one refusal event each
      expect(timers.mock.calls.filter(([, delay]) => delay === 2_000).length).toBeLessThanOrEqual(2);
    } finally {
      timers.mockRestore();
    }
  });

  it('counts failing sinks and advisory failures', async () => {
    const { manager } = managerFixture({
      onError: () => {},
      auditSink: [
        {
          emit: async () => {
            throw new Error('disk full');
          },
        },
      ],
      geoResolver: {
        resolve: async () => {
          throw new Error('db gone');
        },
      },
    });
    await manager.login({ userId: 'alice', context: { ip: '81.2.69.160', headers: {} } });
    await new Promise((resolve) => setTimeout(resolve, 10));
    const health = manager.admin.health();
    expect(health.audit.failed).toBeGreaterThanOrEqual(1);
    expect(health.failures).toMatchObject({ geoResolver: 1, auditSink: health.audit.failed });
  });
});

describe('admin.flushAudit', () => {
  it('resolves only once every emitted event has reached a slow sink', async () => {
    const received: string[] = [];
    const slow = {
      emit: async (event: { type: string }) => {
        await new Promise((resolve) => setTimeout(resolve, 30));
        received.push(event.type);
      },
    };
    const { manager } = managerFixture({ auditSink: [slow as never] });
    await manager.login({ userId: 'alice' });
    await manager.login({ userId: 'bob' });
    expect(received).toEqual([]);
    await manager.admin.flushAudit();
    expect(received).toEqual(['session.created', 'session.created']);
  });
});
