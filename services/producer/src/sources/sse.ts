// sse: a Server-Sent Events stream (e.g. Wikimedia EventStreams), read with EventSource; each event's data gives the
// records at `recordsPath`. The checkpoint is the id of the last event whose records Kafka acknowledged, and every
// connection asks the server to resume after it (Last-Event-ID), so a reconnect or a new leader neither skips nor, as
// far as the server keeps ids, re-reads. One replica reads behind the Lease; the others stand by.
import type { EventSource as EventSourceClass, FetchLike } from 'eventsource';
import { z } from 'zod';
import type { Deliver, SourceDefinition, StreamingSource } from './source.ts';
import { keepConnected, messageRecords, openConnection, streamingSettings, withReconnectRule } from './streaming.ts';
import type { ConnectionEnd } from './streaming.ts';
import { DEFAULT_MAX_PENDING_RECORDS } from './websocket.ts';

const eventType = z
  .string()
  .min(1)
  .refine((type) => type !== 'open' && type !== 'error', "open and error are the connection's own events, not data");

export const sseConfigSchema = withReconnectRule(
  z.strictObject({
    url: z.url({ protocol: /^https?$/, error: 'must be an http:// or https:// URL' }),
    /** The event types read (the `event:` field; "message" when it is absent); events of other types are skipped. */
    events: z.array(eventType).min(1).default(['message']),
    /** Request headers such as a User-Agent; the stream file is a ConfigMap, so never a secret. */
    headers: z.record(z.string(), z.string()).default({}),
    /** Reconnects when no bytes (events or comments) arrived for this long; 0 = never. */
    idleTimeoutMs: z.coerce.number().int().min(0).default(0),
    /** Records received and not yet stored at which reading pauses, until half of them are stored. */
    maxPendingRecords: z.coerce.number().int().min(1).default(DEFAULT_MAX_PENDING_RECORDS),
    ...streamingSettings,
  }),
);
export type SseConfig = z.infer<typeof sseConfigSchema>;

/** The request headers of a connection that resumes after `lastStoredId` (EventSource sends its own id on its retries). */
export function requestHeaders(
  configured: Record<string, string>,
  eventSourceHeaders: Record<string, string>,
  lastStoredId: string | undefined,
): Record<string, string> {
  const headers = { ...configured, ...eventSourceHeaders };
  if (lastStoredId !== undefined && headers['Last-Event-ID'] === undefined) headers['Last-Event-ID'] = lastStoredId;
  return headers;
}

/** Lets reading be paused (backpressure) and notices bytes arriving (idle detection) below EventSource's parser. */
class ReadGate {
  #paused: PromiseWithResolvers<void> | undefined;
  readonly #onBytes: () => void;

  constructor(onBytes: () => void) {
    this.#onBytes = onBytes;
  }

  get paused(): boolean {
    return this.#paused !== undefined;
  }

  pause(): void {
    this.#paused ??= Promise.withResolvers();
  }

  resume(): void {
    this.#paused?.resolve();
    this.#paused = undefined;
  }

  wrap(body: ReadableStream<Uint8Array>): ReadableStream<Uint8Array> {
    const reader = body.getReader();
    return new ReadableStream<Uint8Array>(
      {
        pull: async (controller) => {
          if (this.#paused) await this.#paused.promise;
          const { done, value } = await reader.read();
          if (done) {
            controller.close();
            return;
          }
          this.#onBytes();
          controller.enqueue(value);
        },
        cancel: (reason) => reader.cancel(reason),
      },
      { highWaterMark: 0 },
    );
  }
}

async function readConnection(
  EventSource: typeof EventSourceClass,
  config: SseConfig,
  deliver: Deliver,
  lastStoredId: string | undefined,
  signal: AbortSignal,
): Promise<ConnectionEnd> {
  const { batcher, ended, finish, delivered } = openConnection(config, deliver, signal);
  let idle: NodeJS.Timeout | undefined;
  const watchIdle = (): void => {
    if (config.idleTimeoutMs === 0) return;
    clearTimeout(idle);
    idle = setTimeout(() => finish(`nothing received for ${config.idleTimeoutMs} ms`), config.idleTimeoutMs);
  };
  const gate = new ReadGate(watchIdle);
  const resumeIfDrained = (): void => {
    if (gate.paused && batcher.pending <= config.maxPendingRecords / 2) gate.resume();
  };
  const gatedFetch: FetchLike = async (url, init) => {
    const response = await fetch(url, { ...init, headers: requestHeaders(config.headers, init.headers, lastStoredId) });
    if (response.body === null) return response;
    return {
      body: gate.wrap(response.body),
      url: response.url,
      status: response.status,
      redirected: response.redirected,
      headers: response.headers,
    };
  };
  const source = new EventSource(config.url, { fetch: gatedFetch });
  const onEvent = (event: MessageEvent): void => {
    batcher.add({
      records: messageRecords(String(event.data), config.recordsPath),
      ...(event.lastEventId === '' ? {} : { checkpoint: event.lastEventId }),
      onStored: resumeIfDrained,
    });
    if (batcher.pending >= config.maxPendingRecords) gate.pause();
  };
  for (const type of config.events) source.addEventListener(type, onEvent);
  source.addEventListener('open', watchIdle);
  // EventSource would retry on its own with the last id it saw; this source retries itself, from the last id stored.
  source.addEventListener('error', (event) => finish(event.message ?? 'connection failed'));

  const reason = await ended;
  clearTimeout(idle);
  for (const type of config.events) source.removeEventListener(type, onEvent);
  source.close();
  gate.resume();
  await batcher.drain().catch(() => undefined);
  batcher.discard();
  return { delivered: delivered(), reason };
}

export async function createSse(config: SseConfig): Promise<StreamingSource> {
  const { EventSource } = await import('eventsource');
  return {
    kind: 'streaming',
    name: 'sse',
    run: async (deliver, checkpoint, signal, log = () => undefined) => {
      let lastStoredId = checkpoint;
      const deliverAndRemember: Deliver = async (batch) => {
        await deliver(batch);
        if (batch.checkpoint !== undefined) lastStoredId = batch.checkpoint;
      };
      await keepConnected({
        name: 'sse',
        signal,
        log,
        reconnectBaseMs: config.reconnectBaseMs,
        reconnectMaxMs: config.reconnectMaxMs,
        connect: () => readConnection(EventSource, config, deliverAndRemember, lastStoredId, signal),
      });
    },
  };
}

export const sseSource: SourceDefinition<SseConfig> = {
  kind: 'sse',
  description:
    'A Server-Sent Events stream (e.g. Wikimedia EventStreams), optionally only some event types; resumes with Last-Event-ID from the last event Kafka acknowledged.',
  replication: 'leader',
  configSchema: sseConfigSchema,
  create: createSse,
};
