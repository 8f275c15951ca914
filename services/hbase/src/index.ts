export { HBaseRestClient } from './rest-client.ts';
export type { HBaseRow, HBaseRestOptions } from './rest-client.ts';
export { HBaseError } from './errors.ts';
export type { HBaseErrorCode } from './errors.ts';
export * from './tables.ts';
