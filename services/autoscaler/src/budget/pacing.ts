// How a day or month budget tightens the hourly cap, and what the window will have cost at its end.
//
// cap(window) with R = budget − spent, τ = time left, H = the horizon (1 h), f = the floor (what the minimums cost per hour):
//   τ ≤ H:           R / τ                    spend what is left, evenly, over the last hour
//   R ≥ f · τ:       (R − f · (τ − H)) / H     spend now what leaves the minimums paid until the window ends
//   otherwise:       R / τ                    the minimums no longer fit: spread what is left evenly (they get cut)
// Both branches keep R ≥ 0 at every instant when the spend rate stays at or below the cap: with g = R − f·τ, a pass of
// Δ seconds at rate ≤ cap leaves g' ≥ g·(1 − Δ/H) ≥ 0, and R/τ pacing leaves R' ≥ R·τ'/τ ≥ 0. So a window's budget is
// never exceeded by the controller's own decisions; a pandemic early in the month spends freely until only the
// minimums for the rest of the month are left, then the cap decays toward them. The hourly budget itself stays a cap
// on the spend rate (replicas × cost ≤ maxPerHour), as before.
import type { BudgetWindow } from './windows.ts';

export const PACING_HORIZON_SECONDS = 3600;

export interface WindowBudgetState {
  readonly window: BudgetWindow;
  readonly budget: number;
  readonly spent: number;
  readonly secondsLeft: number;
}

export function windowCapPerHour(
  state: WindowBudgetState,
  floorPerHour: number,
  horizonSeconds = PACING_HORIZON_SECONDS,
): number {
  const remaining = state.budget - state.spent;
  if (remaining <= 0) return 0;
  const hoursLeft = Math.max(state.secondsLeft, 1) / 3600;
  const horizonHours = horizonSeconds / 3600;
  if (hoursLeft <= horizonHours || remaining < floorPerHour * hoursLeft) return remaining / hoursLeft;
  return (remaining - floorPerHour * (hoursLeft - horizonHours)) / horizonHours;
}

export interface EffectiveBudget {
  /** The hourly cap this pass: maxPerHour, or lower when a window's budget requires it. */
  readonly perHour: number;
  readonly boundBy: 'hour' | BudgetWindow;
  readonly windowCaps: Readonly<Partial<Record<BudgetWindow, number>>>;
}

export function effectiveBudgetPerHour(
  maxPerHour: number,
  windows: readonly WindowBudgetState[],
  floorPerHour: number,
): EffectiveBudget {
  let perHour = maxPerHour;
  let boundBy: EffectiveBudget['boundBy'] = 'hour';
  const windowCaps: Partial<Record<BudgetWindow, number>> = {};
  for (const state of windows) {
    // Floored to the millionth the pool counts in, so rounding never buys a replica the window cannot pay for.
    const cap = Math.floor(windowCapPerHour(state, floorPerHour) * 1_000_000) / 1_000_000;
    windowCaps[state.window] = cap;
    if (cap < perHour) {
      perHour = cap;
      boundBy = state.window;
    }
  }
  return { perHour, boundBy, windowCaps };
}

/** What the window will have cost at its end if what runs now keeps running. */
export function projectedSpend(spent: number, perHour: number, secondsLeft: number): number {
  return spent + (perHour * Math.max(0, secondsLeft)) / 3600;
}

/** 0, 80 or 100: the announced levels of projected spend against the budget. */
export function projectionLevel(projected: number, budget: number): number {
  if (budget <= 0) return projected > 0 ? 100 : 0;
  const ratio = projected / budget;
  return ratio >= 1 ? 100 : ratio >= 0.8 ? 80 : 0;
}
