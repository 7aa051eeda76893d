/**
 * A clock that starts at real time and moves only when told. Starting from real time keeps stores
 * that expire keys by their own clock (Redis TTLs) consistent with the times the suite passes in.
 */
export class TestClock {
  #now = Date.now();
  readonly now = (): number => this.#now;

  advance(ms: number): void {
    this.#now += ms;
  }
}
