// One lookup of a sink: the rows of its table by key, from the LRU+TTL cache when fresh, else one chunked REST multiget
// per batch. Absent rows are cached too (as null), so a stream of unknown keys does not turn into a stream of lookups;
// the TTL bounds how long a row added later stays unseen. Only the lookup's columns are kept.
import type { HBaseRow } from '@tormenta/hbase';
import { LruTtlCache } from './lru-cache.ts';
import type { LookupSpec } from './sink-file.ts';

export interface MultiGetter {
  multiGet(table: string, keys: readonly string[]): Promise<Map<string, HBaseRow>>;
}

export interface LookupCounters {
  hits(count: number): void;
  misses(count: number): void;
}

export type FoundRow = Readonly<Record<string, string>> | null;

export class CachedLookup {
  readonly #hbase: MultiGetter;
  readonly #spec: LookupSpec;
  readonly #cache: LruTtlCache<string, FoundRow>;
  readonly #counters: LookupCounters;

  constructor(hbase: MultiGetter, spec: LookupSpec, cache: LruTtlCache<string, FoundRow>, counters: LookupCounters) {
    this.#hbase = hbase;
    this.#spec = spec;
    this.#cache = cache;
    this.#counters = counters;
  }

  get table(): string {
    return this.#spec.table;
  }

  async rows(keys: readonly string[]): Promise<Map<string, FoundRow>> {
    const found = new Map<string, FoundRow>();
    const missing: string[] = [];
    for (const key of keys) {
      const cached = this.#cache.get(key);
      if (cached === undefined) missing.push(key);
      else found.set(key, cached.value);
    }
    this.#counters.hits(found.size);
    this.#counters.misses(missing.length);
    if (missing.length === 0) return found;
    const rows = await this.#hbase.multiGet(this.#spec.table, missing);
    for (const key of missing) {
      const row = this.#kept(rows.get(key));
      this.#cache.set(key, row);
      found.set(key, row);
    }
    return found;
  }

  #kept(row: HBaseRow | undefined): FoundRow {
    if (row === undefined) return null;
    const kept: Record<string, string> = {};
    for (const [from] of this.#spec.columns) {
      const value = row.cells[`${this.#spec.family}:${from}`];
      if (value !== undefined) kept[from] = value;
    }
    return kept;
  }
}
