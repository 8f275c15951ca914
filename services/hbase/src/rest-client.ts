// The one typed, promise-based door to HBase REST. Rows travel as CellSets, protobuf by default (JSON with base64 as a
// fallback), in multi-row PUTs and multigets spread over one or more REST servers with several requests in flight; a
// request whose server cannot be reached goes to the next server. Table administration goes through the npm `hbase`
// client.
import hbase from 'hbase';
import type { Client } from 'hbase';
import { CONTENT_TYPES, decodeCellSet, encodeCellSet, toCellSetRow, toHBaseRow } from './cell-set.ts';
import type { CellSetEncoding, HBaseRow } from './cell-set.ts';
import { HBaseError } from './errors.ts';
import { ServerPool } from './server-pool.ts';

export type { HBaseRow } from './cell-set.ts';

export interface HBaseRestOptions {
  /** e.g. http://127.0.0.1:8080; several servers in front of the same HBase: `urls`. */
  url?: string;
  urls?: readonly string[];
  /** How CellSets travel; protobuf is smaller and cheaper to encode than JSON with base64. */
  encoding?: CellSetEncoding;
  timeoutMs?: number;
  /** Rows per multiget request: keys travel in the URL, which servers cap at a few KiB. */
  multiGetChunk?: number;
  /** Rows per multi-row PUT request. */
  putChunk?: number;
  /** Requests of one putRows or multiGet in flight at once, spread over the servers. */
  concurrency?: number;
  /** How long a server that could not be reached is tried only after the others. */
  serverCooldownMs?: number;
}

export const DEFAULT_ENCODING: CellSetEncoding = 'protobuf';
const DEFAULT_TIMEOUT_MS = 10_000;
const DEFAULT_MULTIGET_CHUNK = 100;
export const DEFAULT_PUT_CHUNK = 1_000;
export const DEFAULT_CONCURRENCY = 4;

interface Answer {
  status: number;
  body: Uint8Array;
}

export class HBaseRestClient {
  readonly urls: readonly string[];
  readonly encoding: CellSetEncoding;
  readonly #pool: ServerPool;
  readonly #admins: Map<string, Client>;
  readonly #timeoutMs: number;
  readonly #multiGetChunk: number;
  readonly #putChunk: number;
  readonly #concurrency: number;

  constructor(options: HBaseRestOptions) {
    const urls = [...(options.urls ?? []), ...(options.url === undefined ? [] : [options.url])];
    this.urls = urls.map((url) => url.replace(/\/$/, ''));
    this.#pool = new ServerPool(this.urls, options.serverCooldownMs);
    this.encoding = options.encoding ?? DEFAULT_ENCODING;
    this.#timeoutMs = options.timeoutMs ?? DEFAULT_TIMEOUT_MS;
    this.#admins = new Map(this.urls.map((url) => [url, adminClient(url, this.#timeoutMs)]));
    this.#multiGetChunk = options.multiGetChunk ?? DEFAULT_MULTIGET_CHUNK;
    this.#putChunk = options.putChunk ?? DEFAULT_PUT_CHUNK;
    this.#concurrency = options.concurrency ?? DEFAULT_CONCURRENCY;
  }

  /** The servers, for messages. */
  get url(): string {
    return this.urls.join(',');
  }

  /** Creates the table with these column families; an existing table is left as it is. */
  async ensureTable(table: string, families: string[]): Promise<void> {
    if (await this.tableExists(table)) return;
    await this.#admin(`create table ${table}`, (client, done) =>
      client.table(table).create({ ColumnSchema: families.map((name) => ({ name, VERSIONS: 1 })) }, done),
    );
  }

  async tableExists(table: string): Promise<boolean> {
    return (await this.#admin(`exists ${table}`, (client, done) => client.table(table).exists(done))) === true;
  }

  async dropTable(table: string): Promise<void> {
    if (!(await this.tableExists(table))) return;
    await this.#admin(`drop table ${table}`, (client, done) => client.table(table).delete(done));
  }

  /**
   * Writes the rows, one multi-row PUT per chunk, several chunks in flight. Resolves only when every chunk is stored;
   * otherwise rejects (after the chunks in flight settled) with the first failure. Cells of a key that exists are
   * overwritten: writes are idempotent, so the caller may simply put the whole batch again.
   */
  async putRows(table: string, rows: readonly HBaseRow[]): Promise<void> {
    const chunks: HBaseRow[][] = [];
    for (let start = 0; start < rows.length; start += this.#putChunk) {
      const chunk = rows.slice(start, start + this.#putChunk).filter((row) => Object.keys(row.cells).length > 0);
      if (chunk.length > 0) chunks.push(chunk);
    }
    await eachBounded(chunks, this.#concurrency, async (chunk) => {
      const body = encodeCellSet(chunk.map(toCellSetRow), this.encoding);
      await this.#request(`put ${table}`, 'PUT', `/${encodeURIComponent(table)}/fakerow`, {
        body,
        contentType: CONTENT_TYPES[this.encoding],
      });
    });
  }

  async getRow(table: string, key: string): Promise<HBaseRow | undefined> {
    return (await this.multiGet(table, [key])).get(key);
  }

  /** Reads many rows, one REST multiget per chunk of keys. Keys with no row are simply absent from the map. */
  async multiGet(table: string, keys: readonly string[]): Promise<Map<string, HBaseRow>> {
    const found = new Map<string, HBaseRow>();
    const unique = [...new Set(keys)];
    const chunks: string[][] = [];
    for (let start = 0; start < unique.length; start += this.#multiGetChunk) {
      chunks.push(unique.slice(start, start + this.#multiGetChunk));
    }
    await eachBounded(chunks, this.#concurrency, async (chunk) => {
      const query = chunk.map((key) => `row=${encodeURIComponent(key)}`).join('&');
      const answer = await this.#request(`multiget ${table}`, 'GET', `/${encodeURIComponent(table)}/multiget?${query}`, {
        accept: CONTENT_TYPES[this.encoding],
        // HBase REST answers 404 "No rows found" when none of the keys exists.
        absentOk: true,
      });
      if (answer.status === 404) return;
      for (const row of decodeCellSet(answer.body, this.encoding, table)) {
        const decoded = toHBaseRow(row);
        found.set(decoded.key, decoded);
      }
    });
    return found;
  }

  /** Every row of the table through one REST scanner (on one server: a scanner lives there), `batch` cells a page. */
  async scanRows(table: string, batch = 10_000): Promise<HBaseRow[]> {
    const [server] = this.#pool.order(Date.now());
    const base = `/${encodeURIComponent(table)}`;
    const created = await this.#send(server!, `scanner on ${table}`, 'PUT', `${base}/scanner`, {
      body: JSON.stringify({ batch }),
      contentType: CONTENT_TYPES.json,
    });
    const location = created.location;
    if (location === null)
      throw new HBaseError('TORMENTA_HBASE_BAD_ANSWER', `HBase REST made a scanner on ${table} without a Location`);
    const scanner = new URL(location).pathname;
    const rows = new Map<string, HBaseRow>();
    try {
      for (;;) {
        const page = await this.#send(server!, `scan ${table}`, 'GET', scanner, { accept: CONTENT_TYPES[this.encoding] });
        if (page.status === 204) break;
        // A row wider than `batch` cells comes over several pages.
        for (const row of decodeCellSet(page.body, this.encoding, table).map(toHBaseRow)) {
          const known = rows.get(row.key);
          rows.set(row.key, known === undefined ? row : { key: row.key, cells: { ...known.cells, ...row.cells } });
        }
      }
    } finally {
      await this.#send(server!, `scanner delete on ${table}`, 'DELETE', scanner, {}).catch(() => undefined);
    }
    return [...rows.values()];
  }

  /** One request, to the servers in the pool's order until one answers; a 4xx or 5xx answer is not retried elsewhere. */
  async #request(
    what: string,
    method: string,
    path: string,
    options: { body?: Uint8Array | string; contentType?: string; accept?: string; absentOk?: boolean },
  ): Promise<Answer> {
    let lastError: unknown;
    for (const server of this.#pool.order(Date.now())) {
      try {
        const answer = await this.#send(server, what, method, path, options);
        this.#pool.markUp(server);
        return answer;
      } catch (error) {
        if (!(error instanceof HBaseError) || error.code !== 'TORMENTA_HBASE_UNAVAILABLE') throw error;
        this.#pool.markDown(server, Date.now());
        lastError = error;
      }
    }
    throw lastError;
  }

  async #send(
    server: string,
    what: string,
    method: string,
    path: string,
    options: { body?: Uint8Array | string; contentType?: string; accept?: string; absentOk?: boolean },
  ): Promise<Answer & { location: string | null }> {
    const headers: Record<string, string> = {};
    if (options.contentType !== undefined) headers['content-type'] = options.contentType;
    if (options.accept !== undefined) headers.accept = options.accept;
    let response: Response;
    let body: Uint8Array;
    try {
      response = await fetch(`${server}${path}`, {
        method,
        headers,
        body: options.body,
        signal: AbortSignal.timeout(this.#timeoutMs),
      });
      body = new Uint8Array(await response.arrayBuffer());
    } catch (error) {
      const cause = (error as { cause?: { code?: string; message?: string } }).cause;
      throw new HBaseError(
        'TORMENTA_HBASE_UNAVAILABLE',
        `HBase REST ${server} unreachable during ${what}: ${cause?.code ?? cause?.message ?? (error as Error).message}`,
      );
    }
    if (response.status >= 400 && !(options.absentOk === true && response.status === 404)) {
      const text = Buffer.from(body).toString('utf8').slice(0, 300).trim();
      throw new HBaseError(
        'TORMENTA_HBASE_REQUEST_FAILED',
        `HBase REST ${server} ${what} failed: HTTP ${response.status} ${text}`,
        response.status,
      );
    }
    return { status: response.status, body, location: response.headers.get('location') };
  }

  /** An administrative call through the npm client, to the servers in turn until one can be reached. */
  async #admin<T>(
    what: string,
    start: (client: Client, done: (error: (Error & { code?: number }) | null, value: T) => void) => void,
  ): Promise<T> {
    let lastError: unknown;
    for (const server of this.#pool.order(Date.now())) {
      try {
        return await callback(server, what, (done) => start(this.#admins.get(server)!, done));
      } catch (error) {
        if (!(error instanceof HBaseError) || error.code !== 'TORMENTA_HBASE_UNAVAILABLE') throw error;
        this.#pool.markDown(server, Date.now());
        lastError = error;
      }
    }
    throw lastError;
  }
}

function adminClient(url: string, timeoutMs: number): Client {
  const parsed = new URL(url);
  return hbase({
    host: parsed.hostname,
    port: parsed.port || (parsed.protocol === 'https:' ? 443 : 80),
    protocol: parsed.protocol === 'https:' ? 'https' : 'http',
    timeout: timeoutMs,
  });
}

function callback<T>(
  server: string,
  what: string,
  start: (done: (error: (Error & { code?: number }) | null, value: T) => void) => void,
): Promise<T> {
  return new Promise((resolve, reject) => {
    start((error, value) => {
      if (!error) return resolve(value);
      const status = typeof error.code === 'number' ? error.code : undefined;
      reject(
        status === undefined
          ? new HBaseError('TORMENTA_HBASE_UNAVAILABLE', `HBase REST ${server} unreachable during ${what}: ${error.message}`)
          : new HBaseError('TORMENTA_HBASE_REQUEST_FAILED', `HBase REST ${server} ${what} failed: ${error.message}`, status),
      );
    });
  });
}

/** Runs `work` on every item, at most `limit` at once; rejects with the first failure once all started ones settled. */
async function eachBounded<T>(items: readonly T[], limit: number, work: (item: T) => Promise<void>): Promise<void> {
  let next = 0;
  let failure: { error: unknown } | undefined;
  const lane = async (): Promise<void> => {
    while (failure === undefined && next < items.length) {
      const item = items[next]!;
      next += 1;
      await work(item).catch((error: unknown) => {
        failure ??= { error };
      });
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, lane));
  if (failure !== undefined) throw failure.error;
}
