// One micro-batch of a sink, end to end: decode → distinct lookup keys → lookups → rows → one chunked multi-row PUT → dead
// letters.
// It resolves only when every record is durable (a row in HBase or a message in the DLQ); until then it retries with
// backoff, and tells its owner the sink is failing so fetching can pause. Pure decisions live in enrich.ts.
//
// Errors that no retry can fix are not retried: HBase answering 4xx (a missing table or column family: configuration,
// not data, so every later batch would fail the same way) and Kafka refusing a dead letter for good (too large, not
// authorized). process() then throws a ConsumerError naming the table or topic; the reader stops its loop (onFatal)
// without committing, and the pod exits, so the misconfiguration shows as a crash loop with that message instead of a
// consumer that retries forever. Nothing is dead-lettered for it: the records are fine, the destination is not.
import { HBaseError } from '@tormenta/hbase';
import type { HBaseRow } from '@tormenta/hbase';
import { isPermanentKafkaError } from '@tormenta/kafka';
import type { ConsumedRecord, DeadLetterRecord } from '@tormenta/kafka';
import { toDeadLetterMessage } from './dead-letter.ts';
import { decodeBatch, enrichBatch, lookupKeys } from './enrich.ts';
import { ConsumerError } from './errors.ts';
import { CachedLookup } from './lookup.ts';
import type { FoundRow, MultiGetter } from './lookup.ts';
import { LruTtlCache } from './lru-cache.ts';
import type { ConsumerMetrics } from './metrics.ts';
import type { SourceRecord } from './record.ts';
import { retryUntilDone } from './retry.ts';
import type { BackoffSpec } from './retry.ts';
import type { SinkSpec } from './sink-file.ts';

export interface RowWriter extends MultiGetter {
  putRows(table: string, rows: readonly HBaseRow[]): Promise<void>;
}

export interface DeadLetterSink {
  write(records: readonly DeadLetterRecord[]): Promise<void>;
}

export interface BatchProcessorOptions {
  hbase: RowWriter;
  deadLetters: DeadLetterSink;
  sink: SinkSpec;
  /** Named in the error when the DLQ refuses dead letters for good. */
  dlqTopic?: string;
  /** Per lookup. */
  cache: { maxEntries: number; ttlMs: number };
  retry: BackoffSpec;
  metrics: ConsumerMetrics;
  log: (event: string, fields: Record<string, unknown>) => void;
  /** Called when an attempt fails (the sink is failing) and when a batch succeeds again after that. */
  onSinkFailing?: () => void;
  onSinkRecovered?: () => void;
  now?: () => Date;
}

export interface BatchReport {
  records: number;
  rows: number;
  deadLetters: number;
  attempts: number;
}

export class BatchProcessor {
  readonly #options: BatchProcessorOptions;
  readonly #lookups: CachedLookup[];
  #sinkFailing = false;

  constructor(options: BatchProcessorOptions) {
    this.#options = options;
    const counters = {
      hits: (count: number) => options.metrics.cacheHits.inc(count),
      misses: (count: number) => options.metrics.cacheMisses.inc(count),
    };
    this.#lookups = options.sink.lookups.map(
      (lookup) => new CachedLookup(options.hbase, lookup, new LruTtlCache<string, FoundRow>(options.cache), counters),
    );
  }

  /** False while the last attempt at HBase or the DLQ failed. */
  get sinkHealthy(): boolean {
    return !this.#sinkFailing;
  }

  async process(consumed: readonly ConsumedRecord[], signal: AbortSignal): Promise<BatchReport> {
    const { metrics, hbase, sink, deadLetters } = this.#options;
    const endTimer = metrics.batchDuration.startTimer();
    const decoded = decodeBatch(sink, consumed.map(toSourceRecord));
    const keys = lookupKeys(sink, decoded.valid);
    let attempts = 0;
    let rowsStored = false;
    const result = await retryUntilDone(
      async () => {
        attempts += 1;
        const found = await Promise.all(
          this.#lookups.map((lookup, index) =>
            lookup.rows(keys[index]!).catch((error: unknown) => rejected(error, 'read', lookup.table)),
          ),
        );
        const enriched = enrichBatch(sink, decoded, found, (this.#options.now ?? (() => new Date()))());
        if (!rowsStored) {
          const endWrite = metrics.hbaseWriteLatency.startTimer();
          await hbase.putRows(sink.table, enriched.rows).catch((error: unknown) => rejected(error, 'write', sink.table));
          endWrite();
          rowsStored = true;
        }
        await deadLetters.write(enriched.deadLetters.map(toDeadLetterMessage)).catch((error: unknown) => {
          if (!isPermanentKafkaError(error)) throw error;
          throw new ConsumerError(
            'TORMENTA_CONSUMER_DLQ_WRITE_FAILED',
            `Kafka refused ${enriched.deadLetters.length} dead letter(s) for ${this.#options.dlqTopic ?? 'the DLQ topic'} for good: ${(error as Error).message}`,
            { cause: error },
          );
        });
        return enriched;
      },
      {
        ...this.#options.retry,
        signal,
        permanent: (error) => error instanceof ConsumerError,
        onRetry: (error, attempt, delayMs) => {
          if (!this.#sinkFailing) this.#options.onSinkFailing?.();
          this.#sinkFailing = true;
          const code = (error as { code?: unknown }).code;
          this.#options.log('batch_retry', { attempt, delayMs, code, error: (error as Error).message });
        },
      },
    );
    if (this.#sinkFailing) {
      this.#sinkFailing = false;
      this.#options.onSinkRecovered?.();
      this.#options.log('batch_recovered', { attempts });
    }
    for (const [outcome, count] of Object.entries(result.outcomes)) metrics.enrichRecords.inc({ outcome }, count);
    for (const letter of result.deadLetters) metrics.dlqRecords.inc({ reason: letter.reason });
    metrics.batchRecords.observe(consumed.length);
    endTimer();
    return { records: consumed.length, rows: result.rows.length, deadLetters: result.deadLetters.length, attempts };
  }
}

/**
 * A 4xx from HBase (e.g. table or column family not found) or an answer that does not decode is final: rethrown as a
 * ConsumerError naming the table.
 */
function rejected(error: unknown, what: 'read' | 'write', table: string): never {
  if (error instanceof HBaseError && !error.retryable) {
    throw new ConsumerError(
      'TORMENTA_CONSUMER_HBASE_REJECTED',
      error.status === undefined
        ? `HBase REST's answer to the ${what} of table ${table} is unusable: ${error.message}`
        : `HBase rejected the ${what} of table ${table} (HTTP ${error.status}); check that the table exists with its column family: ${error.message}`,
      { cause: error },
    );
  }
  throw error;
}

function toSourceRecord(record: ConsumedRecord): SourceRecord {
  return {
    source: { topic: record.topic, partition: record.partition, offset: record.offset },
    key: record.key,
    value: record.value,
  };
}
