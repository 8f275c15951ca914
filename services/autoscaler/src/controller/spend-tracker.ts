// The budget over time, around each pass: before deciding, charge what ran since the last pass to the hour, day and
// month (budget/ledger.ts) and tighten the hourly cap so the day's and month's budgets hold (budget/pacing.ts); after
// acting, record what runs now, project each window's spend to its end, announce 80 % and 100 % once per window, export
// the figures and persist the ledger. The store is the Lease (main.ts): only the leader writes it, a new leader reads it.
import type { AutoscalerConfig } from '../config/schema.ts';
import { accrue, newLedger, parseLedger, runningPerHour, withAlerted, withRunning } from '../budget/ledger.ts';
import type { RunningTarget, SpendLedger } from '../budget/ledger.ts';
import { effectiveBudgetPerHour, projectedSpend, projectionLevel } from '../budget/pacing.ts';
import type { EffectiveBudget, WindowBudgetState } from '../budget/pacing.ts';
import { WINDOWS, windowEnd } from '../budget/windows.ts';
import type { BudgetWindow } from '../budget/windows.ts';
import type { AutoscalerMetrics } from './metrics.ts';

/** Where the ledger lives between passes and across leaders. */
export interface SpendStore {
  load(): Promise<string | undefined>;
  /** False when it was not written (no longer leading); throws on a store error. */
  save(text: string): Promise<boolean>;
}

export interface WindowStatus {
  readonly window: BudgetWindow;
  readonly budget: number | null;
  readonly spent: number;
  readonly projected: number;
  readonly level: number;
}

export interface BudgetStatus {
  readonly maxPerHour: number;
  readonly effectivePerHour: number;
  readonly boundBy: EffectiveBudget['boundBy'];
  readonly spendPerHour: number;
  readonly windows: readonly WindowStatus[];
}

export interface SpendAnnouncement {
  readonly window: BudgetWindow;
  readonly level: number;
  readonly message: string;
}

function budgetOf(config: AutoscalerConfig, window: BudgetWindow): number | undefined {
  if (window === 'hour') return config.budget.maxPerHour;
  return window === 'day' ? config.budget.maxPerDay : config.budget.maxPerMonth;
}

const money = (amount: number): string => amount.toFixed(2);

export class SpendTracker {
  readonly #store: SpendStore | undefined;
  readonly #metrics: AutoscalerMetrics;
  #ledger: SpendLedger | undefined;
  #status: BudgetStatus | undefined;

  constructor(store: SpendStore | undefined, metrics: AutoscalerMetrics) {
    this.#store = store;
    this.#metrics = metrics;
  }

  get status(): BudgetStatus | undefined {
    return this.#status;
  }

  /** Spend of one target in each window so far. */
  targetSpend(name: string): Record<BudgetWindow, number> {
    const windows = this.#ledger?.windows;
    return {
      hour: windows?.hour.targets[name] ?? 0,
      day: windows?.day.targets[name] ?? 0,
      month: windows?.month.targets[name] ?? 0,
    };
  }

  /** Whether the 0 replicas a target runs were set by this controller (not by someone disabling autoscaling). */
  zeroedByController(name: string): boolean {
    return this.#ledger?.running[name]?.zeroedByController === true;
  }

  /** Forget the ledger in memory: the next pass reloads it from the store (a new term may follow another leader's). */
  reset(): void {
    this.#ledger = undefined;
  }

  /** Charges the time since the last pass and returns this pass's hourly cap. `floorPerHour`: what the minimums cost. */
  async begin(config: AutoscalerConfig, now: number, floorPerHour: number): Promise<EffectiveBudget> {
    if (this.#ledger === undefined) {
      // A store that cannot be read fails the pass (retried next poll): starting afresh would forget what was spent.
      const stored = this.#store === undefined ? undefined : await this.#store.load();
      this.#ledger = parseLedger(stored) ?? newLedger(now);
    }
    this.#ledger = accrue(this.#ledger, now);
    const windows: WindowBudgetState[] = [];
    for (const window of ['day', 'month'] as const) {
      const budget = budgetOf(config, window);
      if (budget === undefined) continue;
      windows.push({ window, budget, spent: this.#ledger.windows[window].total, secondsLeft: windowEnd(window, now) - now });
    }
    return effectiveBudgetPerHour(config.budget.maxPerHour, windows, floorPerHour);
  }

  /** Records what runs from now on, projects, announces, exports and saves. Returns the announcements to record. */
  async end(
    config: AutoscalerConfig,
    now: number,
    effective: EffectiveBudget,
    running: Readonly<Record<string, RunningTarget>>,
    onSaveError: (error: unknown) => void,
  ): Promise<SpendAnnouncement[]> {
    let ledger = withRunning(this.#ledger ?? newLedger(now), running);
    const perHour = runningPerHour(ledger);
    const announcements: SpendAnnouncement[] = [];
    const windows: WindowStatus[] = WINDOWS.map((window) => {
      const spent = ledger.windows[window].total;
      const projected = projectedSpend(spent, perHour, windowEnd(window, now) - now);
      const budget = budgetOf(config, window);
      const level = budget === undefined ? 0 : projectionLevel(projected, budget);
      if (budget !== undefined && level > ledger.windows[window].alerted) {
        announcements.push({
          window,
          level,
          message:
            `${window} spend projected at ${money(projected)} ${config.budget.currency}, ${level === 100 ? 'at or over' : 'over 80 % of'} ` +
            `its budget ${money(budget)} (spent ${money(spent)}, running ${money(perHour)}/h); the hourly cap is tightened so it holds`,
        });
        ledger = withAlerted(ledger, window, level);
      }
      this.#metrics.windowSpend.set({ window }, spent);
      this.#metrics.windowProjected.set({ window }, projected);
      if (budget === undefined) this.#metrics.windowBudget.remove({ window });
      else this.#metrics.windowBudget.set({ window }, budget);
      for (const [target, amount] of Object.entries(ledger.windows[window].targets)) {
        this.#metrics.targetWindowSpend.set({ target, window }, amount);
      }
      return { window, budget: budget ?? null, spent, projected, level };
    });
    this.#metrics.effectiveBudget.set(effective.perHour);
    this.#ledger = ledger;
    this.#status = {
      maxPerHour: config.budget.maxPerHour,
      effectivePerHour: effective.perHour,
      boundBy: effective.boundBy,
      spendPerHour: perHour,
      windows,
    };
    if (this.#store !== undefined) {
      try {
        await this.#store.save(JSON.stringify(ledger));
      } catch (error) {
        this.#metrics.spendStoreErrors.inc();
        onSaveError(error);
      }
    }
    return announcements;
  }
}
