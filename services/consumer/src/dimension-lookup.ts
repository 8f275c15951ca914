// Names of PERSONA / EMPRESA rows by ID: from the LRU+TTL cache when fresh, else one chunked REST multiget per table per
// batch. Absent IDs are cached too (as null), so a stream of unknown IDs does not turn into a stream of lookups; the TTL
// bounds how long a row added later stays unseen.
import { column, dimensionKey } from '@tormenta/hbase';
import type { HBaseRow } from '@tormenta/hbase';
import { LruTtlCache } from './lru-cache.ts';

export interface MultiGetter {
  multiGet(table: string, keys: readonly string[]): Promise<Map<string, HBaseRow>>;
}

export interface LookupCounters {
  hits(count: number): void;
  misses(count: number): void;
}

const NAME_COLUMN = column('NOMBRE');

export class DimensionLookup {
  readonly #hbase: MultiGetter;
  readonly #table: string;
  readonly #cache: LruTtlCache<number, string | null>;
  readonly #counters: LookupCounters;

  constructor(hbase: MultiGetter, table: string, cache: LruTtlCache<number, string | null>, counters: LookupCounters) {
    this.#hbase = hbase;
    this.#table = table;
    this.#cache = cache;
    this.#counters = counters;
  }

  async names(ids: readonly number[]): Promise<Map<number, string | null>> {
    const names = new Map<number, string | null>();
    const missing: number[] = [];
    for (const id of ids) {
      const cached = this.#cache.get(id);
      if (cached === undefined) missing.push(id);
      else names.set(id, cached.value);
    }
    this.#counters.hits(names.size);
    this.#counters.misses(missing.length);
    if (missing.length === 0) return names;
    const rows = await this.#hbase.multiGet(this.#table, missing.map(dimensionKey));
    for (const id of missing) {
      const name = rows.get(dimensionKey(id))?.cells[NAME_COLUMN] ?? null;
      this.#cache.set(id, name);
      names.set(id, name);
    }
    return names;
  }
}
