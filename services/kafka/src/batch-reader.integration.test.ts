// The micro-batch reader against the real Kafka: a batch from an older group generation is not committed, and stop()
// leaves the group even after the flush loop died.
import { setTimeout as sleep } from 'node:timers/promises';
import { afterAll, describe, expect, it, jest } from '@jest/globals';
import { createTopic, deleteTopic, testKafka, uniqueName } from '../../../test/stack/fixtures.ts';
import { endpoints } from '../../../test/stack/layout.ts';
import { MicroBatchReader } from './batch-reader.ts';
import type { MicroBatchReaderOptions } from './batch-reader.ts';

jest.setTimeout(120_000);

const cleanup: (() => Promise<unknown>)[] = [];
afterAll(async () => {
  for (const step of cleanup.reverse()) await step().catch(() => undefined);
});

const untilAborted = (signal: AbortSignal): Promise<void> =>
  new Promise((_resolve, reject) => signal.addEventListener('abort', () => reject(new Error('aborted')), { once: true }));

async function waitFor(check: () => boolean | Promise<boolean>, timeoutMs = 30_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`condition not reached in ${timeoutMs} ms`);
    await sleep(50);
  }
}

async function produce(topic: string, count: number): Promise<void> {
  const producer = testKafka().producer();
  await producer.connect();
  await producer.send({ topic, acks: -1, messages: Array.from({ length: count }, (_, i) => ({ value: String(i) })) });
  await producer.disconnect();
}

function reader(topic: string, groupId: string, options: Partial<MicroBatchReaderOptions>): MicroBatchReader {
  const created = new MicroBatchReader({
    brokers: endpoints.kafkaBrokers,
    clientId: uniqueName('reader'),
    groupId,
    topic,
    fromBeginning: true,
    intervalMs: 100,
    maxRecords: 100,
    sessionTimeoutMs: 10_000,
    heartbeatIntervalMs: 500,
    onBatch: (_records, signal) => untilAborted(signal),
    ...options,
  });
  cleanup.push(() => created.stop());
  return created;
}

async function committedOffset(groupId: string, topic: string): Promise<string | undefined> {
  const admin = testKafka().admin();
  await admin.connect();
  try {
    const [offsets] = await admin.fetchOffsets({ groupId, topics: [topic] });
    return offsets?.partitions.find((entry) => entry.partition === 0)?.offset;
  } finally {
    await admin.disconnect();
  }
}

async function groupMembers(groupId: string): Promise<number> {
  const admin = testKafka().admin();
  await admin.connect();
  try {
    const { groups } = await admin.describeGroups([groupId]);
    return groups[0]?.members.length ?? 0;
  } finally {
    await admin.disconnect();
  }
}

describe('MicroBatchReader on the real Kafka', () => {
  it('does not commit a batch read in a group generation that ended while it was being stored', async () => {
    const topic = await createTopic(uniqueName('reader'), 1);
    cleanup.push(() => deleteTopic(topic));
    const groupId = uniqueName('group');
    await produce(topic, 10);
    let open: () => void = () => {};
    const gate = new Promise<void>((resolve) => (open = resolve));
    let batches = 0;
    let joins = 0;
    const first = reader(topic, groupId, {
      onGroupJoin: () => (joins += 1),
      onBatch: async (_records, signal) => {
        batches += 1;
        // The first batch is held until the group has rebalanced; later ones never finish (nothing else may commit).
        if (batches === 1) await gate;
        else await untilAborted(signal);
      },
    });
    await first.start();
    await waitFor(() => batches === 1);
    await reader(topic, groupId, {}).start();
    await waitFor(() => joins >= 2);
    open();
    await sleep(3_000);
    expect(await committedOffset(groupId, topic)).toBe('-1');
  });

  it('leaves the group on stop() after the flush loop died', async () => {
    const topic = await createTopic(uniqueName('reader'), 1);
    cleanup.push(() => deleteTopic(topic));
    const groupId = uniqueName('group');
    await produce(topic, 3);
    let fatal: unknown;
    const broken = reader(topic, groupId, {
      onBatch: async () => {
        throw new Error('sink exploded');
      },
      onFatal: (error) => (fatal = error),
    });
    await broken.start();
    await waitFor(() => fatal !== undefined);
    expect((fatal as Error).message).toBe('sink exploded');
    expect(await groupMembers(groupId)).toBe(1);
    await broken.stop();
    expect(await groupMembers(groupId)).toBe(0);
    expect(await committedOffset(groupId, topic)).toBe('-1');
  });
});
