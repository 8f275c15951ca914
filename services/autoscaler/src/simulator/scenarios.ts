// The traffic the seed describes, as scenarios: its day (100 000 rec/s, 5× from 9 to 11 h), a 100× pandemic spike, a DoS
// burst, and ±20 % noise around a steady load. Two targets (producer, consumer) see the same offered load and share one
// budget pool of 200 USD/h at 10 USD per replica-hour: 20 replicas between them.
import { AUTOSCALER_ERROR_CODES, AutoscalerError } from '../errors.ts';
import { DEFAULT_BEHAVIOR, DEFAULT_SURGE_GUARD, DEFAULT_TOLERANCE } from '../policy/defaults.ts';
import type { TargetPolicySpec } from '../policy/types.ts';
import type { ModelledTargetSpec } from './cluster.ts';

export const SEED_BASELINE_RATE = 100_000;
const HOUR = 3600;

export interface SimulatedTarget {
  readonly policy: TargetPolicySpec;
  readonly model: ModelledTargetSpec;
  readonly initialReplicas: number;
}

export interface Scenario {
  readonly name: string;
  readonly description: string;
  readonly durationSeconds: number;
  readonly budgetPerHour: number;
  readonly budgetPerDay?: number;
  readonly budgetPerMonth?: number;
  /** One plot point every this many seconds (default 60). */
  readonly sampleEverySeconds?: number;
  readonly currency: string;
  readonly pollIntervalSeconds: number;
  /** The metric is the mean offered rate over this window, as PromQL's rate(…[1m]). */
  readonly metricWindowSeconds: number;
  readonly seed: number;
  /** Relative noise amplitude: each second's load is multiplied by 1 ± noise (uniform). */
  readonly noise: number;
  /** Offered load (records per second) at second `t`, before noise. */
  readonly load: (t: number) => number;
  readonly targets: readonly SimulatedTarget[];
}

// A pod serves 150 000 rec/s and is asked for 120 000: the seed's baseline fits one replica, the 5× peak five.
const MODEL: ModelledTargetSpec = { podStartSeconds: 30, capacityPerPod: 150_000, retentionSeconds: HOUR };
export const TARGET_PER_REPLICA = 120_000;

function target(name: string, initialReplicas: number): SimulatedTarget {
  const policy: TargetPolicySpec = {
    name,
    minReplicas: 1,
    maxReplicas: 50,
    targetPerReplica: TARGET_PER_REPLICA,
    costPerReplicaHour: 10,
    tolerance: DEFAULT_TOLERANCE,
    behavior: DEFAULT_BEHAVIOR,
    surge: DEFAULT_SURGE_GUARD,
  };
  return { policy, model: MODEL, initialReplicas };
}

function base(
  name: string,
  description: string,
  durationSeconds: number,
  load: (t: number) => number,
  noise: number,
  initialReplicas = 1,
): Scenario {
  return {
    name,
    description,
    durationSeconds,
    budgetPerHour: 200,
    currency: 'USD',
    pollIntervalSeconds: 15,
    metricWindowSeconds: 60,
    seed: 20_240_901,
    noise,
    load,
    targets: [target('consumer', initialReplicas), target('producer', initialReplicas)],
  };
}

export function dayScenario(): Scenario {
  return base(
    'day',
    "the seed's day: 100 000 rec/s, 5× from 9 to 11 h, ±5 % noise",
    24 * HOUR,
    (t) => (t >= 9 * HOUR && t < 11 * HOUR ? 5 : 1) * SEED_BASELINE_RATE,
    0.05,
  );
}

export function pandemicScenario(): Scenario {
  // One hour of baseline, a 10-minute climb to 100×, three hours there, a 10-minute fall, an hour of baseline.
  const load = (t: number): number => {
    const rise = HOUR;
    const top = rise + 600;
    const fall = top + 3 * HOUR;
    const factor =
      t < rise ? 1 : t < top ? 1 + (99 * (t - rise)) / 600 : t < fall ? 100 : t < fall + 600 ? 100 - (99 * (t - fall)) / 600 : 1;
    return factor * SEED_BASELINE_RATE;
  };
  return base('pandemic', '100× spike: 1 h baseline, 10 min climb, 3 h at 100×, back', 6 * HOUR, load, 0.05);
}

export function dosScenario(): Scenario {
  // Two bursts: 20× for 3 minutes at 0:30, 50× for 90 s at 1:15 — short, steep, not business.
  const load = (t: number): number => {
    if (t >= 1800 && t < 1980) return 20 * SEED_BASELINE_RATE;
    if (t >= 4500 && t < 4590) return 50 * SEED_BASELINE_RATE;
    return SEED_BASELINE_RATE;
  };
  return base('dos', 'DoS bursts: 20× for 3 min, 50× for 90 s, over a 100 000 rec/s baseline', 2 * HOUR, load, 0.05);
}

/** ±20 % noise for 30 minutes around a steady load, starting warm at the replicas that load needs. */
export function noiseScenario(steadyRate = SEED_BASELINE_RATE, seed = 20_240_901): Scenario {
  const initial = Math.ceil(steadyRate / TARGET_PER_REPLICA);
  return { ...base('noise', `±20 % noise for 30 min around ${steadyRate} rec/s`, 30 * 60, () => steadyRate, 0.2, initial), seed };
}

/**
 * January (t = 0 is 1970-01-01T00:00Z, so the UTC windows line up): the seed's day every day, and a pandemic week — 100×
 * from day 8 to day 14 — under 200 USD/h, 2 000 USD/day and 25 000 USD/month. The day budget holds the pandemic days
 * to 2 000; what the week spends then leaves the rest of the month paced toward the minimums.
 */
export function monthScenario(): Scenario {
  const DAY = 24 * HOUR;
  const load = (t: number): number => {
    const day = Math.floor(t / DAY);
    if (day >= 7 && day < 14) return 100 * SEED_BASELINE_RATE;
    const hour = (t % DAY) / HOUR;
    return (hour >= 9 && hour < 11 ? 5 : 1) * SEED_BASELINE_RATE;
  };
  return {
    ...base(
      'month',
      'January: the seed’s day daily, 100× from day 8 to 14; 200/h, 2 000/day, 25 000/month',
      31 * DAY,
      load,
      0.05,
    ),
    budgetPerDay: 2_000,
    budgetPerMonth: 25_000,
    sampleEverySeconds: 900,
  };
}

export const SCENARIOS: Readonly<Record<string, () => Scenario>> = {
  day: dayScenario,
  month: monthScenario,
  pandemic: pandemicScenario,
  dos: dosScenario,
  noise: () => noiseScenario(),
};

export function scenarioByName(name: string): Scenario {
  const make = SCENARIOS[name];
  if (make === undefined) {
    throw new AutoscalerError(
      AUTOSCALER_ERROR_CODES.scenarioUnknown,
      `unknown scenario "${name}" (known: ${Object.keys(SCENARIOS).join(', ')})`,
    );
  }
  return make();
}
