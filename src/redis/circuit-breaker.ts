/**
 * Opens after `threshold` consecutive failures and then refuses calls for `cooldownMs`, so an outage
 * costs callers nothing but a fast error instead of a pile-up of requests each waiting out a timeout.
 * After the cooldown one call goes through as a probe; its success closes the breaker.
 */
export class CircuitBreaker {
  readonly #threshold: number;
  readonly #cooldownMs: number;
  #failures = 0;
  #openUntil = 0;
  #probing = false;

  constructor(threshold: number, cooldownMs: number) {
    this.#threshold = threshold;
    this.#cooldownMs = cooldownMs;
  }

  /** Milliseconds until a call may be tried, or 0 when one may go now. */
  blockedFor(now = Date.now()): number {
    if (this.#failures < this.#threshold) return 0;
    if (now < this.#openUntil) return this.#openUntil - now;
    if (this.#probing) return this.#cooldownMs;
    this.#probing = true;
    return 0;
  }

  succeeded(): void {
    this.#failures = 0;
    this.#probing = false;
  }

  failed(now = Date.now()): void {
    this.#failures += 1;
    this.#probing = false;
    if (this.#failures >= this.#threshold) this.#openUntil = now + this.#cooldownMs;
  }
}
