// Topic administration the services need at start-up: the broker's auto-create is off, so a service creates its topic.
import { kafkajs } from './kafkajs-patch.ts';
import { kafkajsConnection } from './connection.ts';
import type { KafkaConnection } from './connection.ts';

const { Kafka, logLevel } = kafkajs;

export interface TopicSpec {
  topic: string;
  partitions: number;
  retentionMs: number;
}

/** Creates the topic if it does not exist; an existing topic is left as it is (its partitions are not changed). */
export async function ensureTopic(connection: KafkaConnection, spec: TopicSpec): Promise<boolean> {
  const admin = new Kafka({
    ...kafkajsConnection(connection),
    logLevel: logLevel.NOTHING,
    connectionTimeout: 2_000,
    retry: { retries: 2, maxRetryTime: 1_000 },
  }).admin();
  await admin.connect();
  try {
    if ((await admin.listTopics()).includes(spec.topic)) return false;
    return await admin.createTopics({
      waitForLeaders: true,
      topics: [
        {
          topic: spec.topic,
          numPartitions: spec.partitions,
          configEntries: [{ name: 'retention.ms', value: String(spec.retentionMs) }],
        },
      ],
    });
  } finally {
    await admin.disconnect();
  }
}

/** True when a broker answers a metadata request within the timeout. */
export async function kafkaReachable(connection: KafkaConnection, timeoutMs = 2_000): Promise<boolean> {
  const admin = new Kafka({
    ...kafkajsConnection(connection),
    logLevel: logLevel.NOTHING,
    connectionTimeout: timeoutMs,
    requestTimeout: timeoutMs,
    retry: { retries: 0 },
  }).admin();
  try {
    await admin.connect();
    const cluster = await admin.describeCluster();
    return cluster.brokers.length > 0;
  } catch {
    return false;
  } finally {
    await admin.disconnect().catch(() => undefined);
  }
}
