// Storm profiles (pure): how many records to send in each tick. A profile is phases of "N records every T ms for D ms".

export interface Phase {
  name: string;
  recordsPerTick: number;
  tickMs: number;
  durationMs: number;
}

export function steady(recordsPerTick: number, tickMs: number, durationMs: number): Phase[] {
  return [{ name: `${recordsPerTick}/${tickMs}ms`, recordsPerTick, tickMs, durationMs }];
}

/** Named profiles, scaled from a baseline of `base` records per second; `phaseMs` is the length of one phase. */
export function namedProfile(name: string, base: number, phaseMs: number): Phase[] {
  const perTick = (rate: number): number => Math.max(1, Math.round(rate / 10));
  const phase = (label: string, rate: number): Phase => ({
    name: label,
    recordsPerTick: perTick(rate),
    tickMs: 100,
    durationMs: phaseMs,
  });
  switch (name) {
    case 'spike':
      return [phase('baseline', base), phase('5x', base * 5), phase('baseline', base)];
    case 'pandemic':
      return [phase('baseline', base), phase('100x', base * 100), phase('baseline', base)];
    case 'dos':
      return [
        phase('baseline', base),
        { name: 'dos', recordsPerTick: perTick(base * 1000), tickMs: 10, durationMs: phaseMs / 4 },
        phase('baseline', base),
      ];
    default:
      throw new Error(`unknown profile "${name}" (spike, pandemic, dos)`);
  }
}

/** Nearest-rank percentile of sorted values. */
export function percentile(sorted: readonly number[], p: number): number {
  if (sorted.length === 0) return Number.NaN;
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1))] as number;
}
