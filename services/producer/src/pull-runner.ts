// Runs a pull source: while this replica leads, read the next batch, ingest it (retrying with backoff while Kafka is
// unavailable, so pulled items are not lost), then record the checkpoint. A replica that is not leader only follows.
import { randomUUID } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';
import { ProducerError } from './errors.ts';
import type { Ingestor } from './ingest.ts';
import type { LeaderElector } from '@tormenta/lease';
import type { PullSource } from './sources/index.ts';

export interface PullRunnerOptions {
  source: PullSource;
  ingestor: Ingestor;
  /** Undefined: this replica always reads (election off). */
  elector: LeaderElector | undefined;
  followPollMs: number;
  log: (message: string) => void;
  signal: AbortSignal;
}

const MAX_BACKOFF_MS = 5_000;

/**
 * Gives every item that is an object without an `id` one, once per batch read, so that retrying the batch after a failed
 * or partial Kafka write re-sends the same ids and downstream writes overwrite instead of duplicating. Items that are
 * not objects (or bring their own id, valid or not) are left to validation.
 */
export function assignIds(items: readonly unknown[], newId: () => string = randomUUID): unknown[] {
  return items.map((item) =>
    typeof item === 'object' && item !== null && !Array.isArray(item) && (item as { id?: unknown }).id === undefined
      ? { ...item, id: newId() }
      : item,
  );
}

async function pause(ms: number, signal: AbortSignal): Promise<void> {
  await sleep(ms, undefined, { signal }).catch(() => undefined);
}

export async function runPullSource(options: PullRunnerOptions): Promise<void> {
  const { source, ingestor, elector, signal, log } = options;
  let localCheckpoint: string | undefined;
  let failures = 0;
  const backoff = (): number => Math.min(MAX_BACKOFF_MS, 100 * 2 ** Math.min(failures++, 10));
  while (!signal.aborted) {
    if (elector && !(await elector.tick())) {
      await pause(options.followPollMs, signal);
      continue;
    }
    const checkpoint = elector ? elector.checkpoint : localCheckpoint;
    let batch: Awaited<ReturnType<PullSource['read']>>;
    try {
      batch = await source.read(checkpoint);
    } catch (error) {
      log(`${source.name}: read failed: ${(error as Error).message}`);
      await pause(backoff(), signal);
      continue;
    }
    if (batch === 'exhausted') {
      await pause(Math.max(source.intervalMs, options.followPollMs), signal);
      continue;
    }
    // A batch already read gets at least one attempt even during shutdown: the remote side has handed it over.
    const items = assignIds(batch.items);
    let stored = false;
    for (let attempt = 0; !stored && (attempt === 0 || !signal.aborted) && (!elector || elector.isLeader); attempt += 1) {
      try {
        const result = await ingestor.ingest(items, source.name, 'lenient');
        if (result.invalid > 0) log(`${source.name}: dropped ${result.invalid} invalid item(s)`);
        stored = true;
      } catch (error) {
        if (!(error instanceof ProducerError) || error.statusCode < 429) throw error;
        log(`${source.name}: ${error.code}; retrying the batch`);
        await pause(backoff(), signal);
      }
    }
    if (!stored) continue;
    failures = 0;
    if (batch.checkpoint !== undefined) {
      if (elector) await saveCheckpoint(elector, batch.checkpoint, options, backoff);
      else localCheckpoint = batch.checkpoint;
    }
    await pause(source.intervalMs, signal);
  }
}

/**
 * Records the checkpoint of a stored batch, retrying with backoff while the lease store fails (an unsaved checkpoint
 * means the batch is read again). Gives up once leadership is lost or on shutdown; never throws, so a flaky store cannot
 * stop the runner.
 */
async function saveCheckpoint(elector: LeaderElector, checkpoint: string, options: PullRunnerOptions, backoff: () => number): Promise<void> {
  for (let attempt = 0; attempt === 0 || (!options.signal.aborted && elector.isLeader); attempt += 1) {
    try {
      await elector.saveCheckpoint(checkpoint);
      return;
    } catch (error) {
      options.log(`${options.source.name}: saving checkpoint ${checkpoint} failed: ${(error as Error).message}; retrying`);
      await pause(backoff(), options.signal);
    }
  }
}
