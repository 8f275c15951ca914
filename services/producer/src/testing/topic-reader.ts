// For integration tests: everything a topic holds, read back with a plain kafkajs consumer apart from the code under test.
import { setTimeout as sleep } from 'node:timers/promises';
import { kafkajs } from '@tormenta/kafka';

export async function readTopic(
  brokers: string[],
  topic: string,
  expected: number,
  timeoutMs = 30_000,
): Promise<Record<string, unknown>[]> {
  const kafka = new kafkajs.Kafka({ clientId: `reader-${topic}`, brokers, logLevel: kafkajs.logLevel.NOTHING });
  const consumer = kafka.consumer({ groupId: `reader-${topic}-${Date.now()}` });
  const values: Record<string, unknown>[] = [];
  await consumer.connect();
  try {
    await consumer.subscribe({ topic, fromBeginning: true });
    await consumer.run({
      eachMessage: async ({ message }) => {
        values.push(JSON.parse(message.value?.toString('utf8') ?? 'null') as Record<string, unknown>);
      },
    });
    const deadline = Date.now() + timeoutMs;
    while (values.length < expected && Date.now() < deadline) await sleep(100);
    // A little longer, so duplicates beyond the expected count would be seen too.
    await sleep(1_500);
  } finally {
    await consumer.disconnect();
  }
  return values;
}
