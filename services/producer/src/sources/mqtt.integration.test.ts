// The mqtt source against the stack's real mosquitto and Kafka: published messages reach the topic; two producers in one
// shared group split the messages, each stored exactly once; a message whose ingest failed was not acknowledged, so the
// broker sends it again and it lands.
import { setTimeout as sleep } from 'node:timers/promises';
import { afterEach, describe, expect, it, jest } from '@jest/globals';
import { connectAsync } from 'mqtt';
import type { MqttClient } from 'mqtt';
import { createTopic, deleteTopic, uniqueName } from '../../../../test/stack/fixtures.ts';
import { endpoints } from '../../../../test/stack/layout.ts';
import type { ProducerMetrics } from '../metrics.ts';
import { runStreamingSource } from '../streaming-runner.ts';
import { loadStreamFile } from '../streams/stream-file.ts';
import { counted, ingestFailingOnce, startProducer, storedNumbers, upTo } from '../testing/streaming.ts';
import type { Cleanups } from '../testing/streaming.ts';
import { readTopic } from '../testing/topic-reader.ts';
import { writeStreamFile } from '../testing/stream-file.ts';
import { createMqtt } from './mqtt.ts';
import type { MqttConfig } from './mqtt.ts';

jest.setTimeout(90_000);

const cleanups: Cleanups = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup().catch(() => undefined);
});

// Probe messages are dropped by the transform and counted as filtered: one seen means the subscription is in place.
const DROP_PROBES = '$exists(probe) = false ? $';

interface Feed {
  topic: string;
  sharedGroup: string;
  streamFile(clientId: string): string;
}

async function feed(kafkaTopic: string): Promise<Feed> {
  const topic = `tormenta-test/${uniqueName('phones')}`;
  const sharedGroup = uniqueName('group');
  return {
    topic,
    sharedGroup,
    streamFile: (clientId) =>
      writeStreamFile({
        name: 'positions',
        topic: kafkaTopic,
        schema: undefined,
        key: undefined,
        transform: DROP_PROBES,
        source: {
          kind: 'mqtt',
          url: endpoints.mqtt,
          topic: `${topic}/+`,
          sharedGroup,
          clientId,
          sessionExpirySeconds: 60,
          reconnectBaseMs: 50,
          reconnectMaxMs: 500,
        },
      }),
  };
}

async function publisher(): Promise<MqttClient> {
  const client = await connectAsync(endpoints.mqtt, {
    protocolVersion: 5,
    clientId: uniqueName('publisher'),
    reconnectPeriod: 0,
  });
  cleanups.push(() => client.endAsync());
  return client;
}

/** Publishes probes until every one of `metrics` has seen one (each replica's subscription is in place). */
async function untilSubscribed(client: MqttClient, topic: string, metrics: ProducerMetrics[]): Promise<void> {
  const deadline = Date.now() + 20_000;
  for (;;) {
    const seen = await Promise.all(metrics.map((each) => counted(each.filtered)));
    if (seen.every((count) => count > 0)) return;
    if (Date.now() > deadline) throw new Error(`subscriptions not in place: probes seen ${seen.join(', ')}`);
    await client.publishAsync(`${topic}/probe`, JSON.stringify({ probe: true }), { qos: 1 });
    await sleep(100);
  }
}

async function publishPositions(client: MqttClient, topic: string, count: number): Promise<void> {
  for (let n = 0; n < count; n += 1) {
    await client.publishAsync(`${topic}/phone-${n % 7}`, JSON.stringify({ n, lat: 40 + n / 1000, lon: -3.7 }), { qos: 1 });
  }
}

describe('mqtt source against mosquitto', () => {
  it('stores every published message in Kafka', async () => {
    const kafkaTopic = await createTopic(uniqueName('mqtt'));
    cleanups.push(() => deleteTopic(kafkaTopic));
    const positions = await feed(kafkaTopic);
    const app = await startProducer(positions.streamFile(uniqueName('producer')), cleanups);
    const client = await publisher();
    await untilSubscribed(client, positions.topic, [app.metrics]);

    await publishPositions(client, positions.topic, 50);
    const stored = await readTopic(endpoints.kafkaBrokers, kafkaTopic, 50);
    expect(storedNumbers(stored)).toEqual(upTo(50));
    expect(stored.find((record) => record.n === 7)).toMatchObject({ n: 7, lat: 40.007, lon: -3.7, id: expect.any(String) });
  });

  it('splits one shared group between two producers, each message stored exactly once', async () => {
    const kafkaTopic = await createTopic(uniqueName('mqtt-split'));
    cleanups.push(() => deleteTopic(kafkaTopic));
    const positions = await feed(kafkaTopic);
    const a = await startProducer(positions.streamFile(uniqueName('producer-a')), cleanups);
    const b = await startProducer(positions.streamFile(uniqueName('producer-b')), cleanups);
    const client = await publisher();
    await untilSubscribed(client, positions.topic, [a.metrics, b.metrics]);

    await publishPositions(client, positions.topic, 400);
    const stored = await readTopic(endpoints.kafkaBrokers, kafkaTopic, 400);
    expect(storedNumbers(stored)).toEqual(upTo(400));
    const [byA, byB] = [await counted(a.metrics.accepted), await counted(b.metrics.accepted)];
    expect(byA + byB).toBe(400);
    expect(byA).toBeGreaterThan(50);
    expect(byB).toBeGreaterThan(50);
  });

  it('does not acknowledge a message whose ingest failed, so the broker sends it again and it lands', async () => {
    const kafkaTopic = await createTopic(uniqueName('mqtt-redeliver'));
    cleanups.push(() => deleteTopic(kafkaTopic));
    const positions = await feed(kafkaTopic);
    const spec = loadStreamFile(positions.streamFile(uniqueName('producer')));
    const path = await ingestFailingOnce(spec, { brokers: endpoints.kafkaBrokers, clientId: uniqueName('writer') }, () => true);
    cleanups.push(() => path.writer.close());
    const source = await createMqtt(spec.source.config as MqttConfig);
    const stop = new AbortController();
    const log: string[] = [];
    const running = runStreamingSource({
      source,
      replication: 'split',
      ingestor: path.ingestor,
      idField: spec.idField,
      elector: undefined,
      followPollMs: 1_000,
      log: (message) => log.push(message),
      signal: stop.signal,
    });
    cleanups.push(async () => {
      stop.abort();
      await running;
    });
    const client = await publisher();
    await untilSubscribed(client, positions.topic, [path.metrics]);

    await publishPositions(client, positions.topic, 30);
    const stored = await readTopic(endpoints.kafkaBrokers, kafkaTopic, 30);
    expect(storedNumbers(stored)).toEqual(upTo(30));
    expect(path.failed()?.length).toBeGreaterThan(0);
    for (const n of path.failed() ?? []) expect(path.seen.get(n)).toBeGreaterThanOrEqual(2);
    expect(log.some((line) => line.includes('delivery failed: injected'))).toBe(true);
  });
});
