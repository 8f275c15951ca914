import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { createTopic, deleteTopic, testKafka, uniqueName } from '../stack/fixtures.ts';

describe('Kafka from the stack', () => {
  let topic: string;
  beforeAll(async () => {
    topic = await createTopic(undefined, 3);
  });
  afterAll(async () => {
    await deleteTopic(topic);
  });

  it('delivers every produced message to a consumer group, with key and value intact', async () => {
    const kafka = testKafka();
    const producer = kafka.producer({ idempotent: true, maxInFlightRequests: 1 });
    await producer.connect();
    const sent = Array.from({ length: 50 }, (_, i) => ({ key: String(i % 7), value: JSON.stringify({ n: i }) }));
    await producer.send({ topic, acks: -1, messages: sent });
    await producer.disconnect();

    const consumer = kafka.consumer({ groupId: uniqueName('group') });
    await consumer.connect();
    await consumer.subscribe({ topic, fromBeginning: true });
    const received: { key: string; value: string }[] = [];
    await new Promise<void>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`only ${received.length} of ${sent.length} arrived`)), 30_000);
      void consumer.run({
        eachMessage: async ({ message }) => {
          received.push({ key: message.key?.toString() ?? '', value: message.value?.toString() ?? '' });
          if (received.length === sent.length) {
            clearTimeout(timer);
            resolve();
          }
        },
      });
    });
    await consumer.disconnect();

    const byValue = (a: { value: string }, b: { value: string }): number => a.value.localeCompare(b.value);
    expect([...received].sort(byValue)).toEqual([...sent].sort(byValue));
  });

  it('lists the topic with the partitions it was created with', async () => {
    const admin = testKafka().admin();
    await admin.connect();
    const metadata = await admin.fetchTopicMetadata({ topics: [topic] });
    await admin.disconnect();
    expect(metadata.topics[0]?.partitions).toHaveLength(3);
  });
});
