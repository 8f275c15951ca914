// The one typed, promise-based door to HBase REST. It wraps the callback-based npm `hbase` client and adds what that
// client lacks: multi-row writes with many rows at once and a multiget.
import hbase from 'hbase';
import type { Client, RestCellSet } from 'hbase';
import { HBaseError } from './errors.ts';

/** A row as tormenta sees it: the row key and its cells by `family:qualifier`, all UTF-8 text. */
export interface HBaseRow {
  key: string;
  cells: Record<string, string>;
}

export interface HBaseRestOptions {
  /** e.g. http://127.0.0.1:8080 */
  url: string;
  timeoutMs?: number;
  /** Rows per multiget request: keys travel in the URL, which servers cap at a few KiB. */
  multiGetChunk?: number;
  /** Rows per multi-row PUT request. */
  putChunk?: number;
}

const DEFAULT_TIMEOUT_MS = 10_000;
const DEFAULT_MULTIGET_CHUNK = 100;
const DEFAULT_PUT_CHUNK = 1_000;

export class HBaseRestClient {
  readonly url: string;
  readonly #client: Client;
  readonly #multiGetChunk: number;
  readonly #putChunk: number;

  constructor(options: HBaseRestOptions) {
    const parsed = new URL(options.url);
    this.url = options.url.replace(/\/$/, '');
    this.#client = hbase({
      host: parsed.hostname,
      port: parsed.port || (parsed.protocol === 'https:' ? 443 : 80),
      protocol: parsed.protocol === 'https:' ? 'https' : 'http',
      timeout: options.timeoutMs ?? DEFAULT_TIMEOUT_MS,
    });
    this.#multiGetChunk = options.multiGetChunk ?? DEFAULT_MULTIGET_CHUNK;
    this.#putChunk = options.putChunk ?? DEFAULT_PUT_CHUNK;
  }

  /** Creates the table with these column families; an existing table is left as it is. */
  async ensureTable(table: string, families: string[]): Promise<void> {
    if (await this.tableExists(table)) return;
    await this.#call(`create table ${table}`, (done) =>
      this.#client.table(table).create({ ColumnSchema: families.map((name) => ({ name, VERSIONS: 1 })) }, done),
    );
  }

  async tableExists(table: string): Promise<boolean> {
    return (await this.#call(`exists ${table}`, (done) => this.#client.table(table).exists(done))) === true;
  }

  async dropTable(table: string): Promise<void> {
    if (!(await this.tableExists(table))) return;
    await this.#call(`drop table ${table}`, (done) => this.#client.table(table).delete(done));
  }

  /** Writes the rows with one multi-row PUT per chunk. Cells of a key that exists are overwritten: writes are idempotent. */
  async putRows(table: string, rows: readonly HBaseRow[]): Promise<void> {
    for (let start = 0; start < rows.length; start += this.#putChunk) {
      const cells = rows
        .slice(start, start + this.#putChunk)
        .flatMap((row) => Object.entries(row.cells).map(([column, $]) => ({ key: row.key, column, $ })));
      if (cells.length === 0) continue;
      await this.#call(`put ${table}`, (done) => this.#client.table(table).row(null).put(cells, done));
    }
  }

  async getRow(table: string, key: string): Promise<HBaseRow | undefined> {
    return (await this.multiGet(table, [key])).get(key);
  }

  /** Reads many rows, one REST multiget per chunk of keys. Keys with no row are simply absent from the map. */
  async multiGet(table: string, keys: readonly string[]): Promise<Map<string, HBaseRow>> {
    const found = new Map<string, HBaseRow>();
    const unique = [...new Set(keys)];
    for (let start = 0; start < unique.length; start += this.#multiGetChunk) {
      const query = unique
        .slice(start, start + this.#multiGetChunk)
        .map((key) => `row=${encodeURIComponent(key)}`)
        .join('&');
      const cellSet = await this.#call<RestCellSet | null>(`multiget ${table}`, (done) =>
        this.#client.connection.get(`/${encodeURIComponent(table)}/multiget?${query}`, done),
      ).catch((error: unknown) => {
        // HBase REST answers 404 "No rows found" when none of the keys exists.
        if (error instanceof HBaseError && error.status === 404) return null;
        throw error;
      });
      for (const row of cellSet?.Row ?? []) {
        const key = decode(row.key);
        const cells: Record<string, string> = {};
        for (const cell of row.Cell) cells[decode(cell.column)] = decode(cell.$);
        found.set(key, { key, cells });
      }
    }
    return found;
  }

  #call<T>(what: string, start: (done: (error: (Error & { code?: number }) | null, value: T) => void) => void): Promise<T> {
    return new Promise((resolve, reject) => {
      start((error, value) => {
        if (!error) return resolve(value);
        const status = typeof error.code === 'number' ? error.code : undefined;
        reject(
          status === undefined
            ? new HBaseError('TORMENTA_HBASE_UNAVAILABLE', `HBase REST ${this.url} unreachable during ${what}: ${error.message}`)
            : new HBaseError('TORMENTA_HBASE_REQUEST_FAILED', `HBase REST ${what} failed: ${error.message}`, status),
        );
      });
    });
  }
}

const decode = (base64: string): string => Buffer.from(base64, 'base64').toString('utf8');
