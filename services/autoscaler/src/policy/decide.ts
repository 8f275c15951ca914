// The decision, in the order of ARCHITECTURE §6: demand → tolerance → min/max → behavior (stabilization, rate policies)
// → surge guard → budget. Pure: the caller observes, keeps the history (see history.ts) and acts.
import { scaleDownLimit, scaleUpLimit, stabilize } from './behavior.ts';
import { allocateBudgetPool } from './pool.ts';
import type { PoolAllocation, PoolShare } from './pool.ts';
import { checkSurge } from './surge.ts';
import type {
  BoundBy,
  Decision,
  DecisionHistory,
  DecisionReason,
  DecisionStep,
  ObservedTarget,
  Proposal,
  TargetPolicySpec,
} from './types.ts';

const DEMAND_EPSILON = 1e-9;

/** Everything up to the budget: what the target would run if money were no object. */
export function proposeReplicas(
  observed: ObservedTarget,
  spec: TargetPolicySpec,
  history: DecisionHistory,
  now: number,
): Proposal {
  const current = observed.currentReplicas;
  const steps: DecisionStep[] = [
    { stage: 'current', value: current, changed: false, detail: `${current} replicas in the scale subresource` },
  ];
  const hold = (boundBy: BoundBy, reason: DecisionReason, detail: string): Proposal => {
    steps.push({ stage: boundBy, value: current, changed: false, detail });
    const base = { name: spec.name, currentReplicas: current, demand: null, recommendation: null };
    return { ...base, wantReplicas: current, boundBy, reason, surgeLimited: false, steps };
  };

  if (observed.paused === true) return hold('paused', 'Paused', 'paused: left to manual scaling, replicas held');
  if (current === 0 && spec.minReplicas > 0 && observed.zeroedByController !== true) {
    return hold('disabled', 'ScalingDisabled', 'scaled to 0 with minReplicas > 0: autoscaling disabled (as the HPA), left alone');
  }
  // As the HPA: without a metric a target outside [min, max] still goes to the nearest bound; inside, it is held.
  const holdWithinBounds = (reason: DecisionReason, detail: string): Proposal => {
    if (current <= spec.maxReplicas && current >= spec.minReplicas)
      return hold('fail-static', reason, `${detail}: current replicas held`);
    const [stage, bound, boundReason] =
      current > spec.maxReplicas
        ? (['max', spec.maxReplicas, 'TooManyReplicas'] as const)
        : (['min', spec.minReplicas, 'TooFewReplicas'] as const);
    steps.push({
      stage,
      value: bound,
      changed: true,
      detail: `${detail}; current outside [${spec.minReplicas}, ${spec.maxReplicas}]`,
    });
    const base = { name: spec.name, currentReplicas: current, demand: null, recommendation: bound };
    return { ...base, wantReplicas: bound, boundBy: stage, reason: boundReason, surgeLimited: false, steps };
  };
  const metric = observed.metric;
  if (metric.kind === 'hold' && metric.awaitingFirstReading === true) {
    return holdWithinBounds('AwaitingMetrics', 'no reading yet, within the start-up grace');
  }
  if (metric.kind === 'hold') {
    const why = metric.failStatic ? `fail-static after ${metric.consecutiveFailures} failed reads` : 'no usable reading yet';
    return holdWithinBounds('MetricsUnavailable', `metric unavailable (${why})`);
  }
  const rate = metric.rate;
  // A non-finite or negative rate is a broken metric, never a reason to scale to zero.
  if (!Number.isFinite(rate) || rate < 0) {
    return holdWithinBounds('MetricsUnavailable', `metric value ${rate} is not a rate`);
  }
  steps.push({ stage: 'rate', value: rate, changed: false, detail: `${rate} per second (${metric.source} reading)` });

  // The epsilon absorbs float noise (0.30000000000000004 / 0.1 is 3 replicas, not 4); it is far below one replica.
  const demand = Math.min(Number.MAX_SAFE_INTEGER, Math.max(0, Math.ceil(rate / spec.targetPerReplica - DEMAND_EPSILON)));
  steps.push({ stage: 'demand', value: demand, changed: demand !== current, detail: `ceil(${rate} / ${spec.targetPerReplica})` });
  let replicas = demand;
  let boundBy: BoundBy = 'demand';
  let reason: DecisionReason = 'DesiredWithinRange';
  const apply = (stage: BoundBy, next: number, nextReason: DecisionReason, detail: string): void => {
    const changed = next !== replicas;
    steps.push({ stage, value: next, changed, detail });
    if (!changed) return;
    replicas = next;
    boundBy = stage;
    reason = nextReason;
  };

  if (current > 0) {
    const usageRatio = rate / (spec.targetPerReplica * current);
    const within = Math.abs(1 - usageRatio) <= spec.tolerance;
    apply(
      'tolerance',
      within ? current : replicas,
      'WithinTolerance',
      `usage ratio ${usageRatio.toFixed(3)} ${within ? 'within' : 'outside'} 1 ± ${spec.tolerance}`,
    );
  }

  let recommendation: number;
  if (current > spec.maxReplicas || current < spec.minReplicas) {
    // As the HPA: a target outside its bounds goes straight to the bound, behavior does not apply.
    const bound = current > spec.maxReplicas ? spec.maxReplicas : spec.minReplicas;
    const stage = current > spec.maxReplicas ? 'max' : 'min';
    apply(
      stage,
      bound,
      stage === 'max' ? 'TooManyReplicas' : 'TooFewReplicas',
      `current outside [${spec.minReplicas}, ${spec.maxReplicas}]`,
    );
    recommendation = replicas;
  } else {
    if (replicas > spec.maxReplicas) apply('max', spec.maxReplicas, 'TooManyReplicas', `maxReplicas ${spec.maxReplicas}`);
    if (replicas < spec.minReplicas) apply('min', spec.minReplicas, 'TooFewReplicas', `minReplicas ${spec.minReplicas}`);
    recommendation = replicas;

    const stabilized = stabilize(current, replicas, history.recommendations, spec.behavior, now);
    apply(
      'stabilization',
      stabilized.replicas,
      replicas > current ? 'ScaleUpStabilized' : 'ScaleDownStabilized',
      `lowest in scale-up window (${spec.behavior.scaleUp.stabilizationWindowSeconds} s) ${stabilized.upFloor}, ` +
        `highest in scale-down window (${spec.behavior.scaleDown.stabilizationWindowSeconds} s) ${stabilized.downCeiling}`,
    );

    if (replicas > current) {
      const limit = scaleUpLimit(current, history.scaleEvents, spec.behavior.scaleUp, now);
      apply(
        'rate-policy',
        Math.min(replicas, limit),
        'ScaleUpLimit',
        `scale-up policies (${spec.behavior.scaleUp.selectPolicy}) allow up to ${limit}`,
      );
    } else if (replicas < current) {
      const limit = scaleDownLimit(current, history.scaleEvents, spec.behavior.scaleDown, now);
      apply(
        'rate-policy',
        Math.max(replicas, limit),
        'ScaleDownLimit',
        `scale-down policies (${spec.behavior.scaleDown.selectPolicy}) allow down to ${limit}`,
      );
    }
  }

  let surgeLimited = false;
  if (replicas > current) {
    const surge = checkSurge(rate, history.rates, spec.targetPerReplica, spec.surge, now);
    const allowed = Math.max(current, spec.minReplicas, surge.limitReplicas);
    const detail = surge.surging
      ? `rate above ${spec.surge.multiple} × baseline ${surge.baseline}: limited to ${allowed}`
      : surge.samples < spec.surge.minSamples
        ? `no baseline yet (${surge.samples} samples)`
        : `rate within ${spec.surge.multiple} × baseline ${surge.baseline}`;
    surgeLimited = replicas > allowed;
    apply('surge', Math.min(replicas, allowed), 'SurgeLimited', detail);
  }

  return {
    name: spec.name,
    currentReplicas: current,
    demand,
    recommendation,
    wantReplicas: replicas,
    boundBy,
    reason,
    surgeLimited,
    steps,
  };
}

export type BudgetShare = Pick<PoolShare, 'capReplicas' | 'minimumCut'>;

/** The last step: the target's share of the budget pool. The budget wins over min and behavior. */
export function applyBudgetShare(proposal: Proposal, share: BudgetShare): Decision {
  const cap = share.capReplicas;
  const base = { ...proposal, cap, budgetLimited: false, minimumCut: share.minimumCut };
  if (proposal.boundBy === 'paused' || proposal.boundBy === 'disabled') {
    const steps = [
      ...proposal.steps,
      {
        stage: 'budget' as const,
        value: proposal.wantReplicas,
        changed: false,
        detail: `${proposal.boundBy} targets are charged, not cut`,
      },
    ];
    return { ...base, replicas: proposal.wantReplicas, steps };
  }
  if (proposal.wantReplicas <= cap) {
    const detail = cap === Number.POSITIVE_INFINITY ? 'costs nothing: no budget cap' : `within the budget cap ${cap}`;
    const steps = [...proposal.steps, { stage: 'budget' as const, value: proposal.wantReplicas, changed: false, detail }];
    return { ...base, replicas: proposal.wantReplicas, steps };
  }
  const reason: DecisionReason = share.minimumCut ? 'BudgetBelowMinimum' : 'BudgetCapReached';
  const detail = share.minimumCut
    ? `minimums exceed the budget: cut to ${cap}`
    : `budget cap ${cap} (share of the pool) below ${proposal.wantReplicas}`;
  const steps = [...proposal.steps, { stage: 'budget' as const, value: cap, changed: true, detail }];
  return { ...base, replicas: cap, boundBy: 'budget', reason, budgetLimited: true, steps };
}

export function decide(
  observed: ObservedTarget,
  spec: TargetPolicySpec,
  history: DecisionHistory,
  now: number,
  share: BudgetShare,
): Decision {
  return applyBudgetShare(proposeReplicas(observed, spec, history, now), share);
}

export interface PassInput {
  readonly observed: ObservedTarget;
  readonly spec: TargetPolicySpec;
  readonly history: DecisionHistory;
}

export interface PassResult {
  readonly decisions: readonly Decision[];
  readonly allocation: PoolAllocation;
}

/** One pass over every target: propose each, split the shared budget pool on the proposals, then cap each. */
export function decidePass(inputs: readonly PassInput[], maxPerHour: number, now: number): PassResult {
  const proposals = inputs.map((input) => proposeReplicas(input.observed, input.spec, input.history, now));
  const allocation = allocateBudgetPool(
    maxPerHour,
    proposals.map((proposal, index) => {
      const spec = inputs[index]!.spec;
      const paused = proposal.boundBy === 'paused' || proposal.boundBy === 'disabled';
      return {
        name: spec.name,
        costPerReplicaHour: spec.costPerReplicaHour,
        minReplicas: spec.minReplicas,
        wantReplicas: proposal.wantReplicas,
        paused,
      };
    }),
  );
  const decisions = proposals.map((proposal) => applyBudgetShare(proposal, allocation.shares.get(proposal.name)!));
  return { decisions, allocation };
}
