import { describe, expect, it } from '@jest/globals';
import { decide, decidePass, proposeReplicas } from './decide.ts';
import { DEFAULT_BEHAVIOR, DEFAULT_SURGE_GUARD } from './defaults.ts';
import { initialHistory, recordDecision } from './history.ts';
import { allocateBudgetPool } from './pool.ts';
import { EMPTY_HISTORY } from './types.ts';
import type { BoundBy, DecisionHistory, DecisionReason, ObservedTarget, TargetPolicySpec } from './types.ts';

const NOW = 100_000;

const spec = (overrides: Partial<TargetPolicySpec> = {}): TargetPolicySpec => ({
  name: 'producer',
  minReplicas: 1,
  maxReplicas: 30,
  targetPerReplica: 50_000,
  costPerReplicaHour: 10,
  tolerance: 0.1,
  behavior: DEFAULT_BEHAVIOR,
  surge: DEFAULT_SURGE_GUARD,
  ...overrides,
});

const observe = (rate: number, currentReplicas: number): ObservedTarget => ({
  currentReplicas,
  metric: { kind: 'rate', rate, source: 'fresh' },
});

/** One target alone in a pool of `maxPerHour`. */
function decideAlone(
  rate: number,
  current: number,
  target: TargetPolicySpec,
  maxPerHour = 200,
  history: DecisionHistory = EMPTY_HISTORY,
) {
  const proposal = proposeReplicas(observe(rate, current), target, history, NOW);
  const share = allocateBudgetPool(maxPerHour, [
    {
      name: target.name,
      costPerReplicaHour: target.costPerReplicaHour,
      minReplicas: target.minReplicas,
      wantReplicas: proposal.wantReplicas,
      paused: false,
    },
  ]).shares.get(target.name)!;
  return decide(observe(rate, current), target, history, NOW, share);
}

const steady = (replicas: number): DecisionHistory => initialHistory(replicas, NOW - 60);
const baseline = (rate: number): DecisionHistory => ({
  ...EMPTY_HISTORY,
  rates: Array.from({ length: 20 }, (_, index) => ({ at: NOW - 30 * (index + 1), rate })),
});

type Row = [
  label: string,
  rate: number,
  current: number,
  target: TargetPolicySpec,
  maxPerHour: number,
  history: DecisionHistory,
  expected: { replicas: number; demand: number | null; cap: number; boundBy: BoundBy; reason: DecisionReason },
];

describe('decide (one target, its own pool)', () => {
  it.each<Row>([
    [
      'at demand',
      500_000,
      10,
      spec(),
      200,
      EMPTY_HISTORY,
      { replicas: 10, demand: 10, cap: 20, boundBy: 'demand', reason: 'DesiredWithinRange' },
    ],
    [
      'the issue example: 4 → 10 wanted, +4 pods per 15 s',
      500_000,
      4,
      spec(),
      200,
      EMPTY_HISTORY,
      { replicas: 8, demand: 10, cap: 20, boundBy: 'rate-policy', reason: 'ScaleUpLimit' },
    ],
    [
      'within 10 % tolerance: stays',
      520_000,
      10,
      spec(),
      200,
      EMPTY_HISTORY,
      { replicas: 10, demand: 11, cap: 20, boundBy: 'tolerance', reason: 'WithinTolerance' },
    ],
    [
      'just outside tolerance: scales',
      560_000,
      10,
      spec(),
      200,
      EMPTY_HISTORY,
      { replicas: 12, demand: 12, cap: 20, boundBy: 'demand', reason: 'DesiredWithinRange' },
    ],
    [
      'tolerance 0 scales on any change',
      520_000,
      10,
      spec({ tolerance: 0 }),
      200,
      EMPTY_HISTORY,
      { replicas: 11, demand: 11, cap: 20, boundBy: 'demand', reason: 'DesiredWithinRange' },
    ],
    [
      'zero rate with no history: to the minimum',
      0,
      5,
      spec(),
      200,
      EMPTY_HISTORY,
      { replicas: 1, demand: 0, cap: 20, boundBy: 'min', reason: 'TooFewReplicas' },
    ],
    [
      'zero rate, fresh controller: held by the scale-down window',
      0,
      5,
      spec(),
      200,
      steady(5),
      { replicas: 5, demand: 0, cap: 20, boundBy: 'stabilization', reason: 'ScaleDownStabilized' },
    ],
    [
      'zero rate with minReplicas 0: to zero',
      0,
      3,
      spec({ minReplicas: 0 }),
      200,
      EMPTY_HISTORY,
      { replicas: 0, demand: 0, cap: 20, boundBy: 'demand', reason: 'DesiredWithinRange' },
    ],
    [
      'from zero replicas: tolerance skipped, scales up',
      60_000,
      0,
      spec({ minReplicas: 0 }),
      200,
      EMPTY_HISTORY,
      { replicas: 2, demand: 2, cap: 20, boundBy: 'demand', reason: 'DesiredWithinRange' },
    ],
    [
      'max bounds',
      5_000_000,
      30,
      spec({ costPerReplicaHour: 1 }),
      200,
      EMPTY_HISTORY,
      { replicas: 30, demand: 100, cap: 200, boundBy: 'max', reason: 'TooManyReplicas' },
    ],
    [
      'budget bounds below max',
      5_000_000,
      20,
      spec(),
      200,
      EMPTY_HISTORY,
      { replicas: 20, demand: 100, cap: 20, boundBy: 'budget', reason: 'BudgetCapReached' },
    ],
    [
      'budget cuts at once, behavior notwithstanding',
      5_000_000,
      25,
      spec(),
      200,
      steady(25),
      { replicas: 20, demand: 100, cap: 20, boundBy: 'budget', reason: 'BudgetCapReached' },
    ],
    [
      'huge rate: demand saturates, max and rate policy bound',
      1e300,
      1,
      spec(),
      200,
      EMPTY_HISTORY,
      { replicas: 5, demand: Number.MAX_SAFE_INTEGER, cap: 20, boundBy: 'rate-policy', reason: 'ScaleUpLimit' },
    ],
    [
      'MAX_VALUE rate does not overflow into Infinity',
      Number.MAX_VALUE,
      30,
      spec(),
      200,
      EMPTY_HISTORY,
      { replicas: 20, demand: Number.MAX_SAFE_INTEGER, cap: 20, boundBy: 'budget', reason: 'BudgetCapReached' },
    ],
    [
      'cost 0: no budget cap, max bounds',
      5_000_000,
      30,
      spec({ costPerReplicaHour: 0 }),
      200,
      EMPTY_HISTORY,
      { replicas: 30, demand: 100, cap: Number.POSITIVE_INFINITY, boundBy: 'max', reason: 'TooManyReplicas' },
    ],
    [
      'cost above the budget: cut to 0 and flagged',
      100_000,
      1,
      spec({ costPerReplicaHour: 300 }),
      200,
      EMPTY_HISTORY,
      { replicas: 0, demand: 2, cap: 0, boundBy: 'budget', reason: 'BudgetBelowMinimum' },
    ],
    [
      'min above the cap: the budget wins',
      100_000,
      25,
      spec({ minReplicas: 25 }),
      200,
      EMPTY_HISTORY,
      { replicas: 20, demand: 2, cap: 20, boundBy: 'budget', reason: 'BudgetBelowMinimum' },
    ],
    [
      'rounding: exact multiple is not rounded up',
      150_000,
      3,
      spec(),
      200,
      EMPTY_HISTORY,
      { replicas: 3, demand: 3, cap: 20, boundBy: 'demand', reason: 'DesiredWithinRange' },
    ],
    [
      'rounding: float noise is not a replica (0.1 + 0.2) / 0.1',
      0.1 + 0.2,
      1,
      spec({ targetPerReplica: 0.1, tolerance: 0 }),
      200,
      EMPTY_HISTORY,
      { replicas: 3, demand: 3, cap: 20, boundBy: 'demand', reason: 'DesiredWithinRange' },
    ],
    [
      'rounding: a hair above a multiple is one more replica',
      150_001,
      1,
      spec({ tolerance: 0 }),
      200,
      EMPTY_HISTORY,
      { replicas: 4, demand: 4, cap: 20, boundBy: 'demand', reason: 'DesiredWithinRange' },
    ],
    [
      'rounding: budget 0.3 at 0.1 per replica is 3',
      1_000_000,
      3,
      spec({ costPerReplicaHour: 0.1 }),
      0.3,
      EMPTY_HISTORY,
      { replicas: 3, demand: 20, cap: 3, boundBy: 'budget', reason: 'BudgetCapReached' },
    ],
    [
      'current above max (edited config): straight to max',
      100_000,
      40,
      spec(),
      1000,
      steady(40),
      { replicas: 30, demand: 2, cap: 100, boundBy: 'max', reason: 'TooManyReplicas' },
    ],
    [
      'surge: 20× the baseline is held at 10×',
      2_000_000,
      15,
      spec({ maxReplicas: 100, costPerReplicaHour: 1 }),
      200,
      baseline(100_000),
      { replicas: 20, demand: 40, cap: 200, boundBy: 'surge', reason: 'SurgeLimited' },
    ],
    [
      'surge: the 5× business peak passes',
      500_000,
      2,
      spec(),
      200,
      baseline(100_000),
      { replicas: 6, demand: 10, cap: 20, boundBy: 'rate-policy', reason: 'ScaleUpLimit' },
    ],
  ])('%s', (_label, rate, current, target, maxPerHour, history, expected) => {
    const decision = decideAlone(rate, current, target, maxPerHour, history);
    expect({
      replicas: decision.replicas,
      demand: decision.demand,
      cap: decision.cap,
      boundBy: decision.boundBy,
      reason: decision.reason,
    }).toEqual(expected);
  });

  it.each<[string, ObservedTarget]>([
    ['NaN', observe(Number.NaN, 6)],
    ['+Infinity', observe(Number.POSITIVE_INFINITY, 6)],
    ['a negative rate', observe(-100, 6)],
    ['fail-static', { currentReplicas: 6, metric: { kind: 'hold', failStatic: true, consecutiveFailures: 3 } }],
  ])('%s holds the current replicas, never scales to zero', (_label, observed) => {
    const decision = decide(observed, spec(), EMPTY_HISTORY, NOW, { capReplicas: 20, minimumCut: false });
    expect(decision).toMatchObject({
      replicas: 6,
      demand: null,
      boundBy: 'fail-static',
      reason: 'MetricsUnavailable',
      recommendation: null,
    });
  });

  it('a target awaiting its first reading in the start-up grace holds as AwaitingMetrics, not MetricsUnavailable', () => {
    const observed: ObservedTarget = {
      currentReplicas: 2,
      metric: { kind: 'hold', failStatic: false, consecutiveFailures: 1, awaitingFirstReading: true },
    };
    expect(decide(observed, spec(), EMPTY_HISTORY, NOW, { capReplicas: 20, minimumCut: false })).toMatchObject({
      replicas: 2,
      demand: null,
      boundBy: 'fail-static',
      reason: 'AwaitingMetrics',
    });
  });

  it('a held target is still cut by the budget', () => {
    const observed: ObservedTarget = { currentReplicas: 12, metric: { kind: 'hold', failStatic: true, consecutiveFailures: 5 } };
    expect(decide(observed, spec(), EMPTY_HISTORY, NOW, { capReplicas: 8, minimumCut: false })).toMatchObject({
      replicas: 8,
      boundBy: 'budget',
    });
  });

  it('a paused target is left alone even above its share', () => {
    const observed: ObservedTarget = { ...observe(5_000_000, 25), paused: true };
    expect(decide(observed, spec(), EMPTY_HISTORY, NOW, { capReplicas: 20, minimumCut: false })).toMatchObject({
      replicas: 25,
      boundBy: 'paused',
      reason: 'Paused',
    });
  });

  it('lists every step with the value after it', () => {
    const decision = decideAlone(500_000, 4, spec());
    expect(decision.steps.map((step) => [step.stage, step.value, step.changed])).toEqual([
      ['current', 4, false],
      ['rate', 500_000, false],
      ['demand', 10, true],
      ['tolerance', 10, false],
      ['stabilization', 10, false],
      ['rate-policy', 8, true],
      ['surge', 8, false],
      ['budget', 8, false],
    ]);
  });
});

describe('decide over time (history)', () => {
  it('scales down only after the 300 s window, then as far as the policies allow', () => {
    const target = spec();
    let history = initialHistory(10, 0);
    let current = 10;
    const replicasAt: Record<number, number> = {};
    for (let now = 15; now <= 450; now += 15) {
      const observed = observe(now < 60 ? 500_000 : 100_000, current);
      const decision = decide(observed, target, history, now, { capReplicas: 20, minimumCut: false });
      history = recordDecision(history, observed, decision, true, target, now);
      current = decision.replicas;
      replicasAt[now] = current;
    }
    expect(replicasAt[330]).toBe(10); // the last 500k recommendation (t = 45) is still in the window
    expect(replicasAt[345]).toBe(2); // ... and now it is not (the window edge is exclusive)
    expect(replicasAt[450]).toBe(2);
  });

  it('with the 4-pod policy, reaching 20 from 1 takes passes 15 s apart', () => {
    const target = spec({ costPerReplicaHour: 1 });
    let history = EMPTY_HISTORY;
    let current = 1;
    const trail: number[] = [];
    for (let now = 0; now <= 60; now += 5) {
      const observed = observe(1_000_000, current);
      const decision = decide(observed, target, history, now, { capReplicas: 200, minimumCut: false });
      history = recordDecision(history, observed, decision, true, target, now);
      current = decision.replicas;
      trail.push(current);
    }
    // +4 at t=0 (max(100 %, 4)), nothing more until the period passes, then 100 % of 5, then 20 is demand.
    expect(trail).toEqual([5, 5, 5, 10, 10, 10, 20, 20, 20, 20, 20, 20, 20]);
  });
});

describe('decidePass (shared pool)', () => {
  it('producers and consumer share one budget; the total never exceeds it', () => {
    const inputs = ['producer-a', 'producer-b', 'consumer'].map((name) => ({
      observed: observe(5_000_000, 20),
      spec: spec({ name, maxReplicas: 100 }),
      history: EMPTY_HISTORY,
    }));
    const { decisions, allocation } = decidePass(inputs, 200, NOW);
    // 17 replicas beyond the minimums, 5 + 5 + 5 by the same fraction, the 2 left by name: consumer, producer-a.
    expect(decisions.map((decision) => decision.replicas)).toEqual([7, 6, 7]);
    expect(decisions.every((decision) => decision.boundBy === 'budget')).toBe(true);
    expect(allocation.grantedPerHour).toBe(200);
  });
});
