// The npm `hbase` client ships no types; this declares the small part tormenta uses (table administration).
declare module 'hbase' {
  import type { IncomingMessage } from 'node:http';

  export type Callback<T> = (
    error: (Error & { code?: number; body?: string }) | null,
    value: T,
    response?: IncomingMessage,
  ) => void;

  export interface CellInput {
    key: string;
    column: string;
    $: string;
  }
  export interface CellOutput {
    key?: string;
    column: string;
    timestamp: number;
    $: string;
  }
  export interface Row {
    put(cells: CellInput[], callback: Callback<boolean | null>): void;
    get(callback: Callback<CellOutput[] | null>): void;
    delete(callback: Callback<boolean | null>): void;
  }
  export interface Table {
    create(schema: { ColumnSchema: { name: string; VERSIONS?: number }[] }, callback: Callback<boolean | null>): void;
    delete(callback: Callback<boolean | null>): void;
    exists(callback: Callback<boolean | null>): void;
    row(key: string | null): Row;
  }
  export interface Client {
    table(name: string): Table;
    version_cluster(callback: Callback<unknown>): void;
  }
  export interface ClientOptions {
    host: string;
    port: number | string;
    protocol?: 'http' | 'https';
    timeout?: number;
  }
  function hbase(options: ClientOptions): Client;
  export default hbase;
}
