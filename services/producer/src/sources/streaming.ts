// What the streaming sources (websocket, sse, mqtt) share: their common settings, a message turned into records,
// messages that arrive together batched into one delivery at a time in arrival order, and one connection after another
// with a jittered backoff between them.
import { setTimeout as sleep } from 'node:timers/promises';
import { z } from 'zod';
import { pickRecords } from './http-poll.ts';
import type { PullBatch } from './source.ts';

export const RECONNECT_BASE_MS = 500;
export const RECONNECT_MAX_MS = 30_000;
export const MAX_BATCH_RECORDS = 1_000;
export const MAX_BATCH_WAIT_MS = 50;

/** The settings every streaming source has, spread into its schema (and checked together by `withReconnectRule`). */
export const streamingSettings = {
  /** Where a JSON message keeps its records, e.g. "data.items"; empty = the whole message. */
  recordsPath: z.string().default(''),
  reconnectBaseMs: z.coerce.number().int().min(10).default(RECONNECT_BASE_MS),
  reconnectMaxMs: z.coerce.number().int().min(10).default(RECONNECT_MAX_MS),
  maxBatchRecords: z.coerce.number().int().min(1).max(100_000).default(MAX_BATCH_RECORDS),
  maxBatchWaitMs: z.coerce.number().int().min(0).max(60_000).default(MAX_BATCH_WAIT_MS),
};

export function withReconnectRule<Schema extends z.ZodType<{ reconnectBaseMs: number; reconnectMaxMs: number }>>(
  schema: Schema,
): Schema {
  return schema.refine((config) => config.reconnectMaxMs >= config.reconnectBaseMs, {
    message: 'must not be below reconnectBaseMs',
    path: ['reconnectMaxMs'],
  });
}

/**
 * A JSON message gives the records at `recordsPath` (an array, or one object taken as one record); any other message
 * is one text record. Blank messages (keep-alives) give none.
 */
export function messageRecords(payload: string | Buffer, recordsPath: string): unknown[] {
  const text = typeof payload === 'string' ? payload : payload.toString('utf8');
  if (text.trim() === '') return [];
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    return [text];
  }
  return pickRecords(parsed, recordsPath);
}

/** Base × 2^attempt capped, with the upper half jittered so replicas that lost one server do not return in step. */
export function reconnectDelayMs(attempt: number, baseMs: number, capMs: number, random: () => number = Math.random): number {
  const ceiling = Math.min(capMs, baseMs * 2 ** Math.min(attempt, 20));
  return Math.round(ceiling / 2 + (random() * ceiling) / 2);
}

/** One received message: its records, and what to do once Kafka acknowledged them (an MQTT PUBACK, a resume id). */
export interface Received {
  records: unknown[];
  checkpoint?: string;
  onStored?: () => void;
}

export interface BatcherOptions {
  /** Records per delivery at most (a message is never split). */
  maxRecords: number;
  /** How long the first message of a batch waits for others to arrive while nothing is being delivered. */
  maxWaitMs: number;
  deliver: (batch: PullBatch) => Promise<void>;
  /** A delivery failed: everything buffered is dropped unacknowledged and the batcher takes nothing more. */
  onFailure: (error: unknown) => void;
}

/**
 * Delivers batches one at a time, in arrival order; what arrives while a batch is in flight forms the next one. After a
 * delivery resolved, each message's `onStored` runs in order. One batcher serves one connection.
 */
export class SerialBatcher {
  readonly #options: BatcherOptions;
  #buffer: Received[] = [];
  #bufferedRecords = 0;
  #inflightRecords = 0;
  #timer: NodeJS.Timeout | undefined;
  #sending = false;
  #failure: { error: unknown } | undefined;
  #idle: { resolve: () => void; reject: (error: unknown) => void }[] = [];

  constructor(options: BatcherOptions) {
    this.#options = options;
  }

  /** Records received and not yet acknowledged by Kafka. */
  get pending(): number {
    return this.#bufferedRecords + this.#inflightRecords;
  }

  get failed(): boolean {
    return this.#failure !== undefined;
  }

  add(received: Received): void {
    if (this.#failure) return;
    this.#buffer.push(received);
    this.#bufferedRecords += received.records.length;
    if (this.#sending) return;
    if (this.#bufferedRecords >= this.#options.maxRecords) this.#send();
    else this.#timer ??= setTimeout(() => this.#send(), this.#options.maxWaitMs);
  }

  /** Delivers what is buffered now and resolves once all of it is stored; rejects with the failure if one happened. */
  drain(): Promise<void> {
    if (this.#failure) return Promise.reject(this.#failure.error);
    if (!this.#sending && this.#buffer.length === 0) return Promise.resolve();
    const idle = new Promise<void>((resolve, reject) => this.#idle.push({ resolve, reject }));
    this.#send();
    return idle;
  }

  #send(): void {
    clearTimeout(this.#timer);
    this.#timer = undefined;
    if (this.#sending || this.#failure) return;
    if (this.#buffer.length === 0) {
      for (const waiter of this.#idle.splice(0)) waiter.resolve();
      return;
    }
    const taken: Received[] = [];
    let records = 0;
    while (
      this.#buffer.length > 0 &&
      (taken.length === 0 || records + this.#buffer[0]!.records.length <= this.#options.maxRecords)
    ) {
      const next = this.#buffer.shift()!;
      taken.push(next);
      records += next.records.length;
    }
    this.#bufferedRecords -= records;
    this.#inflightRecords = records;
    this.#sending = true;
    const checkpoint = taken.findLast((received) => received.checkpoint !== undefined)?.checkpoint;
    const batch: PullBatch = { items: taken.flatMap((received) => received.records) };
    if (checkpoint !== undefined) batch.checkpoint = checkpoint;
    // A message without records (e.g. an SSE comment-only event with an id) still moves the checkpoint and is acked.
    const delivery = batch.items.length > 0 || checkpoint !== undefined ? this.#options.deliver(batch) : Promise.resolve();
    delivery.then(
      () => {
        this.#sending = false;
        this.#inflightRecords = 0;
        for (const received of taken) received.onStored?.();
        this.#send();
      },
      (error: unknown) => {
        this.#sending = false;
        this.#inflightRecords = 0;
        this.#failure = { error };
        this.#buffer = [];
        this.#bufferedRecords = 0;
        for (const waiter of this.#idle.splice(0)) waiter.reject(error);
        this.#options.onFailure(error);
      },
    );
  }

  /** Stops the timer; what is buffered stays unacknowledged. */
  discard(): void {
    clearTimeout(this.#timer);
    this.#timer = undefined;
    this.#failure ??= { error: new Error('discarded') };
    this.#buffer = [];
    this.#bufferedRecords = 0;
    for (const waiter of this.#idle.splice(0)) waiter.reject(this.#failure.error);
  }
}

/** How one connection ended. */
/**
 * What one connection of a streaming source starts with: its batcher, and the end of the connection — `finish(reason)`
 * ends it (the first reason wins), a failed delivery or `signal` aborting ends it too; `delivered()` says whether
 * anything was stored.
 */
export function openConnection(
  config: { maxBatchRecords: number; maxBatchWaitMs: number },
  deliver: (batch: PullBatch) => Promise<void>,
  signal: AbortSignal,
): { batcher: SerialBatcher; ended: Promise<string>; finish: (reason: string) => void; delivered: () => boolean } {
  let delivered = false;
  let finish!: (reason: string) => void;
  const stop = (): void => finish('stopped');
  const ended = new Promise<string>((resolve) => (finish = resolve)).then((reason) => {
    signal.removeEventListener('abort', stop);
    return reason;
  });
  signal.addEventListener('abort', stop, { once: true });
  if (signal.aborted) stop();
  const batcher = new SerialBatcher({
    maxRecords: config.maxBatchRecords,
    maxWaitMs: config.maxBatchWaitMs,
    deliver: async (batch) => {
      await deliver(batch);
      delivered = true;
    },
    onFailure: (error) => finish(`delivery failed: ${(error as Error).message}`),
  });
  return { batcher, ended, finish, delivered: () => delivered };
}

export interface ConnectionEnd {
  /** Whether it delivered anything (then the backoff starts over). */
  delivered: boolean;
  reason: string;
}

export interface KeepConnectedOptions {
  name: string;
  signal: AbortSignal;
  log: (message: string) => void;
  reconnectBaseMs: number;
  reconnectMaxMs: number;
  /** Runs one connection until it ends or `signal` aborts; throws only what no reconnect can fix. */
  connect: () => Promise<ConnectionEnd>;
}

/**
 * One connection after another until `signal` aborts. The backoff grows over connections that ended without delivering
 * and starts over after one that delivered or lasted longer than the backoff's cap (a quiet feed is not a failing one).
 */
export async function keepConnected(options: KeepConnectedOptions): Promise<void> {
  const { signal } = options;
  let attempt = 0;
  while (!signal.aborted) {
    const started = Date.now();
    const end = await options.connect();
    if (signal.aborted) return;
    attempt = end.delivered || Date.now() - started >= options.reconnectMaxMs ? 0 : attempt + 1;
    const delay = reconnectDelayMs(attempt, options.reconnectBaseMs, options.reconnectMaxMs);
    options.log(`${options.name}: ${end.reason}; reconnecting in ${delay} ms`);
    await sleep(delay, undefined, { signal }).catch(() => undefined);
  }
}
