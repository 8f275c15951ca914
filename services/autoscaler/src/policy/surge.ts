// The surge guard: the seed's DoS case. A rate far above what the target has been seeing is more likely an attack or a
// broken client than business, so the replicas it asks for are held at `multiple` × the baseline until the rise has
// lasted long enough to move the baseline (the median of the window: about half the window).
import type { SurgeGuardSpec, TimestampedRate } from './types.ts';

export function medianRate(
  rates: readonly TimestampedRate[],
  now: number,
  windowSeconds: number,
): {
  median: number;
  samples: number;
} {
  const cutoff = now - windowSeconds;
  const values = rates.filter((sample) => sample.at > cutoff).map((sample) => sample.rate);
  if (values.length === 0) return { median: Number.NaN, samples: 0 };
  values.sort((a, b) => a - b);
  const middle = Math.floor(values.length / 2);
  const median = values.length % 2 === 1 ? values[middle]! : (values[middle - 1]! + values[middle]!) / 2;
  return { median, samples: values.length };
}

export interface SurgeCheck {
  /** Replicas the guard allows (Infinity when there is no baseline yet or no surge). */
  readonly limitReplicas: number;
  readonly baseline: number;
  readonly samples: number;
  readonly surging: boolean;
}

export function checkSurge(
  rate: number,
  rates: readonly TimestampedRate[],
  targetPerReplica: number,
  guard: SurgeGuardSpec,
  now: number,
): SurgeCheck {
  const { median, samples } = medianRate(rates, now, guard.baselineWindowSeconds);
  if (samples < guard.minSamples) return { limitReplicas: Number.POSITIVE_INFINITY, baseline: median, samples, surging: false };
  const allowedRate = guard.multiple * median;
  if (rate <= allowedRate) return { limitReplicas: Number.POSITIVE_INFINITY, baseline: median, samples, surging: false };
  return { limitReplicas: Math.ceil(allowedRate / targetPerReplica), baseline: median, samples, surging: true };
}
