import { describe, expect, it } from '@jest/globals';
import { scaleDownLimit, scaleUpLimit, stabilize } from './behavior.ts';
import { DEFAULT_BEHAVIOR, DEFAULT_SCALE_DOWN_RULES, DEFAULT_SCALE_UP_RULES } from './defaults.ts';
import type { ScalingRules, TimestampedRecommendation, TimestampedScaleEvent } from './types.ts';

const NOW = 10_000;

describe('stabilize (HPA: scale-up takes the window minimum, scale-down the window maximum)', () => {
  const recent = (...pairs: [number, number][]): TimestampedRecommendation[] =>
    pairs.map(([ago, replicas]) => ({ at: NOW - ago, replicas }));

  it.each<[string, number, number, TimestampedRecommendation[], number]>([
    ['no history: scale-up goes straight to desired', 2, 9, [], 9],
    ['no history: scale-down goes straight to desired', 9, 2, [], 2],
    ['scale-down held by a higher recommendation inside 300 s', 9, 2, recent([100, 8]), 8],
    ['scale-down held by the highest of several', 9, 2, recent([250, 6], [100, 4], [30, 7]), 7],
    ['recommendation older than the window is ignored', 9, 2, recent([301, 8]), 2],
    ['exactly at the window edge is outside (HPA uses After)', 9, 2, recent([300, 8]), 2],
    ['never above current when scaling down', 5, 2, recent([60, 8]), 5],
    ['scale-up window 0 s: older low samples do not hold scale-up', 2, 9, recent([10, 1]), 9],
  ])('%s', (_label, current, desired, recommendations, expected) => {
    expect(stabilize(current, desired, recommendations, DEFAULT_BEHAVIOR, NOW).replicas).toBe(expected);
  });

  it('a scale-up window takes the lowest recommendation in it', () => {
    const behavior = { ...DEFAULT_BEHAVIOR, scaleUp: { ...DEFAULT_SCALE_UP_RULES, stabilizationWindowSeconds: 60 } };
    expect(stabilize(2, 9, recent([50, 4], [20, 6]), behavior, NOW).replicas).toBe(4);
    expect(stabilize(2, 9, recent([70, 4], [20, 6]), behavior, NOW).replicas).toBe(6);
  });
});

describe('scaleUpLimit', () => {
  const events = (...pairs: [number, number][]): TimestampedScaleEvent[] =>
    pairs.map(([ago, change]) => ({ at: NOW - ago, change }));
  const rules = (selectPolicy: ScalingRules['selectPolicy']): ScalingRules => ({ ...DEFAULT_SCALE_UP_RULES, selectPolicy });

  it.each<[string, number, TimestampedScaleEvent[], ScalingRules, number]>([
    ['defaults from 1: max(100 %, 4 pods) = 5', 1, [], DEFAULT_SCALE_UP_RULES, 5],
    ['defaults from 10: 100 % wins = 20', 10, [], DEFAULT_SCALE_UP_RULES, 20],
    ['defaults from 3: 4 pods wins = 7', 3, [], DEFAULT_SCALE_UP_RULES, 7],
    ['selectPolicy Min from 10: 4 pods = 14', 10, [], rules('Min'), 14],
    ['selectPolicy Disabled: current', 10, [], rules('Disabled'), 10],
    [
      'a scale-up inside the period counts: from 8 after +4 10 s ago, period start 4',
      8,
      events([10, 4]),
      DEFAULT_SCALE_UP_RULES,
      8,
    ],
    ['the same event 15 s ago is outside the period', 8, events([15, 4]), DEFAULT_SCALE_UP_RULES, 16],
    ['a scale-down inside the period raises the period start', 6, events([5, -2]), DEFAULT_SCALE_UP_RULES, 16],
    [
      'from 0, 100 % alone still allows one pod',
      0,
      [],
      { ...DEFAULT_SCALE_UP_RULES, policies: [{ type: 'Percent', value: 100, periodSeconds: 15 }] },
      1,
    ],
    [
      'Percent rounds up: 10 % of 3 → 4',
      3,
      [],
      { ...DEFAULT_SCALE_UP_RULES, policies: [{ type: 'Percent', value: 10, periodSeconds: 60 }] },
      4,
    ],
  ])('%s', (_label, current, history, scalingRules, expected) => {
    expect(scaleUpLimit(current, history, scalingRules, NOW)).toBe(expected);
  });
});

describe('scaleDownLimit', () => {
  const events = (...pairs: [number, number][]): TimestampedScaleEvent[] =>
    pairs.map(([ago, change]) => ({ at: NOW - ago, change }));
  const twoPodsPerMinute: ScalingRules = {
    stabilizationWindowSeconds: 300,
    selectPolicy: 'Max',
    policies: [
      { type: 'Pods', value: 2, periodSeconds: 60 },
      { type: 'Percent', value: 10, periodSeconds: 60 },
    ],
  };

  it.each<[string, number, TimestampedScaleEvent[], ScalingRules, number]>([
    ['defaults: 100 % per 15 s allows 0', 10, [], DEFAULT_SCALE_DOWN_RULES, 0],
    ['Max of (2 pods, 10 %) from 30: the bigger change, 3 pods → 27', 30, [], twoPodsPerMinute, 27],
    ['Min of (2 pods, 10 %) from 30: the smaller change → 28', 30, [], { ...twoPodsPerMinute, selectPolicy: 'Min' }, 28],
    [
      'Percent truncates: 10 % of 15 → 13 (13.5 truncated)',
      15,
      [],
      { ...twoPodsPerMinute, policies: [{ type: 'Percent', value: 10, periodSeconds: 60 }] },
      13,
    ],
    [
      'a scale-down inside the period uses up the allowance',
      8,
      events([30, -2]),
      { ...twoPodsPerMinute, policies: [{ type: 'Pods', value: 2, periodSeconds: 60 }] },
      8,
    ],
    ['Disabled: current', 8, [], { ...twoPodsPerMinute, selectPolicy: 'Disabled' }, 8],
  ])('%s', (_label, current, history, scalingRules, expected) => {
    expect(scaleDownLimit(current, history, scalingRules, NOW)).toBe(expected);
  });
});
