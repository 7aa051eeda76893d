import { metrics, type Meter } from '@opentelemetry/api';
import type { AuditEvent, AuditSink } from 'sessionward';

export interface SessionMetricsOptions {
  /** @default metrics.getMeter('sessionward') — a no-op until an OpenTelemetry SDK is registered */
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
 * new SessionManager({ secret, audit: [new JsonLinesAuditSink(), metrics.audit], onStoreCall: metrics.onStoreCall });
 */
export function sessionMetrics(options: SessionMetricsOptions = {}): SessionMetrics {
  const meter = options.meter ?? metrics.getMeter('sessionward');
  const counter = (name: string, description: string) => meter.createCounter(`sessionward.${name}`, { description });
  const created = counter('sessions.created', 'Sessions created (logins)');
  const validated = counter('sessions.validated', 'Credentials checked against the store');
  const refused = counter('sessions.refused', 'Requests or logins refused, by reason');
  const revoked = counter('sessions.revoked', 'Sessions ended by logout, revocation or anomaly, by reason');
  const evicted = counter('sessions.evicted', 'Sessions ended by the concurrent-login limit');
  const expired = counter('sessions.expired', 'Sessions that expired, idle or absolute');
  const anomalies = counter('anomalies', 'Anomaly findings, by rule and action');
  const active = meter.createUpDownCounter('sessionward.sessions.active', { description: 'Live sessions created minus ended, by this process' });
  const storeDuration = meter.createHistogram('sessionward.store.duration', { description: 'Store call duration', unit: 'ms' });

  const record = (event: AuditEvent) => {
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
      storeDuration.record(durationMs, { operation, outcome });
      if (operation === 'validate') validated.add(1, { outcome });
    },
  };
}
