// A target's cost as a pass derives it (override, requests × OpenCost or ConfigMap prices, last known), and what the
// reconciler does when it cannot: scale nothing, say CostUnknown once. The ports are the reconciler's seams; the metric
// port answers the OpenCost queries as Prometheus would.
import { describe, expect, it } from '@jest/globals';
import type { V1Scale } from '@kubernetes/client-node';
import { parseAutoscalerConfig } from '../config/schema.ts';
import type { MetricReading } from '../fallback/metric-fallback.ts';
import type { EventReason } from '../kube/events.ts';
import { livePricesFrom } from '../prometheus/opencost.ts';
import { createAutoscalerMetrics } from './metrics.ts';
import { Reconciler } from './reconciler.ts';
import { costOfTarget } from './target-cost.ts';

const template = { containers: [{ name: 'app', resources: { requests: { cpu: '500m', memory: '1Gi' } } }] };
const queries = { cpuQuery: 'max(node_cpu_hourly_cost)', memoryQuery: 'max(node_ram_hourly_cost)' };

function config(prices: unknown, costPerReplicaHour?: number) {
  return parseAutoscalerConfig({
    budget: { currency: 'USD', maxPerHour: 1 },
    pollIntervalSeconds: 5,
    prometheus: { url: 'http://127.0.0.1:9' },
    startupGraceSeconds: 0,
    ...(prices === undefined ? {} : { prices }),
    targets: [
      {
        name: 'producer',
        kind: 'Deployment',
        namespace: 'tormenta',
        ...(costPerReplicaHour === undefined ? {} : { costPerReplicaHour }),
        minReplicas: 1,
        maxReplicas: 100,
        metric: { query: 'rate', targetPerReplica: 100 },
      },
    ],
  });
}

describe('livePricesFrom (OpenCost answers)', () => {
  it.each<[string, MetricReading, MetricReading, unknown]>([
    [
      'two prices',
      { kind: 'value', value: 0.03 },
      { kind: 'value', value: 0.004 },
      { prices: { perVcpuHour: 0.03, perGibHour: 0.004 } },
    ],
    [
      'no series',
      { kind: 'empty' },
      { kind: 'value', value: 0.004 },
      { problem: 'max(node_cpu_hourly_cost): no series (is OpenCost scraped?)' },
    ],
    [
      'a price of 0',
      { kind: 'value', value: 0.03 },
      { kind: 'value', value: 0 },
      { problem: 'max(node_ram_hourly_cost): 0 is not a price' },
    ],
    [
      'NaN',
      { kind: 'value', value: Number.NaN },
      { kind: 'value', value: 1 },
      { problem: 'max(node_cpu_hourly_cost): NaN is not a price' },
    ],
    ['an error', { kind: 'error', message: 'down' }, { kind: 'value', value: 1 }, { problem: 'max(node_cpu_hourly_cost): down' }],
  ])('%s', (_label, cpu, memory, expected) => {
    expect(livePricesFrom(cpu, memory, queries)).toEqual(expected);
  });
});

describe('costOfTarget', () => {
  const withPrices = config({ perVcpuHour: 0.04, perGibHour: 0.005, opencost: {} });
  const target = withPrices.targets[0]!;

  it('derives requests × OpenCost prices, and ConfigMap prices when OpenCost is down', () => {
    const live = costOfTarget(withPrices, target, template, { prices: { perVcpuHour: 0.03, perGibHour: 0.004 } }, undefined);
    expect(live).toMatchObject({ ok: true, costPerReplicaHour: 0.019, source: 'opencost' });
    const fallback = costOfTarget(withPrices, target, template, { problem: 'down' }, undefined);
    expect(fallback).toMatchObject({ ok: true, costPerReplicaHour: 0.025, source: 'prices' });
  });

  it('keeps the last known cost when the workload cannot be read now, and says so', () => {
    const known = costOfTarget(withPrices, target, template, undefined, undefined);
    if (!known.ok) throw new Error(known.problem);
    const later = costOfTarget(withPrices, target, undefined, undefined, known);
    expect(later).toMatchObject({ ok: true, costPerReplicaHour: 0.025 });
    expect(later.ok && later.derivation).toMatch(
      /last known \(now: pod template requests unknown: the Deployment could not be read\)/,
    );
  });

  it('is unknown, never 0, with only OpenCost configured and OpenCost absent', () => {
    const onlyOpenCost = config({ opencost: {} });
    const cost = costOfTarget(onlyOpenCost, onlyOpenCost.targets[0]!, template, { problem: 'no series' }, undefined);
    expect(cost).toEqual({
      ok: false,
      problem: 'no price source: OpenCost prices unavailable (no series) and no prices in the ConfigMap',
    });
  });
});

describe('Reconciler with derived costs', () => {
  function harness(prices: unknown, opencost: Record<string, MetricReading>) {
    const events: EventReason[] = [];
    const state = { now: 1_000, replicas: 2 };
    const reconciler = new Reconciler({
      readMetric: async (_url, query) => opencost[query] ?? { kind: 'value', value: 1_000 },
      readScale: async () => ({
        replicas: state.replicas,
        pausedByAnnotation: false,
        scale: {} as V1Scale,
        podTemplate: template,
      }),
      writeScale: async (_target, _observed, replicas) => void (state.replicas = replicas),
      events: { record: async (_object, reason) => void events.push(reason) },
      metrics: createAutoscalerMetrics(),
      now: () => state.now,
    });
    const pass = async () => (await reconciler.pass(config(prices), { leading: () => true, dryRun: false }))[0]!;
    return { state, events, pass };
  }

  it('caps on the derived cost: 1 USD/h at 0.019 USD per replica-hour buys 52 replicas', async () => {
    const { state, pass } = harness(
      { opencost: {} },
      {
        [queries.cpuQuery]: { kind: 'value', value: 0.03 },
        [queries.memoryQuery]: { kind: 'value', value: 0.004 },
      },
    );
    const status = await pass();
    expect(status.cost).toMatchObject({ ok: true, costPerReplicaHour: 0.019, source: 'opencost' });
    // Demand 10 (1 000 / 100), well within floor(1 / 0.019) = 52; the HPA's default scale-up (max of +100 %, +4) gives 6.
    expect(status.decision.cap).toBe(52);
    expect(state.replicas).toBe(6);
    expect(status.inputs.costDerivation).toMatch(
      /^0\.5 vCPU × 0\.03 \+ 1 GiB × 0\.004 = 0\.019 USD\/replica-hour \(OpenCost prices\)$/,
    );
  });

  it('scales nothing while no cost was ever known, with one CostUnknown Event', async () => {
    const { state, events, pass } = harness({ opencost: {} }, { [queries.cpuQuery]: { kind: 'empty' } });
    const first = await pass();
    await pass();
    expect(state.replicas).toBe(2);
    expect(first.applied).toBe(false);
    expect(first.error).toMatch(/^cost unknown: no price source: OpenCost prices unavailable/);
    expect(events).toEqual(['CostUnknown']);
  });
});
