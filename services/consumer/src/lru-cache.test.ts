import { describe, expect, it } from '@jest/globals';
import { LruTtlCache } from './lru-cache.ts';

describe('LruTtlCache', () => {
  it('evicts the least recently used entry when full', () => {
    const cache = new LruTtlCache<number, string>({ maxEntries: 2, ttlMs: 1_000, now: () => 0 });
    cache.set(1, 'a');
    cache.set(2, 'b');
    expect(cache.get(1)).toEqual({ value: 'a' }); // 1 is now the youngest
    cache.set(3, 'c');
    expect(cache.get(2)).toBeUndefined();
    expect(cache.get(1)).toEqual({ value: 'a' });
    expect(cache.get(3)).toEqual({ value: 'c' });
    expect(cache.size).toBe(2);
  });

  it('expires entries after the TTL and refreshes the TTL on set', () => {
    let now = 0;
    const cache = new LruTtlCache<string, number>({ maxEntries: 10, ttlMs: 100, now: () => now });
    cache.set('k', 1);
    now = 99;
    expect(cache.get('k')).toEqual({ value: 1 });
    now = 100;
    expect(cache.get('k')).toBeUndefined();
    expect(cache.size).toBe(0);
    cache.set('k', 2);
    now = 150;
    expect(cache.get('k')).toEqual({ value: 2 });
  });

  it('caches absence (null) as a value distinct from a miss', () => {
    const cache = new LruTtlCache<number, string | null>({ maxEntries: 10, ttlMs: 100 });
    cache.set(7, null);
    expect(cache.get(7)).toEqual({ value: null });
    expect(cache.get(8)).toBeUndefined();
  });

  it.each([
    [0, 1],
    [1, 0],
  ])('rejects maxEntries=%d ttlMs=%d', (maxEntries, ttlMs) => {
    expect(() => new LruTtlCache({ maxEntries, ttlMs })).toThrow(RangeError);
  });
});
