// The registry of Client Sources: each file declares its kind, settings and replication beside its code; this list is
// the only place that names them, and the docs' table and the chart's enum are generated from it.
import { fileSampleSource } from './file-sample.ts';
import { htmlScrapeSource } from './html-scrape.ts';
import { httpPollSource } from './http-poll.ts';
import { httpPushSource } from './http-push.ts';
import { mqttSource } from './mqtt.ts';
import type { SourceDefinition } from './source.ts';
import { sseSource } from './sse.ts';
import { websocketSource } from './websocket.ts';

const definitions: SourceDefinition<never>[] = [
  httpPushSource,
  fileSampleSource,
  httpPollSource,
  htmlScrapeSource,
  websocketSource,
  sseSource,
  mqttSource,
].map((definition) => definition as SourceDefinition<never>);

export const sourceRegistry: ReadonlyMap<string, SourceDefinition<never>> = new Map(
  definitions.map((definition) => [definition.kind, definition]),
);

export const SOURCE_KINDS: readonly string[] = [...sourceRegistry.keys()];

export type {
  ClientSource,
  Deliver,
  PullBatch,
  PullSource,
  PushSource,
  Replication,
  SourceDefinition,
  StreamingSource,
} from './source.ts';
