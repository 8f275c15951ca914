// For the streaming sources' integration tests: a producer started from a stream file, counters read back, and the real
// ingest path with one injected failure (a batch Kafka did not acknowledge), to show what a source does about it.
import { createMessageWriter } from '@tormenta/kafka';
import type { MessageWriter } from '@tormenta/kafka';
import { createProducerApp } from '../app.ts';
import type { ProducerApp } from '../app.ts';
import { loadConfig } from '../config.ts';
import { Ingestor } from '../ingest.ts';
import type { IngestResult } from '../ingest.ts';
import { createMetrics } from '../metrics.ts';
import type { ProducerMetrics } from '../metrics.ts';
import { compileStream } from '../streams/convert.ts';
import type { StreamSpec } from '../streams/stream-file.ts';

export type Cleanups = (() => Promise<unknown>)[];

/** A producer carrying `streamFile`, alone (no Lease) unless `env` says otherwise; shut down by `cleanups`. */
export async function startProducer(
  streamFile: string,
  cleanups: Cleanups,
  env: Record<string, string> = {},
): Promise<ProducerApp> {
  const app = await createProducerApp(
    loadConfig({
      PRODUCER_STREAM_FILE: streamFile,
      PRODUCER_PORT: '0',
      PRODUCER_HOST: '127.0.0.1',
      PRODUCER_LOG_LEVEL: 'silent',
      PRODUCER_LEASE_MODE: 'none',
      ...env,
    }),
  );
  await app.start();
  cleanups.push(() => app.shutdown());
  return app;
}

export async function counted(counter: ProducerMetrics['received'] | ProducerMetrics['filtered']): Promise<number> {
  return (await counter.get()).values.reduce((sum, value) => sum + value.value, 0);
}

/** The `n` of each record, sorted: compared with `upTo(count)` it shows each stored exactly once. */
export function storedNumbers(records: Record<string, unknown>[]): number[] {
  return records.map((record) => Number(record.n)).sort((x, y) => x - y);
}

export function upTo(count: number, from = 0): number[] {
  return Array.from({ length: count }, (_, index) => from + index);
}

export interface FailingOnce {
  ingestor: Ingestor;
  metrics: ProducerMetrics;
  writer: MessageWriter;
  /** How many times each `n` reached the ingest path. */
  seen: Map<number, number>;
  /** The `n`s of the batch that failed, once it did. */
  failed(): number[] | undefined;
}

/**
 * The real ingest path writing to Kafka, except that the first batch holding a record with an `n` that `fails` picks is
 * refused as a Kafka write can be refused.
 */
export async function ingestFailingOnce(
  spec: StreamSpec,
  kafka: { brokers: string[]; clientId: string },
  fails: (n: number) => boolean,
): Promise<FailingOnce> {
  const writer = createMessageWriter({ ...kafka, topic: spec.topic });
  const metrics = createMetrics(false);
  const seen = new Map<number, number>();
  let failed: number[] | undefined;
  class IngestorFailingOnce extends Ingestor {
    override async ingest(records: readonly unknown[], source: string, mode: 'strict' | 'lenient'): Promise<IngestResult> {
      const numbers = records.flatMap((record) => {
        const n = (record as { n?: unknown }).n;
        return typeof n === 'number' ? [n] : [];
      });
      for (const n of numbers) seen.set(n, (seen.get(n) ?? 0) + 1);
      if (failed === undefined && numbers.some(fails)) {
        failed = numbers;
        throw new Error('injected: Kafka did not acknowledge the batch');
      }
      return super.ingest(records, source, mode);
    }
  }
  const ingestor = new IngestorFailingOnce({
    writer,
    metrics,
    stream: await compileStream(spec),
    maxInflightRecords: 10_000,
    retryAfterSeconds: 1,
    kafkaUp: () => true,
    draining: () => false,
  });
  return { ingestor, metrics, writer, seen, failed: () => failed };
}
