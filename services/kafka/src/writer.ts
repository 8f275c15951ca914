// The Kafka writer: every message acknowledged by all in-sync replicas (acks=all) through idempotent producers, or the
// caller learns which messages were not. kafkajs has no linger batching and its idempotent sequence numbers break under
// concurrent sends on one producer, so each producer of a small pool has its own SendQueue (one batch in flight, the next
// one accumulating) and writes go to the least busy one: several batches in flight, none racing another's sequence.
import { setTimeout as sleep } from 'node:timers/promises';
import { kafkajs } from './kafkajs-patch.ts';
import type { Kafka as KafkaClient, Producer } from 'kafkajs';
import { kafkajsConnection } from './connection.ts';
import type { KafkaConnection } from './connection.ts';
import type { KafkaErrorCode } from './errors.ts';
import { JavaCompatiblePartitioner } from './partitioner.ts';
import { SendQueue } from './send-queue.ts';

const { CompressionTypes, Kafka, logLevel } = kafkajs;

export interface OutgoingMessage {
  key: string | null;
  /** A string is encoded as UTF-8 straight into the record, saving a Buffer and a copy per message. */
  value: Buffer | string;
  headers?: Record<string, string>;
}

export type Compression = 'none' | 'gzip';

export interface KafkaWriterOptions extends KafkaConnection {
  topic: string;
  compression?: Compression;
  /** Upper bound of messages per produce call; queued writes are grouped up to this many. */
  maxBatchMessages?: number;
  /** Idempotent producers (each with its own connections and one batch in flight); one write never spans two. */
  producers?: number;
  /** Retries inside kafkajs before a send fails (idempotence keeps retried batches from duplicating). */
  retries?: number;
  requestTimeoutMs?: number;
  connectionTimeoutMs?: number;
  /** Hard deadline for one produce call including retries; past it the callers are told their messages were not stored. */
  sendTimeoutMs?: number;
}

/** What the ingest path needs from a Kafka client; the seam that lets the client library be measured and swapped. */
export interface MessageWriter {
  /** Resolves once every message is acknowledged; rejects with a KafkaWriteError naming the messages not stored. */
  write(messages: OutgoingMessage[]): Promise<void>;
  /** False after a failed send until a later send succeeds. */
  readonly available: boolean;
  /** Sends what is queued, then disconnects; later writes fail with TORMENTA_KAFKA_WRITER_CLOSED. */
  close(): Promise<void>;
}

export const WRITER_DEFAULTS = {
  compression: 'gzip' as Compression,
  maxBatchMessages: 10_000,
  producers: 2,
  retries: 3,
  requestTimeoutMs: 10_000,
  connectionTimeoutMs: 1_000,
  sendTimeoutMs: 15_000,
};

interface Slot {
  queue: SendQueue;
  producer: Producer | undefined;
}

export class KafkajsWriter implements MessageWriter {
  readonly #kafka: KafkaClient;
  readonly #options: KafkaWriterOptions & typeof WRITER_DEFAULTS;
  readonly #slots: Slot[];
  #available = true;

  constructor(options: KafkaWriterOptions) {
    this.#options = { ...WRITER_DEFAULTS, ...options };
    this.#kafka = new Kafka({
      ...kafkajsConnection(options),
      logLevel: logLevel.NOTHING,
      connectionTimeout: this.#options.connectionTimeoutMs,
      requestTimeout: this.#options.requestTimeoutMs,
    });
    this.#slots = Array.from({ length: Math.max(1, this.#options.producers) }, () => {
      const slot = { producer: undefined } as Slot;
      slot.queue = new SendQueue({
        maxBatchMessages: this.#options.maxBatchMessages,
        send: (messages) => this.#send(slot, messages),
        failed: async (error) => {
          const code = classify(error);
          if (code === 'TORMENTA_KAFKA_UNAVAILABLE') this.#available = false;
          // A failed send may have been written without the answer reaching us; a fresh producer id keeps the next
          // batch's sequence numbers from being mistaken by the broker for a duplicate of that one (and silently dropped).
          await this.#discardProducer(slot);
          return code;
        },
      });
      return slot;
    });
  }

  get available(): boolean {
    return this.#available;
  }

  write(messages: OutgoingMessage[]): Promise<void> {
    let least = this.#slots[0] as Slot;
    for (const slot of this.#slots) if (slot.queue.pending < least.queue.pending) least = slot;
    return least.queue.write(messages);
  }

  async close(): Promise<void> {
    await Promise.all(this.#slots.map((slot) => slot.queue.close()));
    await Promise.all(this.#slots.map((slot) => this.#discardProducer(slot)));
  }

  async #send(slot: Slot, messages: OutgoingMessage[]): Promise<void> {
    const producer = await this.#connectedProducer(slot);
    await withDeadline(
      producer.send({
        topic: this.#options.topic,
        acks: -1,
        compression: this.#options.compression === 'gzip' ? CompressionTypes.GZIP : CompressionTypes.None,
        messages,
      }),
      this.#options.sendTimeoutMs,
    );
    this.#available = true;
  }

  async #connectedProducer(slot: Slot): Promise<Producer> {
    if (slot.producer) return slot.producer;
    const producer = this.#kafka.producer({
      idempotent: true,
      maxInFlightRequests: 1,
      allowAutoTopicCreation: false,
      createPartitioner: JavaCompatiblePartitioner,
      retry: { retries: this.#options.retries, initialRetryTime: 100, maxRetryTime: 1_000 },
    });
    try {
      await withDeadline(producer.connect(), this.#options.sendTimeoutMs);
    } catch (error) {
      await withDeadline(producer.disconnect(), 2_000).catch(() => undefined);
      throw error;
    }
    slot.producer = producer;
    return producer;
  }

  async #discardProducer(slot: Slot): Promise<void> {
    const producer = slot.producer;
    slot.producer = undefined;
    if (producer) await withDeadline(producer.disconnect(), 2_000).catch(() => undefined);
  }
}

class DeadlineExceeded extends Error {
  override name = 'DeadlineExceeded';
}

export async function withDeadline<T>(work: Promise<T>, ms: number): Promise<T> {
  const abort = new AbortController();
  try {
    return await Promise.race([
      work,
      sleep(ms, undefined, { signal: abort.signal }).then(() => {
        throw new DeadlineExceeded(`no answer from Kafka within ${ms} ms`);
      }),
    ]);
  } finally {
    abort.abort();
  }
}

const UNAVAILABLE_ERRORS = new Set([
  'DeadlineExceeded',
  'KafkaJSConnectionError',
  'KafkaJSRequestTimeoutError',
  'KafkaJSBrokerNotFound',
  'KafkaJSConnectionClosedError',
  'KafkaJSMetadataNotLoaded',
  'KafkaJSTopicMetadataNotLoaded',
  // @platformatic/kafka
  'NetworkError',
  'TimeoutError',
]);

/** Connection-level trouble (broker down, unreachable, slow) versus a write the broker refused. */
export function classify(error: unknown): KafkaErrorCode {
  for (let current = error, depth = 0; current instanceof Error && depth < 5; depth += 1) {
    if (UNAVAILABLE_ERRORS.has(current.name) || /^PLT_KFK_(NETWORK|TIMEOUT)$/.test(String((current as { code?: unknown }).code)))
      return 'TORMENTA_KAFKA_UNAVAILABLE';
    if (/ECONNREFUSED|ECONNRESET|EPIPE|Connection error|Closed connection/i.test(current.message)) {
      return 'TORMENTA_KAFKA_UNAVAILABLE';
    }
    const next =
      (current as Error & { originalError?: unknown }).originalError ??
      current.cause ??
      (current instanceof AggregateError ? (current.errors[0] as unknown) : undefined);
    current = next;
  }
  return 'TORMENTA_KAFKA_WRITE_FAILED';
}
