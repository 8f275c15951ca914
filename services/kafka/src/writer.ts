// The Kafka writer: every message acknowledged by all in-sync replicas (acks=all) through an idempotent producer, or the
// caller learns which messages were not. kafkajs has no linger batching and its idempotent sequence numbers break under
// concurrent sends, so writes from concurrent callers are queued and sent one batch at a time: while one batch is in
// flight the next one accumulates, which is the batching a busy ingest endpoint needs.
import { setTimeout as sleep } from 'node:timers/promises';
import { CompressionTypes, Kafka, logLevel, Partitioners } from 'kafkajs';
import type { Producer } from 'kafkajs';
import { KafkaWriteError } from './errors.ts';
import type { KafkaErrorCode } from './errors.ts';

export interface OutgoingMessage {
  key: string | null;
  value: Buffer;
  headers?: Record<string, string>;
}

export type Compression = 'none' | 'gzip';

export interface KafkaWriterOptions {
  brokers: string[];
  clientId: string;
  topic: string;
  compression?: Compression;
  /** Upper bound of messages per produce call; queued writes are grouped up to this many. */
  maxBatchMessages?: number;
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
  retries: 3,
  requestTimeoutMs: 10_000,
  connectionTimeoutMs: 1_000,
  sendTimeoutMs: 15_000,
};

interface PendingWrite {
  messages: OutgoingMessage[];
  resolve: () => void;
  reject: (error: KafkaWriteError) => void;
}

export class KafkajsWriter implements MessageWriter {
  readonly #kafka: Kafka;
  readonly #options: Required<KafkaWriterOptions>;
  readonly #queue: PendingWrite[] = [];
  #producer: Producer | undefined;
  #sending: Promise<void> | undefined;
  #available = true;
  #closed = false;

  constructor(options: KafkaWriterOptions) {
    this.#options = { ...WRITER_DEFAULTS, ...options };
    this.#kafka = new Kafka({
      clientId: options.clientId,
      brokers: options.brokers,
      logLevel: logLevel.NOTHING,
      connectionTimeout: this.#options.connectionTimeoutMs,
      requestTimeout: this.#options.requestTimeoutMs,
    });
  }

  get available(): boolean {
    return this.#available;
  }

  write(messages: OutgoingMessage[]): Promise<void> {
    if (this.#closed) {
      return Promise.reject(
        new KafkaWriteError('TORMENTA_KAFKA_WRITER_CLOSED', 'the Kafka writer is closed', indexes(messages.length)),
      );
    }
    if (messages.length === 0) return Promise.resolve();
    return new Promise((resolve, reject) => {
      this.#queue.push({ messages, resolve, reject });
      this.#sending ??= this.#drain().finally(() => {
        this.#sending = undefined;
      });
    });
  }

  async close(): Promise<void> {
    this.#closed = true;
    while (this.#sending) await this.#sending;
    await this.#discardProducer();
  }

  async #drain(): Promise<void> {
    while (this.#queue.length > 0) {
      const group: PendingWrite[] = [];
      let count = 0;
      while (this.#queue.length > 0) {
        const next = this.#queue[0] as PendingWrite;
        if (group.length > 0 && count + next.messages.length > this.#options.maxBatchMessages) break;
        group.push(next);
        count += next.messages.length;
        this.#queue.shift();
      }
      await this.#sendGroup(group);
    }
  }

  async #sendGroup(group: PendingWrite[]): Promise<void> {
    const messages = group.flatMap((pending) => pending.messages);
    try {
      const producer = await this.#connectedProducer();
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
      for (const pending of group) pending.resolve();
    } catch (error) {
      const code = classify(error);
      if (code === 'TORMENTA_KAFKA_UNAVAILABLE') this.#available = false;
      // A failed send may have been written without the answer reaching us; a fresh producer id keeps the next batch's
      // sequence numbers from being mistaken by the broker for a duplicate of that one (and silently dropped).
      await this.#discardProducer();
      const reason = error instanceof Error ? error.message : String(error);
      for (const pending of group) {
        pending.reject(
          new KafkaWriteError(code, `Kafka did not acknowledge ${pending.messages.length} message(s): ${reason}`,
            indexes(pending.messages.length), { cause: error }),
        );
      }
    }
  }

  async #connectedProducer(): Promise<Producer> {
    if (this.#producer) return this.#producer;
    const producer = this.#kafka.producer({
      idempotent: true,
      maxInFlightRequests: 1,
      allowAutoTopicCreation: false,
      createPartitioner: Partitioners.DefaultPartitioner,
      retry: { retries: this.#options.retries, initialRetryTime: 100, maxRetryTime: 1_000 },
    });
    await withDeadline(producer.connect(), this.#options.sendTimeoutMs);
    this.#producer = producer;
    return producer;
  }

  async #discardProducer(): Promise<void> {
    const producer = this.#producer;
    this.#producer = undefined;
    if (producer) await Promise.race([producer.disconnect().catch(() => undefined), sleep(2_000)]);
  }
}

function indexes(count: number): number[] {
  return Array.from({ length: count }, (_, index) => index);
}

class DeadlineExceeded extends Error {
  override name = 'DeadlineExceeded';
}

async function withDeadline<T>(work: Promise<T>, ms: number): Promise<T> {
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
]);

/** Connection-level trouble (broker down, unreachable, slow) versus a write the broker refused. */
export function classify(error: unknown): KafkaErrorCode {
  for (let current = error, depth = 0; current instanceof Error && depth < 5; depth += 1) {
    if (UNAVAILABLE_ERRORS.has(current.name)) return 'TORMENTA_KAFKA_UNAVAILABLE';
    if (/ECONNREFUSED|ECONNRESET|EPIPE|Connection error|Closed connection/i.test(current.message)) {
      return 'TORMENTA_KAFKA_UNAVAILABLE';
    }
    const next = (current as Error & { originalError?: unknown }).originalError ?? current.cause;
    current = next;
  }
  return 'TORMENTA_KAFKA_WRITE_FAILED';
}
