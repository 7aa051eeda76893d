import { metrics, type Meter } from '@opentelemetry/api';
import type { AuditEvent, AuditSink } from 'sessionward';

export interface SessionMetricsOptions {
  /**
   * @default the global `metrics.getMeter('sessionward')`, looked up when a metric is recorded (so
   * registering the SDK after calling `sessionMetrics()` still works)
   */
  meter?: Meter;
}

export interface SessionMetrics {
  /** Add to the manager's `audit` sinks. */
  audit: AuditSink;
  /** Pass as the manager's `onStoreCall`. */
  onStoreCall(operation: string, durationMs: number, outcome: 'ok' | 'error'): void;
}

/**
 * OpenTelemetry metrics for a SessionManager:
 *   sessionward.sessions.created / validated / refused / revoked / evicted / expired, sessionward.anomalies (counters)
 *   sessionward.sessions.active (up-down counter: this process's logins minus its ends; sum it across processes)
 *   sessionward.store.duration (histogram, ms, by operation and outcome)
 *
 * @example
 * const metrics = sessionMetrics();
 * new SessionManager({ secret, auditSink: [new JsonLinesAuditSink(), metrics.audit], onStoreCall: metrics.onStoreCall });
 */
export function sessionMetrics(options: SessionMetricsOptions = {}): SessionMetrics {
  // @opentelemetry/api hands out a no-op meter until an SDK is registered, and that meter's
  // instruments stay no-ops: so instruments are made per meter, when first used.
  const made = new WeakMap<Meter, Instruments>();
  const instruments = (): Instruments => {
    const meter = options.meter ?? metrics.getMeter('sessionward');
    const found = made.get(meter) ?? instrumentsOf(meter);
    made.set(meter, found);
    return found;
  };

  const record = (event: AuditEvent) => {
    const { created, active, refused, anomalies, evicted, expired, revoked } = instruments();
    switch (event.type) {
      case 'session.created':
        created.add(1);
        active.add(1);
        break;
      case 'session.refused':
        refused.add(1, { reason: event.reason });
        break;
      case 'login.refused-by-limit':
        refused.add(1, { reason: 'limit-exceeded' });
        break;
      case 'session.anomaly':
        for (const finding of event.findings) anomalies.add(1, { rule: finding.rule, severity: finding.severity, action: event.action });
        break;
      case 'session.ended':
        active.add(-1);
        if (event.reason === 'evicted') evicted.add(1);
        else if (event.reason === 'expired-idle' || event.reason === 'expired-absolute') expired.add(1, { reason: event.reason });
        else revoked.add(1, { reason: event.reason });
        break;
      default:
    }
  };

  return {
    audit: { emit: async (event) => record(event) },
    onStoreCall: (operation, durationMs, outcome) => {
      const { storeDuration, validated } = instruments();
      storeDuration.record(durationMs, { operation, outcome });
      if (operation === 'validate') validated.add(1, { outcome });
    },
  };
}

type Instruments = ReturnType<typeof instrumentsOf>;

function instrumentsOf(meter: Meter) {
  const counter = (name: string, description: string) => meter.createCounter(`sessionward.${name}`, { description });
  return {
    created: counter('sessions.created', 'Sessions created (logins)'),
    validated: counter('sessions.validated', 'Credentials checked against the store'),
    refused: counter('sessions.refused', 'Requests or logins refused, by reason'),
    revoked: counter('sessions.revoked', 'Sessions ended by logout, revocation or anomaly, by reason'),
    evicted: counter('sessions.evicted', 'Sessions ended by the concurrent-login limit'),
    expired: counter('sessions.expired', 'Sessions that expired, idle or absolute'),
    anomalies: counter('anomalies', 'Anomaly findings, by rule and action'),
    active: meter.createUpDownCounter('sessionward.sessions.active', { description: 'Live sessions created minus ended, by this process' }),
    storeDuration: meter.createHistogram('sessionward.store.duration', { description: 'Store call duration', unit: 'ms' }),
  };
}
