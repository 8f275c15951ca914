// Budget windows on the UTC calendar: the clock hour, the day, the month. Times are seconds since the epoch.
export const WINDOWS = ['hour', 'day', 'month'] as const;
export type BudgetWindow = (typeof WINDOWS)[number];

export function windowStart(window: BudgetWindow, at: number): number {
  const date = new Date(at * 1000);
  if (window === 'hour') return Math.floor(at / 3600) * 3600;
  if (window === 'day') return Math.floor(at / 86_400) * 86_400;
  return Date.UTC(date.getUTCFullYear(), date.getUTCMonth(), 1) / 1000;
}

export function windowEnd(window: BudgetWindow, at: number): number {
  if (window === 'hour') return windowStart('hour', at) + 3600;
  if (window === 'day') return windowStart('day', at) + 86_400;
  const date = new Date(at * 1000);
  return Date.UTC(date.getUTCFullYear(), date.getUTCMonth() + 1, 1) / 1000;
}
