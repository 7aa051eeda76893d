import type { EndedSession } from '../ports/session-store.js';
import type { KeySpace } from './key-space.js';
import { isCluster, type RedisCommander } from './redis-client.js';
import type { ScriptRunner } from './script-runner.js';
import { PRUNE } from './scripts/prune.js';
import { list, text, texts } from './scripts/reply.js';
import { endedSession } from './session-codec.js';

export interface SweepResult {
  /** Index keys visited in this run. */
  indexes: number;
  /** Sessions found past their deadline and recorded as expired. */
  expired: EndedSession[];
  /** True when every master's keyspace was walked to the end in this run. */
  complete: boolean;
}

/**
 * Walks the index keys with SCAN (cursor-based, per master on a cluster, never KEYS) and tidies
 * each with one script: expiries nobody observed are recorded, old tombstones dropped. Every key has
 * a TTL anyway, so this only makes expiry visible sooner and keeps indexes small; `maxIndexes`
 * bounds the work per run, and the cursors carry over to the next run.
 */
export class IndexSweeper {
  readonly #client: RedisCommander;
  readonly #keys: KeySpace;
  readonly #runner: ScriptRunner;
  /** Where the last run stopped: which master, and the SCAN cursor on it. */
  #node = 0;
  #cursor = '0';

  constructor(client: RedisCommander, keys: KeySpace, runner: ScriptRunner) {
    this.#client = client;
    this.#keys = keys;
    this.#runner = runner;
  }

  async sweep(options: { now: number; retentionMs: number; maxIndexes: number; scanCount: number }): Promise<SweepResult> {
    const masters = isCluster(this.#client) ? this.#client.nodes('master') : [this.#client];
    if (this.#node >= masters.length) [this.#node, this.#cursor] = [0, '0']; // the topology shrank
    const expired: EndedSession[] = [];
    let indexes = 0;
    // Visit each master at most once per run, starting where the last run was cut off.
    for (let visited = 0; visited < masters.length && indexes < options.maxIndexes; visited += 1) {
      const node = masters[this.#node]!;
      do {
        const reply = list(await this.#runner.command(() => node.call('SCAN', this.#cursor, 'MATCH', this.#keys.indexPattern(), 'COUNT', options.scanCount)));
        this.#cursor = text(reply[0]);
        for (const key of texts(reply[1])) {
          indexes += 1;
          const { userId, expired: found } = await this.#runner.call(PRUNE, [key], options.now, options.retentionMs);
          const userKey = this.#keys.userKeyOfIndex(key);
          for (const { rand, reason, endedAt } of found) expired.push(endedSession(`${userKey}.${rand}`, userId, reason, endedAt, 'system'));
        }
      } while (this.#cursor !== '0' && indexes < options.maxIndexes);
      if (this.#cursor !== '0') return { indexes, expired, complete: false };
      this.#node = (this.#node + 1) % masters.length;
    }
    return { indexes, expired, complete: indexes < options.maxIndexes };
  }
}
