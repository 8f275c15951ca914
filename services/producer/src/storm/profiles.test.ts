import { describe, expect, it } from '@jest/globals';
import { namedProfile, percentile, steady } from './profiles.ts';

describe('storm profiles', () => {
  it('shapes baseline → 5x → baseline', () => {
    const phases = namedProfile('spike', 100, 1_000);
    expect(phases.map((phase) => (phase.recordsPerTick * 1000) / phase.tickMs)).toEqual([100, 500, 100]);
    expect(namedProfile('pandemic', 10, 1_000)[1]?.recordsPerTick).toBe(100);
    expect(() => namedProfile('calm', 1, 1)).toThrow('unknown profile');
    expect(steady(1000, 5000, 60_000)).toEqual([{ name: '1000/5000ms', recordsPerTick: 1000, tickMs: 5000, durationMs: 60_000 }]);
  });

  it('takes nearest-rank percentiles', () => {
    const values = Array.from({ length: 100 }, (_, i) => i + 1);
    expect(percentile(values, 50)).toBe(50);
    expect(percentile(values, 99)).toBe(99);
    expect(percentile([], 50)).toBeNaN();
  });
});
