// Runs a streaming source. A `leader` source (websocket, sse) runs only on the Lease holder: it starts from the Lease's
// checkpoint, the Lease is renewed beside it, and it is stopped as soon as leadership is lost. A `split` source (mqtt)
// runs on every replica without the Lease. Each delivered batch is ingested with retries (as the pull runner does); the
// promise the source waits on resolves only after Kafka acknowledged it, and only then may the checkpoint move.
import type { Ingestor } from './ingest.ts';
import type { LeaderElector } from '@tormenta/lease';
import type { Deliver, Replication, StreamingSource } from './sources/index.ts';
import { Backoff, pause, saveCheckpoint, storeBatch } from './store-batch.ts';
import { assignIds } from './streams/ids.ts';
import type { StoreOptions } from './store-batch.ts';

export interface StreamingRunnerOptions {
  source: StreamingSource;
  /** The source definition's replication: `split` runs everywhere and ignores the elector. */
  replication: Replication;
  ingestor: Ingestor;
  /** The stream's idempotency field, assigned once per delivered batch. */
  idField: string;
  /** Undefined: this replica always runs the source (election off). */
  elector: LeaderElector | undefined;
  /** How often a standby asks for the Lease and a leader renews it (and saves the newest checkpoint). */
  followPollMs: number;
  log: (message: string) => void;
  signal: AbortSignal;
}

/** The batch was handed over but not stored: the runner is stopping or lost leadership. */
export class NotStoredError extends Error {
  constructor(source: string) {
    super(`${source}: batch not stored (shutting down or no longer leader)`);
    this.name = 'NotStoredError';
  }
}

function deliverFor(store: StoreOptions, idField: string, stored: (checkpoint: string) => void): Deliver {
  return async (batch) => {
    if (!(await storeBatch(assignIds(batch.items, idField), store))) throw new NotStoredError(store.sourceName);
    if (batch.checkpoint !== undefined) stored(batch.checkpoint);
  };
}

export async function runStreamingSource(options: StreamingRunnerOptions): Promise<void> {
  const elector = options.replication === 'leader' ? options.elector : undefined;
  if (elector) await runWhileLeading(options, elector);
  else await runEverywhere(options);
}

async function runEverywhere(options: StreamingRunnerOptions): Promise<void> {
  const { source, signal, log } = options;
  const backoff = new Backoff();
  let checkpoint: string | undefined;
  const store: StoreOptions = {
    ingestor: options.ingestor,
    sourceName: source.name,
    log,
    signal,
    backoff,
    stillReading: () => true,
  };
  const deliver = deliverFor(store, options.idField, (stored) => (checkpoint = stored));
  while (!signal.aborted) {
    try {
      await source.run(deliver, checkpoint, signal, log);
    } catch (error) {
      log(`${source.name}: stopped: ${(error as Error).message}; restarting`);
    }
    if (!signal.aborted) await pause(backoff.next(), signal);
  }
}

async function runWhileLeading(options: StreamingRunnerOptions, elector: LeaderElector): Promise<void> {
  const { source, signal, log } = options;
  const backoff = new Backoff();
  while (!signal.aborted) {
    if (!(await elector.tick())) {
      await pause(options.followPollMs, signal);
      continue;
    }
    const term = new AbortController();
    const stop = (): void => term.abort();
    signal.addEventListener('abort', stop, { once: true });
    const store: StoreOptions = {
      ingestor: options.ingestor,
      sourceName: source.name,
      log,
      signal,
      backoff,
      stillReading: () => elector.isLeader,
    };
    // Stored in Kafka, not yet in the Lease: saved on the next renewal rather than per batch (a Lease write per batch
    // would load the API server); a new leader may then re-read a little, never skip.
    let unsaved: string | undefined;
    const deliver = deliverFor(store, options.idField, (stored) => (unsaved = stored));
    const save = async (): Promise<boolean> => {
      const checkpoint = unsaved;
      if (checkpoint === undefined) return elector.tick();
      const saved = await saveCheckpoint(elector, checkpoint, store);
      if (saved && unsaved === checkpoint) unsaved = undefined;
      return saved;
    };
    const keeper = (async () => {
      while (!term.signal.aborted) {
        await pause(options.followPollMs, term.signal);
        if (term.signal.aborted) break;
        if (!(await save())) {
          log(`${source.name}: lost leadership; stopping the source`);
          term.abort();
        }
      }
    })();
    let failed = false;
    try {
      await source.run(deliver, elector.checkpoint, term.signal, log);
    } catch (error) {
      failed = true;
      log(`${source.name}: stopped: ${(error as Error).message}; restarting`);
    }
    // A source that returned on its own (it should run until told to stop) is restarted after a backoff too.
    const unasked = !term.signal.aborted;
    term.abort();
    await keeper;
    signal.removeEventListener('abort', stop);
    if (unsaved !== undefined && elector.isLeader) await save();
    if ((failed || unasked) && !signal.aborted) await pause(backoff.next(), signal);
  }
}
