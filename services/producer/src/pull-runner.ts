// Runs a pull source: while this replica leads, read the next batch, ingest it (retrying with backoff while Kafka is
// unavailable, so pulled items are not lost), then record the checkpoint. A replica that is not leader only follows.
import type { Ingestor } from './ingest.ts';
import type { LeaderElector } from '@tormenta/lease';
import type { PullSource } from './sources/index.ts';
import { Backoff, pause, saveCheckpoint, storeBatch } from './store-batch.ts';
import { assignIds } from './streams/ids.ts';

export interface PullRunnerOptions {
  source: PullSource;
  ingestor: Ingestor;
  /** The stream's idempotency field, assigned once per batch read so a retried batch re-sends the same ids. */
  idField: string;
  /** Undefined: this replica always reads (election off). */
  elector: LeaderElector | undefined;
  followPollMs: number;
  log: (message: string) => void;
  signal: AbortSignal;
}

export async function runPullSource(options: PullRunnerOptions): Promise<void> {
  const { source, ingestor, elector, signal, log } = options;
  let localCheckpoint: string | undefined;
  const backoff = new Backoff();
  const store = { ingestor, sourceName: source.name, log, signal, backoff, stillReading: () => !elector || elector.isLeader };
  while (!signal.aborted) {
    if (elector && !(await elector.tick())) {
      await pause(options.followPollMs, signal);
      continue;
    }
    const checkpoint = elector ? elector.checkpoint : localCheckpoint;
    let batch: Awaited<ReturnType<PullSource['read']>>;
    try {
      batch = await source.read(checkpoint, signal);
    } catch (error) {
      if (signal.aborted) break;
      log(`${source.name}: read failed: ${(error as Error).message}`);
      await pause(backoff.next(), signal);
      continue;
    }
    if (batch === 'exhausted') {
      await pause(Math.max(source.intervalMs, options.followPollMs), signal);
      continue;
    }
    if (!(await storeBatch(assignIds(batch.items, options.idField), store))) continue;
    if (batch.checkpoint !== undefined) {
      if (elector) await saveCheckpoint(elector, batch.checkpoint, store);
      else localCheckpoint = batch.checkpoint;
    }
    await pause(source.intervalMs, signal);
  }
}
