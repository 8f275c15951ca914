// What the pull and streaming runners share once a source handed over a batch (ids already assigned once): ingest retried
// with backoff while Kafka is unavailable (the batch is not dropped), and a checkpoint recorded in the Lease only after
// Kafka acknowledged the batch.
import { setTimeout as sleep } from 'node:timers/promises';
import { ProducerError } from './errors.ts';
import type { Ingestor } from './ingest.ts';
import type { LeaderElector } from '@tormenta/lease';

export const RETRY_BASE_MS = 100;
export const RETRY_CAP_MS = 5_000;

/** Exponential backoff over consecutive failures: base, 2×base, … up to cap; reset after a success. */
export class Backoff {
  readonly baseMs: number;
  readonly capMs: number;
  #failures = 0;

  constructor(baseMs = RETRY_BASE_MS, capMs = RETRY_CAP_MS) {
    this.baseMs = baseMs;
    this.capMs = capMs;
  }

  next(): number {
    return Math.min(this.capMs, this.baseMs * 2 ** Math.min(this.#failures++, 20));
  }

  reset(): void {
    this.#failures = 0;
  }
}

/** Sleeps, returning early (without throwing) when `signal` aborts. */
export async function pause(ms: number, signal: AbortSignal): Promise<void> {
  await sleep(ms, undefined, { signal }).catch(() => undefined);
}

export interface StoreOptions {
  ingestor: Ingestor;
  sourceName: string;
  log: (message: string) => void;
  signal: AbortSignal;
  /** Retrying stops once this turns false (leadership lost): another replica reads the batch again. */
  stillReading: () => boolean;
  backoff: Backoff;
}

/**
 * Ingests one batch (ids already assigned) in lenient mode, retrying while the error is retryable (status ≥ 429:
 * backpressure, rate limit, Kafka unavailable or draining). A batch already read gets at least one attempt even during
 * shutdown: the remote side has handed it over. Returns whether Kafka acknowledged it; throws a non-retryable error.
 */
export async function storeBatch(items: readonly unknown[], options: StoreOptions): Promise<boolean> {
  const { ingestor, sourceName, log, signal } = options;
  for (let attempt = 0; (attempt === 0 || !signal.aborted) && options.stillReading(); attempt += 1) {
    try {
      const result = await ingestor.ingest(items as unknown[], sourceName, 'lenient');
      if (result.invalid > 0) log(`${sourceName}: dropped ${result.invalid} invalid item(s)`);
      options.backoff.reset();
      return true;
    } catch (error) {
      if (!(error instanceof ProducerError) || error.statusCode < 429) throw error;
      log(`${sourceName}: ${error.code}; retrying the batch`);
      await pause(options.backoff.next(), signal);
    }
  }
  return false;
}

/**
 * Records the checkpoint of a stored batch, retrying with backoff while the lease store fails (an unsaved checkpoint
 * means the batch is read again). Gives up once leadership is lost or on shutdown; never throws, so a flaky store cannot
 * stop the runner. Returns whether it was saved.
 */
export async function saveCheckpoint(
  elector: LeaderElector,
  checkpoint: string,
  options: Omit<StoreOptions, 'ingestor' | 'stillReading'>,
): Promise<boolean> {
  for (let attempt = 0; attempt === 0 || (!options.signal.aborted && elector.isLeader); attempt += 1) {
    try {
      return await elector.saveCheckpoint(checkpoint);
    } catch (error) {
      options.log(`${options.sourceName}: saving checkpoint ${checkpoint} failed: ${(error as Error).message}; retrying`);
      await pause(options.backoff.next(), options.signal);
    }
  }
  return false;
}
