export { ConsumerService } from './consumer-service.ts';
export { loadConfig } from './config.ts';
export type { ConsumerConfig } from './config.ts';
export { ConsumerError, DLQ_REASONS } from './errors.ts';
export type { ConsumerErrorCode, DlqReason } from './errors.ts';
export { ENRICHED_COLUMNS, toCells } from './enriched-columns.ts';
export type { EnrichedRow } from './enriched-columns.ts';
export { enrichedRowKey } from './row-key.ts';
export { hiveDdl } from './hive-ddl.ts';
