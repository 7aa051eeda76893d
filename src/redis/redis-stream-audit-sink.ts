import { toMilliseconds, type Duration } from '../internal/duration.js';
import { invalidOption } from '../errors.js';
import type { AuditEvent, AuditSink, HistoryQuery } from '../ports/audit-sink.js';
import { assertNoKeyPrefix, type RedisCommander } from './redis-client.js';
import { ScriptRunner } from './script-runner.js';
import { defineScript } from './scripts/define.js';

export interface RedisStreamAuditSinkOptions {
  client: RedisCommander;
  /** Stream key prefix. @default 'sw:audit' */
  prefix?: string;
  /** Events kept in the global stream (approximate trimming). @default 100000 */
  maxLength?: number;
  /** Events kept per user. @default 1000 */
  maxLengthPerUser?: number;
  /** Deadline per write; an audit write never holds up a request longer. @default '500ms' */
  timeout?: Duration;
  /**
   * Events older than this are trimmed from every stream (`XTRIM MINID`), and a user's stream
   * expires this long after its last event, so a deleted user's history goes away by itself.
   * @default '90d'
   */
  retention?: Duration;
}

/**
 * One stream write in one round trip: append, trim by count and by age, and (for a user's
 * stream) push its expiry out. KEYS: stream. ARGV: '~' or '=', max length, min id, ttl ms (0 = none), body.
 */
const APPEND = defineScript({
  name: 'append',
  lua: `
redis.call('XADD', KEYS[1], 'MAXLEN', ARGV[1], ARGV[2], '*', 'e', ARGV[5])
redis.call('XTRIM', KEYS[1], 'MINID', ARGV[3])
if tonumber(ARGV[4]) > 0 then redis.call('PEXPIRE', KEYS[1], ARGV[4]) end
return 1
`,
  keys: ['stream'],
  argv: (trim: '~' | '=', maxLength: number, minId: string, ttlMs: number, body: string) => [trim, maxLength, minId, ttlMs, body],
  decode: () => undefined,
});

/**
 * Audit events in Redis Streams: one global stream (`<prefix>`) and one per user
 * (`<prefix>:u:{<userKey>}`), trimmed to their maximum length. Answers `history(userId)` from the user's
 * stream, newest first. Writes are bounded by a deadline; the manager reports failures to `onError`.
 */
export class RedisStreamAuditSink implements AuditSink {
  readonly #client: RedisCommander;
  readonly #runner: ScriptRunner;
  readonly #prefix: string;
  readonly #maxLength: number;
  readonly #maxLengthPerUser: number;
  readonly #retentionMs: number;

  constructor(options: RedisStreamAuditSinkOptions) {
    if (typeof options?.client?.call !== 'function') throw invalidOption('client', 'must be an ioredis client (Redis or Cluster)');
    assertNoKeyPrefix(options.client);
    this.#client = options.client;
    this.#prefix = options.prefix ?? 'sw:audit';
    this.#maxLength = positive(options.maxLength ?? 100_000, 'maxLength');
    this.#maxLengthPerUser = positive(options.maxLengthPerUser ?? 1_000, 'maxLengthPerUser');
    this.#runner = new ScriptRunner(options.client, toMilliseconds(options.timeout ?? '500ms', 'timeout'), null);
    this.#retentionMs = toMilliseconds(options.retention ?? '90d', 'retention');
  }

  async emit(event: AuditEvent): Promise<void> {
    const body = JSON.stringify(event);
    // The global stream trims approximately (cheap); a user's short stream exactly, so its bound holds.
    // Stream ids start with Redis' clock in ms, which is the clock the event was stamped with.
    const minId = `${Math.max(0, event.at - this.#retentionMs)}-0`;
    const writes = [this.#append(this.#prefix, '~', this.#maxLength, minId, 0, body)];
    const userKey = 'userKey' in event ? event.userKey : undefined;
    if (userKey) writes.push(this.#append(this.userStream(userKey), '=', this.#maxLengthPerUser, minId, this.#retentionMs, body));
    await Promise.all(writes);
  }

  async history(query: HistoryQuery): Promise<AuditEvent[]> {
    const limit = query.maxEvents ?? this.#maxLengthPerUser;
    const since = query.since ?? 0;
    // Stream ids start with the server's clock; the event's own `at` is what `since` compares.
    const entries = (await this.#runner.command(() =>
      this.#client.call('XREVRANGE', this.userStream(query.userKey), '+', '-', 'COUNT', this.#maxLengthPerUser),
    )) as [string, string[]][];
    const events: AuditEvent[] = [];
    for (const [, fields] of entries) {
      const event = JSON.parse(fields[1]!) as AuditEvent;
      if (event.at < since) continue;
      events.push(event);
      if (events.length >= limit) break;
    }
    return events;
  }

  /** Deletes the user's stream and the user's entries in the global stream (walked in pages of 1000). */
  async purgeUser(user: { userId: string; userKey: string }): Promise<number> {
    const stream = this.userStream(user.userKey);
    let removed = Number(await this.#runner.command(() => this.#client.call('XLEN', stream)));
    await this.#runner.command(() => this.#client.call('DEL', stream));
    let start = '-';
    for (;;) {
      const page = (await this.#runner.command(() => this.#client.call('XRANGE', this.#prefix, start, '+', 'COUNT', 1000))) as [string, string[]][];
      const ids = page.filter(([, fields]) => (JSON.parse(fields[1]!) as { userKey?: string }).userKey === user.userKey).map(([id]) => id);
      if (ids.length > 0) removed += Number(await this.#runner.command(() => this.#client.call('XDEL', this.#prefix, ...ids)));
      if (page.length < 1000) return removed;
      start = `(${page.at(-1)![0]}`;
    }
  }

  /**
   * The per-user stream key: named by the keyed user key, never the raw id (which could collide
   * once sanitised, and would name the user), with the same hash tag as the user's sessions.
   */
  userStream(userKey: string): string {
    return `${this.#prefix}:u:{${userKey}}`;
  }

  #append(key: string, trim: '~' | '=', maxLength: number, minId: string, ttlMs: number, body: string): Promise<void> {
    return this.#runner.call(APPEND, [key], trim, maxLength, minId, ttlMs, body);
  }
}

function positive(value: number, option: string): number {
  if (!Number.isInteger(value) || value < 1) throw invalidOption(option, 'must be a positive integer');
  return value;
}
