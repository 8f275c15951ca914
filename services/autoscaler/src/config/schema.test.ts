import { describe, expect, it } from '@jest/globals';
import { AutoscalerError } from '../errors.ts';
import { DEFAULT_BEHAVIOR } from '../policy/defaults.ts';
import { parseAutoscalerConfig, toTargetPolicySpec } from './schema.ts';

const validTarget = () => ({
  name: 'producer',
  kind: 'Deployment',
  namespace: 'tormenta',
  costPerReplicaHour: 10,
  minReplicas: 1,
  maxReplicas: 30,
  metric: { query: 'sum(rate(tormenta_ingest_records_received_total[1m]))', targetPerReplica: 100_000 },
});

const validConfig = (): Record<string, unknown> => ({
  budget: { currency: 'USD', maxPerHour: 200 },
  prometheus: { url: 'http://prometheus:9090' },
  targets: [validTarget()],
});

function issuesOf(input: unknown): { path: string; message: string }[] {
  try {
    parseAutoscalerConfig(input);
  } catch (error) {
    expect(error).toBeInstanceOf(AutoscalerError);
    expect((error as AutoscalerError).code).toBe('TORMENTA_AUTOSCALER_CONFIG_INVALID');
    return [...(error as AutoscalerError).issues];
  }
  throw new Error('expected the config to be rejected');
}

describe('parseAutoscalerConfig', () => {
  it('fills in the HPA defaults and ours', () => {
    const config = parseAutoscalerConfig(validConfig());
    expect(config.pollIntervalSeconds).toBe(15);
    expect(config.failStaticAfter).toBe(3);
    expect(config.startupGraceSeconds).toBe(60);
    expect(config.tolerance).toBe(0.1);
    expect(config.surge).toEqual({ multiple: 10, baselineWindowSeconds: 600, minSamples: 4 });
    expect(config.targets[0]!.behavior).toEqual(DEFAULT_BEHAVIOR);
    expect(config.targets[0]!.paused).toBe(false);
  });

  it('fills a partly given behavior field by field, as the HPA does', () => {
    const target = { ...validTarget(), behavior: { scaleDown: { stabilizationWindowSeconds: 60 } } };
    const config = parseAutoscalerConfig({ ...validConfig(), targets: [target] });
    expect(config.targets[0]!.behavior.scaleDown).toEqual({ ...DEFAULT_BEHAVIOR.scaleDown, stabilizationWindowSeconds: 60 });
    expect(config.targets[0]!.behavior.scaleUp).toEqual(DEFAULT_BEHAVIOR.scaleUp);
  });

  it('gives the policy its view, with the target tolerance over the global one', () => {
    const config = parseAutoscalerConfig({ ...validConfig(), tolerance: 0.2, targets: [{ ...validTarget(), tolerance: 0.05 }] });
    expect(toTargetPolicySpec(config, config.targets[0]!, 10)).toMatchObject({
      name: 'producer',
      tolerance: 0.05,
      targetPerReplica: 100_000,
      costPerReplicaHour: 10,
    });
  });

  it('accepts a budget below the sum of minimums (the policy cuts and flags them)', () => {
    expect(() => parseAutoscalerConfig({ ...validConfig(), budget: { currency: 'EUR', maxPerHour: 1 } })).not.toThrow();
  });

  it('accepts a target without a cost when prices derive it, from the ConfigMap or OpenCost', () => {
    const { costPerReplicaHour: _omitted, ...priced } = validTarget();
    const config = parseAutoscalerConfig({
      ...validConfig(),
      prices: { perVcpuHour: 0.04, perGibHour: 0.005, opencost: {} },
      targets: [priced],
    });
    expect(config.prices?.opencost).toEqual({ cpuQuery: 'max(node_cpu_hourly_cost)', memoryQuery: 'max(node_ram_hourly_cost)' });
    expect(() => parseAutoscalerConfig({ ...validConfig(), prices: { opencost: {} }, targets: [priced] })).not.toThrow();
  });

  it.each<[string, unknown, string, RegExp]>([
    ['no cost and no prices', undefined, '/targets/0/costPerReplicaHour', /no price source: set costPerReplicaHour, or prices/],
    ['a CPU price without a memory price', { perVcpuHour: 0.04 }, '/prices/perGibHour', /required with perVcpuHour/],
    ['a memory price without a CPU price', { perGibHour: 0.005 }, '/prices/perVcpuHour', /required with perGibHour/],
    ['an empty prices section', {}, '/prices', /set perVcpuHour and perGibHour, or opencost/],
    ['a price of 0', { perVcpuHour: 0, perGibHour: 0.005 }, '/prices/perVcpuHour', /greater than 0|>0/],
  ])('rejects %s as a config error, never a cost of 0', (_label, prices, path, message) => {
    const { costPerReplicaHour: _omitted, ...unpriced } = validTarget();
    const issues = issuesOf({ ...validConfig(), ...(prices === undefined ? {} : { prices }), targets: [unpriced] });
    expect(issues.find((issue) => issue.path === path)?.message).toMatch(message);
  });

  it('accepts a cost of 0 (not charged to the budget)', () => {
    expect(() =>
      parseAutoscalerConfig({ ...validConfig(), targets: [{ ...validTarget(), costPerReplicaHour: 0 }] }),
    ).not.toThrow();
  });

  it.each<[string, (config: Record<string, unknown>) => unknown, { path: string; message?: RegExp }]>([
    ['an unknown top-level key', (c) => ({ ...c, budgett: 1 }), { path: '', message: /budgett/ }],
    [
      'an unknown target key',
      (c) => ({ ...c, targets: [{ ...validTarget(), replicas: 3 }] }),
      { path: '/targets/0', message: /replicas/ },
    ],
    [
      'an unknown key in a policy',
      (c) => ({
        ...c,
        targets: [
          { ...validTarget(), behavior: { scaleUp: { policies: [{ type: 'Pods', value: 1, periodSeconds: 15, extra: 1 }] } } },
        ],
      }),
      { path: '/targets/0/behavior/scaleUp/policies/0' },
    ],
    [
      'min above max',
      (c) => ({ ...c, targets: [{ ...validTarget(), minReplicas: 31 }] }),
      { path: '/targets/0/minReplicas', message: /maxReplicas \(30\)/ },
    ],
    [
      'a duplicate target name',
      (c) => ({ ...c, targets: [validTarget(), { ...validTarget(), namespace: 'other' }] }),
      { path: '/targets/1/name', message: /duplicates \/targets\/0\/name/ },
    ],
    [
      'a negative cost',
      (c) => ({ ...c, targets: [{ ...validTarget(), costPerReplicaHour: -1 }] }),
      { path: '/targets/0/costPerReplicaHour' },
    ],
    [
      'targetPerReplica 0',
      (c) => ({ ...c, targets: [{ ...validTarget(), metric: { query: 'up', targetPerReplica: 0 } }] }),
      { path: '/targets/0/metric/targetPerReplica' },
    ],
    [
      'an empty query',
      (c) => ({ ...c, targets: [{ ...validTarget(), metric: { query: '  ', targetPerReplica: 1 } }] }),
      { path: '/targets/0/metric/query' },
    ],
    [
      'a fractional minReplicas',
      (c) => ({ ...c, targets: [{ ...validTarget(), minReplicas: 1.5 }] }),
      { path: '/targets/0/minReplicas' },
    ],
    ['an unknown kind', (c) => ({ ...c, targets: [{ ...validTarget(), kind: 'DaemonSet' }] }), { path: '/targets/0/kind' }],
    [
      'an invalid name',
      (c) => ({ ...c, targets: [{ ...validTarget(), name: 'Producer_1' }] }),
      { path: '/targets/0/name', message: /RFC 1123/ },
    ],
    [
      'a stabilization window above the HPA maximum',
      (c) => ({ ...c, targets: [{ ...validTarget(), behavior: { scaleDown: { stabilizationWindowSeconds: 3601 } } }] }),
      { path: '/targets/0/behavior/scaleDown/stabilizationWindowSeconds' },
    ],
    [
      'an unknown selectPolicy',
      (c) => ({ ...c, targets: [{ ...validTarget(), behavior: { scaleUp: { selectPolicy: 'Fastest' } } }] }),
      { path: '/targets/0/behavior/scaleUp/selectPolicy' },
    ],
    [
      'an empty policy list',
      (c) => ({ ...c, targets: [{ ...validTarget(), behavior: { scaleUp: { policies: [] } } }] }),
      { path: '/targets/0/behavior/scaleUp/policies' },
    ],
    ['no targets', (c) => ({ ...c, targets: [] }), { path: '/targets' }],
    ['a negative budget', (c) => ({ ...c, budget: { currency: 'USD', maxPerHour: -5 } }), { path: '/budget/maxPerHour' }],
    ['a lowercase currency', (c) => ({ ...c, budget: { currency: 'usd', maxPerHour: 5 } }), { path: '/budget/currency' }],
    ['a non-http Prometheus url', (c) => ({ ...c, prometheus: { url: 'ftp://prometheus' } }), { path: '/prometheus/url' }],
    ['a surge multiple of 1', (c) => ({ ...c, surge: { multiple: 1 } }), { path: '/surge/multiple' }],
    [
      'a surge baseline that can never fill',
      (c) => ({ ...c, pollIntervalSeconds: 60, surge: { baselineWindowSeconds: 120 } }),
      { path: '/surge/minSamples' },
    ],
    ['failStaticAfter 0', (c) => ({ ...c, failStaticAfter: 0 }), { path: '/failStaticAfter' }],
    ['a negative start-up grace', (c) => ({ ...c, startupGraceSeconds: -1 }), { path: '/startupGraceSeconds' }],
  ])('rejects %s, naming the field', (_label, mutate, expected) => {
    const issues = issuesOf(mutate(validConfig()));
    const match = issues.find((issue) => issue.path === expected.path);
    expect(match).toBeDefined();
    if (expected.message) expect(match!.message).toMatch(expected.message);
  });

  it('reports every issue at once and puts the paths in the message', () => {
    const broken = { ...validConfig(), failStaticAfter: 0, targets: [{ ...validTarget(), minReplicas: -1 }] };
    expect(() => parseAutoscalerConfig(broken)).toThrow(/\/failStaticAfter: .*\/targets\/0\/minReplicas: /);
  });

  it('rejects what is not an object', () => {
    expect(issuesOf('budget: 200')[0]!.path).toBe('');
  });
});
