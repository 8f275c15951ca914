import { describe, expect, it } from '@jest/globals';
import { deriveReplicaCost, roundCostUp } from './replica-cost.ts';
import type { ReplicaCostInputs } from './replica-cost.ts';

const requests = { cpuCores: 0.5, memoryGiB: 1 };
const configuredPrices = { perVcpuHour: 0.04, perGibHour: 0.005 };
const opencost = { perVcpuHour: 0.03, perGibHour: 0.004 };

describe('deriveReplicaCost', () => {
  it.each<[string, ReplicaCostInputs, number, string]>([
    [
      'the constant override wins',
      { override: 10, requests, configuredPrices, livePrices: { prices: opencost } },
      10,
      'override',
    ],
    ['an override of 0 means free, on purpose', { override: 0 }, 0, 'override'],
    ['requests × ConfigMap prices', { requests, configuredPrices }, 0.025, 'prices'],
    [
      'requests × OpenCost prices, preferred when present',
      { requests, configuredPrices, livePrices: { prices: opencost } },
      0.019,
      'opencost',
    ],
    [
      'ConfigMap prices when OpenCost has no series',
      { requests, configuredPrices, livePrices: { problem: 'empty result' } },
      0.025,
      'prices',
    ],
    ['memory only', { requests: { cpuCores: 0, memoryGiB: 0.125 }, configuredPrices }, 0.000625, 'prices'],
    [
      'rounded up to the millionth',
      { requests: { cpuCores: 0.001, memoryGiB: 0 }, configuredPrices: { perVcpuHour: 0.0001, perGibHour: 1 } },
      0.000001,
      'prices',
    ],
  ])('%s', (_label, inputs, cost, source) => {
    const result = deriveReplicaCost(inputs);
    expect(result).toMatchObject({ ok: true, costPerReplicaHour: cost, source });
  });

  it.each<[string, ReplicaCostInputs, RegExp]>([
    ['no price source at all', { requests }, /no price source: no prices in the ConfigMap/],
    [
      'OpenCost missing and no fallback',
      { requests, livePrices: { problem: 'empty result' } },
      /OpenCost prices unavailable \(empty result\)/,
    ],
    [
      'requests unknown',
      { configuredPrices, requestsProblem: 'container app: cpu "x" is not a quantity' },
      /requests unknown: container app/,
    ],
    ['a template requesting nothing would cost 0', { requests: { cpuCores: 0, memoryGiB: 0 }, configuredPrices }, /would cost 0/],
  ])('refuses %s, never a cost of 0', (_label, inputs, problem) => {
    const result = deriveReplicaCost(inputs);
    expect(result.ok).toBe(false);
    if (!result.ok) expect(result.problem).toMatch(problem);
  });

  it('shows the derivation', () => {
    const result = deriveReplicaCost({ requests, configuredPrices, livePrices: { problem: 'Prometheus unreachable' } }, 'EUR');
    expect(result.ok && result.derivation).toBe(
      '0.5 vCPU × 0.04 + 1 GiB × 0.005 = 0.025 EUR/replica-hour (ConfigMap prices; OpenCost unavailable: Prometheus unreachable)',
    );
  });

  it.each([
    [0.1 + 0.2, 0.3],
    [0.0000011, 0.000002],
    [2, 2],
  ])('roundCostUp(%d) = %d', (amount, rounded) => {
    expect(roundCostUp(amount)).toBe(rounded);
  });
});
