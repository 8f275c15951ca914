export type HBaseErrorCode = 'TORMENTA_HBASE_UNAVAILABLE' | 'TORMENTA_HBASE_REQUEST_FAILED';

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
    this.retryable = code === 'TORMENTA_HBASE_UNAVAILABLE' || status === undefined || status >= 500;
  }
}
