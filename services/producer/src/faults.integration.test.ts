// Faults under load, against real Kafka: a private broker stopped mid-load and restarted on the same ports and data, and
// the producer process SIGKILLed while clients post. In both, every record that got a 2xx must be in the topic; what is
// read back is compared by record id.
import { spawn } from 'node:child_process';
import type { ChildProcess } from 'node:child_process';
import { join, resolve } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { afterAll, describe, expect, it, jest } from '@jest/globals';
import { kafkajs } from '@tormenta/kafka';
import { createTopic, deleteTopic, uniqueName } from '../../../test/stack/fixtures.ts';
import { endpoints } from '../../../test/stack/layout.ts';
import { privateKafka } from '../../../test/stack/private-kafka.ts';
import { freePort } from '../../../test/stack/processes.ts';
import { createProducerApp } from './app.ts';
import { loadConfig } from './config.ts';
import { readTopic } from './testing/topic-reader.ts';
import { writeStreamFile } from './testing/stream-file.ts';

jest.setTimeout(300_000);

const cleanup: (() => Promise<unknown>)[] = [];
afterAll(async () => {
  for (const step of cleanup.reverse()) await step().catch(() => undefined);
});

interface Outcome {
  status: number | 'network-error';
  retryAfter: string | null;
  ids: string[];
}

const transaction = (id: string, i: number): object => ({ ID_PERSONA: i, ID_EMPRESA: i % 50, MONTO: i * 1.25, id });
/** A record of the posts stream (streams/posts.yaml): nested, schema-checked, keyed by a nested field. */
const post = (id: string, i: number): object => ({
  id,
  user: { id: i % 97, name: `user_${i % 97}` },
  text: `post ${i} `.repeat(40),
  geo: { lat: (i % 180) - 90, lon: (i % 360) - 180 },
  createdAt: new Date(1_764_633_600_000 + i).toISOString(),
});
const POSTS_STREAM = {
  name: 'posts',
  schema: resolve(import.meta.dirname, '../../../streams/schemas/post.schema.json'),
  key: 'user.id',
};

/** Concurrent clients posting batches of records with their own ids until stopped; every outcome is kept. */
class LoadGenerator {
  readonly outcomes: Outcome[] = [];
  readonly #url: string;
  readonly #prefix = uniqueName('rec');
  #next = 0;
  #stopped = false;
  #workers: Promise<void>[] = [];

  readonly #record: (id: string, index: number) => object;

  constructor(base: string, record: (id: string, index: number) => object = transaction) {
    this.#url = `${base}/v1/records`;
    this.#record = record;
  }

  start(clients: number, batchSize: number, pauseMs: number): void {
    this.#workers = Array.from({ length: clients }, () => this.#run(batchSize, pauseMs));
  }

  acknowledged(): string[] {
    return this.outcomes.filter((outcome) => outcome.status === 200).flatMap((outcome) => outcome.ids);
  }

  count(status: Outcome['status']): number {
    return this.outcomes.filter((outcome) => outcome.status === status).length;
  }

  async until(condition: () => boolean, timeoutMs: number, what: string): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    while (!condition()) {
      if (Date.now() > deadline) throw new Error(`load: ${what} not seen within ${timeoutMs} ms`);
      await sleep(50);
    }
  }

  async stop(): Promise<void> {
    this.#stopped = true;
    await Promise.all(this.#workers);
  }

  async #run(batchSize: number, pauseMs: number): Promise<void> {
    while (!this.#stopped) {
      const ids = Array.from({ length: batchSize }, () => `${this.#prefix}-${this.#next++}`);
      const body = JSON.stringify(ids.map((id, i) => this.#record(id, i)));
      try {
        const response = await fetch(this.#url, { method: 'POST', headers: { 'content-type': 'application/json' }, body });
        await response.arrayBuffer();
        this.outcomes.push({ status: response.status, retryAfter: response.headers.get('retry-after'), ids });
      } catch {
        this.outcomes.push({ status: 'network-error', retryAfter: null, ids });
      }
      if (pauseMs > 0) await sleep(pauseMs);
    }
  }
}

async function createTopicOn(brokers: string[], topic: string): Promise<void> {
  const admin = new kafkajs.Kafka({ clientId: uniqueName('admin'), brokers, logLevel: kafkajs.logLevel.NOTHING }).admin();
  await admin.connect();
  try {
    await admin.createTopics({ topics: [{ topic, numPartitions: 3 }], waitForLeaders: true });
  } finally {
    await admin.disconnect();
  }
}

function missingFrom(stored: Record<string, unknown>[], acknowledged: string[]): string[] {
  const ids = new Set(stored.map((record) => record.id));
  return acknowledged.filter((id) => !ids.has(id));
}

describe('producer under faults', () => {
  it('Kafka stopped mid-load: 503 with Retry-After and no 2xx for unstored records; ingest recovers when it returns', async () => {
    const kafka = await privateKafka();
    cleanup.push(() => kafka.destroy());
    await kafka.start();
    const topic = uniqueName('faults');
    await createTopicOn(kafka.brokers, topic);
    const app = await createProducerApp(
      loadConfig({
        PRODUCER_PORT: '0',
        PRODUCER_HOST: '127.0.0.1',
        PRODUCER_KAFKA_BROKERS: kafka.brokers.join(','),
        PRODUCER_STREAM_FILE: writeStreamFile({ topic }),
        PRODUCER_LOG_LEVEL: 'silent',
        PRODUCER_KAFKA_SEND_TIMEOUT_MS: '5000',
        PRODUCER_KAFKA_PROBE_INTERVAL_MS: '500',
      }),
    );
    cleanup.push(() => app.shutdown());
    const load = new LoadGenerator(await app.start());
    load.start(4, 50, 20);

    await load.until(() => load.count(200) >= 20, 30_000, '20 acknowledged batches');
    await kafka.stop();
    const acceptedBeforeStop = load.count(200);
    await load.until(() => load.count(503) >= 10, 60_000, '10 answers 503 while Kafka is down');
    await kafka.start();
    const acceptedWhileDown = load.count(200);
    await load.until(() => load.count(200) >= acceptedWhileDown + 20, 90_000, '20 acknowledged batches after Kafka returned');
    await load.stop();

    const statuses = new Set(load.outcomes.map((outcome) => outcome.status));
    expect([...statuses].sort()).toEqual([200, 503]);
    for (const outcome of load.outcomes.filter((o) => o.status === 503)) expect(outcome.retryAfter).toBe('1');
    expect(acceptedBeforeStop).toBeGreaterThanOrEqual(20);

    const acknowledged = load.acknowledged();
    const stored = await readTopic(kafka.brokers, topic, acknowledged.length, 60_000);
    expect(missingFrom(stored, acknowledged)).toEqual([]);
  });

  it.each([
    ['transactions', {}, transaction],
    ['posts (not a transaction: nested, keyed by user.id)', POSTS_STREAM, post],
  ] as const)(
    'SIGKILL of the producer process under load (%s stream): every record that got a 2xx is in Kafka',
    async (_name, stream, record) => {
      const topic = await createTopic(uniqueName('sigkill'));
      cleanup.push(() => deleteTopic(topic));
      const port = await freePort();
      const child: ChildProcess = spawn(process.execPath, [join(import.meta.dirname, 'main.ts')], {
        env: {
          ...process.env,
          PRODUCER_PORT: String(port),
          PRODUCER_HOST: '127.0.0.1',
          PRODUCER_KAFKA_BROKERS: endpoints.kafkaBrokers.join(','),
          PRODUCER_STREAM_FILE: writeStreamFile({ ...stream, topic }),
          PRODUCER_LOG_LEVEL: 'warn',
        },
        stdio: ['ignore', 'ignore', 'inherit'],
      });
      const exited = new Promise<NodeJS.Signals | null>((resolve) => child.once('exit', (_code, signal) => resolve(signal)));
      cleanup.push(async () => child.kill('SIGKILL'));
      const base = `http://127.0.0.1:${port}`;
      for (
        let attempt = 0;
        !(await fetch(`${base}/readyz`).then(
          (r) => r.ok,
          () => false,
        ));
        attempt++
      ) {
        if (attempt > 150) throw new Error('producer child not ready within 30 s');
        await sleep(200);
      }

      const load = new LoadGenerator(base, record);
      load.start(6, 200, 0);
      await load.until(() => load.count(200) >= 30, 60_000, '30 acknowledged batches');
      child.kill('SIGKILL');
      expect(await exited).toBe('SIGKILL');
      await load.stop();

      expect(load.count('network-error')).toBeGreaterThan(0);
      expect(load.outcomes.every((outcome) => outcome.status === 200 || outcome.status === 'network-error')).toBe(true);
      const acknowledged = load.acknowledged();
      const stored = await readTopic(endpoints.kafkaBrokers, topic, acknowledged.length, 60_000);
      expect(missingFrom(stored, acknowledged)).toEqual([]);
    },
  );
});
