// mqtt: an MQTT 5 subscription (e.g. phones publishing their positions). Every replica subscribes to
// $share/<sharedGroup>/<topic> and the broker splits the feed between them, so replicas add capacity. Messages arrive at QoS 1
// and each is acknowledged (PUBACK) only after Kafka acknowledged its records; the session outlives a connection
// (clean start off, a session expiry), so what was not acknowledged is sent again when the client reconnects.
import { readFileSync } from 'node:fs';
import { hostname } from 'node:os';
import { setTimeout as sleep } from 'node:timers/promises';
import type { IClientOptions, IPublishPacket, MqttClient } from 'mqtt';
import { z } from 'zod';
import { ConfigError } from '../errors.ts';
import type { Deliver, SourceDefinition, StreamingSource } from './source.ts';
import { keepConnected, messageRecords, openConnection, streamingSettings, withReconnectRule } from './streaming.ts';
import type { ConnectionEnd } from './streaming.ts';

export const DEFAULT_SESSION_EXPIRY_SECONDS = 3_600;
/** MQTT 5 Receive Maximum: QoS 1 messages the broker sends before it waits for PUBACKs. */
export const DEFAULT_MAX_INFLIGHT = 1_000;
/** How long a stopping client waits for the broker to confirm it left a shared group. */
const UNSUBSCRIBE_TIMEOUT_MS = 5_000;

/** Why `filter` is not an MQTT topic filter this source can subscribe to, or undefined when it is one. */
export function topicFilterProblem(filter: string): string | undefined {
  if (filter.startsWith('$share/')) return 'a shared subscription is asked for with sharedGroup, not in the topic';
  if (filter.includes('\u0000')) return 'must not contain a NUL character';
  if (Buffer.byteLength(filter) > 65_535) return 'must be at most 65535 bytes';
  const levels = filter.split('/');
  for (const [index, level] of levels.entries()) {
    if (level.includes('#') && (level !== '#' || index !== levels.length - 1)) return '"#" must be a whole level, and the last';
    if (level.includes('+') && level !== '+') return '"+" must be a whole level';
  }
  return undefined;
}

/** The filter subscribed to: replicas share the feed as one group. */
export function subscriptionFilter(topic: string, sharedGroup: string): string {
  return `$share/${sharedGroup}/${topic}`;
}

export const mqttConfigSchema = withReconnectRule(
  z.strictObject({
    url: z.url({ protocol: /^(mqtts?|wss?)$/, error: 'must be an mqtt://, mqtts://, ws:// or wss:// URL' }),
    /** A topic filter, e.g. "phones/+/position". */
    topic: z
      .string()
      .min(1)
      .superRefine((filter, context) => {
        const problem = topicFilterProblem(filter);
        if (problem !== undefined) context.addIssue({ code: 'custom', message: problem });
      }),
    /**
     * The replicas of this stream split its messages as one shared-subscription group; required because every replica
     * subscribes (a plain subscription would store each message once per replica). One group per stream.
     */
    sharedGroup: z.string().regex(/^[^/+#\s]+$/, 'must not be empty or contain "/", "+", "#" or spaces'),
    /** Unique per replica: a second connection with the same id takes the session over. */
    clientId: z.string().min(1).max(256).default(`tormenta-${hostname()}-${process.pid}`),
    /** How long the broker keeps the session (its subscription and unacknowledged messages) after a disconnect. */
    sessionExpirySeconds: z.coerce.number().int().min(1).max(4_294_967_295).default(DEFAULT_SESSION_EXPIRY_SECONDS),
    maxInflight: z.coerce.number().int().min(1).max(65_535).default(DEFAULT_MAX_INFLIGHT),
    keepaliveSeconds: z.coerce.number().int().min(0).max(65_535).default(30),
    connectTimeoutMs: z.coerce.number().int().min(100).default(10_000),
    /** Files holding the credentials (a mounted Secret); the stream file is a ConfigMap, so they are never inline. */
    usernameFile: z.string().min(1).optional(),
    passwordFile: z.string().min(1).optional(),
    ...streamingSettings,
  }),
);
export type MqttConfig = z.infer<typeof mqttConfigSchema>;

export function readSecretFile(field: string, file: string | undefined): string | undefined {
  if (file === undefined) return undefined;
  try {
    // A file written by hand often ends with a newline that is not part of the secret.
    return readFileSync(file, 'utf8').replace(/\r?\n$/, '');
  } catch (error) {
    throw new ConfigError(`mqtt source: ${field} ${file} cannot be read: ${(error as Error).message}`);
  }
}

/**
 * mqtt.js sends a QoS 1 PUBACK once `handleMessage` calls back, and reads the next packet only then. Calling back with
 * this error skips its PUBACK and moves on, so messages keep arriving while earlier ones wait for Kafka; the PUBACK is
 * sent later, in arrival order, by `acknowledge`.
 */
const ACKNOWLEDGED_LATER = new Error('acknowledged once Kafka stored its records');

/** mqtt.js 5.16 has no public call to send a PUBACK on its own; `_sendPacket` is what its handler uses. */
function acknowledge(client: MqttClient, messageId: number): void {
  if (!client.connected) return; // the broker sends it again on the next connection
  (client as unknown as { _sendPacket(packet: { cmd: 'puback'; messageId: number; reasonCode: number }): void })._sendPacket({
    cmd: 'puback',
    messageId,
    reasonCode: 0,
  });
}

async function readConnection(
  client: MqttClient,
  config: MqttConfig,
  deliver: Deliver,
  signal: AbortSignal,
): Promise<ConnectionEnd> {
  let taking = true;
  const { batcher, ended, finish, delivered } = openConnection(config, deliver, signal);
  const filter = subscriptionFilter(config.topic, config.sharedGroup);
  client.handleMessage = (packet: IPublishPacket, callback) => {
    if (!taking || batcher.failed) {
      callback(packet.qos === 0 ? undefined : ACKNOWLEDGED_LATER);
      return;
    }
    const records = messageRecords(packet.payload, config.recordsPath);
    if (packet.qos === 0 || packet.messageId === undefined) {
      batcher.add({ records });
      callback();
      return;
    }
    const messageId = packet.messageId;
    batcher.add({ records, onStored: () => acknowledge(client, messageId) });
    callback(ACKNOWLEDGED_LATER);
  };
  client.on('connect', () => {
    client.subscribe(filter, { qos: 1 }, (error) => {
      if (error) finish(`subscribing to ${filter} failed: ${error.message}`);
    });
  });
  client.on('error', (error) => finish(error.message));
  client.on('close', () => finish('connection closed'));

  const reason = await ended;
  if (signal.aborted && client.connected && !batcher.failed) {
    // A replica leaving the group hands its share to the others (a scale-down may never bring it back): once the broker
    // confirmed, every message it sent is here, is stored and acknowledged below, and nothing waits in this session.
    await Promise.race([client.unsubscribeAsync(filter), sleep(UNSUBSCRIBE_TIMEOUT_MS, undefined, { ref: false })]).catch(
      () => undefined,
    );
    taking = false;
    await batcher.drain().catch(() => undefined);
  } else {
    // Unacknowledged messages come again on the next connection; storing them now would only store them twice.
    taking = false;
  }
  batcher.discard();
  await client.endAsync(!client.connected).catch(() => undefined);
  return { delivered: delivered(), reason };
}

export async function createMqtt(config: MqttConfig): Promise<StreamingSource> {
  const username = readSecretFile('usernameFile', config.usernameFile);
  const password = readSecretFile('passwordFile', config.passwordFile);
  const { connect } = await import('mqtt');
  const options: IClientOptions = {
    protocolVersion: 5,
    clientId: config.clientId,
    clean: false,
    // Reconnects are this source's (a fresh client per connection, with jittered backoff); so are subscriptions.
    reconnectPeriod: 0,
    resubscribe: false,
    connectTimeout: config.connectTimeoutMs,
    keepalive: config.keepaliveSeconds,
    properties: { sessionExpiryInterval: config.sessionExpirySeconds, receiveMaximum: config.maxInflight },
    ...(username === undefined ? {} : { username }),
    ...(password === undefined ? {} : { password }),
  };
  return {
    kind: 'streaming',
    name: 'mqtt',
    run: (deliver, _checkpoint, signal, log = () => undefined) =>
      keepConnected({
        name: 'mqtt',
        signal,
        log,
        reconnectBaseMs: config.reconnectBaseMs,
        reconnectMaxMs: config.reconnectMaxMs,
        connect: () => readConnection(connect(config.url, options), config, deliver, signal),
      }),
  };
}

export const mqttSource: SourceDefinition<MqttConfig> = {
  kind: 'mqtt',
  description:
    'An MQTT 5 topic filter (e.g. phones publishing positions) as one shared-subscription group, so replicas split the feed; QoS 1, each message acknowledged once Kafka stored it.',
  replication: 'split',
  configSchema: mqttConfigSchema,
  create: createMqtt,
};
