import { describe, expect, it } from '@jest/globals';
import { carryCounter, INITIAL_CARRY } from './observe.ts';
import type { CounterCarry } from './observe.ts';

function totals(readings: readonly number[]): number[] {
  let state: CounterCarry = INITIAL_CARRY;
  return readings.map((reading) => {
    const next = carryCounter(state, reading);
    state = next.state;
    return next.total;
  });
}

describe('carryCounter', () => {
  it('follows a counter that only grows', () => {
    expect(totals([0, 100, 250, 250, 900])).toEqual([0, 100, 250, 250, 900]);
  });

  it('keeps what was counted before the exporting process restarted from 0', () => {
    // The consumer wrote 900 rows, was SIGKILLed, and its successor counts from 0 again (twice).
    expect(totals([300, 900, 0, 40, 500, 20])).toEqual([300, 900, 900, 940, 1_400, 1_420]);
  });

  it('reads an unknown value as unknown and carries on from the last known one', () => {
    expect(totals([100, Number.NaN, 150])).toEqual([100, Number.NaN, 150]);
    expect(totals([100, Number.NaN, 30])).toEqual([100, Number.NaN, 130]);
  });
});
