import type { AuditEvent } from '../ports/audit-sink.js';

export type ActivityKind = 'logins' | 'refusedLogins' | 'revocations' | 'expirations' | 'anomalies' | 'refusals';

const KINDS: ActivityKind[] = ['logins', 'refusedLogins', 'revocations', 'expirations', 'anomalies', 'refusals'];
const BUCKET_MS = 60_000;
const MAX_ANOMALIES = 200;

export type AnomalyEvent = Extract<AuditEvent, { type: 'session.anomaly' | 'session.refresh-reused' }>;
const BUCKETS = 60;

function kindOf(event: AuditEvent): ActivityKind | null {
  switch (event.type) {
    case 'session.created':
      return 'logins';
    case 'login.refused-by-limit':
      return 'refusedLogins';
    case 'session.anomaly':
      return 'anomalies';
    case 'session.refused':
      return 'refusals';
    case 'session.ended':
      return event.reason === 'expired-idle' || event.reason === 'expired-absolute' ? 'expirations' : 'revocations';
    default:
      return null;
  }
}

/**
 * Lifecycle events of this process over the last hour, in one-minute buckets. Cheap enough to run
 * on every event; for a fleet-wide view, sum the processes or query the audit streams.
 */
export class ActivityCounters {
  readonly #buckets = new Map<number, Record<ActivityKind, number>>();
  /** The latest anomaly findings and refresh-token reuses this process saw, newest last. */
  readonly #anomalies: AnomalyEvent[] = [];

  record(event: AuditEvent): void {
    if (event.type === 'session.anomaly' || event.type === 'session.refresh-reused') {
      this.#anomalies.push(event);
      if (this.#anomalies.length > MAX_ANOMALIES) this.#anomalies.shift();
    }
    const kind = kindOf(event);
    if (!kind) return;
    const minute = Math.floor(event.at / BUCKET_MS);
    let bucket = this.#buckets.get(minute);
    if (!bucket) {
      bucket = Object.fromEntries(KINDS.map((k) => [k, 0])) as Record<ActivityKind, number>;
      this.#buckets.set(minute, bucket);
      for (const old of this.#buckets.keys()) if (old <= minute - BUCKETS) this.#buckets.delete(old);
    }
    bucket[kind] += 1;
  }

  /** The last hour minute by minute, oldest first (60 entries, empty minutes as zeros). */
  perMinute(now: number): { at: number; counts: Record<ActivityKind, number> }[] {
    const newest = Math.floor(now / BUCKET_MS);
    return Array.from({ length: BUCKETS }, (_, i) => {
      const minute = newest - BUCKETS + 1 + i;
      const counts = this.#buckets.get(minute) ?? Object.fromEntries(KINDS.map((k) => [k, 0]));
      return { at: minute * BUCKET_MS, counts: { ...(counts as Record<ActivityKind, number>) } };
    });
  }

  /** Recent anomaly events (rule findings and refresh-token reuses), newest first. */
  anomalies(): AnomalyEvent[] {
    return [...this.#anomalies].reverse();
  }

  /** Totals over the last `windowMs` (at most an hour) before `now`. */
  totals(now: number, windowMs: number): Record<ActivityKind, number> {
    const totals = Object.fromEntries(KINDS.map((k) => [k, 0])) as Record<ActivityKind, number>;
    const newest = Math.floor(now / BUCKET_MS);
    const oldest = Math.floor((now - Math.min(windowMs, BUCKETS * BUCKET_MS)) / BUCKET_MS);
    for (const [minute, bucket] of this.#buckets) {
      if (minute <= oldest || minute > newest) continue;
      for (const kind of KINDS) totals[kind] += bucket[kind];
    }
    return totals;
  }
}
