// websocket: one client connection to a feed (a ticker, a sensor hub), with an optional subscribe message sent after each
// connect; each message gives the records at `recordsPath`. A websocket feed keeps no position to resume from, so one
// replica reads behind the Lease and the others stand by; what the feed sends while nobody is connected is not seen.
import type { RawData, WebSocket } from 'ws';
import { z } from 'zod';
import type { Deliver, SourceDefinition, StreamingSource } from './source.ts';
import { keepConnected, messageRecords, openConnection, streamingSettings, withReconnectRule } from './streaming.ts';
import type { ConnectionEnd } from './streaming.ts';

export const DEFAULT_MAX_PENDING_RECORDS = 10_000;

export const websocketConfigSchema = withReconnectRule(
  z.strictObject({
    url: z.url({ protocol: /^wss?$/, error: 'must be a ws:// or wss:// URL' }),
    /** Sent after each connect: a string as it is, an object or array as JSON. */
    subscribe: z.union([z.string().min(1), z.record(z.string(), z.unknown()), z.array(z.unknown())]).optional(),
    /** Handshake headers such as a User-Agent; the stream file is a ConfigMap, so never a secret. */
    headers: z.record(z.string(), z.string()).default({}),
    handshakeTimeoutMs: z.coerce.number().int().min(100).default(10_000),
    /** Reconnects when nothing arrived for this long (a connection that died silently); 0 = never. */
    idleTimeoutMs: z.coerce.number().int().min(0).default(0),
    /** Records received and not yet stored at which reading pauses, until half of them are stored. */
    maxPendingRecords: z.coerce.number().int().min(1).default(DEFAULT_MAX_PENDING_RECORDS),
    ...streamingSettings,
  }),
);
export type WebsocketConfig = z.infer<typeof websocketConfigSchema>;

export function subscribeMessage(subscribe: WebsocketConfig['subscribe']): string | undefined {
  return subscribe === undefined || typeof subscribe === 'string' ? subscribe : JSON.stringify(subscribe);
}

function payloadOf(data: RawData): Buffer {
  if (Buffer.isBuffer(data)) return data;
  return Array.isArray(data) ? Buffer.concat(data) : Buffer.from(data);
}

/** One connection, until it closes, fails, goes idle, a delivery fails or `signal` aborts. */
async function readConnection(
  socket: WebSocket,
  config: WebsocketConfig,
  deliver: Deliver,
  signal: AbortSignal,
): Promise<ConnectionEnd> {
  const { batcher, ended, finish, delivered } = openConnection(config, deliver, signal);
  const resumeIfDrained = (): void => {
    if (socket.isPaused && batcher.pending <= config.maxPendingRecords / 2) socket.resume();
  };
  let idle: NodeJS.Timeout | undefined;
  const watchIdle = (): void => {
    if (config.idleTimeoutMs === 0) return;
    clearTimeout(idle);
    idle = setTimeout(() => finish(`nothing received for ${config.idleTimeoutMs} ms`), config.idleTimeoutMs);
  };
  const onMessage = (data: RawData): void => {
    watchIdle();
    batcher.add({ records: messageRecords(payloadOf(data), config.recordsPath), onStored: resumeIfDrained });
    if (batcher.pending >= config.maxPendingRecords) socket.pause();
  };
  socket.on('open', () => {
    watchIdle();
    const message = subscribeMessage(config.subscribe);
    if (message !== undefined) socket.send(message);
  });
  socket.on('message', onMessage);
  socket.on('error', (error) => finish(error.message));
  socket.on('close', (code, reason) => finish(`connection closed (${code}${reason.length > 0 ? ` ${reason.toString()}` : ''})`));

  const reason = await ended;
  clearTimeout(idle);
  socket.off('message', onMessage);
  if (socket.readyState === socket.OPEN) socket.close(1000);
  else socket.terminate();
  // What was received is stored before the next connection (on shutdown it gets one attempt); nothing replays it.
  await batcher.drain().catch(() => undefined);
  batcher.discard();
  return { delivered: delivered(), reason };
}

export async function createWebsocket(config: WebsocketConfig): Promise<StreamingSource> {
  const { WebSocket } = await import('ws');
  return {
    kind: 'streaming',
    name: 'websocket',
    run: (deliver, _checkpoint, signal, log = () => undefined) =>
      keepConnected({
        name: 'websocket',
        signal,
        log,
        reconnectBaseMs: config.reconnectBaseMs,
        reconnectMaxMs: config.reconnectMaxMs,
        connect: () =>
          readConnection(
            new WebSocket(config.url, { headers: config.headers, handshakeTimeout: config.handshakeTimeoutMs }),
            config,
            deliver,
            signal,
          ),
      }),
  };
}

export const websocketSource: SourceDefinition<WebsocketConfig> = {
  kind: 'websocket',
  description:
    'A websocket feed (e.g. a live ticker): an optional subscribe message after each connect, records at a dot path of each message; reconnects with jittered backoff.',
  replication: 'leader',
  configSchema: websocketConfigSchema,
  create: createWebsocket,
};
