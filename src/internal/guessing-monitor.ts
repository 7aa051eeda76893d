import { BoundedCache } from './bounded-cache.js';

export interface GuessingReport {
  /** The client IP as resolved (not privacy-processed): what a rate limiter needs. */
  ip: string;
  /** Forged or unknown credentials from it in the current window. */
  count: number;
  windowMs: number;
}

/**
 * Counts forged and unknown credentials per client IP in fixed windows and reports an IP once per
 * window when it reaches the threshold: someone is guessing session credentials. Memory is bounded:
 * past `maxTracked` IPs the one seen least recently goes first.
 */
export class GuessingMonitor {
  readonly #threshold: number;
  readonly #windowMs: number;
  readonly #counts: BoundedCache<string, { since: number; count: number }>;

  constructor(options: { threshold: number; windowMs: number; maxTracked?: number }) {
    this.#threshold = options.threshold;
    this.#windowMs = options.windowMs;
    this.#counts = new BoundedCache(options.maxTracked ?? 10_000);
  }

  /** Records one bad credential; returns a report exactly when this one reaches the threshold. */
  record(ip: string, now: number): GuessingReport | null {
    let entry = this.#counts.get(ip);
    if (!entry || now - entry.since >= this.#windowMs) {
      entry = { since: now, count: 0 };
      this.#counts.set(ip, entry);
    }
    entry.count += 1;
    return entry.count === this.#threshold ? { ip, count: entry.count, windowMs: this.#windowMs } : null;
  }
}
