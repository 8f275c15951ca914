import { describe, expect, it } from '@jest/globals';
import { accrue, newLedger, parseLedger, runningPerHour, withRunning } from './ledger.ts';
import { effectiveBudgetPerHour, projectedSpend, projectionLevel, windowCapPerHour } from './pacing.ts';
import type { WindowBudgetState } from './pacing.ts';
import { windowEnd, windowStart } from './windows.ts';

const DAY = 86_400;
const at = (iso: string): number => Date.parse(iso) / 1000;

describe('windows (UTC)', () => {
  it.each([
    ['hour', '2026-02-28T13:45:10Z', '2026-02-28T13:00:00Z', '2026-02-28T14:00:00Z'],
    ['day', '2026-02-28T13:45:10Z', '2026-02-28T00:00:00Z', '2026-03-01T00:00:00Z'],
    ['month', '2026-02-28T13:45:10Z', '2026-02-01T00:00:00Z', '2026-03-01T00:00:00Z'],
    ['month', '2026-12-31T23:59:59Z', '2026-12-01T00:00:00Z', '2027-01-01T00:00:00Z'],
  ] as const)('%s of %s is [%s, %s)', (window, time, start, end) => {
    expect(windowStart(window, at(time))).toBe(at(start));
    expect(windowEnd(window, at(time))).toBe(at(end));
  });
});

describe('spend ledger', () => {
  const running = { producer: { replicas: 4, costPerReplicaHour: 10 }, consumer: { replicas: 1, costPerReplicaHour: 2.5 } };

  it('charges replica-seconds × cost to every window, per target and in total', () => {
    const start = at('2026-03-10T09:00:00Z');
    const ledger = accrue(withRunning(newLedger(start), running), start + 1800);
    expect(ledger.windows.hour.total).toBeCloseTo(21.25, 9);
    expect(ledger.windows.day.targets).toEqual({ producer: 20, consumer: 1.25 });
    expect(ledger.windows.month.total).toBeCloseTo(21.25, 9);
    expect(runningPerHour(ledger)).toBe(42.5);
  });

  it('splits a gap across midnight: each day gets its part, the month keeps both', () => {
    const start = at('2026-03-10T23:30:00Z');
    const ledger = accrue(withRunning(newLedger(start), { producer: { replicas: 2, costPerReplicaHour: 10 } }), start + 3600);
    expect(ledger.windows.day.start).toBe(at('2026-03-11T00:00:00Z'));
    expect(ledger.windows.day.total).toBeCloseTo(10, 9);
    expect(ledger.windows.hour.total).toBeCloseTo(10, 9);
    expect(ledger.windows.month.total).toBeCloseTo(20, 9);
  });

  it('starts a new month at the boundary, resetting the announced level', () => {
    const start = at('2026-03-31T23:00:00Z');
    const base = withRunning(newLedger(start), { producer: { replicas: 1, costPerReplicaHour: 1 } });
    const alerted = { ...base, windows: { ...base.windows, month: { ...base.windows.month, alerted: 80 } } };
    const ledger = accrue(alerted, start + 2 * 3600);
    expect(ledger.windows.month).toMatchObject({ start: at('2026-04-01T00:00:00Z'), total: 1, alerted: 0 });
  });

  it('charges nothing twice and nothing for a time already accounted', () => {
    const start = at('2026-03-10T09:00:00Z');
    const once = accrue(withRunning(newLedger(start), running), start + 60);
    expect(accrue(once, start + 60)).toEqual(once);
    expect(accrue(once, start + 30).windows).toEqual(once.windows);
  });

  it('round-trips through its stored text and refuses what is not a ledger', () => {
    const ledger = accrue(withRunning(newLedger(at('2026-03-10T09:00:00Z')), running), at('2026-03-10T09:07:13Z'));
    expect(parseLedger(JSON.stringify(ledger))).toEqual(ledger);
    for (const text of [undefined, '', '{', '{"version":2}', '"x"']) expect(parseLedger(text)).toBeUndefined();
  });
});

describe('pacing a window budget', () => {
  const state = (budget: number, spent: number, secondsLeft: number): WindowBudgetState => ({
    window: 'month',
    budget,
    spent,
    secondsLeft,
  });

  it.each<[string, WindowBudgetState, number, number]>([
    ['plenty left: spend it over the next hour, minimums reserved', state(10_000, 0, 10 * 3600), 20, 10_000 - 20 * 9],
    ['last hour: what is left over what is left', state(100, 70, 1800), 20, 60],
    ['minimums no longer fit: even pacing', state(100, 0, 10 * 3600), 20, 10],
    ['exactly the minimums left: the minimums', state(200, 0, 10 * 3600), 20, 20],
    ['spent: nothing', state(100, 100, 3600 * 5), 20, 0],
    ['overspent (budget lowered): nothing', state(100, 150, 3600 * 5), 0, 0],
    ['no floor: what is left over the horizon', state(500, 0, DAY), 0, 500],
  ])('%s', (_label, window, floor, cap) => {
    expect(windowCapPerHour(window, floor)).toBeCloseTo(cap, 9);
  });

  it('never exceeds the window: spending at the cap every 15 s for a whole month leaves money ≥ 0', () => {
    for (const floor of [0, 5, 20, 50]) {
      let spent = 0;
      const budget = 10_000;
      const length = 30 * DAY;
      for (let t = 0; t < length; t += 15) {
        const cap = Math.min(200, windowCapPerHour(state(budget, spent, length - t), floor));
        spent += (cap * 15) / 3600;
      }
      expect(spent).toBeLessThanOrEqual(budget + 1e-6);
      expect(spent).toBeGreaterThan(budget * 0.99);
    }
  });

  it('the tightest window binds the hourly cap, floored to the millionth', () => {
    const effective = effectiveBudgetPerHour(
      200,
      [
        { window: 'day', budget: 1000, spent: 990, secondsLeft: 3 * 3600 },
        { window: 'month', budget: 1e6, spent: 0, secondsLeft: 20 * DAY },
      ],
      0,
    );
    expect(effective).toMatchObject({ perHour: 10, boundBy: 'day' });
    expect(effectiveBudgetPerHour(200, [], 0)).toMatchObject({ perHour: 200, boundBy: 'hour' });
    expect(effectiveBudgetPerHour(200, [state(1, 0, 3 * 3600)], 1).perHour).toBe(0.333333);
  });

  it.each([
    [0, 0, 0],
    [79.9, 100, 0],
    [80, 100, 80],
    [100, 100, 100],
    [1, 0, 100],
  ])('projected %d of %d is level %d', (projected, budget, level) => {
    expect(projectionLevel(projected, budget)).toBe(level);
  });

  it('projects what runs now to the end of the window', () => {
    expect(projectedSpend(50, 20, 1800)).toBe(60);
  });
});
