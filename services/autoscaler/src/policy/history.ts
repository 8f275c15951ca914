// What a target remembers between passes. Call `recordDecision` after acting: a scale event is only history once the
// scale subresource was patched.
import type { Decision, DecisionHistory, ObservedTarget, TargetPolicySpec } from './types.ts';

function longestPeriod(spec: TargetPolicySpec): number {
  const periods = [...spec.behavior.scaleUp.policies, ...spec.behavior.scaleDown.policies].map((policy) => policy.periodSeconds);
  return Math.max(0, ...periods);
}

export function recordDecision(
  history: DecisionHistory,
  observed: ObservedTarget,
  decision: Decision,
  applied: boolean,
  spec: TargetPolicySpec,
  now: number,
): DecisionHistory {
  const recommendationCutoff =
    now - Math.max(spec.behavior.scaleUp.stabilizationWindowSeconds, spec.behavior.scaleDown.stabilizationWindowSeconds);
  const recommendations = history.recommendations.filter((sample) => sample.at > recommendationCutoff);
  if (decision.recommendation !== null) recommendations.push({ at: now, replicas: decision.recommendation });

  const eventCutoff = now - longestPeriod(spec);
  const scaleEvents = history.scaleEvents.filter((event) => event.at > eventCutoff);
  const change = decision.replicas - decision.currentReplicas;
  if (applied && change !== 0) scaleEvents.push({ at: now, change });

  const rateCutoff = now - spec.surge.baselineWindowSeconds;
  const rates = history.rates.filter((sample) => sample.at > rateCutoff);
  const metric = observed.metric;
  if (metric.kind === 'rate' && metric.source === 'fresh' && Number.isFinite(metric.rate) && metric.rate >= 0) {
    rates.push({ at: now, rate: metric.rate });
  }
  return { recommendations, scaleEvents, rates };
}

/**
 * The history a target starts with: its current replicas as a recommendation, as the HPA's
 * maybeInitScaleDownStabilizationWindow does, so a restarted controller does not scale down before a full window.
 */
export function initialHistory(currentReplicas: number, now: number): DecisionHistory {
  return { recommendations: [{ at: now, replicas: currentReplicas }], scaleEvents: [], rates: [] };
}
