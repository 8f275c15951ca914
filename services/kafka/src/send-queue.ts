// Serialized sends shared by the writers: concurrent callers' messages queue up and go to Kafka one batch at a time, so
// an idempotent producer's sequence numbers never race, and while one batch is in flight the next one accumulates —
// the batching a busy ingest endpoint needs, since neither client lingers on its own.
import { KafkaWriteError } from './errors.ts';
import type { KafkaErrorCode } from './errors.ts';
import type { OutgoingMessage } from './writer.ts';

interface PendingWrite {
  messages: OutgoingMessage[];
  resolve: () => void;
  reject: (error: KafkaWriteError) => void;
}

export interface SendQueueOptions {
  maxBatchMessages: number;
  /** Sends one batch; resolves once every message in it is acknowledged. */
  send: (messages: OutgoingMessage[]) => Promise<void>;
  /** Names a failed send's error, after the writer has reset whatever the failure left behind. */
  failed: (error: unknown) => Promise<KafkaErrorCode>;
}

export class SendQueue {
  readonly #options: SendQueueOptions;
  readonly #queue: PendingWrite[] = [];
  #sending: Promise<void> | undefined;
  #pending = 0;
  #closed = false;

  constructor(options: SendQueueOptions) {
    this.#options = options;
  }

  /** Messages queued or in flight: what a pool of queues balances on. */
  get pending(): number {
    return this.#pending;
  }

  write(messages: OutgoingMessage[]): Promise<void> {
    if (this.#closed) {
      return Promise.reject(
        new KafkaWriteError('TORMENTA_KAFKA_WRITER_CLOSED', 'the Kafka writer is closed', indexes(messages.length)),
      );
    }
    if (messages.length === 0) return Promise.resolve();
    this.#pending += messages.length;
    return new Promise((resolve, reject) => {
      this.#queue.push({ messages, resolve, reject });
      this.#sending ??= this.#drain().finally(() => {
        this.#sending = undefined;
      });
    });
  }

  /** Refuses new writes and waits until what is queued has been sent or has failed. */
  async close(): Promise<void> {
    this.#closed = true;
    while (this.#sending) await this.#sending;
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
    try {
      await this.#sendOrReject(group);
    } finally {
      for (const pending of group) this.#pending -= pending.messages.length;
    }
  }

  async #sendOrReject(group: PendingWrite[]): Promise<void> {
    try {
      await this.#options.send(group.flatMap((pending) => pending.messages));
    } catch (error) {
      const code = await this.#options.failed(error);
      const reason = error instanceof Error ? error.message : String(error);
      for (const pending of group) {
        pending.reject(
          new KafkaWriteError(
            code,
            `Kafka did not acknowledge ${pending.messages.length} message(s): ${reason}`,
            indexes(pending.messages.length),
            { cause: error },
          ),
        );
      }
      return;
    }
    for (const pending of group) pending.resolve();
  }
}

export function indexes(count: number): number[] {
  return Array.from({ length: count }, (_, index) => index);
}
