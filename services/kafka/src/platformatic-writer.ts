// The same MessageWriter on @platformatic/kafka instead of kafkajs, so the client library can be measured on the same
// ingest path (ARCHITECTURE §4). Same guarantees: acks=all, an idempotent producer, sends serialized by a SendQueue, a
// fresh producer after any failure, and the callers told which messages were not stored. @platformatic/kafka is a
// devDependency: this file is imported by path (the benchmark), not through the package index, until it is adopted.
import { Producer } from '@platformatic/kafka';
import type { CompressionAlgorithmValue } from '@platformatic/kafka';
import type { KafkaConnection } from './connection.ts';
import { platformaticJavaCompatiblePartitioner } from './partitioner.ts';
import { SendQueue } from './send-queue.ts';
import { WRITER_DEFAULTS, classify, withDeadline } from './writer.ts';
import type { KafkaWriterOptions, MessageWriter, OutgoingMessage } from './writer.ts';

type PlatformaticProducer = Producer<Buffer, Buffer, Buffer, Buffer>;

export interface PlatformaticWriterOptions extends Omit<KafkaWriterOptions, 'compression'> {
  compression?: CompressionAlgorithmValue;
}

function connectionOptions(connection: KafkaConnection): Record<string, unknown> {
  const options: Record<string, unknown> = { clientId: connection.clientId, bootstrapBrokers: connection.brokers };
  if (connection.sasl) {
    const mechanism = connection.sasl.mechanism === 'plain' ? 'PLAIN' : connection.sasl.mechanism.toUpperCase();
    options.sasl = { mechanism, username: connection.sasl.username, password: connection.sasl.password };
  }
  if (connection.ssl) options.tls = {};
  return options;
}

export class PlatformaticWriter implements MessageWriter {
  readonly #options: PlatformaticWriterOptions &
    Omit<typeof WRITER_DEFAULTS, 'compression'> & { compression: CompressionAlgorithmValue };
  readonly #queue: SendQueue;
  #producer: PlatformaticProducer | undefined;
  #available = true;

  constructor(options: PlatformaticWriterOptions) {
    this.#options = { ...WRITER_DEFAULTS, compression: 'none', ...options };
    this.#queue = new SendQueue({
      maxBatchMessages: this.#options.maxBatchMessages,
      send: (messages) => this.#send(messages),
      failed: async (error) => {
        const code = classify(error);
        if (code === 'TORMENTA_KAFKA_UNAVAILABLE') this.#available = false;
        await this.#discardProducer();
        return code;
      },
    });
  }

  get available(): boolean {
    return this.#available;
  }

  write(messages: OutgoingMessage[]): Promise<void> {
    return this.#queue.write(messages);
  }

  async close(): Promise<void> {
    await this.#queue.close();
    await this.#discardProducer();
  }

  async #send(messages: OutgoingMessage[]): Promise<void> {
    this.#producer ??= new Producer<Buffer, Buffer, Buffer, Buffer>({
      ...(connectionOptions(this.#options) as { clientId: string; bootstrapBrokers: string[] }),
      idempotent: true,
      acks: -1,
      compression: this.#options.compression,
      autocreateTopics: false,
      partitioner: platformaticJavaCompatiblePartitioner(),
      retries: this.#options.retries,
      timeout: this.#options.requestTimeoutMs,
    });
    const topic = this.#options.topic;
    await withDeadline(
      this.#producer.send({
        messages: messages.map((message) => ({
          topic,
          key: message.key === null ? undefined : Buffer.from(message.key),
          value: typeof message.value === 'string' ? Buffer.from(message.value) : message.value,
          headers: message.headers
            ? new Map(Object.entries(message.headers).map(([name, value]) => [Buffer.from(name), Buffer.from(value)]))
            : undefined,
        })),
      }),
      this.#options.sendTimeoutMs,
    );
    this.#available = true;
  }

  async #discardProducer(): Promise<void> {
    const producer = this.#producer;
    this.#producer = undefined;
    if (producer) await new Promise<void>((resolve) => producer.close(true, () => resolve()));
  }
}
