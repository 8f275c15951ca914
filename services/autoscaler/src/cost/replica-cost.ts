// A target's cost per replica-hour, and how it was arrived at (explain prints the derivation). In order:
//  1. `costPerReplicaHour` in the target's config: a constant override (0 = costs nothing, never charged to the pool).
//  2. The pod template's effective requests × prices per vCPU-hour and per GiB-hour: OpenCost's live prices when
//     configured and present, else the ConfigMap's `prices`.
// Anything missing — no requests known, no price source answering, requests that would price the replica at 0 — is a
// problem reported by name, never a cost of 0: a free replica would let the pool grant it without limit.
import type { ResourceRequests } from './pod-requests.ts';

export interface UnitPrices {
  readonly perVcpuHour: number;
  readonly perGibHour: number;
}

export interface ReplicaCostInputs {
  readonly override?: number | undefined;
  /** undefined when the workload could not be read (or has no pod template, e.g. a local fleet). */
  readonly requests?: ResourceRequests | undefined;
  /** Why the requests are unknown, for the message. */
  readonly requestsProblem?: string | undefined;
  readonly configuredPrices?: UnitPrices | undefined;
  /** OpenCost's prices this pass; `problem` says why they are not usable (only consulted when OpenCost is configured). */
  readonly livePrices?: { readonly prices?: UnitPrices | undefined; readonly problem?: string | undefined } | undefined;
}

export type ReplicaCostSource = 'override' | 'opencost' | 'prices';

export type ReplicaCost =
  | { readonly ok: true; readonly costPerReplicaHour: number; readonly source: ReplicaCostSource; readonly derivation: string }
  | { readonly ok: false; readonly problem: string };

const MICRO = 1_000_000;

/** Rounded up to the millionth the budget pool counts in: a derived cost never undercharges. */
export function roundCostUp(amount: number): number {
  return Math.ceil(amount * MICRO - 1e-6) / MICRO;
}

const trim = (value: number): string => String(+value.toPrecision(6));

export function deriveReplicaCost(inputs: ReplicaCostInputs, currency = 'USD'): ReplicaCost {
  if (inputs.override !== undefined) {
    return {
      ok: true,
      costPerReplicaHour: inputs.override,
      source: 'override',
      derivation: `costPerReplicaHour ${inputs.override} ${currency} (constant in the ConfigMap)`,
    };
  }
  const live = inputs.livePrices;
  const prices = live?.prices ?? inputs.configuredPrices;
  if (prices === undefined) {
    const why =
      live?.problem === undefined
        ? 'no prices in the ConfigMap'
        : `OpenCost prices unavailable (${live.problem}) and no prices in the ConfigMap`;
    return { ok: false, problem: `no price source: ${why}` };
  }
  if (inputs.requests === undefined) {
    return {
      ok: false,
      problem: `pod template requests unknown${inputs.requestsProblem === undefined ? '' : `: ${inputs.requestsProblem}`}`,
    };
  }
  const { cpuCores, memoryGiB } = inputs.requests;
  const exact = cpuCores * prices.perVcpuHour + memoryGiB * prices.perGibHour;
  if (!(exact > 0) || !Number.isFinite(exact)) {
    return {
      ok: false,
      problem:
        `pod template requests ${trim(cpuCores)} vCPU and ${trim(memoryGiB)} GiB, which would cost ${exact} per replica-hour: ` +
        'set resources.requests on its containers or costPerReplicaHour on the target',
    };
  }
  const cost = roundCostUp(exact);
  const origin = live?.prices === undefined ? 'ConfigMap prices' : 'OpenCost prices';
  const fallback = live?.problem === undefined || live.prices !== undefined ? '' : `; OpenCost unavailable: ${live.problem}`;
  return {
    ok: true,
    costPerReplicaHour: cost,
    source: live?.prices === undefined ? 'prices' : 'opencost',
    derivation:
      `${trim(cpuCores)} vCPU × ${trim(prices.perVcpuHour)} + ${trim(memoryGiB)} GiB × ${trim(prices.perGibHour)} ` +
      `= ${cost} ${currency}/replica-hour (${origin}${fallback})`,
  };
}
