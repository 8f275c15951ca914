import { describe, expect, it } from '@jest/globals';
import type { V1Scale } from '@kubernetes/client-node';
import { loadYaml } from '@kubernetes/client-node';
import { parseAutoscalerConfig } from '../config/schema.ts';
import type { MetricReading } from '../fallback/metric-fallback.ts';
import { createAutoscalerMetrics } from './metrics.ts';
import { Reconciler } from './reconciler.ts';
import { conditionsOf, renderStatus } from './status-report.ts';

function harness(maxPerHour: number) {
  const config = parseAutoscalerConfig({
    budget: { currency: 'USD', maxPerHour, maxPerDay: 10_000 },
    prometheus: { url: 'http://127.0.0.1:9' },
    startupGraceSeconds: 0,
    targets: [
      {
        name: 'producer',
        kind: 'Deployment',
        namespace: 'tormenta',
        costPerReplicaHour: 10,
        minReplicas: 1,
        maxReplicas: 50,
        metric: { query: 'rate', targetPerReplica: 100 },
        behavior: { scaleUp: { policies: [{ type: 'Pods', value: 100, periodSeconds: 15 }] } },
      },
    ],
  });
  const state = {
    now: Date.parse('2026-03-10T12:00:00Z') / 1000,
    replicas: 2,
    reading: { kind: 'value', value: 4_000 } as MetricReading,
  };
  const reconciler = new Reconciler({
    readMetric: async () => state.reading,
    readScale: async () => ({ replicas: state.replicas, pausedByAnnotation: false, scale: {} as V1Scale }),
    writeScale: async (_target, _observed, replicas) => void (state.replicas = replicas),
    events: { record: async () => undefined },
    metrics: createAutoscalerMetrics(),
    now: () => state.now,
  });
  const pass = async () => (await reconciler.pass(config, { leading: () => true, dryRun: false }))[0]!;
  return { state, reconciler, pass };
}

describe('status in the HPA vocabulary', () => {
  it('a budget-capped target: able to scale, active, limited by BudgetCapReached', async () => {
    const { pass } = harness(200);
    const status = await pass();
    expect(conditionsOf(status).map((condition) => [condition.type, condition.status, condition.reason])).toEqual([
      ['AbleToScale', 'True', 'SucceededRescale'],
      ['ScalingActive', 'True', 'ValidMetricFound'],
      ['ScalingLimited', 'True', 'BudgetCapReached'],
    ]);
  });

  it('a metric that is gone: ScalingActive False; within range: not limited', async () => {
    const { state, pass } = harness(1_000);
    await pass();
    state.reading = { kind: 'empty' };
    state.now += 15;
    for (let index = 0; index < 3; index += 1) await pass();
    const status = await pass();
    const [, active, limited] = conditionsOf(status);
    expect(active).toMatchObject({ status: 'False', reason: 'FailedGetMetric' });
    expect(limited).toMatchObject({ status: 'False', reason: 'DesiredWithinRange' });
  });

  it('renders a summary table, one YAML entry per target and the budget; transition times survive unchanged passes', async () => {
    const { state, reconciler, pass } = harness(200);
    const status = await pass();
    const first = renderStatus([status], reconciler.budgetStatus, 'USD', new Map(), '2026-03-10T12:00:00.000Z');
    state.now += 15;
    const again = await pass();
    const second = renderStatus([again], reconciler.budgetStatus, 'USD', first.conditions, '2026-03-10T12:00:15.000Z');
    const entry = loadYaml<{
      desired: number;
      cap: number;
      boundBy: string;
      conditions: { type: string; lastTransitionTime: string }[];
    }>(second.data['producer']!);
    expect(entry).toMatchObject({ desired: 20, cap: 20, boundBy: 'budget' });
    expect(entry.conditions.find((condition) => condition.type === 'ScalingLimited')?.lastTransitionTime).toBe(
      '2026-03-10T12:00:00.000Z',
    );
    expect(second.data['summary']).toMatch(
      /^TARGET\s+DEMAND\s+DESIRED\s+APPLIED\s+CAP\s+SPEND\/H\s+DAY\s+MONTH\s+BOUND-BY\s+REASON\s+LIMITED$/m,
    );
    expect(second.data['summary']).toMatch(
      /^producer\s+40\s+20\s+20\s+20\s+200\.00\s+\d+\.\d\d\s+\d+\.\d\d\s+budget\s+BudgetCapReached\s+BudgetCapReached$/m,
    );
    expect(second.data['summary']).toMatch(/^day: spent \d+\.\d\d, projected \d+\.\d\d of 10000\.00 \(\d+ %\)$/m);
  });
});
