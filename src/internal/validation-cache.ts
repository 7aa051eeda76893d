import type { RevocationChannel } from '../ports/revocation-channel.js';
import type { Session } from '../types.js';
import { ConfirmedSessions } from './confirmed-sessions.js';

/**
 * Answers `validate` from what the store confirmed at most `maxStalenessMs` ago, while the push
 * channel is live. Every message drops its sessions at once; a channel that may have missed one
 * empties the cache and turns it off until it is live again, so each answer is at most
 * `maxStalenessMs` old even during partitions.
 */
export class ValidationCache {
  readonly #entries: ConfirmedSessions;
  readonly #maxStalenessMs: number;
  readonly #channel: RevocationChannel;
  readonly #onState: (live: boolean) => void;
  #live = false;
  #hits = 0;

  constructor(options: { maxStalenessMs: number; maxEntries: number; channel: RevocationChannel; onState: (live: boolean) => void }) {
    this.#entries = new ConfirmedSessions(options.maxEntries);
    this.#maxStalenessMs = options.maxStalenessMs;
    this.#channel = options.channel;
    this.#onState = options.onState;
    this.#channel.subscribe({ revoked: (keys) => this.drop(keys), live: (live) => this.#setLive(live) });
  }

  get live(): boolean {
    return this.#live;
  }

  health(): { live: boolean; hits: number } {
    return { live: this.#live, hits: this.#hits };
  }

  hit(sessionId: string, secretHash: string, now: number): Session | null {
    if (!this.#live) return null;
    const session = this.#entries.recall(sessionId, secretHash, now, this.#maxStalenessMs);
    if (session) this.#hits += 1;
    return session;
  }

  remember(session: Session, secretHash: string, confirmedAt: number): void {
    if (this.#live) this.#entries.confirm(session, secretHash, confirmedAt);
  }

  /** Drops session ids, or every session of a bare user key. */
  drop(keys: readonly string[]): void {
    for (const key of keys) key.includes('.') ? this.#entries.forget(key) : this.#entries.forgetUser(key);
  }

  /** Drops locally, then tells the other managers (a failed publish is bounded by the staleness). */
  announce(keys: readonly string[]): Promise<void> {
    this.drop(keys);
    return this.#channel.publish(keys);
  }

  close(): Promise<void> {
    return this.#channel.close();
  }

  #setLive(live: boolean): void {
    if (live === this.#live) return;
    if (!live) this.#entries.clear();
    this.#live = live;
    this.#onState(live);
  }
}
