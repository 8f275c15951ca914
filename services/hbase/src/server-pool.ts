// Which HBase REST server a request goes to. Requests are spread round-robin over the servers; a server that could not
// be reached is tried last until its cool-down ends, so a dead one costs one failed connection per cool-down, not one
// per request, and yet is used again as soon as it is back. Pure: the caller passes the time.
export const DEFAULT_SERVER_COOLDOWN_MS = 5_000;

export class ServerPool {
  readonly urls: readonly string[];
  readonly #cooldownMs: number;
  readonly #downUntil = new Map<string, number>();
  #next = 0;

  constructor(urls: readonly string[], cooldownMs = DEFAULT_SERVER_COOLDOWN_MS) {
    if (urls.length === 0) throw new Error('HBase REST: no server URL given');
    this.urls = urls;
    this.#cooldownMs = cooldownMs;
  }

  /** The servers in the order one request should try them: the next in turn first, the cooling-down ones last. */
  order(now: number): string[] {
    const start = this.#next;
    this.#next = (this.#next + 1) % this.urls.length;
    const turn = this.urls.map((_, index) => this.urls[(start + index) % this.urls.length]!);
    const up = turn.filter((url) => (this.#downUntil.get(url) ?? 0) <= now);
    const down = turn.filter((url) => (this.#downUntil.get(url) ?? 0) > now);
    return [...up, ...down];
  }

  markDown(url: string, now: number): void {
    this.#downUntil.set(url, now + this.#cooldownMs);
  }

  markUp(url: string): void {
    this.#downUntil.delete(url);
  }
}
