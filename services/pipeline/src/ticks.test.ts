import { describe, expect, it } from '@jest/globals';
import { niceAxis, tickLabel } from './ticks.ts';

describe('niceAxis', () => {
  it.each<[number, { count?: number; integer?: boolean }, number[]]>([
    // The run plot's old axis read 0, 440.9, 881.8 … for a peak of 1 600 rec/s.
    [1_600, {}, [0, 500, 1_000, 1_500, 2_000]],
    [1_763.6, {}, [0, 500, 1_000, 1_500, 2_000]],
    [1_000, {}, [0, 500, 1_000]],
    [48_000, {}, [0, 20_000, 40_000, 60_000]],
    [7, { integer: true }, [0, 2, 4, 6, 8]],
    [3, { integer: true }, [0, 1, 2, 3]],
    [0.9, { integer: true }, [0, 1]],
    [0.9, {}, [0, 0.5, 1]],
    [0.3, {}, [0, 0.1, 0.2, 0.3]],
    [0, {}, [0, 0.5, 1]],
    [Number.NaN, { integer: true }, [0, 1]],
    [12_345, { count: 2 }, [0, 10_000, 20_000]],
  ])('max %s %j → %j', (max, options, ticks) => {
    const axis = niceAxis(max, options);
    expect(axis.ticks).toEqual(ticks);
    expect(axis.max).toBe(ticks.at(-1));
  });

  it('always reaches the largest value and steps evenly by 1, 2 or 5 × 10^n', () => {
    for (const max of [1, 3.3, 9.99, 47, 101, 999, 1_001, 65_432, 2.5e6]) {
      const { ticks } = niceAxis(max);
      expect(ticks.at(-1)).toBeGreaterThanOrEqual(max);
      const step = ticks[1]! - ticks[0]!;
      const mantissa = Number((step / 10 ** Math.floor(Math.log10(step))).toFixed(6));
      expect([1, 2, 5]).toContain(mantissa);
      ticks.forEach((tick, index) => expect(tick).toBeCloseTo(index * step, 9));
    }
  });
});

describe('tickLabel', () => {
  it.each<[number, string]>([
    [0, '0'],
    [500, '500'],
    [1_000, '1 000'],
    [25_000, '25 000'],
    [0.2, '0.2'],
    [1_500_000, '1.5M'],
    [2_000_000, '2M'],
  ])('%s → %s', (value, label) => {
    expect(tickLabel(value)).toBe(label);
  });
});
