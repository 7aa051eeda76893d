/** A call waiting for its answer: when it gives up, and what it does then. */
export interface Deadline {
  readonly at: number;
  readonly expire: () => void;
}

interface Waiting extends Deadline {
  previous: Waiting | null;
  next: Waiting | null;
}

/**
 * Deadlines of calls that all wait the same time, on one timer: store commands (script-runner.ts),
 * audit deliveries and advisory parts (guarded-calls.ts). Calls are kept in the order they started,
 * which is the order their deadlines pass, so the timer only ever looks at the oldest. A timer per
 * call cost a Timeout object and two timer-list operations on every request.
 *
 * The list is linked through the calls themselves (no Set to grow and shrink with every burst),
 * and the timer is never cleared, only not re-armed once nothing waits. It is unref'd: a call in
 * flight holds the process open through its connection, as it did before.
 */
export class Deadlines {
  #oldest: Waiting | null = null;
  #newest: Waiting | null = null;
  #armed = false;

  constructor(readonly waitMs: number) {}

  /** Calls `expire` once `waitMs` has passed, unless `settle` is called for it first. */
  start(expire: () => void): Deadline {
    const waiting: Waiting = { at: performance.now() + this.waitMs, expire, previous: this.#newest, next: null };
    if (this.#newest) this.#newest.next = waiting;
    else this.#oldest = waiting;
    this.#newest = waiting;
    if (!this.#armed) this.#arm(this.waitMs);
    return waiting;
  }

  /**
   * The outcome of `work` (given its deadline, to retry until then), or once `waitMs` passes a
   * rejection with `expired()`: whichever comes first settles it, and a late outcome changes nothing.
   */
  within<T>(work: (deadlineAt: number) => Promise<T>, expired: () => unknown): Promise<T> {
    return new Promise<T>((resolve, reject) => {
      const deadline = this.start(() => reject(expired()));
      const answered = (value: T) => {
        if (this.settle(deadline)) resolve(value);
      };
      const failed = (error: unknown) => {
        if (this.settle(deadline)) reject(error);
      };
      try {
        work(deadline.at).then(answered, failed);
      } catch (error) {
        failed(error);
      }
    });
  }

  /** Whether the call was still waiting (false once it expired or was settled). */
  settle(deadline: Deadline): boolean {
    const waiting = deadline as Waiting;
    if (waiting.previous === null && this.#oldest !== waiting) return false;
    this.#unlink(waiting);
    return true;
  }

  #unlink(waiting: Waiting): void {
    if (waiting.previous) waiting.previous.next = waiting.next;
    else this.#oldest = waiting.next;
    if (waiting.next) waiting.next.previous = waiting.previous;
    else this.#newest = waiting.previous;
    waiting.previous = null;
    waiting.next = null;
  }

  #arm(delayMs: number): void {
    this.#armed = true;
    setTimeout(this.#fire, delayMs).unref();
  }

  readonly #fire = (): void => {
    this.#armed = false;
    const now = performance.now();
    const due: Waiting[] = [];
    while (this.#oldest !== null && this.#oldest.at <= now) {
      due.push(this.#oldest);
      this.#unlink(this.#oldest);
    }
    if (this.#oldest !== null) this.#arm(Math.max(1, Math.ceil(this.#oldest.at - now)));
    // Last, so that a call an expiry starts finds the timer already armed.
    for (const waiting of due) waiting.expire();
  };
}
