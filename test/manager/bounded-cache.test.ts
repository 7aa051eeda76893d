import { describe, expect, it } from 'vitest';
import { BoundedCache } from '../../src/internal/bounded-cache.js';

describe('BoundedCache', () => {
  it('keeps at most maxEntries, dropping the least recently used first', () => {
    const cache = new BoundedCache<string, number>(3);
    cache.set('a', 1);
    cache.set('b', 2);
    cache.set('c', 3);
    expect(cache.get('a')).toBe(1); // a is now the most recent
    cache.set('d', 4);
    expect(cache.keys().sort()).toEqual(['a', 'c', 'd']);
    expect(cache.get('b')).toBeUndefined();
  });

  it('peek reads without counting as a use', () => {
    const cache = new BoundedCache<string, number>(2);
    cache.set('a', 1);
    cache.set('b', 2);
    expect(cache.peek('a')).toBe(1);
    cache.set('c', 3);
    expect(cache.peek('a')).toBeUndefined();
    expect(cache.peek('b')).toBe(2);
  });

  it('keeps a null answer apart from a missing one', () => {
    const cache = new BoundedCache<string, string | null>(2);
    cache.set('miss', null);
    expect(cache.get('miss')).toBeNull();
    expect(cache.peek('miss')).toBeNull();
    expect(cache.get('never')).toBeUndefined();
  });

  it('stays bounded through many more inserts than it holds, and keeps the newest', () => {
    const cache = new BoundedCache<string, number>(1_000);
    for (let i = 0; i < 20_000; i += 1) cache.set(`k${i}`, i);
    const keys = cache.keys();
    expect(keys).toHaveLength(1_000);
    expect(new Set(keys)).toEqual(new Set(Array.from({ length: 1_000 }, (_, i) => `k${19_000 + i}`)));
  });

  it('delete, clear, and keys() as a copy that can be walked while deleting', () => {
    const cache = new BoundedCache<string, number>(10);
    for (const key of ['u1.a', 'u1.b', 'u2.a']) cache.set(key, 1);
    for (const key of cache.keys()) if (key.startsWith('u1.')) cache.delete(key);
    expect(cache.keys()).toEqual(['u2.a']);
    cache.clear();
    expect(cache.keys()).toEqual([]);
  });
});
