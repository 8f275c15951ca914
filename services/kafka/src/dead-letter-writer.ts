// The dead-letter writer, the consumer's only produce path, and the test of whether a failed send can ever succeed.
import { kafkajs } from './kafkajs-patch.ts';
import type { Producer } from 'kafkajs';
import { kafkajsConnection } from './connection.ts';
import type { KafkaConnection } from './connection.ts';

const { Kafka, logLevel } = kafkajs;

export interface DeadLetterRecord {
  key: Buffer | null;
  value: Buffer | null;
  headers: Record<string, string>;
}

/** Writes dead letters, acknowledged by all in-sync replicas. The topic is created beforehand (ensureTopic). */
export class DeadLetterWriter {
  readonly #producer: Producer;
  readonly #topic: string;

  constructor(options: KafkaConnection & { topic: string }) {
    const kafka = new Kafka({ ...kafkajsConnection(options), logLevel: logLevel.WARN });
    this.#producer = kafka.producer({ allowAutoTopicCreation: false });
    this.#topic = options.topic;
  }

  async connect(): Promise<void> {
    await this.#producer.connect();
  }

  async write(records: readonly DeadLetterRecord[]): Promise<void> {
    if (records.length === 0) return;
    await this.#producer.send({ topic: this.#topic, acks: -1, messages: records.map((record) => ({ ...record })) });
  }

  async disconnect(): Promise<void> {
    await this.#producer.disconnect();
  }
}

/**
 * True when a kafkajs error (or one it wraps) is a broker's answer that retrying cannot change, e.g. MESSAGE_TOO_LARGE
 * or TOPIC_AUTHORIZATION_FAILED. Connection errors, timeouts and exhausted retries are transient: false.
 */
export function isPermanentKafkaError(error: unknown): boolean {
  let current: unknown = error;
  for (let depth = 0; depth < 5 && typeof current === 'object' && current !== null; depth += 1) {
    const candidate = current as { name?: unknown; retriable?: unknown; cause?: unknown; originalError?: unknown };
    if (candidate.name === 'KafkaJSProtocolError') return candidate.retriable === false;
    current = candidate.cause ?? candidate.originalError;
  }
  return false;
}
