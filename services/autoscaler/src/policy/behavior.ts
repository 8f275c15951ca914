// autoscaling/v2 `behavior`, transcribed from the HPA controller (pkg/controller/podautoscaler/horizontal.go:
// stabilizeRecommendationWithBehaviors, calculateScaleUpLimitWithScalingRules, calculateScaleDownLimitWithBehaviors) so
// the same config means the same thing here as on an HPA.
import type { ScalingBehavior, ScalingRules, TimestampedRecommendation, TimestampedScaleEvent } from './types.ts';

export interface StabilizationResult {
  readonly replicas: number;
  /** Lowest recommendation in the scale-up window (the floor) and highest in the scale-down window (the ceiling). */
  readonly upFloor: number;
  readonly downCeiling: number;
}

/**
 * Scale-up takes the lowest recommendation of its window, scale-down the highest of its window; the current replica
 * count is then moved only as far as both allow. The desired value itself is part of both windows.
 */
export function stabilize(
  currentReplicas: number,
  desiredReplicas: number,
  recommendations: readonly TimestampedRecommendation[],
  behavior: ScalingBehavior,
  now: number,
): StabilizationResult {
  const upCutoff = now - behavior.scaleUp.stabilizationWindowSeconds;
  const downCutoff = now - behavior.scaleDown.stabilizationWindowSeconds;
  let upFloor = desiredReplicas;
  let downCeiling = desiredReplicas;
  for (const sample of recommendations) {
    if (sample.at > upCutoff) upFloor = Math.min(upFloor, sample.replicas);
    if (sample.at > downCutoff) downCeiling = Math.max(downCeiling, sample.replicas);
  }
  let replicas = currentReplicas;
  if (replicas < upFloor) replicas = upFloor;
  if (replicas > downCeiling) replicas = downCeiling;
  return { replicas, upFloor, downCeiling };
}

function replicasChangedWithin(
  periodSeconds: number,
  events: readonly TimestampedScaleEvent[],
  now: number,
): {
  added: number;
  removed: number;
} {
  const cutoff = now - periodSeconds;
  let added = 0;
  let removed = 0;
  for (const event of events) {
    if (event.at <= cutoff) continue;
    if (event.change > 0) added += event.change;
    else removed -= event.change;
  }
  return { added, removed };
}

/** Highest replica count the scale-up policies allow now; `currentReplicas` when scale-up is Disabled. */
export function scaleUpLimit(
  currentReplicas: number,
  events: readonly TimestampedScaleEvent[],
  rules: ScalingRules,
  now: number,
): number {
  if (rules.selectPolicy === 'Disabled') return currentReplicas;
  const pick = rules.selectPolicy === 'Min' ? Math.min : Math.max;
  let result = rules.selectPolicy === 'Min' ? Number.POSITIVE_INFINITY : Number.NEGATIVE_INFINITY;
  for (const policy of rules.policies) {
    const { added, removed } = replicasChangedWithin(policy.periodSeconds, events, now);
    const periodStart = currentReplicas - added + removed;
    const proposed =
      policy.type === 'Pods'
        ? periodStart + policy.value
        : // Rounded up as the HPA does; from 0 at least one pod, else a Percent-only policy could never leave zero.
          Math.max(Math.ceil(periodStart * (1 + policy.value / 100)), periodStart + 1);
    result = pick(result, proposed);
  }
  return Math.max(result, currentReplicas);
}

/** Lowest replica count the scale-down policies allow now; `currentReplicas` when scale-down is Disabled. */
export function scaleDownLimit(
  currentReplicas: number,
  events: readonly TimestampedScaleEvent[],
  rules: ScalingRules,
  now: number,
): number {
  if (rules.selectPolicy === 'Disabled') return currentReplicas;
  const pick = rules.selectPolicy === 'Min' ? Math.max : Math.min;
  let result = rules.selectPolicy === 'Min' ? Number.NEGATIVE_INFINITY : Number.POSITIVE_INFINITY;
  for (const policy of rules.policies) {
    const { added, removed } = replicasChangedWithin(policy.periodSeconds, events, now);
    const periodStart = currentReplicas - added + removed;
    const proposed = policy.type === 'Pods' ? periodStart - policy.value : Math.trunc(periodStart * (1 - policy.value / 100));
    result = pick(result, proposed);
  }
  return Math.max(0, Math.min(result, currentReplicas));
}
