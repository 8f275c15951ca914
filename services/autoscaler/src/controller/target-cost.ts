// One target's cost this pass, from what the pass observed: the config's override, or the pod template's requests ×
// the live (OpenCost) or configured prices. When it cannot be derived now but was before, the last cost stands (a
// replica's price does not vanish with a failed read); with no cost ever known the pass scales nothing (reconciler.ts).
import type { AutoscalerConfig, AutoscalerTargetConfig } from '../config/schema.ts';
import { podRequests } from '../cost/pod-requests.ts';
import type { PodTemplateResources } from '../cost/pod-requests.ts';
import { deriveReplicaCost } from '../cost/replica-cost.ts';
import type { ReplicaCost } from '../cost/replica-cost.ts';
import type { LivePrices } from '../prometheus/opencost.ts';

export type KnownCost = Extract<ReplicaCost, { ok: true }>;

export function costOfTarget(
  config: AutoscalerConfig,
  target: AutoscalerTargetConfig,
  podTemplate: PodTemplateResources | undefined,
  livePrices: LivePrices | undefined,
  lastKnown: KnownCost | undefined,
): ReplicaCost {
  const requests = podTemplate === undefined ? undefined : podRequests(podTemplate);
  const prices = config.prices;
  const cost = deriveReplicaCost(
    {
      override: target.costPerReplicaHour,
      requests: requests?.ok === true ? requests.requests : undefined,
      requestsProblem:
        requests === undefined ? `the ${target.kind} could not be read` : requests.ok ? undefined : requests.problem,
      configuredPrices:
        prices?.perVcpuHour === undefined || prices.perGibHour === undefined
          ? undefined
          : { perVcpuHour: prices.perVcpuHour, perGibHour: prices.perGibHour },
      livePrices,
    },
    config.budget.currency,
  );
  if (cost.ok || lastKnown === undefined) return cost;
  return { ...lastKnown, derivation: `${lastKnown.derivation}, last known (now: ${cost.problem})` };
}
