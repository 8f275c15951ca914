// The Client Source seam (the seed's ClientSource.read()): a pull source is asked for its next batch of items every
// interval; the push source's items arrive through POST /v1/records. Items are untyped until the ingest path validates them.
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
  read(checkpoint: string | undefined): Promise<PullBatch | 'exhausted'>;
}

export interface PushSource {
  kind: 'push';
  name: string;
}

export type ClientSource = PullSource | PushSource;

export interface SourceDefinition<Config> {
  name: string;
  /** Environment variables with this prefix configure the source (e.g. PRODUCER_POLL_URL → url). */
  envPrefix: string | undefined;
  configSchema: z.ZodType<Config>;
  create(config: Config): Promise<ClientSource>;
}
