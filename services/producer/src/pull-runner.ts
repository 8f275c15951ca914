// Runs a pull source: while this replica leads, read the next batch, ingest it (retrying with backoff while Kafka is
// unavailable, so pulled items are not lost), then record the checkpoint. A replica that is not leader only follows.
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
    let stored = false;
    for (let attempt = 0; !stored && (attempt === 0 || !signal.aborted) && (!elector || elector.isLeader); attempt += 1) {
      try {
        const result = await ingestor.ingest(batch.items, source.name, 'lenient');
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
      if (elector) await elector.saveCheckpoint(batch.checkpoint);
      else localCheckpoint = batch.checkpoint;
    }
    await pause(source.intervalMs, signal);
  }
}
