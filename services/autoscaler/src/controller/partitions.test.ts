// A consumer in the budget pool: lag-based demand, at most one replica per partition (the partition count read with
// the metric), budget shared with the producer.
import { describe, expect, it } from '@jest/globals';
import type { V1Scale } from '@kubernetes/client-node';
import { parseAutoscalerConfig } from '../config/schema.ts';
import type { MetricReading } from '../fallback/metric-fallback.ts';
import { createAutoscalerMetrics } from './metrics.ts';
import { Reconciler } from './reconciler.ts';

const LAG = 'sum(tormenta_consumer_lag_records)';
const PARTITIONS = 'count(count by (partition) (tormenta_consumer_lag_records))';

function harness(partitions: MetricReading) {
  const config = parseAutoscalerConfig({
    budget: { currency: 'USD', maxPerHour: 100 },
    prometheus: { url: 'http://127.0.0.1:9' },
    startupGraceSeconds: 0,
    targets: [
      {
        name: 'consumer',
        kind: 'Deployment',
        namespace: 'tormenta',
        costPerReplicaHour: 5,
        minReplicas: 1,
        maxReplicas: 12,
        metric: { query: LAG, targetPerReplica: 10_000, partitionsQuery: PARTITIONS },
        behavior: { scaleUp: { policies: [{ type: 'Pods', value: 100, periodSeconds: 15 }] } },
      },
    ],
  });
  const readings: Record<string, MetricReading> = { [LAG]: { kind: 'value', value: 90_000 }, [PARTITIONS]: partitions };
  const state = { replicas: 1 };
  const reconciler = new Reconciler({
    readMetric: async (_url, query) => readings[query]!,
    readScale: async () => ({ replicas: state.replicas, pausedByAnnotation: false, scale: {} as V1Scale }),
    writeScale: async (_target, _observed, replicas) => void (state.replicas = replicas),
    events: { record: async () => undefined },
    metrics: createAutoscalerMetrics(),
    now: () => 1_000,
  });
  return { state, pass: async () => (await reconciler.pass(config, { leading: () => true, dryRun: false }))[0]! };
}

describe('a consumer target with a partition count', () => {
  it.each<[string, MetricReading, number, string]>([
    ['demand 9 over 6 partitions: 6', { kind: 'value', value: 6 }, 6, 'max'],
    ['demand 9 within 12 partitions: 9', { kind: 'value', value: 12 }, 9, 'demand'],
    ['partition count unreadable: maxReplicas as configured', { kind: 'empty' }, 9, 'demand'],
    ['a partition count of 0 is not a count', { kind: 'value', value: 0 }, 9, 'demand'],
  ])('%s', async (_label, partitions, replicas, boundBy) => {
    const { state, pass } = harness(partitions);
    const status = await pass();
    expect(status.decision).toMatchObject({ demand: 9, replicas, boundBy });
    expect(state.replicas).toBe(replicas);
  });
});
