// One budget pool for all targets. The rule (also in services/autoscaler/README.md):
//  1. Money is counted in millionths of the currency unit (integers), so 0.3 / 0.1 is 3 replicas, not 2.
//  2. A target that costs 0 per replica-hour is not charged to the pool: its cap is Infinity (only maxReplicas bounds it).
//  3. Paused targets are charged for the replicas they run, first and uncut (we do not touch them, but we pay for them).
//  4. Every other target's minReplicas is reserved next. If the minimums do not fit, they are cut: each gets the same
//     fraction of its minimum (floored), leftovers as in 6. The budget is never exceeded, not even for minimums.
//  5. The rest of the pool is split in proportion to the cost of each target's demand beyond its minimum — every target
//     gets the same fraction of its excess (floored to whole replicas).
//  6. Money left by the flooring goes one replica at a time to the largest fractional remainders (ties: name order), then,
//     in the same order, each target takes as many more as still fit.
//  7. A target's cap = its granted replicas + what the unspent money would buy it: with one target wanting little, the
//     cap is floor(maxPerHour / costPerReplicaHour); with demand above the pool, the cap is the grant.
const MONEY_SCALE = 1_000_000;

export function toMoneyUnits(amountPerHour: number): number {
  return Math.round(amountPerHour * MONEY_SCALE);
}

export interface PoolClaim {
  readonly name: string;
  readonly costPerReplicaHour: number;
  readonly minReplicas: number;
  /** Replicas the target would run without a budget (its proposal); at least its minimum unless paused or holding. */
  readonly wantReplicas: number;
  readonly paused: boolean;
}

export interface PoolShare {
  readonly name: string;
  readonly grantedReplicas: number;
  readonly capReplicas: number;
  readonly minimumCut: boolean;
}

export interface PoolAllocation {
  readonly shares: ReadonlyMap<string, PoolShare>;
  readonly maxPerHour: number;
  readonly pausedPerHour: number;
  readonly reservedMinimumsPerHour: number;
  readonly grantedPerHour: number;
  readonly minimumsCut: boolean;
}

interface Request {
  readonly name: string;
  /** Money units per replica-hour, > 0. */
  readonly cost: number;
  readonly want: number;
}

interface Split {
  readonly grants: Map<string, number>;
  readonly left: number;
}

/** Grants each request up to `want` replicas, the same fraction of each, without spending more than `money`. */
function splitProportionally(requests: readonly Request[], money: number): Split {
  const grants = new Map<string, number>();
  const totalCost = requests.reduce((sum, request) => sum + request.want * request.cost, 0);
  if (totalCost <= money) {
    for (const request of requests) grants.set(request.name, request.want);
    return { grants, left: money - totalCost };
  }
  const fraction = money / totalCost;
  const remainders = new Map<string, number>();
  let spent = 0;
  for (const request of requests) {
    const exact = request.want * fraction;
    const whole = Math.min(request.want, Math.floor(exact));
    grants.set(request.name, whole);
    remainders.set(request.name, exact - whole);
    spent += whole * request.cost;
  }
  const order = [...requests].sort(
    (a, b) => remainders.get(b.name)! - remainders.get(a.name)! || (a.name < b.name ? -1 : a.name > b.name ? 1 : 0),
  );
  // Float error in `fraction` could overshoot by a replica; the budget must hold regardless.
  for (const request of [...order].reverse()) {
    while (spent > money && grants.get(request.name)! > 0) {
      grants.set(request.name, grants.get(request.name)! - 1);
      spent -= request.cost;
    }
  }
  let left = money - spent;
  for (const request of order) {
    if (grants.get(request.name)! < request.want && request.cost <= left) {
      grants.set(request.name, grants.get(request.name)! + 1);
      left -= request.cost;
    }
  }
  for (const request of order) {
    const more = Math.min(request.want - grants.get(request.name)!, Math.floor(left / request.cost));
    if (more > 0) {
      grants.set(request.name, grants.get(request.name)! + more);
      left -= more * request.cost;
    }
  }
  return { grants, left };
}

export function allocateBudgetPool(maxPerHour: number, claims: readonly PoolClaim[]): PoolAllocation {
  const shares = new Map<string, PoolShare>();
  let money = Math.max(0, toMoneyUnits(maxPerHour));
  let pausedUnits = 0;
  const charged: { claim: PoolClaim; cost: number; reserve: number }[] = [];
  for (const claim of claims) {
    const cost = toMoneyUnits(claim.costPerReplicaHour);
    if (cost <= 0) {
      shares.set(claim.name, {
        name: claim.name,
        grantedReplicas: claim.wantReplicas,
        capReplicas: Number.POSITIVE_INFINITY,
        minimumCut: false,
      });
    } else if (claim.paused) {
      pausedUnits += claim.wantReplicas * cost;
      shares.set(claim.name, {
        name: claim.name,
        grantedReplicas: claim.wantReplicas,
        capReplicas: claim.wantReplicas,
        minimumCut: false,
      });
    } else {
      charged.push({ claim, cost, reserve: Math.min(claim.minReplicas, claim.wantReplicas) });
    }
  }
  money = Math.max(0, money - pausedUnits);

  const minimums = splitProportionally(
    charged.map(({ claim, cost, reserve }) => ({ name: claim.name, cost, want: reserve })),
    money,
  );
  const excess = splitProportionally(
    charged.map(({ claim, cost, reserve }) => ({
      name: claim.name,
      cost,
      // A target whose minimum was cut gets nothing beyond it: the cut already says the pool is exhausted for it.
      want: minimums.grants.get(claim.name)! < reserve ? 0 : claim.wantReplicas - reserve,
    })),
    minimums.left,
  );

  let minimumsCut = false;
  let reservedUnits = 0;
  let grantedUnits = 0;
  for (const { claim, cost, reserve } of charged) {
    const minimumGrant = minimums.grants.get(claim.name)!;
    const granted = minimumGrant + excess.grants.get(claim.name)!;
    const minimumCut = minimumGrant < reserve;
    minimumsCut ||= minimumCut;
    reservedUnits += minimumGrant * cost;
    grantedUnits += granted * cost;
    shares.set(claim.name, {
      name: claim.name,
      grantedReplicas: granted,
      capReplicas: granted + Math.floor(excess.left / cost),
      minimumCut,
    });
  }
  return {
    shares,
    maxPerHour,
    pausedPerHour: pausedUnits / MONEY_SCALE,
    reservedMinimumsPerHour: reservedUnits / MONEY_SCALE,
    grantedPerHour: (grantedUnits + pausedUnits) / MONEY_SCALE,
    minimumsCut,
  };
}

/** Spend per hour of running replicas, in the same exact units the pool uses. */
export function spendPerHour(running: readonly { replicas: number; costPerReplicaHour: number }[]): number {
  let units = 0;
  for (const item of running) units += item.replicas * toMoneyUnits(item.costPerReplicaHour);
  return units / MONEY_SCALE;
}
