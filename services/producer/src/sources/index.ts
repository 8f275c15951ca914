// The one registry from a source's name (PRODUCER_SOURCE) to its definition.
import { fileSampleSource } from './file-sample.ts';
import { htmlScrapeSource } from './html-scrape.ts';
import { httpPollSource } from './http-poll.ts';
import { httpPushSource } from './http-push.ts';
import type { SourceDefinition } from './source.ts';

export const SOURCE_NAMES = ['http-push', 'file-sample', 'http-poll', 'html-scrape'] as const;
export type SourceName = (typeof SOURCE_NAMES)[number];

export const sourceRegistry: Record<SourceName, SourceDefinition<never>> = {
  'http-push': httpPushSource as SourceDefinition<never>,
  'file-sample': fileSampleSource as SourceDefinition<never>,
  'http-poll': httpPollSource as SourceDefinition<never>,
  'html-scrape': htmlScrapeSource as SourceDefinition<never>,
};

export type { ClientSource, PullBatch, PullSource, PushSource, SourceDefinition } from './source.ts';
