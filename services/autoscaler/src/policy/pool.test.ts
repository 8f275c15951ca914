import { describe, expect, it } from '@jest/globals';
import { allocateBudgetPool, spendPerHour, toMoneyUnits } from './pool.ts';
import type { PoolClaim } from './pool.ts';

const claim = (name: string, wantReplicas: number, overrides: Partial<PoolClaim> = {}): PoolClaim => ({
  name,
  costPerReplicaHour: 10,
  minReplicas: 1,
  wantReplicas,
  paused: false,
  ...overrides,
});

function grants(maxPerHour: number, claims: readonly PoolClaim[]): Record<string, [granted: number, cap: number]> {
  const allocation = allocateBudgetPool(maxPerHour, claims);
  return Object.fromEntries(
    [...allocation.shares.values()].map((share) => [share.name, [share.grantedReplicas, share.capReplicas]]),
  );
}

describe('allocateBudgetPool', () => {
  it.each<[string, number, PoolClaim[], Record<string, [number, number]>]>([
    ['one target wanting little: cap = floor(200 / 10)', 200, [claim('producer', 5)], { producer: [5, 20] }],
    ['one target wanting more than the pool', 200, [claim('producer', 100)], { producer: [20, 20] }],
    [
      'two equal targets beyond the pool split it evenly',
      200,
      [claim('producer', 30), claim('consumer', 30)],
      { producer: [10, 10], consumer: [10, 10] },
    ],
    // 180 left after the minimums; excess 20 and 10 replicas → each gets 60 % of its excess.
    ['split in proportion to demand beyond the minimum', 200, [claim('a', 21), claim('b', 11)], { a: [13, 13], b: [7, 7] }],
    ['everyone fits: headroom shown in each cap', 200, [claim('a', 4), claim('b', 6)], { a: [4, 14], b: [6, 16] }],
    [
      'cost 0 is not charged and has no cap',
      200,
      [claim('free', 500, { costPerReplicaHour: 0 }), claim('paid', 50)],
      { free: [500, Number.POSITIVE_INFINITY], paid: [20, 20] },
    ],
    [
      'a paused target is charged first and never cut',
      200,
      [claim('manual', 15, { paused: true }), claim('auto', 30)],
      { manual: [15, 15], auto: [5, 5] },
    ],
    [
      'a paused target above the budget leaves nothing',
      100,
      [claim('manual', 15, { paused: true }), claim('auto', 30)],
      { manual: [15, 15], auto: [0, 0] },
    ],
    [
      'cost above the budget: the minimum is cut to 0',
      200,
      [claim('costly', 3, { costPerReplicaHour: 300 })],
      { costly: [0, 0] },
    ],
    ['minimum above the cap: cut to the cap', 200, [claim('big', 30, { minReplicas: 25 })], { big: [20, 20] }],
    // 300 of minimums in a 200 pool: 2/3 of each minimum (6.67 → 6), the 20 left to a and b by name.
    [
      'minimums above the pool are cut by the same fraction',
      200,
      [claim('c', 12, { minReplicas: 10 }), claim('b', 12, { minReplicas: 10 }), claim('a', 12, { minReplicas: 10 })],
      { a: [7, 7], b: [7, 7], c: [6, 6] },
    ],
    [
      'a budget of 0 grants nothing that costs',
      0,
      [claim('a', 3), claim('free', 3, { costPerReplicaHour: 0 })],
      { a: [0, 0], free: [3, Number.POSITIVE_INFINITY] },
    ],
    ['money is exact: 0.3 / 0.1 buys 3 replicas', 0.3, [claim('a', 10, { costPerReplicaHour: 0.1 })], { a: [3, 3] }],
    [
      'a holding target below its minimum reserves only what it runs',
      200,
      [claim('held', 2, { minReplicas: 5 }), claim('b', 40)],
      { held: [2, 2], b: [18, 18] },
    ],
  ])('%s', (_label, maxPerHour, claims, expected) => {
    expect(grants(maxPerHour, claims)).toEqual(expected);
  });

  it('breaks ties by name, whatever the input order', () => {
    // 15 left after minimums, equal remainders: the single affordable replica goes to "a".
    const forward = grants(35, [claim('a', 5), claim('b', 5)]);
    const backward = grants(35, [claim('b', 5), claim('a', 5)]);
    expect(forward).toEqual({ a: [2, 2], b: [1, 1] });
    expect(backward).toEqual(forward);
  });

  it('flags cut minimums and reports the spend', () => {
    const allocation = allocateBudgetPool(200, [claim('a', 20, { minReplicas: 15 }), claim('b', 10, { minReplicas: 6 })]);
    expect(allocation.minimumsCut).toBe(true);
    expect(allocation.shares.get('a')!.minimumCut).toBe(true);
    expect(allocation.grantedPerHour).toBe(200);
    expect(allocation.reservedMinimumsPerHour).toBe(200);
  });

  it('never exceeds the budget and never grants more than wanted (seeded random pools)', () => {
    let seed = 12345;
    const random = (): number => {
      seed = (seed * 1_103_515_245 + 12_345) % 2_147_483_648;
      return seed / 2_147_483_648;
    };
    for (let round = 0; round < 500; round += 1) {
      const claims = Array.from({ length: 1 + Math.floor(random() * 8) }, (_, index) => {
        const minReplicas = Math.floor(random() * 4);
        return claim(`t${index}`, minReplicas + Math.floor(random() * 40), {
          minReplicas,
          costPerReplicaHour: [0.07, 0.1, 1.5, 3, 10, 33.33][Math.floor(random() * 6)]!,
        });
      });
      const maxPerHour = Math.round(random() * 30_000) / 100;
      const allocation = allocateBudgetPool(maxPerHour, claims);
      const running = claims.map((c) => ({
        replicas: allocation.shares.get(c.name)!.grantedReplicas,
        costPerReplicaHour: c.costPerReplicaHour,
      }));
      expect(toMoneyUnits(spendPerHour(running))).toBeLessThanOrEqual(toMoneyUnits(maxPerHour));
      for (const c of claims) {
        const share = allocation.shares.get(c.name)!;
        expect(share.grantedReplicas).toBeGreaterThanOrEqual(0);
        expect(share.grantedReplicas).toBeLessThanOrEqual(c.wantReplicas);
        expect(share.capReplicas).toBeGreaterThanOrEqual(share.grantedReplicas);
        if (!allocation.minimumsCut)
          expect(share.grantedReplicas).toBeGreaterThanOrEqual(Math.min(c.minReplicas, c.wantReplicas));
      }
      // Nothing affordable is left on the table: any target short of its want could not buy one more replica.
      const left = toMoneyUnits(maxPerHour) - toMoneyUnits(spendPerHour(running));
      for (const c of claims) {
        if (allocation.shares.get(c.name)!.grantedReplicas < c.wantReplicas)
          expect(toMoneyUnits(c.costPerReplicaHour)).toBeGreaterThan(left);
      }
    }
  });
});
