import { AggregationTemporality, MeterProvider, MetricReader, type ResourceMetrics } from '@opentelemetry/sdk-metrics';
import { describe, expect, it } from 'vitest';
import { sessionMetrics } from 'sessionward/opentelemetry';
import { managerFixture, MINUTE } from '../support/manager-fixture.js';

/** Collects on demand, as an exporter would on its schedule. */
class TestReader extends MetricReader {
  constructor() {
    super({ aggregationTemporalitySelector: () => AggregationTemporality.CUMULATIVE });
  }
  protected async onForceFlush(): Promise<void> {}
  protected async onShutdown(): Promise<void> {}
}

function points(resource: ResourceMetrics): Record<string, { attributes: Record<string, unknown>; value: unknown }[]> {
  const out: Record<string, { attributes: Record<string, unknown>; value: unknown }[]> = {};
  for (const scope of resource.scopeMetrics) {
    for (const metric of scope.metrics) {
      out[metric.descriptor.name] = metric.dataPoints.map((point) => ({ attributes: point.attributes, value: point.value }));
    }
  }
  return out;
}

describe('OpenTelemetry metrics', () => {
  it('counts lifecycle events, tracks active sessions and times store calls', async () => {
    const reader = new TestReader();
    const provider = new MeterProvider({ readers: [reader] });
    const telemetry = sessionMetrics({ meter: provider.getMeter('test') });
    const { manager, clock } = managerFixture({ auditSink: [telemetry.audit], onStoreCall: telemetry.onStoreCall, limit: { max: 2, policy: 'evict-oldest' } });
    const a = await manager.login({ userId: 'alice' });
    clock.advance(1_000);
    await manager.login({ userId: 'alice' });
    clock.advance(1_000);
    await manager.login({ userId: 'alice' }); // evicts a
    await manager.validate(a.token); // refused: evicted
    const [live] = await manager.list('alice');
    await manager.revoke(live!.id);
    clock.advance(31 * MINUTE);
    await manager.validate('x.y.z');
    await manager.admin.flushAudit();

    const { resourceMetrics } = await reader.collect();
    const data = points(resourceMetrics);
    expect(data['sessionward.sessions.created']).toEqual([{ attributes: {}, value: 3 }]);
    expect(data['sessionward.sessions.evicted']).toEqual([{ attributes: {}, value: 1 }]);
    expect(data['sessionward.sessions.revoked']).toEqual([{ attributes: { reason: 'revoked' }, value: 1 }]);
    expect(data['sessionward.sessions.active']).toEqual([{ attributes: {}, value: 1 }]);
    expect(data['sessionward.sessions.refused']!.map((p) => p.attributes.reason).sort()).toEqual(['evicted', 'invalid']);
    expect(data['sessionward.sessions.validated']).toEqual([{ attributes: { outcome: 'ok' }, value: 1 }]);
    const durations = data['sessionward.store.duration']!;
    expect(durations.map((p) => p.attributes.operation).sort()).toEqual(['create', 'list', 'revoke', 'validate']);
    expect((durations.find((p) => p.attributes.operation === 'create')!.value as { count: number }).count).toBe(3);
    await provider.shutdown();
  });
});

describe('OpenTelemetry: touch is not a validation', () => {
  it('a heartbeat touch(credential) is timed as a touch and not counted in sessions.validated', async () => {
    const reader = new TestReader();
    const provider = new MeterProvider({ readers: [reader] });
    const telemetry = sessionMetrics({ meter: provider.getMeter('test') });
    const { manager } = managerFixture({ auditSink: [telemetry.audit], onStoreCall: telemetry.onStoreCall });
    const { token } = await manager.login({ userId: 'alice' });
    await manager.validate(token);
    for (let i = 0; i < 3; i += 1) expect(await manager.touch(token)).toMatchObject({ userId: 'alice' });
    const data = points((await reader.collect()).resourceMetrics);
    expect(data['sessionward.sessions.validated']).toEqual([{ attributes: { outcome: 'ok' }, value: 1 }]);
    const touches = data['sessionward.store.duration']!.find((p) => p.attributes.operation === 'touch');
    expect((touches?.value as { count: number } | undefined)?.count).toBe(3);
    await provider.shutdown();
  });
});

describe('OpenTelemetry registered after sessionMetrics()', () => {
  it('still records: instruments are acquired from the global provider when first used', async () => {
    const { metrics } = await import('@opentelemetry/api');
    const telemetry = sessionMetrics(); // before any SDK, as an app importing it early would
    const reader = new TestReader();
    const provider = new MeterProvider({ readers: [reader] });
    metrics.setGlobalMeterProvider(provider);
    try {
      const { manager } = managerFixture({ auditSink: [telemetry.audit], onStoreCall: telemetry.onStoreCall });
      const { token } = await manager.login({ userId: 'alice' });
      await manager.validate(token);
      await manager.admin.flushAudit();
      const collected = points((await reader.collect()).resourceMetrics);
      expect(collected['sessionward.sessions.created']).toMatchObject([{ value: 1 }]);
      expect(collected['sessionward.sessions.validated']).toMatchObject([{ value: 1 }]);
    } finally {
      metrics.disable();
      await provider.shutdown();
    }
  });
});
