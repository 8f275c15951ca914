// Storm profiles of the local pipeline (pure): phases of a steady offered rate, sized from the baseline, the per-replica
// target and the budget cap, and stretched to a total duration.

export interface StormPhase {
  name: string;
  /** Records per second offered. */
  rate: number;
  seconds: number;
}

export interface ProfileSizing {
  baseline: number;
  targetPerReplica: number;
  /** floor(budget per hour / cost per replica-hour). */
  budgetCap: number;
  durationSeconds: number;
}

export const PROFILE_NAMES = ['spike', 'short', 'steady'] as const;
export type ProfileName = (typeof PROFILE_NAMES)[number];

export function budgetCap(maxPerHour: number, costPerReplicaHour: number): number {
  return costPerReplicaHour === 0 ? Number.POSITIVE_INFINITY : Math.floor(maxPerHour / costPerReplicaHour);
}

/**
 * spike: baseline → 5× → baseline → past the budget (demand two replicas above the cap) → baseline, in equal parts.
 * short: baseline → 5× → baseline (the end-to-end suite sets a budget that 5× exceeds). steady: the baseline throughout.
 */
export function profile(name: ProfileName, sizing: ProfileSizing): StormPhase[] {
  const { baseline, durationSeconds } = sizing;
  const split = (rates: [string, number][], weights: number[]): StormPhase[] => {
    const total = weights.reduce((sum, weight) => sum + weight, 0);
    return rates.map(([phase, rate], index) => ({
      name: phase,
      rate,
      seconds: Math.max(1, Math.round((durationSeconds * weights[index]!) / total)),
    }));
  };
  switch (name) {
    case 'spike': {
      const pastBudget = (sizing.budgetCap + 2) * sizing.targetPerReplica;
      return split(
        [
          ['baseline', baseline],
          ['5x spike', baseline * 5],
          ['baseline', baseline],
          [`past the budget (${Math.round(pastBudget / baseline)}x)`, pastBudget],
          ['baseline', baseline],
        ],
        [1, 1, 1, 1, 1],
      );
    }
    case 'short':
      return split(
        [
          ['baseline', baseline],
          ['5x spike', baseline * 5],
          ['baseline', baseline],
        ],
        [1, 2, 2],
      );
    case 'steady':
      return [{ name: 'steady', rate: baseline, seconds: durationSeconds }];
  }
}

/** The phase running `elapsedSeconds` into the profile, or undefined once it is over. */
export function phaseAt(phases: readonly StormPhase[], elapsedSeconds: number): StormPhase | undefined {
  let start = 0;
  for (const phase of phases) {
    if (elapsedSeconds < start + phase.seconds) return phase;
    start += phase.seconds;
  }
  return undefined;
}
