import { LRUCache } from 'lru-cache';

const NULL = Symbol('null');

/**
 * A map that keeps at most `maxEntries`, dropping the least recently used first (`peek` reads
 * without counting as a use). lru-cache, not a Map trimmed from its oldest key: V8 leaves deleted
 * Map entries in place until it rehashes, so finding the oldest live key scans them all, and a
 * full 50,000-entry Map spent about 20 µs per insert that way (bench/in-process.ts).
 */
export class BoundedCache<K extends NonNullable<unknown>, V extends NonNullable<unknown> | null> {
  // lru-cache takes no null values; an answer of "nothing here" (a GeoIP miss) is worth keeping too.
  readonly #entries: LRUCache<K, Exclude<V, null> | typeof NULL>;
  #newWhileFull = 0;

  /** `onRemoved`: told of each key evicted, deleted or cleared (not of a key set again). */
  constructor(maxEntries: number, onRemoved?: (key: K) => void) {
    this.#entries = new LRUCache<K, Exclude<V, null> | typeof NULL>({
      max: maxEntries,
      ...(onRemoved ? { dispose: (_value: unknown, key: K, reason: LRUCache.DisposeReason) => reason !== 'set' && onRemoved(key) } : {}),
    });
  }

  get(key: K): V | undefined {
    return unboxed(this.#entries.get(key));
  }

  /** The value, without counting as a use: cheaper where every entry is set again anyway. */
  peek(key: K): V | undefined {
    return unboxed(this.#entries.peek(key));
  }

  /** True once it holds `maxEntries`: the next new key pushes the least recently used one out. */
  get full(): boolean {
    return this.#entries.size >= this.#entries.max;
  }

  /**
   * Whether a new key is worth setting, for a memo of what is read again: always while there is
   * room; once full, one in eight. With more keys in use than it holds, setting each would push out
   * the one a later read needs (round-robin over twice its size: no hits at all), a churn that costs
   * more than no memo. Taken one in eight, about as many are answered as it has room for.
   */
  admitsNew(): boolean {
    if (!this.full) return true;
    this.#newWhileFull = (this.#newWhileFull + 1) % 8;
    return this.#newWhileFull === 0;
  }

  set(key: K, value: V): void {
    this.#entries.set(key, value === null ? NULL : (value as Exclude<V, null>));
  }

  delete(key: K): void {
    this.#entries.delete(key);
  }

  clear(): void {
    this.#entries.clear();
  }

  /** The keys, most recently used first (a copy: the cache may change while the caller walks it). */
  keys(): K[] {
    return [...this.#entries.keys()];
  }
}

function unboxed<V>(value: Exclude<V, null> | typeof NULL | undefined): V | undefined {
  return value === NULL ? (null as V) : (value as V | undefined);
}
