// The path every record takes, whatever its source: count it as offered, validate, admit against the in-flight budget,
// convert and hand to the Kafka writer, and report success only once Kafka acknowledged it.
import { randomUUID } from 'node:crypto';
import { KafkaWriteError } from '@tormenta/kafka';
import type { MessageWriter, OutgoingMessage } from '@tormenta/kafka';
import { admitInflight, takeToken } from './backpressure.ts';
import type { Bucket } from './backpressure.ts';
import { ProducerError } from './errors.ts';
import type { ProducerMetrics, RejectReason } from './metrics.ts';
import { toMessage, validateRecords } from './records.ts';
import type { KeyField, Transaction } from './records.ts';

export interface IngestorOptions {
  writer: MessageWriter;
  metrics: ProducerMetrics;
  keyField: KeyField;
  maxInflightRecords: number;
  /** This replica's capacity in records per second; 0 = unlimited. Records over it are refused with 429. */
  maxRecordsPerSecond?: number;
  retryAfterSeconds: number;
  /** Whether Kafka is believed reachable (the writer's last outcome or the health probe's). */
  kafkaUp: () => boolean;
  draining: () => boolean;
}

export interface IngestResult {
  accepted: number;
  ids: string[];
  /** Only in lenient mode: records dropped as invalid. */
  invalid: number;
}

export class Ingestor {
  readonly #options: IngestorOptions;
  #inflight = 0;
  #capacity: Bucket | undefined;

  constructor(options: IngestorOptions) {
    this.#options = options;
  }

  get inflight(): number {
    return this.#inflight;
  }

  /**
   * Strict mode (push): one invalid record rejects the whole request, so a client never has to work out which part was
   * stored. Lenient mode (pull sources, which cannot ask anyone to fix a record): invalid records are counted and dropped.
   * Throws ProducerError; on success every returned id is acknowledged by Kafka.
   */
  async ingest(records: readonly unknown[], source: string, mode: 'strict' | 'lenient' = 'strict'): Promise<IngestResult> {
    const { metrics } = this.#options;
    metrics.received.inc({ source }, records.length);
    const validation = validateRecords(records);
    if (validation.invalidCount > 0 && mode === 'strict') {
      this.#reject('invalid', records.length);
      throw new ProducerError(
        'TORMENTA_INVALID_RECORDS',
        `${validation.invalidCount} of ${records.length} record(s) are invalid; nothing was stored`,
        { details: validation.errors },
      );
    }
    if (validation.invalidCount > 0) this.#reject('invalid', validation.invalidCount);
    const accepted = await this.#write(validation.valid, source);
    return { accepted: accepted.length, ids: accepted, invalid: validation.invalidCount };
  }

  #reject(reason: RejectReason, count: number): void {
    if (count > 0) this.#options.metrics.rejected.inc({ reason }, count);
  }

  #takeCapacity(count: number): void {
    const rate = this.#options.maxRecordsPerSecond ?? 0;
    if (rate <= 0) return;
    const decision = takeToken(this.#capacity, Date.now(), rate, Math.max(1, Math.ceil(rate)), count);
    this.#capacity = decision.bucket;
    if (decision.admit) return;
    this.#reject('rate_limited', count);
    throw new ProducerError('TORMENTA_RATE_LIMITED', `this replica accepts ${rate} records per second; retry later or on another replica`, {
      retryAfterSeconds: decision.retryAfterSeconds,
    });
  }

  async #write(records: Transaction[], source: string): Promise<string[]> {
    const { metrics, writer, retryAfterSeconds } = this.#options;
    if (records.length === 0) return [];
    if (this.#options.draining()) {
      this.#reject('draining', records.length);
      throw new ProducerError('TORMENTA_DRAINING', 'the producer is shutting down; retry on another replica', { retryAfterSeconds });
    }
    if (!this.#options.kafkaUp()) {
      this.#reject('kafka_unavailable', records.length);
      throw new ProducerError('TORMENTA_KAFKA_UNAVAILABLE', 'Kafka is unreachable; nothing was stored', { retryAfterSeconds });
    }
    this.#takeCapacity(records.length);
    const decision = admitInflight(this.#inflight, records.length, this.#options.maxInflightRecords, retryAfterSeconds);
    if (!decision.admit) {
      this.#reject('backpressure', records.length);
      throw new ProducerError(
        'TORMENTA_BACKPRESSURE',
        `${this.#inflight} records are waiting for Kafka (limit ${this.#options.maxInflightRecords}); retry later`,
        { retryAfterSeconds: decision.retryAfterSeconds },
      );
    }
    const { keyField } = this.#options;
    const ids = new Array<string>(records.length);
    const messages = new Array<OutgoingMessage>(records.length);
    for (let index = 0; index < records.length; index += 1) {
      const record = records[index] as Transaction;
      const id = record.id ?? randomUUID();
      ids[index] = id;
      messages[index] = toMessage(record, id, keyField);
    }
    this.#inflight += records.length;
    metrics.inflight.set(this.#inflight);
    const stopTimer = metrics.produceLatency.startTimer();
    try {
      await writer.write(messages);
    } catch (error) {
      stopTimer();
      const unavailable = error instanceof KafkaWriteError && error.code === 'TORMENTA_KAFKA_UNAVAILABLE';
      const notStored = error instanceof KafkaWriteError ? error.notStored.length : records.length;
      this.#reject(unavailable ? 'kafka_unavailable' : 'write_failed', notStored);
      throw new ProducerError(
        unavailable ? 'TORMENTA_KAFKA_UNAVAILABLE' : 'TORMENTA_KAFKA_WRITE_FAILED',
        `Kafka did not acknowledge ${notStored} record(s); treat them as not stored: ${error instanceof Error ? error.message : String(error)}`,
        { retryAfterSeconds, details: { notStored } },
      );
    } finally {
      this.#inflight -= records.length;
      metrics.inflight.set(this.#inflight);
    }
    stopTimer();
    metrics.accepted.inc({ source }, records.length);
    metrics.produceRecords.inc(records.length);
    let bytes = 0;
    for (const message of messages) bytes += Buffer.byteLength(message.value);
    metrics.produceBytes.inc(bytes);
    return ids;
  }
}
