// Drives the real decision code (decidePass, recordDecision) second by second against modelled targets. Decisions run
// every poll interval on the mean offered rate of the metric window; every scale change is applied at once (the patch
// is not what is being modelled — pod start is).
import { decidePass } from '../policy/decide.ts';
import { initialHistory, recordDecision } from '../policy/history.ts';
import { spendPerHour, toMoneyUnits } from '../policy/pool.ts';
import { accrue, newLedger, withRunning } from '../budget/ledger.ts';
import { effectiveBudgetPerHour } from '../budget/pacing.ts';
import type { WindowBudgetState } from '../budget/pacing.ts';
import { WINDOWS, windowEnd, windowStart } from '../budget/windows.ts';
import type { BudgetWindow } from '../budget/windows.ts';
import type { Decision, DecisionHistory } from '../policy/types.ts';
import { ModelledTarget } from './cluster.ts';
import { seededRandom } from '@tormenta/random';
import type { Scenario } from './scenarios.ts';

export interface SeriesPoint {
  readonly t: number;
  readonly offered: number;
  readonly capacity: readonly number[];
  readonly replicas: readonly number[];
  readonly cap: readonly number[];
  readonly spendPerHour: number;
  /** The hourly cap after the day and month budgets tightened it (absent from a live run's plot). */
  readonly effectiveBudgetPerHour?: number;
  /** Spent so far in the current day and month, as a fraction of their budgets (absent without one). */
  readonly dayBudgetUsed?: number;
  readonly monthBudgetUsed?: number;
}

export interface TargetReport {
  readonly name: string;
  readonly processed: number;
  readonly delayed: number;
  readonly dropped: number;
  readonly backlogAtEnd: number;
  readonly scaleEvents: number;
  readonly capHits: number;
  readonly surgeLimited: number;
  readonly maxReplicas: number;
  readonly cost: number;
}

export interface SimulationReport {
  readonly scenario: string;
  readonly description: string;
  readonly durationSeconds: number;
  readonly currency: string;
  readonly budgetPerHour: number;
  readonly offered: number;
  readonly cost: number;
  readonly peakSpendPerHour: number;
  readonly budgetPerDay?: number | undefined;
  readonly budgetPerMonth?: number | undefined;
  /**
   * Seconds over budget: the running replicas cost more per hour than maxPerHour, or a UTC hour's, day's or month's
   * spend so far exceeds its budget (`windowViolations` splits them).
   */
  readonly capViolations: number;
  readonly windowViolations: Readonly<Record<'rate' | BudgetWindow, number>>;
  /** What each budgeted window cost at most (the largest hour, day, month seen). */
  readonly peakWindowSpend: Readonly<Record<BudgetWindow, number>>;
  readonly scaleEvents: number;
  readonly capHits: number;
  readonly targets: readonly TargetReport[];
  readonly series: readonly SeriesPoint[];
  /** replicas[target][second], for tests that look at reaction times. */
  readonly replicasBySecond: readonly (readonly number[])[];
  readonly capacityBySecond: readonly (readonly number[])[];
  readonly offeredBySecond: readonly number[];
}

export function simulate(scenario: Scenario, sampleEverySeconds = scenario.sampleEverySeconds ?? 60): SimulationReport {
  const random = seededRandom(scenario.seed);
  const targets = scenario.targets.map((target) => new ModelledTarget(target.model, target.initialReplicas));
  let histories: DecisionHistory[] = scenario.targets.map((target) =>
    initialHistory(target.initialReplicas, -scenario.pollIntervalSeconds),
  );
  const counters = scenario.targets.map(() => ({ scaleEvents: 0, capHits: 0, surgeLimited: 0, maxReplicas: 0, costUnits: 0 }));
  const budgetUnits = toMoneyUnits(scenario.budgetPerHour);
  const costUnits = scenario.targets.map((target) => toMoneyUnits(target.policy.costPerReplicaHour));
  const window: number[] = [];
  let windowSum = 0;
  let offeredTotal = 0;
  let peakSpendPerHour = 0;
  const windowBudgets: Record<BudgetWindow, number | undefined> = {
    hour: scenario.budgetPerHour,
    day: scenario.budgetPerDay,
    month: scenario.budgetPerMonth,
  };
  const violations = { rate: 0, hour: 0, day: 0, month: 0 };
  // Spend per window in money units × seconds / 3600, kept apart from the ledger the decisions use, as the check.
  const windowUnits = { hour: 0, day: 0, month: 0 };
  const windowStarts = { hour: 0, day: 0, month: 0 };
  const peakWindowUnits = { hour: 0, day: 0, month: 0 };
  let ledger = newLedger(0);
  let effectivePerHour = scenario.budgetPerHour;
  const floorPerHour = scenario.targets.reduce(
    (sum, target) => sum + target.policy.minReplicas * target.policy.costPerReplicaHour,
    0,
  );
  let lastCaps: number[] = scenario.targets.map(() => Number.NaN);
  const series: SeriesPoint[] = [];
  const replicasBySecond = scenario.targets.map(() => new Array<number>(scenario.durationSeconds));
  const capacityBySecond = scenario.targets.map(() => new Array<number>(scenario.durationSeconds));
  const offeredBySecond = new Array<number>(scenario.durationSeconds);

  for (let t = 0; t < scenario.durationSeconds; t += 1) {
    const offered = Math.max(0, scenario.load(t) * (1 + scenario.noise * (2 * random() - 1)));
    offeredTotal += offered;
    offeredBySecond[t] = offered;
    window.push(offered);
    windowSum += offered;
    if (window.length > scenario.metricWindowSeconds) windowSum -= window.shift()!;

    if (t % scenario.pollIntervalSeconds === 0) {
      const rate = windowSum / window.length;
      const inputs = scenario.targets.map((target, index) => ({
        observed: {
          currentReplicas: targets[index]!.replicas,
          metric: { kind: 'rate' as const, rate, source: 'fresh' as const },
        },
        spec: target.policy,
        history: histories[index]!,
      }));
      ledger = accrue(ledger, t);
      const windows: WindowBudgetState[] = [];
      for (const window of ['day', 'month'] as const) {
        const budget = windowBudgets[window];
        if (budget !== undefined)
          windows.push({ window, budget, spent: ledger.windows[window].total, secondsLeft: windowEnd(window, t) - t });
      }
      effectivePerHour = effectiveBudgetPerHour(scenario.budgetPerHour, windows, floorPerHour).perHour;
      const { decisions } = decidePass(inputs, effectivePerHour, t);
      histories = decisions.map((decision: Decision, index) => {
        const counter = counters[index]!;
        if (decision.replicas !== decision.currentReplicas) counter.scaleEvents += 1;
        if (decision.budgetLimited) counter.capHits += 1;
        if (decision.surgeLimited) counter.surgeLimited += 1;
        targets[index]!.scaleTo(decision.replicas, t);
        return recordDecision(histories[index]!, inputs[index]!.observed, decision, true, scenario.targets[index]!.policy, t);
      });
      lastCaps = decisions.map((decision) => decision.cap);
      ledger = withRunning(
        ledger,
        Object.fromEntries(
          scenario.targets.map((target, index) => [
            target.policy.name,
            { replicas: targets[index]!.replicas, costPerReplicaHour: target.policy.costPerReplicaHour },
          ]),
        ),
      );
    }

    let spendUnits = 0;
    targets.forEach((target, index) => {
      target.step(t, offered);
      const counter = counters[index]!;
      counter.maxReplicas = Math.max(counter.maxReplicas, target.replicas);
      counter.costUnits += target.replicas * costUnits[index]!;
      spendUnits += target.replicas * costUnits[index]!;
      replicasBySecond[index]![t] = target.replicas;
      capacityBySecond[index]![t] = target.capacity(t);
    });
    if (spendUnits > budgetUnits) violations.rate += 1;
    for (const window of WINDOWS) {
      if (windowStart(window, t) !== windowStarts[window]) {
        windowStarts[window] = windowStart(window, t);
        windowUnits[window] = 0;
      }
      windowUnits[window] += spendUnits / 3600;
      peakWindowUnits[window] = Math.max(peakWindowUnits[window], windowUnits[window]);
      const budget = windowBudgets[window];
      // A millionth of slack for float rounding of the per-second sums.
      if (budget !== undefined && windowUnits[window] > toMoneyUnits(budget) + 1) violations[window] += 1;
    }
    const spend = spendPerHour(
      targets.map((target, index) => ({
        replicas: target.replicas,
        costPerReplicaHour: scenario.targets[index]!.policy.costPerReplicaHour,
      })),
    );
    peakSpendPerHour = Math.max(peakSpendPerHour, spend);
    if (t % sampleEverySeconds === 0) {
      series.push({
        t,
        offered,
        capacity: targets.map((target) => target.capacity(t)),
        replicas: targets.map((target) => target.replicas),
        cap: [...lastCaps],
        spendPerHour: spend,
        effectiveBudgetPerHour: effectivePerHour,
        ...(scenario.budgetPerDay === undefined ? {} : { dayBudgetUsed: windowUnits.day / toMoneyUnits(scenario.budgetPerDay) }),
        ...(scenario.budgetPerMonth === undefined
          ? {}
          : { monthBudgetUsed: windowUnits.month / toMoneyUnits(scenario.budgetPerMonth) }),
      });
    }
  }

  const reports: TargetReport[] = targets.map((target, index) => ({
    name: scenario.targets[index]!.policy.name,
    processed: target.processed,
    delayed: target.delayed,
    dropped: target.dropped,
    backlogAtEnd: target.backlogRecords(),
    scaleEvents: counters[index]!.scaleEvents,
    capHits: counters[index]!.capHits,
    surgeLimited: counters[index]!.surgeLimited,
    maxReplicas: counters[index]!.maxReplicas,
    // costUnits is replica-seconds × money units per hour.
    cost: counters[index]!.costUnits / 3600 / 1_000_000,
  }));
  return {
    scenario: scenario.name,
    description: scenario.description,
    durationSeconds: scenario.durationSeconds,
    currency: scenario.currency,
    budgetPerHour: scenario.budgetPerHour,
    offered: offeredTotal,
    cost: reports.reduce((sum, report) => sum + report.cost, 0),
    budgetPerDay: scenario.budgetPerDay,
    budgetPerMonth: scenario.budgetPerMonth,
    peakSpendPerHour,
    capViolations: violations.rate + violations.hour + violations.day + violations.month,
    windowViolations: violations,
    peakWindowSpend: {
      hour: peakWindowUnits.hour / 1_000_000,
      day: peakWindowUnits.day / 1_000_000,
      month: peakWindowUnits.month / 1_000_000,
    },
    scaleEvents: reports.reduce((sum, report) => sum + report.scaleEvents, 0),
    capHits: reports.reduce((sum, report) => sum + report.capHits, 0),
    targets: reports,
    series,
    replicasBySecond,
    capacityBySecond,
    offeredBySecond,
  };
}
