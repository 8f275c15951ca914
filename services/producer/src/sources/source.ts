// The Client Source seam (the seed's ClientSource.read()). A source only reads; the ingest path converts and writes.
// Three shapes: a pull source is asked for its next batch every interval; a streaming source holds a connection and
// delivers batches as they arrive; the push source's items arrive through POST /v1/records. Items are untyped until
// the stream's convert step (transform, schema, id, key) has seen them.
import type { z } from 'zod';

export interface PullBatch {
  items: unknown[];
  /** Progress to remember once the items are stored, so the next leader resumes after them (e.g. the next page). */
  checkpoint?: string;
}

export interface PullSource {
  kind: 'pull';
  name: string;
  intervalMs: number;
  /** The next items after `checkpoint`, or 'exhausted' when a finite source has nothing left. */
  read(checkpoint: string | undefined, signal: AbortSignal): Promise<PullBatch | 'exhausted'>;
  close?(): Promise<void>;
}

/**
 * Resolves once Kafka acknowledged every item of the batch; rejects when they were not stored. A streaming source
 * acknowledges upstream (MQTT PUBACK, the SSE/websocket resume position) only after it resolved.
 */
export type Deliver = (batch: PullBatch) => Promise<void>;

export interface StreamingSource {
  kind: 'streaming';
  name: string;
  /**
   * Connects (from `checkpoint`, where the source can resume) and delivers until `signal` aborts, reconnecting with
   * backoff on its own (saying why through `log`); rejects only on an error no reconnect can fix.
   */
  run(deliver: Deliver, checkpoint: string | undefined, signal: AbortSignal, log?: (message: string) => void): Promise<void>;
  close?(): Promise<void>;
}

export interface PushSource {
  kind: 'push';
  name: string;
}

export type ClientSource = PullSource | StreamingSource | PushSource;

/**
 * How replicas of one stream share its source: `split` — every replica reads and the load divides (push behind a
 * Service, MQTT shared subscriptions), so scaling out adds capacity; `leader` — one replica reads behind a Lease and the
 * others stand by (an API that answers one changing value per call cannot be split), so scaling out adds nothing.
 */
export type Replication = 'split' | 'leader';

export interface SourceDefinition<Config> {
  /** The stream file's `source.kind`. */
  kind: string;
  /** One sentence for the generated docs. */
  description: string;
  replication: Replication;
  /** The source's settings, beside `kind` in the stream file's `source`; unknown keys are refused. */
  configSchema: z.ZodType<Config>;
  create(config: Config): Promise<ClientSource>;
}
