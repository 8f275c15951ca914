// The reconciler's recording around the start-up grace: what a pass says (decision reason, Events) while Prometheus has
// not scraped once yet, and after. The ports are the same seams the local mode plugs its fleet into; the scale port here
// is a plain replica count, the metric port answers what Prometheus would (an empty result, then a rate).
import { describe, expect, it } from '@jest/globals';
import type { V1Scale } from '@kubernetes/client-node';
import { parseAutoscalerConfig } from '../config/schema.ts';
import type { MetricReading } from '../fallback/metric-fallback.ts';
import type { EventReason } from '../kube/events.ts';
import { createAutoscalerMetrics } from './metrics.ts';
import { Reconciler } from './reconciler.ts';

function harness(startupGraceSeconds: number) {
  const config = parseAutoscalerConfig({
    budget: { currency: 'USD', maxPerHour: 100 },
    pollIntervalSeconds: 5,
    prometheus: { url: 'http://127.0.0.1:9' },
    failStaticAfter: 2,
    startupGraceSeconds,
    targets: [
      {
        name: 'producer',
        kind: 'Deployment',
        namespace: 'tormenta',
        costPerReplicaHour: 10,
        minReplicas: 1,
        maxReplicas: 8,
        metric: { query: 'sum(rate(x[15s]))', targetPerReplica: 100 },
      },
    ],
  });
  const events: EventReason[] = [];
  const state = { now: 1_000, replicas: 2, reading: { kind: 'empty' } as MetricReading };
  const reconciler = new Reconciler({
    readMetric: async () => state.reading,
    readScale: async () => ({ replicas: state.replicas, pausedByAnnotation: false, scale: {} as V1Scale }),
    writeScale: async (_target, _observed, replicas) => void (state.replicas = replicas),
    events: { record: async (_object, reason) => void events.push(reason) },
    metrics: createAutoscalerMetrics(),
    now: () => state.now,
  });
  const pass = async () => {
    const [status] = await reconciler.pass(config, { leading: () => true, dryRun: false });
    state.now += config.pollIntervalSeconds;
    return status!.decision.reason;
  };
  return { state, events, pass };
}

describe('Reconciler start-up grace', () => {
  it('says AwaitingMetrics with no Event until the grace is over, then MetricsUnavailable once, as without a grace', async () => {
    const { events, pass } = harness(12);
    // Passes at t=1000, 1005, 1010 are within 12 s of the first; 1015 and 1020 are past it.
    const reasons = [await pass(), await pass(), await pass(), await pass(), await pass()];
    expect(reasons).toEqual([
      'AwaitingMetrics',
      'AwaitingMetrics',
      'AwaitingMetrics',
      'MetricsUnavailable',
      'MetricsUnavailable',
    ]);
    expect(events).toEqual(['MetricsUnavailable']);
  });

  it('scales on the first reading that arrives within the grace, with no warning at all', async () => {
    const { state, events, pass } = harness(60);
    expect(await pass()).toBe('AwaitingMetrics');
    state.reading = { kind: 'value', value: 450 };
    await pass();
    expect(state.replicas).toBe(5);
    expect(events).toEqual(['ScaledUp']);
  });

  it('with no grace reports MetricsUnavailable from the first pass, as before', async () => {
    const { events, pass } = harness(0);
    expect(await pass()).toBe('MetricsUnavailable');
    expect(events).toEqual(['MetricsUnavailable']);
  });
});
