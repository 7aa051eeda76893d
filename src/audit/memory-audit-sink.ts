import { invalidOption } from '../errors.js';
import type { AuditEvent, AuditSink, HistoryQuery } from '../ports/audit-sink.js';

export interface MemoryAuditSinkOptions {
  /** Events kept; the oldest are dropped first. @default 10000 */
  capacity?: number;
}

/** Keeps the most recent events in a ring buffer. Answers history queries. For tests, the demo and small apps. */
export class MemoryAuditSink implements AuditSink {
  readonly #capacity: number;
  readonly #buffer: AuditEvent[] = [];
  #next = 0;

  constructor(options: MemoryAuditSinkOptions = {}) {
    this.#capacity = options.capacity ?? 10_000;
    if (!Number.isInteger(this.#capacity) || this.#capacity < 1) {
      throw invalidOption('capacity', 'must be a positive integer');
    }
  }

  async emit(event: AuditEvent): Promise<void> {
    if (this.#buffer.length < this.#capacity) this.#buffer.push(event);
    else this.#buffer[this.#next] = event;
    this.#next = (this.#next + 1) % this.#capacity;
  }

  /** All kept events, oldest first. */
  events(): AuditEvent[] {
    if (this.#buffer.length < this.#capacity) return [...this.#buffer];
    return [...this.#buffer.slice(this.#next), ...this.#buffer.slice(0, this.#next)];
  }

  async history(query: HistoryQuery): Promise<AuditEvent[]> {
    const since = query.since ?? 0;
    const matches = this.events()
      .filter((event) => 'userId' in event && event.userId === query.userId && event.at >= since)
      .reverse();
    return query.maxEvents === undefined ? matches : matches.slice(0, query.maxEvents);
  }

  async purgeUser(user: { userId: string }): Promise<number> {
    const kept = this.events().filter((event) => !('userId' in event && event.userId === user.userId));
    const removed = this.#buffer.length - kept.length;
    this.clear();
    for (const event of kept) await this.emit(event);
    return removed;
  }

  clear(): void {
    this.#buffer.length = 0;
    this.#next = 0;
  }
}
