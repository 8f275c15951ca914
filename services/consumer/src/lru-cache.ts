// A size-bounded LRU cache whose entries also expire after a TTL, so dimension rows changed in HBase are seen again.
// A Map keeps insertion order: re-inserting on read moves an entry to the young end, the first key is the eldest.

export class LruTtlCache<K, V> {
  readonly #entries = new Map<K, { value: V; expiresAt: number }>();
  readonly #maxEntries: number;
  readonly #ttlMs: number;
  readonly #now: () => number;

  constructor(options: { maxEntries: number; ttlMs: number; now?: () => number }) {
    if (!(options.maxEntries > 0) || !(options.ttlMs > 0)) throw new RangeError('maxEntries and ttlMs must be > 0');
    this.#maxEntries = options.maxEntries;
    this.#ttlMs = options.ttlMs;
    this.#now = options.now ?? Date.now;
  }

  get size(): number {
    return this.#entries.size;
  }

  /** `undefined` means not cached (or expired) — distinct from a cached value, which may itself record an absence. */
  get(key: K): { value: V } | undefined {
    const entry = this.#entries.get(key);
    if (entry === undefined) return undefined;
    this.#entries.delete(key);
    if (entry.expiresAt <= this.#now()) return undefined;
    this.#entries.set(key, entry);
    return { value: entry.value };
  }

  set(key: K, value: V): void {
    this.#entries.delete(key);
    this.#entries.set(key, { value, expiresAt: this.#now() + this.#ttlMs });
    while (this.#entries.size > this.#maxEntries) {
      const eldest = this.#entries.keys().next();
      if (eldest.done) break;
      this.#entries.delete(eldest.value);
    }
  }
}
