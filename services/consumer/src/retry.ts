// Retry with exponential backoff and jitter until the work succeeds, fails permanently or the signal aborts. The delay rule is pure.
import { setTimeout as sleep } from 'node:timers/promises';

export interface BackoffSpec {
  initialMs: number;
  maxMs: number;
}

/** attempt 0 → about initialMs, doubling up to maxMs; jitter takes up to half off so retrying consumers spread out. */
export function backoffDelay(attempt: number, spec: BackoffSpec, random: () => number = Math.random): number {
  const ceiling = Math.min(spec.maxMs, spec.initialMs * 2 ** Math.min(attempt, 30));
  return Math.round(ceiling * (0.5 + random() / 2));
}

export async function retryUntilDone<T>(
  work: () => Promise<T>,
  options: BackoffSpec & {
    signal: AbortSignal;
    onRetry: (error: unknown, attempt: number, delayMs: number) => void;
    /** Errors no retry can fix are thrown at once instead of being retried forever. */
    permanent?: (error: unknown) => boolean;
  },
): Promise<T> {
  for (let attempt = 0; ; attempt += 1) {
    options.signal.throwIfAborted();
    try {
      return await work();
    } catch (error) {
      if (options.signal.aborted || options.permanent?.(error)) throw error;
      const delayMs = backoffDelay(attempt, options);
      options.onRetry(error, attempt, delayMs);
      await sleep(delayMs, undefined, { signal: options.signal });
    }
  }
}
