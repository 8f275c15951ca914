export { HBaseRestClient, DEFAULT_CONCURRENCY, DEFAULT_ENCODING, DEFAULT_PUT_CHUNK } from './rest-client.ts';
export type { HBaseRestOptions } from './rest-client.ts';
export { CONTENT_TYPES, decodeCellSet, encodeCellSet, toCellSetRow, toHBaseRow } from './cell-set.ts';
export type { CellSetEncoding, CellSetRow, HBaseRow } from './cell-set.ts';
export { ServerPool } from './server-pool.ts';
export { HBaseError } from './errors.ts';
export type { HBaseErrorCode } from './errors.ts';
export * from './tables.ts';
