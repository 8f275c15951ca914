// Shapes shared by the pure decision code. Times are seconds (any epoch, as long as one run uses one clock); money is
// the config's currency per hour.

export type ScalingPolicyType = 'Pods' | 'Percent';
export type SelectPolicy = 'Max' | 'Min' | 'Disabled';

export interface ScalingPolicy {
  readonly type: ScalingPolicyType;
  readonly value: number;
  readonly periodSeconds: number;
}

/** autoscaling/v2 HPAScalingRules with every field resolved (defaults applied by the config schema). */
export interface ScalingRules {
  readonly stabilizationWindowSeconds: number;
  readonly selectPolicy: SelectPolicy;
  readonly policies: readonly ScalingPolicy[];
}

export interface ScalingBehavior {
  readonly scaleUp: ScalingRules;
  readonly scaleDown: ScalingRules;
}

export interface SurgeGuardSpec {
  /** A rate above `multiple` × the baseline is a surge; the replicas it asks for are limited to that multiple. */
  readonly multiple: number;
  /** The baseline is the median of the observed rates in this window. */
  readonly baselineWindowSeconds: number;
  /** Fewer samples than this and there is no baseline yet, so no guard. */
  readonly minSamples: number;
}

/** What one target's decision needs from the config. */
export interface TargetPolicySpec {
  readonly name: string;
  readonly minReplicas: number;
  readonly maxReplicas: number;
  readonly targetPerReplica: number;
  readonly costPerReplicaHour: number;
  readonly tolerance: number;
  readonly behavior: ScalingBehavior;
  readonly surge: SurgeGuardSpec;
}

export interface TimestampedRecommendation {
  readonly at: number;
  readonly replicas: number;
}

export interface TimestampedScaleEvent {
  readonly at: number;
  /** Positive for a scale-up, negative for a scale-down. */
  readonly change: number;
}

export interface TimestampedRate {
  readonly at: number;
  readonly rate: number;
}

/** Per-target memory the caller keeps between passes (`recordDecision` returns the next one). */
export interface DecisionHistory {
  readonly recommendations: readonly TimestampedRecommendation[];
  readonly scaleEvents: readonly TimestampedScaleEvent[];
  readonly rates: readonly TimestampedRate[];
}

export const EMPTY_HISTORY: DecisionHistory = { recommendations: [], scaleEvents: [], rates: [] };

/** The metric as the fallback module hands it over: a usable rate, or an instruction to hold. */
export type MetricVerdict =
  | { readonly kind: 'rate'; readonly rate: number; readonly source: 'fresh' | 'last-good' }
  | {
      readonly kind: 'hold';
      readonly failStatic: boolean;
      readonly consecutiveFailures: number;
      /** No good reading yet and still within the start-up grace: held, but expected rather than a warning. */
      readonly awaitingFirstReading?: true;
    };

export interface ObservedTarget {
  readonly currentReplicas: number;
  readonly metric: MetricVerdict;
  readonly paused?: boolean;
  /**
   * True when the 0 replicas it runs are the controller's own doing (a budget cut). Otherwise 0 replicas with
   * minReplicas > 0 means someone turned autoscaling off, as for the HPA (ScalingDisabled).
   */
  readonly zeroedByController?: boolean;
}

export type BoundBy =
  | 'demand'
  | 'tolerance'
  | 'min'
  | 'max'
  | 'stabilization'
  | 'rate-policy'
  | 'surge'
  | 'budget'
  | 'fail-static'
  | 'paused'
  | 'disabled';

/** Stable reasons: they become Event reasons and the `reason` label of `autoscaler_decisions_total`. */
export type DecisionReason =
  | 'DesiredWithinRange'
  | 'WithinTolerance'
  | 'TooFewReplicas'
  | 'TooManyReplicas'
  | 'ScaleUpStabilized'
  | 'ScaleDownStabilized'
  | 'ScaleUpLimit'
  | 'ScaleDownLimit'
  | 'SurgeLimited'
  | 'BudgetCapReached'
  | 'BudgetBelowMinimum'
  | 'MetricsUnavailable'
  | 'AwaitingMetrics'
  | 'Paused'
  | 'ScalingDisabled';

export interface DecisionStep {
  readonly stage: BoundBy | 'current' | 'rate';
  /** Replicas after this step (for `rate`, the rate itself). */
  readonly value: number;
  /** True when this step changed the running value. */
  readonly changed: boolean;
  readonly detail: string;
}

/** Everything up to the budget: what the target would run if money were no object. */
export interface Proposal {
  readonly name: string;
  readonly currentReplicas: number;
  /** ceil(rate / targetPerReplica); null when there was no usable rate (held). */
  readonly demand: number | null;
  /** The recommendation the stabilization window remembers (after tolerance and min/max), null when holding. */
  readonly recommendation: number | null;
  readonly wantReplicas: number;
  readonly boundBy: BoundBy;
  readonly reason: DecisionReason;
  readonly surgeLimited: boolean;
  readonly steps: readonly DecisionStep[];
}

export interface Decision extends Proposal {
  readonly replicas: number;
  /** Budget cap in replicas for this target in this pass; Infinity when the target costs nothing. */
  readonly cap: number;
  readonly budgetLimited: boolean;
  readonly minimumCut: boolean;
}
