// The npm `hbase` client ships no types; this declares the small part tormenta uses.
declare module 'hbase' {
  import type { IncomingMessage } from 'node:http';

  type Callback<T> = (error: (Error & { code?: number; body?: string }) | null, value: T, response?: IncomingMessage) => void;

  interface CellInput {
    key: string;
    column: string;
    $: string;
  }
  interface CellOutput {
    key?: string;
    column: string;
    timestamp: number;
    $: string;
  }
  interface Row {
    put(cells: CellInput[], callback: Callback<boolean | null>): void;
    get(callback: Callback<CellOutput[] | null>): void;
    delete(callback: Callback<boolean | null>): void;
  }
  interface Table {
    create(schema: { ColumnSchema: { name: string; VERSIONS?: number }[] }, callback: Callback<boolean | null>): void;
    delete(callback: Callback<boolean | null>): void;
    exists(callback: Callback<boolean | null>): void;
    row(key: string | null): Row;
  }
  interface RestCellSet {
    Row: { key: string; Cell: { column: string; timestamp?: number; $: string }[] }[];
  }
  interface Connection {
    get(path: string, callback: Callback<RestCellSet | null>): void;
    put(path: string, body: unknown, callback: Callback<unknown>): void;
  }
  interface Client {
    connection: Connection;
    table(name: string): Table;
    version_cluster(callback: Callback<unknown>): void;
  }
  interface ClientOptions {
    host: string;
    port: number | string;
    protocol?: 'http' | 'https';
    timeout?: number;
  }
  function hbase(options: ClientOptions): Client;
  export default hbase;
}
