// The consumer's Prometheus metrics, named as ARCHITECTURE §7 lists them (dashboards, alerts and the autoscaler use them).
import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from 'prom-client';
import type { DlqReason } from './errors.ts';

const PREFIX = 'tormenta_';
const LATENCY_BUCKETS = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30];

export function createConsumerMetrics(labels: { group: string }, dlqReasons: readonly DlqReason[]) {
  const registry = new Registry();
  registry.setDefaultLabels(labels);
  collectDefaultMetrics({ register: registry, prefix: PREFIX });
  const metrics = {
    registry,
    batchDuration: new Histogram({
      name: `${PREFIX}consumer_batch_duration_seconds`,
      help: 'Time from taking a micro-batch to having it stored (incl. retries), seconds',
      buckets: LATENCY_BUCKETS,
      registers: [registry],
    }),
    batchRecords: new Histogram({
      name: `${PREFIX}consumer_batch_records`,
      help: 'Records per micro-batch',
      buckets: [1, 10, 100, 500, 1_000, 2_500, 5_000, 10_000, 50_000],
      registers: [registry],
    }),
    enrichRecords: new Counter({
      name: `${PREFIX}enrich_records_total`,
      help: 'Records by enrichment outcome: enriched, unknown_id (stored though a lookup found nothing), dead_lettered',
      labelNames: ['outcome'] as const,
      registers: [registry],
    }),
    cacheHits: new Counter({
      name: `${PREFIX}enrich_cache_hits_total`,
      help: 'Lookups served by the cache',
      registers: [registry],
    }),
    cacheMisses: new Counter({
      name: `${PREFIX}enrich_cache_misses_total`,
      help: 'Lookups sent to HBase',
      registers: [registry],
    }),
    hbaseWriteLatency: new Histogram({
      name: `${PREFIX}hbase_write_latency_seconds`,
      help: "One multi-row PUT of a micro-batch into the sink's table (successful attempts), seconds",
      buckets: LATENCY_BUCKETS,
      registers: [registry],
    }),
    lag: new Gauge({
      name: `${PREFIX}consumer_lag_records`,
      help: 'Records between the committed offset and the high watermark, per partition',
      labelNames: ['partition'] as const,
      registers: [registry],
    }),
    dlqRecords: new Counter({
      name: `${PREFIX}dlq_records_total`,
      help: 'Records written to the dead-letter topic, by reason',
      labelNames: ['reason'] as const,
      registers: [registry],
    }),
    lastCommit: new Gauge({
      name: `${PREFIX}consumer_last_commit_timestamp_seconds`,
      help: 'Unix time of the last successful offset commit',
      registers: [registry],
    }),
  };
  // Zero series, so rate() and alerts see every label from the start.
  for (const reason of dlqReasons) metrics.dlqRecords.inc({ reason }, 0);
  for (const outcome of ['enriched', 'unknown_id', 'dead_lettered']) metrics.enrichRecords.inc({ outcome }, 0);
  return metrics;
}

export type ConsumerMetrics = ReturnType<typeof createConsumerMetrics>;
