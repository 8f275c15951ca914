// Wires the consumer: config → HBase client, DLQ writer, batch processor, micro-batch reader, HTTP server. Owns the
// lifecycle (start, graceful stop) and nothing else.
import { HBaseRestClient } from '@tormenta/hbase';
import { DeadLetterWriter, MicroBatchReader, ensureTopic } from '@tormenta/kafka';
import type { FastifyInstance } from 'fastify';
import { BatchProcessor } from './batch-processor.ts';
import type { ConsumerConfig } from './config.ts';
import { createHttpServer } from './http-server.ts';
import type { ConsumerHealth } from './http-server.ts';
import { ConsumerError } from './errors.ts';
import { createConsumerMetrics } from './metrics.ts';
import { dlqReasons } from './sink-file.ts';
import type { ConsumerMetrics } from './metrics.ts';

/** Dead letters are kept for a week: long enough to inspect, fix and replay them. */
export const DLQ_RETENTION_MS = 7 * 24 * 3_600_000;

export type Log = (event: string, fields: Record<string, unknown>) => void;

export const jsonLog: Log = (event, fields) =>
  process.stdout.write(`${JSON.stringify({ time: new Date().toISOString(), event, ...fields })}\n`);

export class ConsumerService {
  readonly metrics: ConsumerMetrics;
  readonly #config: ConsumerConfig;
  readonly #log: Log;
  readonly #hbase: HBaseRestClient;
  readonly #deadLetters: DeadLetterWriter;
  readonly #processor: BatchProcessor;
  readonly #reader: MicroBatchReader;
  readonly #http: FastifyInstance;
  #loopFailed: unknown;
  #stopping: Promise<void> | undefined;

  constructor(config: ConsumerConfig, options: { log?: Log; onFatal?: (error: unknown) => void } = {}) {
    this.#config = config;
    this.#log = options.log ?? jsonLog;
    this.metrics = createConsumerMetrics({ group: config.sink.group }, dlqReasons(config.sink));
    this.#hbase = new HBaseRestClient({
      urls: config.hbase.urls,
      encoding: config.hbase.encoding,
      putChunk: config.hbase.putChunkRows,
      concurrency: config.hbase.concurrency,
    });
    const kafkaClient = config.kafka;
    this.#deadLetters = new DeadLetterWriter({ ...kafkaClient, topic: config.dlqTopic });
    this.#processor = new BatchProcessor({
      hbase: this.#hbase,
      deadLetters: this.#deadLetters,
      sink: config.sink,
      dlqTopic: config.dlqTopic,
      cache: config.cache,
      retry: config.retry,
      metrics: this.metrics,
      log: this.#log,
      onSinkFailing: () => this.#reader.pause(),
      onSinkRecovered: () => this.#reader.resume(),
    });
    this.#reader = new MicroBatchReader({
      ...kafkaClient,
      groupId: config.sink.group,
      topic: config.sink.topic,
      fromBeginning: config.fromBeginning,
      intervalMs: config.sink.batchIntervalMs,
      maxRecords: config.maxBatchRecords,
      onBatch: async (records, signal) => {
        const report = await this.#processor.process(records, signal);
        this.#log('batch_stored', { ...report });
      },
      onCommitted: (partitions) => {
        this.metrics.lastCommit.set(Date.now() / 1000);
        for (const { partition, lag } of partitions) this.metrics.lag.set({ partition: String(partition) }, lag);
      },
      // Lag also moves when nothing can be committed (an HBase outage): from each fetch against the last commit.
      onAccepted: ({ partition, lag }) => this.metrics.lag.set({ partition: String(partition) }, lag),
      // Partitions may have moved to another member: their gauges would otherwise stay frozen at the last value.
      onGroupJoin: () => this.metrics.lag.reset(),
      onCommitFailed: (error) => this.#log('commit_failed', { error: (error as Error).message }),
      onFatal: (error) => {
        this.#loopFailed = error;
        this.#log('loop_failed', { code: (error as { code?: unknown }).code, error: (error as Error).message });
        options.onFatal?.(error);
      },
    });
    this.#http = createHttpServer({ registry: this.metrics.registry, health: () => this.health() });
  }

  health(): ConsumerHealth {
    const reasons: string[] = [];
    if (!this.#reader.joined) reasons.push('not (yet) a member of the consumer group');
    if (!this.#processor.sinkHealthy) reasons.push('HBase or the DLQ is failing; retrying with backoff');
    const live = this.#loopFailed === undefined && this.#stopping === undefined;
    return { live, ready: live && reasons.length === 0, reasons };
  }

  /** Starts serving HTTP first (so probes answer during start-up), then joins the group. Returns the HTTP address. */
  async start(): Promise<string> {
    const address = await this.#http.listen({ host: this.#config.http.host, port: this.#config.http.port });
    const { sink } = this.#config;
    await this.#requireLookupTables();
    await this.#hbase.ensureTable(sink.table, [sink.family]);
    await ensureTopic(this.#config.kafka, { topic: this.#config.dlqTopic, partitions: 1, retentionMs: DLQ_RETENTION_MS });
    await this.#deadLetters.connect();
    await this.#reader.start();
    this.#log('consumer_started', { sink: sink.name, group: sink.group, topic: sink.topic, table: sink.table, http: address });
    return address;
  }

  /**
   * A lookup in a table HBase does not have is answered 500, which the loop would retry for ever; a wrong table name is
   * a setting to fix, so start-up refuses it by name and by the field of the sink file that names it.
   */
  async #requireLookupTables(): Promise<void> {
    const { sink } = this.#config;
    const missing = [];
    for (const [index, { table }] of sink.lookups.entries()) {
      if (!(await this.#hbase.tableExists(table))) missing.push(`${table} (${sink.file}: /lookups/${index}/table)`);
    }
    if (missing.length === 0) return;
    throw new ConsumerError(
      'TORMENTA_CONSUMER_CONFIG_INVALID',
      `HBase at ${this.#hbase.url} has no table ${missing.join(' and no table ')}; load the lookup tables (npm run dataset for PERSONA and EMPRESA) or correct the sink file`,
    );
  }

  /** Abandons the batch in progress uncommitted, leaves the group (a prompt rebalance), then closes the rest. */
  stop(): Promise<void> {
    this.#stopping ??= (async () => {
      await this.#reader.stop();
      await this.#deadLetters.disconnect();
      await this.#http.close();
      this.#log('consumer_stopped', {});
    })();
    return this.#stopping;
  }
}
