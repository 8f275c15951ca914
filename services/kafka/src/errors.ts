export type KafkaErrorCode = 'TORMENTA_KAFKA_UNAVAILABLE' | 'TORMENTA_KAFKA_WRITE_FAILED' | 'TORMENTA_KAFKA_WRITER_CLOSED';

/**
 * A write Kafka did not acknowledge. `notStored` holds the indexes (in the caller's array) of every message without an
 * acknowledgement: the caller must treat them as not stored (some may in fact be in the log; a retry can duplicate
 * them, which is what the record `id` is for downstream).
 */
export class KafkaWriteError extends Error {
  override name = 'KafkaWriteError';
  readonly code: KafkaErrorCode;
  readonly notStored: number[];

  constructor(code: KafkaErrorCode, message: string, notStored: number[], options?: { cause?: unknown }) {
    super(message, options);
    this.code = code;
    this.notStored = notStored;
  }
}
