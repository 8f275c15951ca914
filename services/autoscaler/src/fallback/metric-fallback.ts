// What to do when the metric cannot be read. An error, an empty result, NaN, ±Infinity or a negative value is a failed
// read — never a rate of zero, which would scale a busy target down. Until `failStaticAfter` consecutive failures the
// last good rate is used, so one lost scrape does not freeze scaling; from then on the current replicas are held
// (fail-static) until a good reading arrives. Right after a start nothing has been scraped yet: for `startupGraceSeconds`
// from the first read, a target that never had a good reading is held as awaiting its first reading, which is expected
// and no warning; after the grace it is MetricsUnavailable as any other failure.
import type { MetricVerdict } from '../policy/types.ts';

export type MetricReading =
  | { readonly kind: 'value'; readonly value: number }
  | { readonly kind: 'empty' }
  | { readonly kind: 'error'; readonly message: string };

export const READING_FAILURES = ['error', 'empty', 'not-a-number', 'infinite', 'negative'] as const;
export type ReadingFailure = (typeof READING_FAILURES)[number];

export interface FallbackState {
  readonly consecutiveFailures: number;
  readonly lastGoodRate: number | null;
  /** When the first read was made (seconds); the start-up grace counts from it. */
  readonly firstReadAt: number | null;
}

export const INITIAL_FALLBACK_STATE: FallbackState = { consecutiveFailures: 0, lastGoodRate: null, firstReadAt: null };

export interface FallbackPolicy {
  readonly failStaticAfter: number;
  readonly startupGraceSeconds: number;
}

export function classifyReading(reading: MetricReading): { ok: true; rate: number } | { ok: false; failure: ReadingFailure } {
  if (reading.kind === 'error') return { ok: false, failure: 'error' };
  if (reading.kind === 'empty') return { ok: false, failure: 'empty' };
  const value = reading.value;
  if (Number.isNaN(value)) return { ok: false, failure: 'not-a-number' };
  if (!Number.isFinite(value)) return { ok: false, failure: 'infinite' };
  if (value < 0) return { ok: false, failure: 'negative' };
  return { ok: true, rate: value };
}

export interface FallbackOutcome {
  readonly state: FallbackState;
  readonly verdict: MetricVerdict;
  /** Set when this reading failed: the loop counts it (`autoscaler_metric_errors_total`). */
  readonly failure: ReadingFailure | null;
  /** True on the pass that enters fail-static: the loop emits the MetricsUnavailable Event once. */
  readonly enteredFailStatic: boolean;
}

export function applyFallback(
  state: FallbackState,
  reading: MetricReading,
  policy: FallbackPolicy,
  now: number,
): FallbackOutcome {
  const firstReadAt = state.firstReadAt ?? now;
  const classified = classifyReading(reading);
  if (classified.ok) {
    return {
      state: { consecutiveFailures: 0, lastGoodRate: classified.rate, firstReadAt },
      verdict: { kind: 'rate', rate: classified.rate, source: 'fresh' },
      failure: null,
      enteredFailStatic: false,
    };
  }
  const consecutiveFailures = state.consecutiveFailures + 1;
  const next: FallbackState = { consecutiveFailures, lastGoodRate: state.lastGoodRate, firstReadAt };
  if (state.lastGoodRate === null && now - firstReadAt < policy.startupGraceSeconds) {
    return {
      state: next,
      verdict: { kind: 'hold', failStatic: false, consecutiveFailures, awaitingFirstReading: true },
      failure: classified.failure,
      enteredFailStatic: false,
    };
  }
  const failStatic = consecutiveFailures >= policy.failStaticAfter;
  if (!failStatic && state.lastGoodRate !== null) {
    return {
      state: next,
      verdict: { kind: 'rate', rate: state.lastGoodRate, source: 'last-good' },
      failure: classified.failure,
      enteredFailStatic: false,
    };
  }
  return {
    state: next,
    verdict: { kind: 'hold', failStatic, consecutiveFailures },
    failure: classified.failure,
    enteredFailStatic: consecutiveFailures === policy.failStaticAfter,
  };
}
