export type HBaseErrorCode = 'TORMENTA_HBASE_UNAVAILABLE' | 'TORMENTA_HBASE_REQUEST_FAILED' | 'TORMENTA_HBASE_BAD_ANSWER';

/** One error shape for every HBase REST failure; `retryable` tells callers whether backing off can help. */
export class HBaseError extends Error {
  override name = 'HBaseError';
  readonly code: HBaseErrorCode;
  readonly status: number | undefined;
  readonly retryable: boolean;

  constructor(code: HBaseErrorCode, message: string, status?: number) {
    super(message);
    this.code = code;
    this.status = status;
    // An answer that does not decode is a protocol mismatch (a proxy, a wrong encoding), which no retry changes.
    this.retryable =
      code === 'TORMENTA_HBASE_UNAVAILABLE' ||
      (code === 'TORMENTA_HBASE_REQUEST_FAILED' && (status === undefined || status >= 500));
  }
}
