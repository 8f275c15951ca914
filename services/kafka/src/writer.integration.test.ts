// The writers against the real Kafka: concurrent writes (over several producers for the kafkajs pool) are each stored
// exactly once, with the same content, on the partition the Java client would choose for the key.
import { afterAll, describe, expect, it, jest } from '@jest/globals';
import { createTopic, deleteTopic, testKafka, uniqueName } from '../../../test/stack/fixtures.ts';
import { endpoints } from '../../../test/stack/layout.ts';
import { murmur2 } from './partitioner.ts';
import { createMessageWriter } from './factory.ts';
import { PlatformaticWriter } from './platformatic-writer.ts';
import type { MessageWriter } from './writer.ts';

jest.setTimeout(120_000);

const topics: string[] = [];
afterAll(async () => {
  for (const topic of topics) await deleteTopic(topic).catch(() => undefined);
});

async function readAll(topic: string, expected: number): Promise<Map<string, { key: string; partition: number; count: number }>> {
  const consumer = testKafka().consumer({ groupId: uniqueName('writer-check') });
  const seen = new Map<string, { key: string; partition: number; count: number }>();
  let total = 0;
  await consumer.connect();
  await consumer.subscribe({ topic, fromBeginning: true });
  const done = new Promise<void>((resolve) => {
    void consumer.run({
      eachMessage: async ({ partition, message }) => {
        const value = String(message.value);
        const previous = seen.get(value);
        seen.set(value, { key: String(message.key), partition, count: (previous?.count ?? 0) + 1 });
        if (++total >= expected) resolve();
      },
    });
  });
  let timer: NodeJS.Timeout | undefined;
  await Promise.race([done, new Promise((resolve) => (timer = setTimeout(resolve, 60_000)))]);
  clearTimeout(timer);
  await consumer.disconnect();
  return seen;
}

describe('the writer from createMessageWriter, with a pool of producers', () => {
  it('stores every message of concurrent writes exactly once, on its key partition', async () => {
    const topic = await createTopic(uniqueName('writer_pool'), 3);
    topics.push(topic);
    const writer = createMessageWriter({
      brokers: endpoints.kafkaBrokers,
      clientId: uniqueName('writer'),
      topic,
      producers: 3,
      maxBatchMessages: 250,
    });
    await expectKeyPartitions(writer, topic);
  });
});

describe('PlatformaticWriter', () => {
  it('puts every key on the partition kafkajs and the Java client would', async () => {
    const topic = await createTopic(uniqueName('writer_platformatic'), 3);
    topics.push(topic);
    await expectKeyPartitions(
      new PlatformaticWriter({ brokers: endpoints.kafkaBrokers, clientId: uniqueName('writer'), topic, maxBatchMessages: 250 }),
      topic,
    );
  });
});

/** 24 concurrent writes of 100 keyed messages: each stored once, on the Java client's partition for its key. */
async function expectKeyPartitions(writer: MessageWriter, topic: string): Promise<void> {
  const writes = Array.from({ length: 24 }, (_, w) =>
    writer.write(Array.from({ length: 100 }, (_, i) => ({ key: String((w * 100 + i) % 97), value: Buffer.from(`${w}-${i}`) }))),
  );
  await Promise.all(writes);
  await writer.close();
  const seen = await readAll(topic, 2_400);
  expect(seen.size).toBe(2_400);
  for (const [value, { key, partition, count }] of seen) {
    expect([value, count]).toEqual([value, 1]);
    expect(partition).toBe((murmur2(key) & 0x7fffffff) % 3);
  }
}
