import { family } from '../fingerprint/device-family.js';
import type { Session } from '../types.js';
import type { ActivityKind } from './activity-counters.js';
import { deviceType } from './session-filter.js';

export interface SessionStats {
  activeSessions: number;
  users: number;
  /** The users with the most live sessions. */
  topUsers: { userId: string; sessions: number }[];
  byCountry: Record<string, number>;
  byBrowser: Record<string, number>;
  byOs: Record<string, number>;
  byDeviceType: Record<string, number>;
  bots: number;
  /** Lifecycle events of this process in the last 5 minutes and the last hour. */
  recent: { '5m': Record<ActivityKind, number>; '1h': Record<ActivityKind, number> };
  /** How long the scan took, in milliseconds. */
  tookMs: number;
}

/** Running totals over sessions seen batch by batch (nothing is kept but the counts). */
export class StatsAccumulator {
  #sessions = 0;
  #bots = 0;
  readonly #perUser = new Map<string, number>();
  readonly #byCountry = new Map<string, number>();
  readonly #byBrowser = new Map<string, number>();
  readonly #byOs = new Map<string, number>();
  readonly #byDeviceType = new Map<string, number>();

  add(sessions: readonly Session[]): void {
    for (const session of sessions) {
      this.#sessions += 1;
      if (session.deviceInfo.bot) this.#bots += 1;
      bump(this.#perUser, session.userId);
      bump(this.#byCountry, session.locationInfo?.country ?? 'unknown');
      bump(this.#byBrowser, family(session.deviceInfo.browser) || 'unknown');
      bump(this.#byOs, family(session.deviceInfo.os) || 'unknown');
      bump(this.#byDeviceType, deviceType(session));
    }
  }

  result(topN: number, recent: SessionStats['recent'], tookMs: number): SessionStats {
    const topUsers = [...this.#perUser]
      .sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : 1))
      .slice(0, topN)
      .map(([userId, sessions]) => ({ userId, sessions }));
    return {
      activeSessions: this.#sessions,
      users: this.#perUser.size,
      topUsers,
      byCountry: sorted(this.#byCountry),
      byBrowser: sorted(this.#byBrowser),
      byOs: sorted(this.#byOs),
      byDeviceType: sorted(this.#byDeviceType),
      bots: this.#bots,
      recent,
      tookMs,
    };
  }
}

function bump(map: Map<string, number>, key: string): void {
  map.set(key, (map.get(key) ?? 0) + 1);
}

function sorted(map: Map<string, number>): Record<string, number> {
  return Object.fromEntries([...map].sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : 1)));
}
