// The path every record takes, whatever its source: count it as offered, convert it as its stream says (transform,
// schema, id, key, size), admit it against the in-flight budget, hand it to the Kafka writer, and report success only
// once Kafka acknowledged it.
import { KafkaWriteError } from '@tormenta/kafka';
import type { MessageWriter, OutgoingMessage } from '@tormenta/kafka';
import { admitInflight, takeToken } from './backpressure.ts';
import type { Bucket } from './backpressure.ts';
import { ProducerError } from './errors.ts';
import type { ProducerMetrics, RejectReason } from './metrics.ts';
import { convertRecords } from './streams/convert.ts';
import type { CompiledStream, RecordProblem } from './streams/convert.ts';

export interface IngestorOptions {
  writer: MessageWriter;
  metrics: ProducerMetrics;
  stream: CompiledStream;
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
  /** Only in lenient mode: records dropped as invalid or oversized. */
  invalid: number;
  /** Records the transform filtered out. */
  filtered: number;
  /** Only in lenient mode: what was wrong with the records dropped, for the log. */
  problems: RecordProblem[];
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
   * stored — 413 when a record is over the stream's size limit, else 400, each problem with its record's index and a
   * JSON pointer. Lenient mode (pull and streaming sources, which cannot ask anyone to fix a record): invalid records
   * are counted and dropped. Throws ProducerError; on success every returned id is acknowledged by Kafka.
   */
  async ingest(records: readonly unknown[], source: string, mode: 'strict' | 'lenient' = 'strict'): Promise<IngestResult> {
    const { metrics, stream } = this.#options;
    metrics.received.inc({ source }, records.length);
    const conversion = await convertRecords(stream, records);
    if (conversion.dropped > 0) metrics.filtered.inc(conversion.dropped);
    const refused = conversion.invalidCount + conversion.oversized.length;
    if (refused > 0 && mode === 'strict') {
      const tooLarge = conversion.oversized.length > 0;
      this.#reject(tooLarge ? 'oversized' : 'invalid', records.length);
      throw new ProducerError(
        tooLarge ? 'TORMENTA_RECORD_TOO_LARGE' : 'TORMENTA_INVALID_RECORDS',
        tooLarge
          ? `${conversion.oversized.length} of ${records.length} record(s) exceed the stream's maxRecordBytes (${stream.spec.maxRecordBytes}); nothing was stored`
          : `${conversion.invalidCount} of ${records.length} record(s) are invalid; nothing was stored`,
        { details: tooLarge ? conversion.oversized : conversion.invalid },
      );
    }
    this.#reject('invalid', conversion.invalidCount);
    this.#reject('oversized', conversion.oversized.length);
    const accepted = await this.#write(conversion.messages, conversion.ids, source);
    return {
      accepted: accepted.length,
      ids: accepted,
      invalid: refused,
      filtered: conversion.dropped,
      problems: [...conversion.invalid, ...conversion.oversized],
    };
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
    throw new ProducerError(
      'TORMENTA_RATE_LIMITED',
      `this replica accepts ${rate} records per second; retry later or on another replica`,
      {
        retryAfterSeconds: decision.retryAfterSeconds,
      },
    );
  }

  async #write(messages: OutgoingMessage[], ids: string[], source: string): Promise<string[]> {
    const { metrics, writer, retryAfterSeconds } = this.#options;
    if (messages.length === 0) return [];
    if (this.#options.draining()) {
      this.#reject('draining', messages.length);
      throw new ProducerError('TORMENTA_DRAINING', 'the producer is shutting down; retry on another replica', {
        retryAfterSeconds,
      });
    }
    if (!this.#options.kafkaUp()) {
      this.#reject('kafka_unavailable', messages.length);
      throw new ProducerError('TORMENTA_KAFKA_UNAVAILABLE', 'Kafka is unreachable; nothing was stored', { retryAfterSeconds });
    }
    this.#takeCapacity(messages.length);
    const decision = admitInflight(this.#inflight, messages.length, this.#options.maxInflightRecords, retryAfterSeconds);
    if (!decision.admit) {
      this.#reject('backpressure', messages.length);
      throw new ProducerError(
        'TORMENTA_BACKPRESSURE',
        `${this.#inflight} records are waiting for Kafka (limit ${this.#options.maxInflightRecords}); retry later`,
        { retryAfterSeconds: decision.retryAfterSeconds },
      );
    }
    this.#inflight += messages.length;
    metrics.inflight.set(this.#inflight);
    const stopTimer = metrics.produceLatency.startTimer();
    try {
      await writer.write(messages);
    } catch (error) {
      stopTimer();
      const unavailable = error instanceof KafkaWriteError && error.code === 'TORMENTA_KAFKA_UNAVAILABLE';
      const notStored = error instanceof KafkaWriteError ? error.notStored.length : messages.length;
      this.#reject(unavailable ? 'kafka_unavailable' : 'write_failed', notStored);
      throw new ProducerError(
        unavailable ? 'TORMENTA_KAFKA_UNAVAILABLE' : 'TORMENTA_KAFKA_WRITE_FAILED',
        `Kafka did not acknowledge ${notStored} record(s); treat them as not stored: ${error instanceof Error ? error.message : String(error)}`,
        { retryAfterSeconds, details: { notStored } },
      );
    } finally {
      this.#inflight -= messages.length;
      metrics.inflight.set(this.#inflight);
    }
    stopTimer();
    metrics.accepted.inc({ source }, messages.length);
    metrics.produceRecords.inc(messages.length);
    let bytes = 0;
    for (const message of messages)
      bytes += typeof message.value === 'string' ? Buffer.byteLength(message.value) : message.value.length;
    metrics.produceBytes.inc(bytes);
    return ids;
  }
}
