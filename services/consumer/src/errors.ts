// The consumer's one error registry: stable codes that logs, alerts and tests can match on.
export type ConsumerErrorCode =
  | 'TORMENTA_CONSUMER_CONFIG_INVALID'
  | 'TORMENTA_CONSUMER_BATCH_ABANDONED'
  | 'TORMENTA_CONSUMER_DLQ_WRITE_FAILED'
  | 'TORMENTA_CONSUMER_HBASE_REJECTED';

export class ConsumerError extends Error {
  override name = 'ConsumerError';
  readonly code: ConsumerErrorCode;

  constructor(code: ConsumerErrorCode, message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.code = code;
  }
}

/**
 * Why a record went to the dead-letter topic. The value travels in the DLQ message's `reason` header and labels
 * `tormenta_dlq_records_total`: a record that is not JSON, one that fails the sink's schema or has no row key, and one
 * whose value a lookup did not find (`unknown_<lookup name>`, e.g. unknown_persona), so a closed set per sink.
 */
export const DECODE_DLQ_REASONS = ['malformed_json', 'invalid_record'] as const;
export type DlqReason = (typeof DECODE_DLQ_REASONS)[number] | `unknown_${string}`;
