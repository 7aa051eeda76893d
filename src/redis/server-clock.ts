/** How often the offset to Redis' clock is measured again (drift between app servers is slow). */
const RESYNC_MS = 60_000;
/** An app server this far off Redis' clock is worth a warning: its own clock is wrong. */
const WARN_OFFSET_MS = 1_000;

/**
 * Redis' clock as seen from this process: `Date.now()` plus an offset measured with `TIME`
 * (half the round trip subtracted), re-measured in the background at most once a minute. Every
 * app server that follows it decides expiry on the same clock, whatever its own says.
 */
export class ServerClock {
  readonly #time: () => Promise<[string, string]>;
  readonly #onWarning: (message: string) => void;
  #offset = 0;
  #measuredAt = Number.NEGATIVE_INFINITY;
  #pending: Promise<number> | null = null;

  /** `time` sends TIME with the store's deadline and breaker. */
  constructor(time: () => Promise<[string, string]>, onWarning: (message: string) => void) {
    this.#time = time;
    this.#onWarning = onWarning;
  }

  now(): number {
    const local = Date.now();
    if (local - this.#measuredAt >= RESYNC_MS) void this.sync().catch(() => {}); // an outage keeps the last offset
    return local + this.#offset;
  }

  /** Measures the offset now (one round trip); resolves to it in milliseconds. */
  sync(): Promise<number> {
    this.#pending ??= this.#measure().finally(() => {
      this.#pending = null;
    });
    return this.#pending;
  }

  async #measure(): Promise<number> {
    this.#measuredAt = Date.now(); // also when it fails: no retry storm during an outage
    const sent = Date.now();
    const [seconds, micros] = await this.#time();
    const received = Date.now();
    const offset = Math.round(Number(seconds) * 1000 + Number(micros) / 1000 - (sent + received) / 2);
    if (Math.abs(offset) >= WARN_OFFSET_MS && Math.abs(this.#offset - offset) >= WARN_OFFSET_MS) {
      this.#onWarning(`This server's clock is ${(offset / 1000).toFixed(1)} s off Redis' clock; sessionward decides expiry on Redis' clock. Check NTP.`);
    }
    this.#offset = offset;
    return offset;
  }
}
