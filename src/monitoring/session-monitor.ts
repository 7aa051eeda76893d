import type { GuardedCalls } from '../guarded-calls.js';
import type { AuditEvent, AuditSink } from '../ports/audit-sink.js';
import type { EndedSession, SessionStore } from '../ports/session-store.js';
import { publicSession } from '../session-view.js';
import type { Session } from '../types.js';
import type { ActivityCounters } from './activity-counters.js';
import { matches, type SessionFilter } from './session-filter.js';
import { historyFrom, type HistoryPage } from './session-history.js';
import { StatsAccumulator, type SessionStats } from './session-stats.js';

export interface MonitorDependencies {
  store: SessionStore;
  audit: readonly AuditSink[];
  calls: GuardedCalls;
  activity: ActivityCounters;
  clock: () => number;
  userKey: (userId: string) => string;
  revoke: (sessionId: string, actor: string) => Promise<Session | null>;
}

/** The admin and monitoring side of the manager: stats, bulk revocation, history, erasure, sweeping. */
export class SessionMonitor {
  readonly #deps: MonitorDependencies;

  constructor(deps: MonitorDependencies) {
    this.#deps = deps;
  }

  async stats(options: { topUsers?: number } = {}): Promise<SessionStats> {
    const started = performance.now();
    const now = this.#deps.clock();
    const totals = new StatsAccumulator();
    for await (const batch of this.#scan('stats', now)) totals.add(batch);
    const recent = { '5m': this.#deps.activity.totals(now, 5 * 60_000), '1h': this.#deps.activity.totals(now, 3_600_000) };
    return totals.result(options.topUsers ?? 10, recent, Math.round(performance.now() - started));
  }

  async revokeWhere(filter: SessionFilter, options: { dryRun?: boolean; actor?: string } = {}): Promise<{ matched: Session[]; revoked: number }> {
    const matched: Session[] = [];
    for await (const batch of this.#scan('revokeWhere', this.#deps.clock())) {
      for (const session of batch) if (matches(session, filter)) matched.push(session);
    }
    let revoked = 0;
    if (!options.dryRun) {
      for (const session of matched) if (await this.#deps.revoke(session.id, options.actor ?? 'system')) revoked += 1;
    }
    return { matched, revoked };
  }

  /** Raw audit events of a user, newest first, from the first sink that keeps history. */
  async events(userId: string, query: { since?: number; limit?: number } = {}): Promise<AuditEvent[]> {
    const sink = this.#deps.audit.find((candidate) => typeof candidate.history === 'function');
    return sink?.history ? sink.history({ ...query, userId, userKey: this.#deps.userKey(userId) }) : [];
  }

  async history(userId: string, query: { since?: number; limit?: number; cursor?: string | null } = {}): Promise<HistoryPage> {
    return historyFrom(await this.events(userId), query, this.#deps.clock());
  }

  /** Erases a user's sessions and audit history (right to erasure). */
  async purgeUser(userId: string): Promise<{ sessions: number; events: number }> {
    const { store } = this.#deps;
    if (!store.purge) throw new Error('sessionward: this store cannot purge users');
    const sessions = await this.#deps.calls.store('purge', () => store.purge!(this.#deps.userKey(userId), { now: this.#deps.clock() }));
    let events = 0;
    const user = { userId, userKey: this.#deps.userKey(userId) };
    for (const sink of this.#deps.audit) events += (await sink.purge?.(user)) ?? 0;
    return { sessions, events };
  }

  /** Records (and audits) expiries nobody observed. Run it periodically (`manager.startSweeper()`). */
  async sweep(options: { limit?: number } = {}): Promise<EndedSession[]> {
    const { store } = this.#deps;
    if (!store.collectExpired) return [];
    const now = this.#deps.clock();
    const expired = await this.#deps.calls.store('sweep', () => store.collectExpired!({ now, ...options }));
    this.#deps.calls.reportEnded(expired, now);
    return expired;
  }

  async *#scan(operation: string, now: number): AsyncIterable<Session[]> {
    const { store } = this.#deps;
    if (!store.scan) throw new Error(`sessionward: ${operation} needs a store that can scan (MemorySessionStore, RedisSessionStore)`);
    const iterator = store.scan({ now })[Symbol.asyncIterator]();
    for (;;) {
      const next = await this.#deps.calls.store(operation, () => iterator.next());
      if (next.done) return;
      yield next.value.map(publicSession);
    }
  }
}
