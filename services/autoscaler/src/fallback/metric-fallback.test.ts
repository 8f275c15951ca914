import { describe, expect, it } from '@jest/globals';
import { applyFallback, classifyReading, INITIAL_FALLBACK_STATE } from './metric-fallback.ts';
import type { FallbackState, MetricReading } from './metric-fallback.ts';

describe('classifyReading', () => {
  it.each<[string, MetricReading, ReturnType<typeof classifyReading>]>([
    ['a positive value', { kind: 'value', value: 1234.5 }, { ok: true, rate: 1234.5 }],
    ['zero is a real rate', { kind: 'value', value: 0 }, { ok: true, rate: 0 }],
    ['NaN', { kind: 'value', value: Number.NaN }, { ok: false, failure: 'not-a-number' }],
    ['+Infinity', { kind: 'value', value: Number.POSITIVE_INFINITY }, { ok: false, failure: 'infinite' }],
    ['-Infinity', { kind: 'value', value: Number.NEGATIVE_INFINITY }, { ok: false, failure: 'infinite' }],
    ['a negative value', { kind: 'value', value: -5 }, { ok: false, failure: 'negative' }],
    ['an empty result', { kind: 'empty' }, { ok: false, failure: 'empty' }],
    ['an error', { kind: 'error', message: 'connection refused' }, { ok: false, failure: 'error' }],
  ])('%s', (_label, reading, expected) => {
    expect(classifyReading(reading)).toEqual(expected);
  });
});

describe('applyFallback', () => {
  const failing: MetricReading = { kind: 'error', message: 'down' };

  /** One reading every `everySeconds` from t=1000; no start-up grace unless given. */
  function run(readings: readonly MetricReading[], failStaticAfter: number, startupGraceSeconds = 0, everySeconds = 5) {
    let state: FallbackState = INITIAL_FALLBACK_STATE;
    return readings.map((reading, index) => {
      const outcome = applyFallback(state, reading, { failStaticAfter, startupGraceSeconds }, 1000 + index * everySeconds);
      state = outcome.state;
      return outcome;
    });
  }

  it('uses the last good rate before the threshold, then holds (fail-static) and says so once', () => {
    const outcomes = run([{ kind: 'value', value: 500 }, failing, { kind: 'empty' }, failing, failing], 3);
    expect(outcomes.map((outcome) => outcome.verdict)).toEqual([
      { kind: 'rate', rate: 500, source: 'fresh' },
      { kind: 'rate', rate: 500, source: 'last-good' },
      { kind: 'rate', rate: 500, source: 'last-good' },
      { kind: 'hold', failStatic: true, consecutiveFailures: 3 },
      { kind: 'hold', failStatic: true, consecutiveFailures: 4 },
    ]);
    expect(outcomes.map((outcome) => outcome.enteredFailStatic)).toEqual([false, false, false, true, false]);
    expect(outcomes.map((outcome) => outcome.failure)).toEqual([null, 'error', 'empty', 'error', 'error']);
  });

  it('never turns a failure into a rate of zero, even with no good reading yet', () => {
    const [first] = run([{ kind: 'value', value: Number.NaN }], 3);
    expect(first!.verdict).toEqual({ kind: 'hold', failStatic: false, consecutiveFailures: 1 });
  });

  it('recovers on the first good reading and resets the count', () => {
    const outcomes = run([failing, failing, failing, { kind: 'value', value: 42 }, failing], 2);
    expect(outcomes[3]!.verdict).toEqual({ kind: 'rate', rate: 42, source: 'fresh' });
    expect(outcomes[3]!.state.consecutiveFailures).toBe(0);
    expect(outcomes[4]!.verdict).toEqual({ kind: 'rate', rate: 42, source: 'last-good' });
  });

  it('with failStaticAfter 1 holds on the first failure', () => {
    const outcomes = run([{ kind: 'value', value: 7 }, failing], 1);
    expect(outcomes[1]!.verdict).toEqual({ kind: 'hold', failStatic: true, consecutiveFailures: 1 });
    expect(outcomes[1]!.enteredFailStatic).toBe(true);
  });

  describe('start-up grace', () => {
    const awaiting = (consecutiveFailures: number) => ({
      kind: 'hold',
      failStatic: false,
      consecutiveFailures,
      awaitingFirstReading: true,
    });

    it('holds quietly while nothing was ever read, then as MetricsUnavailable once the grace is over', () => {
      // Grace 12 s, a reading every 5 s: t=1000, 1005, 1010 inside; 1015 and on past it.
      const outcomes = run([failing, { kind: 'empty' }, failing, failing, failing], 2, 12);
      expect(outcomes.map((outcome) => outcome.verdict)).toEqual([
        awaiting(1),
        awaiting(2),
        awaiting(3),
        { kind: 'hold', failStatic: true, consecutiveFailures: 4 },
        { kind: 'hold', failStatic: true, consecutiveFailures: 5 },
      ]);
      // Failures are still failures (counted in autoscaler_metric_errors_total), but none enters fail-static in the grace.
      expect(outcomes.map((outcome) => outcome.failure)).toEqual(['error', 'empty', 'error', 'error', 'error']);
      expect(outcomes.every((outcome) => !outcome.enteredFailStatic)).toBe(true);
    });

    it('past the grace with fewer failures than failStaticAfter, holds without a rate as today', () => {
      const outcomes = run([failing, failing], 3, 5, 10);
      expect(outcomes[0]!.verdict).toEqual(awaiting(1));
      expect(outcomes[1]!.verdict).toEqual({ kind: 'hold', failStatic: false, consecutiveFailures: 2 });
    });

    it('ends for good with the first good reading: a later failure uses the last good rate, then fail-static', () => {
      const outcomes = run([failing, { kind: 'value', value: 80 }, failing, failing], 2, 3600);
      expect(outcomes.map((outcome) => outcome.verdict)).toEqual([
        awaiting(1),
        { kind: 'rate', rate: 80, source: 'fresh' },
        { kind: 'rate', rate: 80, source: 'last-good' },
        { kind: 'hold', failStatic: true, consecutiveFailures: 2 },
      ]);
      expect(outcomes[3]!.enteredFailStatic).toBe(true);
    });

    it('counts from the first read, not from each failure', () => {
      const outcomes = run([failing, failing, failing], 3, 15, 10);
      expect(outcomes.map((outcome) => outcome.verdict.kind === 'hold' && outcome.verdict.awaitingFirstReading)).toEqual([
        true,
        true,
        undefined,
      ]);
      expect(outcomes[2]!.state.firstReadAt).toBe(1000);
    });
  });
});
