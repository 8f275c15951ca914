import { describe, expect, it } from '@jest/globals';
import { DEFAULT_BEHAVIOR } from '../policy/defaults.ts';
import { renderSimulationSvg } from './plot.ts';
import { noiseScenario, SCENARIOS, SEED_BASELINE_RATE } from './scenarios.ts';
import type { Scenario } from './scenarios.ts';
import { simulate } from './simulate.ts';

const HOUR = 3600;

describe('simulator', () => {
  const reports = Object.fromEntries(Object.entries(SCENARIOS).map(([name, make]) => [name, simulate(make())]));

  it.each(Object.keys(SCENARIOS))('never exceeds the budget: %s', (name) => {
    const report = reports[name]!;
    expect(report.capViolations).toBe(0);
    expect(report.peakSpendPerHour).toBeLessThanOrEqual(report.budgetPerHour);
  });

  it('the 100× spike reaches the cap, which binds and is shared evenly', () => {
    const report = reports['pandemic']!;
    expect(report.peakSpendPerHour).toBe(200);
    expect(report.capHits).toBeGreaterThan(0);
    expect(report.targets.map((target) => target.maxReplicas)).toEqual([10, 10]);
    // Degrades visibly instead of billing: records are delayed and, past the 1 h retention, lost.
    expect(report.targets[0]!.dropped).toBeGreaterThan(0);
  });

  it('a month with a pandemic week keeps every hour, day and month within budget, spending close to them', () => {
    const report = reports['month']!;
    expect(report.windowViolations).toEqual({ rate: 0, hour: 0, day: 0, month: 0 });
    expect(report.peakWindowSpend.day).toBeLessThanOrEqual(2_000);
    expect(report.peakWindowSpend.day).toBeGreaterThan(1_990);
    expect(report.cost).toBeLessThanOrEqual(25_000);
    expect(report.cost).toBeGreaterThan(24_500);
    // The day budget binds during the pandemic: the hourly cap drops below maxPerHour then.
    const pandemicCaps = report.series.filter((point) => point.t >= 8 * 24 * HOUR && point.t < 14 * 24 * HOUR);
    expect(Math.min(...pandemicCaps.map((point) => point.effectiveBudgetPerHour ?? 200))).toBeLessThan(200);
    // After the week the month's remainder is paced: the last day's peak gets less than a normal day's.
    const lastDay = report.replicasBySecond[0]!.slice(30 * 24 * HOUR + 9 * HOUR, 30 * 24 * HOUR + 11 * HOUR);
    const firstDay = report.replicasBySecond[0]!.slice(9 * HOUR, 11 * HOUR);
    expect(Math.max(...lastDay)).toBeLessThan(Math.max(...firstDay));
    expect(renderSimulationSvg(report)).toContain('day spend / budget %');
  });

  it('the DoS bursts are flagged and limited by the surge guard', () => {
    const report = reports['dos']!;
    expect(report.targets.every((target) => target.surgeLimited > 0)).toBe(true);
    // 50× would ask for 42 replicas each; the guard holds it at 10 × the baseline.
    expect(Math.max(...report.targets.map((target) => target.maxReplicas))).toBeLessThanOrEqual(
      Math.ceil((10 * SEED_BASELINE_RATE) / 120_000),
    );
  });

  it.each([SEED_BASELINE_RATE, 250_000, 430_000, 1_000_000])(
    'makes 0 scale changes under ±20 %% noise around %d rec/s for 30 min',
    (rate) => {
      for (const seed of [1, 2, 3]) {
        const report = simulate(noiseScenario(rate, seed));
        expect(report.scaleEvents).toBe(0);
      }
    },
  );

  it('the noise check can fail: a sustained +50 % step is followed', () => {
    const base = noiseScenario(SEED_BASELINE_RATE);
    const stepped: Scenario = { ...base, load: (t) => (t < 600 ? 1 : 1.5) * SEED_BASELINE_RATE };
    expect(simulate(stepped).scaleEvents).toBeGreaterThan(0);
  });

  it('follows the 5× step at 9 h within two minutes and serves it within three', () => {
    const report = reports['day']!;
    const step = 9 * HOUR;
    for (const [index, replicas] of report.replicasBySecond.entries()) {
      const reached = replicas.findIndex((count, t) => t >= step && count >= 4);
      expect(reached - step).toBeGreaterThan(0);
      expect(reached - step).toBeLessThanOrEqual(120);
      const capacity = report.capacityBySecond[index]!;
      const served = capacity.findIndex((value, t) => t >= step && value >= 5 * SEED_BASELINE_RATE * 1.05);
      expect(served - step).toBeLessThanOrEqual(180);
    }
  });

  it('scales back down only after the 300 s stabilization window, and back to one replica', () => {
    const report = reports['day']!;
    const fall = 11 * HOUR;
    const replicas = report.replicasBySecond[0]!;
    expect(replicas[fall + DEFAULT_BEHAVIOR.scaleDown.stabilizationWindowSeconds - 15]).toBe(4);
    expect(replicas[fall + 10 * 60]).toBe(1);
    expect(replicas[24 * HOUR - 1]).toBe(1);
  });

  it('is deterministic for a seed', () => {
    const again = simulate(SCENARIOS['dos']!());
    expect(again.targets).toEqual(reports['dos']!.targets);
  });

  it('draws every series into the SVG', () => {
    const svg = renderSimulationSvg(reports['day']!);
    expect(svg.startsWith('<svg')).toBe(true);
    expect(svg.trimEnd().endsWith('</svg>')).toBe(true);
    for (const label of [
      'offered rec/s',
      'consumer capacity',
      'producer replicas',
      'producer cap',
      'spend USD/h',
      'budget USD/h',
    ]) {
      expect(svg).toContain(label);
    }
    expect(svg.match(/<path /g)).toHaveLength(1 + 2 + 4 + 2);
  });
});
