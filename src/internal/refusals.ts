import type { PolicyOptions } from '../options.js';
import { normalizeIp } from '../request/ip-address.js';
import { userKeyOf } from '../tokens/session-id.js';
import type { RefusalReason, RequestContext } from '../types.js';
import type { DeviceObserver } from './device-observer.js';
import type { GuardedCalls } from './guarded-calls.js';
import { GuessingMonitor } from './guessing-monitor.js';

/**
 * How a refused credential is answered: audited with who presented it, and counted per client IP
 * when it was forged or unknown, so session guessing is reported once per window.
 */
export class Refusals {
  readonly #options: PolicyOptions;
  readonly #calls: GuardedCalls;
  readonly #observer: DeviceObserver;
  readonly #guessing: GuessingMonitor | null;

  constructor(options: PolicyOptions, calls: GuardedCalls, observer: DeviceObserver) {
    this.#options = options;
    this.#calls = calls;
    this.#observer = observer;
    this.#guessing = options.guessing ? new GuessingMonitor(options.guessing) : null;
  }

  refuse(
    reason: Exclude<RefusalReason, 'step-up-required'>,
    sessionId: string | null,
    userId: string | null,
    now: number,
    context: RequestContext | undefined,
    detail?: 'duplicate-credential',
  ): { ok: false; reason: Exclude<RefusalReason, 'step-up-required'> } {
    const client = context ? this.#observer.client(context) : undefined;
    // Without the user id (the store has let the session go), the session id still names the user by key.
    const userKey = userId === null && sessionId !== null ? userKeyOf(sessionId) : null;
    this.#calls.emit({
      type: 'session.refused',
      v: 1,
      at: now,
      reason,
      sessionId,
      userId,
      ...(userKey ? { userKey } : {}),
      ...(detail ? { detail } : {}),
      ...(client ? { client } : {}),
    });
    if ((reason === 'invalid' || reason === 'malformed') && context) this.#countGuess(context, now);
    return { ok: false, reason };
  }

  /** One more forged or unknown credential from this IP; at the threshold, tell the audit trail and the app. */
  #countGuess(context: RequestContext, now: number): void {
    const ip = normalizeIp(context.ip);
    const report = ip && this.#guessing?.record(ip, now);
    if (!report) return;
    this.#calls.emit({ type: 'session.guessing', v: 1, at: now, ip: this.#observer.client(context).ip, count: report.count, windowMs: report.windowMs });
    try {
      this.#options.guessing?.onDetected?.(report);
    } catch (error) {
      this.#options.onError(error, 'auditSink');
    }
  }
}
