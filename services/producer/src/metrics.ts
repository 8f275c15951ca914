// The producer's Prometheus metrics; names are ARCHITECTURE §7's, which dashboards, alerts and the autoscaler rely on.
import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from 'prom-client';
import { CONNECTION_DROP_REASONS } from './connection-limits.ts';

export interface ProducerMetrics {
  registry: Registry;
  received: Counter<'source'>;
  accepted: Counter<'source'>;
  rejected: Counter<'reason'>;
  produceRecords: Counter;
  produceBytes: Counter;
  produceLatency: Histogram;
  inflight: Gauge;
  filtered: Counter;
  connectionsDropped: Counter<'reason'>;
}

export type RejectReason =
  | 'invalid'
  | 'oversized'
  | 'too_many_records'
  | 'backpressure'
  | 'rate_limited'
  | 'kafka_unavailable'
  | 'draining'
  | 'write_failed';

export function createMetrics(withDefaults = true): ProducerMetrics {
  const registry = new Registry();
  if (withDefaults) collectDefaultMetrics({ register: registry });
  const registers = [registry];
  const connectionsDropped = new Counter<'reason'>({
    name: 'tormenta_ingest_connections_dropped_total',
    help: 'Connections refused at the connection cap (max_connections) or closed for taking too long to send their request (request_timeout) or for going silent (idle_timeout)',
    labelNames: ['reason'],
    registers,
  });
  // Every reason shown from the start, so a rate over it is defined before the first drop.
  for (const reason of CONNECTION_DROP_REASONS) connectionsDropped.inc({ reason }, 0);
  return {
    connectionsDropped,
    registry,
    received: new Counter({
      name: 'tormenta_ingest_records_received_total',
      help: 'Records offered to the producer, rejected ones included',
      labelNames: ['source'],
      registers,
    }),
    accepted: new Counter({
      name: 'tormenta_ingest_records_accepted_total',
      help: 'Records acknowledged by Kafka and confirmed to the source',
      labelNames: ['source'],
      registers,
    }),
    rejected: new Counter({
      name: 'tormenta_ingest_records_rejected_total',
      help: 'Records refused or not stored, by reason',
      labelNames: ['reason'],
      registers,
    }),
    produceRecords: new Counter({ name: 'tormenta_produce_records_total', help: 'Messages acknowledged by Kafka', registers }),
    produceBytes: new Counter({
      name: 'tormenta_produce_bytes_total',
      help: 'Message value bytes acknowledged by Kafka',
      registers,
    }),
    produceLatency: new Histogram({
      name: 'tormenta_produce_latency_seconds',
      help: 'Time from handing a batch to the Kafka writer to its acknowledgement (or failure)',
      buckets: [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10],
      registers,
    }),
    inflight: new Gauge({
      name: 'tormenta_ingest_inflight_records',
      help: 'Records waiting for a Kafka acknowledgement',
      registers,
    }),
    filtered: new Counter({
      name: 'tormenta_ingest_records_filtered_total',
      help: "Records the stream's transform turned into nothing (filtered out on purpose; not errors)",
      registers,
    }),
  };
}
