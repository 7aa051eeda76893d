import { toMilliseconds, type Duration } from '../internal/duration.js';
import { isSessionError, unsupported } from '../errors.js';
import type { GuardedCalls, Health } from '../internal/guarded-calls.js';
import type { AuditEvent, AuditSink, HistoryQuery } from '../ports/audit-sink.js';
import type { EndedSession, SessionStore } from '../ports/session-store.js';
import { publicSession } from '../internal/public-session.js';
import type { Session } from '../types.js';
import type { ActivityCounters, AnomalyEvent } from '../monitoring/activity-counters.js';
import { checkKeys } from '../internal/option-keys.js';
import { partitionKeyOf } from '../tokens/session-id.js';
import { FILTER_KEYS, matches, type SessionFilter } from '../monitoring/session-filter.js';
import { historyFrom, type HistoryPage } from '../monitoring/session-history.js';
import { StatsAccumulator, type SessionStats } from '../monitoring/session-stats.js';

/** What the admin side shares with the manager: the same store view, sinks and guarded calls. */
export interface AdminDependencies {
  store: SessionStore;
  auditSinks: readonly AuditSink[];
  calls: GuardedCalls;
  activity: ActivityCounters;
  clock: () => number;
  /** The keyed user key of a user id (checked): how stores and sinks find a user. */
  userKey: (userId: string) => string;
  /** The validation cache, when on (its state is part of `health()`). */
  cache: { health(): { live: boolean; hits: number } } | null;
  /** A keyed form token for a binding (the dashboard's CSRF tokens). */
  formToken: (binding: string) => string;
}

/**
 * Administration and monitoring, for operators and admin UIs rather than the request path:
 * stats, bulk revocation, history, erasure, sweeping, health and readiness. Reached as
 * `manager.admin`; it shares the manager's store, sinks and guarded calls, and holds no secret.
 *
 * @example
 * const page = await sessions.admin.history('alice', { pageSize: 20 });
 * sessions.admin.startSweeper({ every: '1m' });
 */
export class SessionAdmin {
  readonly #deps: AdminDependencies;
  #sweeper: NodeJS.Timeout | undefined;

  constructor(deps: AdminDependencies) {
    this.#deps = deps;
  }

  /** Live sessions in total, per user (top N), by country, browser, OS and device type; recent activity. */
  async stats(options: { topUsers?: number } = {}): Promise<SessionStats> {
    checkKeys(options, ['topUsers'], 'options', 'argument');
    const started = performance.now();
    const now = this.#deps.clock();
    const totals = new StatsAccumulator();
    for await (const batch of this.#scan('stats', now)) totals.add(batch);
    const recent = { '5m': this.#deps.activity.totals(now, 5 * 60_000), '1h': this.#deps.activity.totals(now, 3_600_000) };
    return totals.result(options.topUsers ?? 10, recent, Math.round(performance.now() - started));
  }

  /**
   * This process's last hour minute by minute (logins, refusals, revocations, expirations,
   * anomalies), and its latest anomaly events with their evidence, newest first.
   */
  activity(): { perMinute: ReturnType<ActivityCounters['perMinute']>; anomalies: AnomalyEvent[] } {
    return { perMinute: this.#deps.activity.perMinute(this.#deps.clock()), anomalies: this.#deps.activity.anomalies() };
  }

  /** A CSRF token for forms, bound to `binding` (e.g. the admin's session id); keyed, so every server of the app agrees. */
  formToken(binding: string): string {
    return this.#deps.formToken(binding);
  }

  /** Ends every live session matching the filter (e.g. all from one country); `dryRun` only lists them. */
  async revokeWhere(filter: SessionFilter, options: { dryRun?: boolean; actor?: string } = {}): Promise<{ matched: Session[]; revoked: number }> {
    // Before the scan: a misspelt filter key would match every session, a misspelt dryRun revoke them.
    checkKeys(filter, FILTER_KEYS, 'filter', 'argument');
    checkKeys(options, ['dryRun', 'actor'], 'options', 'argument');
    const matched: Session[] = [];
    for await (const batch of this.#scan('revokeWhere', this.#deps.clock())) {
      for (const session of batch) if (matches(session, filter)) matched.push(session);
    }
    let revoked = 0;
    if (!options.dryRun) {
      const actor = options.actor ?? 'system';
      for (const session of matched) {
        const now = this.#deps.clock();
        const ref = { id: session.id, userKey: partitionKeyOf(session.id) };
        const ended = await this.#deps.calls.store('revoke', () => this.#deps.store.revoke(ref, { reason: 'revoked', actor, now }));
        if (!ended) continue;
        this.#deps.calls.reportEnded([ended as EndedSession], now);
        revoked += 1;
      }
    }
    return { matched, revoked };
  }

  /** Raw audit events of a user, newest first, from the first sink that keeps history. */
  async events(userId: string, query: Omit<HistoryQuery, 'userId' | 'userKey'> = {}): Promise<AuditEvent[]> {
    checkKeys(query, ['since', 'maxEvents'], 'query', 'argument');
    const sink = this.#deps.auditSinks.find((candidate) => typeof candidate.history === 'function');
    return sink?.history ? sink.history({ ...query, userId, userKey: this.#deps.userKey(userId) }) : [];
  }

  /**
   * The user's ended sessions, newest first, with why each ended (logout, revoked by whom, evicted,
   * expired idle/absolute, anomaly), from the audit trail. Page with `cursor`.
   */
  async history(userId: string, query: { since?: number; pageSize?: number; cursor?: string | null } = {}): Promise<HistoryPage> {
    checkKeys(query, ['since', 'pageSize', 'cursor'], 'query', 'argument');
    return historyFrom(await this.events(userId), query, this.#deps.clock());
  }

  /** Erases a user's sessions and audit history (right to erasure). */
  async purgeUser(userId: string): Promise<{ sessions: number; events: number }> {
    const { store } = this.#deps;
    if (!store.purgeUser) throw unsupported('purgeUser', 'this store cannot purge users (it has no purgeUser())');
    const sessions = await this.#deps.calls.store('purge', () => store.purgeUser!(this.#deps.userKey(userId), { now: this.#deps.clock() }));
    this.#deps.calls.announce([this.#deps.userKey(userId)]);
    let events = 0;
    const user = { userId, userKey: this.#deps.userKey(userId) };
    for (const sink of this.#deps.auditSinks) events += (await sink.purgeUser?.(user)) ?? 0;
    return { sessions, events };
  }

  /** Records (and audits) expiries nobody observed. Run it periodically (`startSweeper()`). */
  async sweep(options: { batchSize?: number } = {}): Promise<EndedSession[]> {
    checkKeys(options, ['batchSize'], 'options', 'argument');
    const { store } = this.#deps;
    if (!store.sweep) return [];
    const now = this.#deps.clock();
    const { expired } = await this.#deps.calls.store('sweep', () => store.sweep!({ now, ...options }));
    this.#deps.calls.reportEnded(expired, now);
    return expired;
  }

  /**
   * Sweeps in the background every `every` (at most `batchSize` user indexes a run): expiries nobody
   * observed are recorded and audited, each exactly once whoever finds it first (a request or the
   * sweeper). The timer does not keep the process alive; `manager.dispose()` stops it.
   */
  startSweeper(options: { every?: Duration; batchSize?: number } = {}): void {
    checkKeys(options, ['every', 'batchSize'], 'options', 'argument');
    if (this.#sweeper) return;
    const every = toMilliseconds(options.every ?? '1m', 'every');
    this.#sweeper = setInterval(() => {
      this.sweep({ batchSize: options.batchSize ?? 1_000 }).catch(() => {
        // An outage is reported by the store calls themselves; the next run retries.
      });
    }, every);
    this.#sweeper.unref();
  }

  stopSweeper(): void {
    clearInterval(this.#sweeper);
    this.#sweeper = undefined;
  }

  /**
   * Resolves once every audit event emitted so far has reached its sinks (or failed, or timed
   * out): for graceful shutdown, and for tests that read a sink right after an operation.
   */
  flushAudit(): Promise<void> {
    return this.#deps.calls.flush();
  }

  /** Counts of audit deliveries (delivered, failed, dropped) and advisory failures since start, and the geo resolver's report. */
  health(): Health {
    const cache = this.#deps.cache?.health();
    return { ...this.#deps.calls.health(), ...(cache ? { cache } : {}) };
  }

  /**
   * A readiness probe for load balancers: whether the store answers now (a PING within the
   * store's deadline). Never throws; take the instance out of rotation while `ready` is false.
   */
  async ready(): Promise<{ ready: true; latencyMs: number } | { ready: false; reason: string }> {
    const started = performance.now();
    try {
      await this.#deps.calls.store('ready', async () => this.#deps.store.ping?.());
      return { ready: true, latencyMs: Math.round((performance.now() - started) * 10) / 10 };
    } catch (error) {
      return { ready: false, reason: isSessionError(error) ? error.code : 'ERR_SESSION_STORE_UNAVAILABLE' };
    }
  }

  async *#scan(operation: string, now: number): AsyncIterable<Session[]> {
    const { store } = this.#deps;
    if (!store.scan) throw unsupported(operation, `${operation} needs a store that can scan (MemorySessionStore, RedisSessionStore)`);
    const iterator = store.scan({ now })[Symbol.asyncIterator]();
    for (;;) {
      const next = await this.#deps.calls.store(operation, () => iterator.next());
      if (next.done) return;
      yield next.value.map(publicSession);
    }
  }
}
