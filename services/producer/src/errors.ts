// The producer's one error registry: stable TORMENTA_* codes, each with its HTTP status, and the one body shape every
// error response uses.
import { STATUS_CODES } from 'node:http';

export const ERROR_STATUS = {
  TORMENTA_INVALID_RECORDS: 400,
  TORMENTA_MALFORMED_BODY: 400,
  TORMENTA_MALFORMED_REQUEST: 400,
  TORMENTA_UNAUTHORIZED: 401,
  TORMENTA_NOT_FOUND: 404,
  TORMENTA_METHOD_NOT_ALLOWED: 405,
  TORMENTA_REQUEST_TIMEOUT: 408,
  TORMENTA_PAYLOAD_TOO_LARGE: 413,
  TORMENTA_RECORD_TOO_LARGE: 413,
  TORMENTA_TOO_MANY_RECORDS: 413,
  TORMENTA_UNSUPPORTED_MEDIA_TYPE: 415,
  TORMENTA_HEADERS_TOO_LARGE: 431,
  TORMENTA_BACKPRESSURE: 429,
  TORMENTA_RATE_LIMITED: 429,
  TORMENTA_INTERNAL: 500,
  TORMENTA_PULL_SOURCE_STOPPED: 500,
  TORMENTA_KAFKA_UNAVAILABLE: 503,
  TORMENTA_KAFKA_WRITE_FAILED: 503,
  TORMENTA_DRAINING: 503,
} as const;

export type ProducerErrorCode = keyof typeof ERROR_STATUS;

export interface ErrorBody {
  statusCode: number;
  code: ProducerErrorCode;
  error: string;
  message: string;
  details?: unknown;
}

export class ProducerError extends Error {
  override name = 'ProducerError';
  readonly code: ProducerErrorCode;
  readonly statusCode: number;
  readonly details: unknown;
  /** Set on 429 and 503: how long a client should wait before retrying. */
  readonly retryAfterSeconds: number | undefined;
  /** Set on 405: the methods the resource takes, sent as the Allow header. */
  readonly allow: readonly string[] | undefined;

  constructor(
    code: ProducerErrorCode,
    message: string,
    extra: { details?: unknown; retryAfterSeconds?: number; allow?: readonly string[] } = {},
  ) {
    super(message);
    this.code = code;
    this.statusCode = ERROR_STATUS[code];
    this.details = extra.details;
    this.retryAfterSeconds = extra.retryAfterSeconds;
    this.allow = extra.allow;
  }

  toBody(): ErrorBody {
    const body: ErrorBody = {
      statusCode: this.statusCode,
      code: this.code,
      error: STATUS_CODES[this.statusCode] ?? 'Error',
      message: this.message,
    };
    if (this.details !== undefined) body.details = this.details;
    return body;
  }
}

/** A configuration the service cannot start with; the message names the environment variable. */
export class ConfigError extends Error {
  override name = 'ConfigError';
  readonly code = 'TORMENTA_CONFIG_INVALID';
}
