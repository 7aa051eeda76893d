import type { SessionManager } from '../session-manager.js';
import type { SessionStats } from '../monitoring/session-stats.js';

/**
 * `admin.stats()` scans the whole store (SCAN, in batches, never blocking Redis), so pages share
 * one snapshot for `maxAgeMs` and show its age; a refresh in flight is shared too.
 */
export class StatsSnapshot {
  readonly #maxAgeMs: number;
  #current: { stats: SessionStats; takenAt: number } | null = null;
  #pending: Promise<{ stats: SessionStats; takenAt: number }> | null = null;

  constructor(maxAgeMs: number) {
    this.#maxAgeMs = maxAgeMs;
  }

  async get(manager: SessionManager, now: number): Promise<{ stats: SessionStats; takenAt: number }> {
    if (this.#current && now - this.#current.takenAt < this.#maxAgeMs) return this.#current;
    this.#pending ??= manager.admin
      .stats({ topUsers: 10 })
      .then((stats) => {
        this.#current = { stats, takenAt: Date.now() };
        return this.#current;
      })
      .finally(() => {
        this.#pending = null;
      });
    return this.#pending;
  }
}
