// The HPA's rules this controller keeps: 0 replicas with minReplicas > 0 disables autoscaling (unless the controller
// itself put the target there), and a target outside [min, max] goes to the nearest bound even without a metric.
import { describe, expect, it } from '@jest/globals';
import { decidePass } from './decide.ts';
import { DEFAULT_BEHAVIOR, DEFAULT_SURGE_GUARD } from './defaults.ts';
import { EMPTY_HISTORY } from './types.ts';
import type { MetricVerdict, ObservedTarget, TargetPolicySpec } from './types.ts';

const spec: TargetPolicySpec = {
  name: 'producer',
  minReplicas: 2,
  maxReplicas: 10,
  targetPerReplica: 100,
  costPerReplicaHour: 1,
  tolerance: 0.1,
  behavior: DEFAULT_BEHAVIOR,
  surge: DEFAULT_SURGE_GUARD,
};
const rate = (value: number): MetricVerdict => ({ kind: 'rate', rate: value, source: 'fresh' });
const unavailable: MetricVerdict = { kind: 'hold', failStatic: true, consecutiveFailures: 3 };
const awaiting: MetricVerdict = { kind: 'hold', failStatic: false, consecutiveFailures: 1, awaitingFirstReading: true };

describe('HPA semantics', () => {
  it.each<[string, ObservedTarget, Partial<TargetPolicySpec>, object]>([
    [
      '0 replicas with minReplicas > 0: left alone',
      { currentReplicas: 0, metric: rate(900) },
      {},
      { replicas: 0, boundBy: 'disabled', reason: 'ScalingDisabled' },
    ],
    [
      '0 replicas the controller set (a budget cut): scaled again',
      { currentReplicas: 0, metric: rate(900), zeroedByController: true },
      {},
      { replicas: 2, reason: 'TooFewReplicas' },
    ],
    [
      '0 replicas with minReplicas 0: scaled from 0',
      { currentReplicas: 0, metric: rate(90) },
      { minReplicas: 0 },
      { replicas: 1 },
    ],
    [
      '0 replicas, minReplicas > 0, metric down: still left alone',
      { currentReplicas: 0, metric: unavailable },
      {},
      { replicas: 0, reason: 'ScalingDisabled' },
    ],
    [
      'metric down above max: to max',
      { currentReplicas: 14, metric: unavailable },
      {},
      { replicas: 10, boundBy: 'max', reason: 'TooManyReplicas' },
    ],
    [
      'metric down below min: to min',
      { currentReplicas: 1, metric: unavailable },
      {},
      { replicas: 2, boundBy: 'min', reason: 'TooFewReplicas' },
    ],
    [
      'metric down within bounds: held',
      { currentReplicas: 5, metric: unavailable },
      {},
      { replicas: 5, boundBy: 'fail-static', reason: 'MetricsUnavailable' },
    ],
    [
      'awaiting the first reading above max: to max',
      { currentReplicas: 12, metric: awaiting },
      {},
      { replicas: 10, reason: 'TooManyReplicas' },
    ],
    [
      'a NaN rate below min: to min',
      { currentReplicas: 1, metric: rate(Number.NaN) },
      {},
      { replicas: 2, reason: 'TooFewReplicas' },
    ],
  ])('%s', (_label, observed, overrides, expected) => {
    const { decisions } = decidePass([{ observed, spec: { ...spec, ...overrides }, history: EMPTY_HISTORY }], 1_000, 0);
    expect(decisions[0]).toMatchObject(expected);
  });

  it('a disabled target is charged for its 0 replicas and takes no share from the others', () => {
    const { decisions } = decidePass(
      [
        { observed: { currentReplicas: 0, metric: rate(900) }, spec, history: EMPTY_HISTORY },
        { observed: { currentReplicas: 4, metric: rate(800) }, spec: { ...spec, name: 'consumer' }, history: EMPTY_HISTORY },
      ],
      8,
      0,
    );
    expect(decisions.map((decision) => [decision.replicas, decision.cap])).toEqual([
      [0, 0],
      [8, 8],
    ]);
  });
});
