// The spend the controller caused: replica-seconds × cost per replica-hour, per target and in total, for the current
// hour, day and month. Pure: `accrue` integrates what ran since the ledger's time up to now (split at window boundaries,
// so a gap across midnight charges each day its part), `withRunning` records what runs from now on. The caller persists
// it (the Lease, see controller/spend-store.ts) so a restart or a new leader resumes it: the time between the last save
// and the next pass is charged at the replicas that were running, which is what they cost.
import { WINDOWS, windowEnd, windowStart } from './windows.ts';
import type { BudgetWindow } from './windows.ts';

export interface WindowSpend {
  /** Window start, seconds since the epoch. */
  readonly start: number;
  /** Money spent in this window so far (the config's currency). */
  readonly total: number;
  readonly targets: Readonly<Record<string, number>>;
  /** Highest projected-spend level already announced in this window (0, 80 or 100 % of its budget). */
  readonly alerted: number;
}

export interface RunningTarget {
  readonly replicas: number;
  readonly costPerReplicaHour: number;
  /** Set when the controller itself scaled the target to 0 (a budget cut), so it is not taken for ScalingDisabled. */
  readonly zeroedByController?: true;
}

export interface SpendLedger {
  readonly version: 1;
  /** Spend is accounted up to this time (seconds). */
  readonly at: number;
  readonly running: Readonly<Record<string, RunningTarget>>;
  readonly windows: Readonly<Record<BudgetWindow, WindowSpend>>;
}

const emptyWindow = (window: BudgetWindow, at: number): WindowSpend => ({
  start: windowStart(window, at),
  total: 0,
  targets: {},
  alerted: 0,
});

export function newLedger(now: number): SpendLedger {
  return {
    version: 1,
    at: now,
    running: {},
    windows: { hour: emptyWindow('hour', now), day: emptyWindow('day', now), month: emptyWindow('month', now) },
  };
}

function charge(window: WindowSpend, running: Readonly<Record<string, RunningTarget>>, seconds: number): WindowSpend {
  const targets = { ...window.targets };
  let total = window.total;
  for (const [name, target] of Object.entries(running)) {
    const amount = (target.replicas * target.costPerReplicaHour * seconds) / 3600;
    if (amount === 0) continue;
    targets[name] = (targets[name] ?? 0) + amount;
    total += amount;
  }
  return { ...window, total, targets };
}

/** Charges what ran from `ledger.at` to `now` to every window it fell in; windows that ended start over. */
export function accrue(ledger: SpendLedger, now: number): SpendLedger {
  let at = ledger.at;
  const windows = { ...ledger.windows };
  for (const window of WINDOWS) if (windows[window].start !== windowStart(window, at)) windows[window] = emptyWindow(window, at);
  while (at < now) {
    const until = Math.min(now, ...WINDOWS.map((window) => windowEnd(window, at)));
    for (const window of WINDOWS) windows[window] = charge(windows[window], ledger.running, until - at);
    at = until;
    for (const window of WINDOWS)
      if (windows[window].start !== windowStart(window, at)) windows[window] = emptyWindow(window, at);
  }
  return { ...ledger, at: Math.max(at, ledger.at), windows };
}

export function withRunning(ledger: SpendLedger, running: Readonly<Record<string, RunningTarget>>): SpendLedger {
  return { ...ledger, running };
}

export function withAlerted(ledger: SpendLedger, window: BudgetWindow, level: number): SpendLedger {
  return { ...ledger, windows: { ...ledger.windows, [window]: { ...ledger.windows[window], alerted: level } } };
}

/** Spend per hour of what runs now. */
export function runningPerHour(ledger: SpendLedger): number {
  return Object.values(ledger.running).reduce((sum, target) => sum + target.replicas * target.costPerReplicaHour, 0);
}

/** The ledger from its stored text; undefined (start afresh) when there is none or it is not a ledger. */
export function parseLedger(text: string | undefined): SpendLedger | undefined {
  if (text === undefined || text === '') return undefined;
  try {
    const value = JSON.parse(text) as Partial<SpendLedger>;
    const windowsOk = WINDOWS.every((window) => typeof value.windows?.[window]?.total === 'number');
    if (value.version !== 1 || typeof value.at !== 'number' || typeof value.running !== 'object' || !windowsOk) return undefined;
    return value as SpendLedger;
  } catch {
    return undefined;
  }
}
