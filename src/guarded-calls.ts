import { storeUnavailable } from './errors.js';
import type { AdvisoryPart, ResolvedOptions } from './options.js';
import type { AuditEvent } from './ports/audit-sink.js';
import type { EndedSession } from './ports/session-store.js';
import type { ActivityCounters } from './monitoring/activity-counters.js';

/**
 * How the manager calls its ports: the store fails closed (any fault becomes
 * `ERR_SESSION_STORE_UNAVAILABLE` and is audited), advisory parts fail open (reported to
 * `onError`, replaced by a fallback), and audit sinks can never break the caller.
 */
export class GuardedCalls {
  readonly #options: ResolvedOptions;
  readonly #activity: ActivityCounters;

  constructor(options: ResolvedOptions, activity: ActivityCounters) {
    this.#options = options;
    this.#activity = activity;
  }

  async store<T>(operation: string, run: () => Promise<T>): Promise<T> {
    try {
      return await run();
    } catch (error) {
      const message = error instanceof Error ? `${error.name}: ${error.message}` : 'unknown error';
      this.emit({ type: 'store.unavailable', v: 1, at: this.#options.clock(), operation, error: message.slice(0, 200) });
      throw storeUnavailable(operation, error);
    }
  }

  async advisory<T>(part: AdvisoryPart, fallback: T, run: () => Promise<T>): Promise<T> {
    try {
      return await run();
    } catch (error) {
      this.#options.onError(error, part);
      return fallback;
    }
  }

  emit(event: AuditEvent): void {
    this.#activity.record(event);
    for (const sink of this.#options.audit) {
      try {
        sink.emit(event).catch((error: unknown) => this.#options.onError(error, 'audit'));
      } catch (error) {
        this.#options.onError(error, 'audit');
      }
    }
  }

  reportEnded(sessions: readonly EndedSession[], now: number): void {
    for (const session of sessions) {
      this.emit({
        type: 'session.ended', v: 1, at: session.endedAt ?? now, sessionId: session.id, userId: session.userId,
        reason: session.endReason, actor: session.endedBy,
      });
    }
  }
}
