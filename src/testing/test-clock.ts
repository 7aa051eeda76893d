/**
 * Real time plus an offset the test moves forward. Starting from real time keeps stores that use
 * their own clock for physical expiry (Redis TTLs) consistent with the times the suite passes in.
 */
export class TestClock {
  #offset = 0;
  readonly now = (): number => Date.now() + this.#offset;

  advance(ms: number): void {
    this.#offset += ms;
  }
}
