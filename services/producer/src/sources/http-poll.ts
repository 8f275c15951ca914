// http-poll: GET a REST JSON API every T (the seed's ISS-now example); the records are found at a dot path of the answer
// (an array, or one object taken as one record).
import { z } from 'zod';
import type { PullSource, SourceDefinition } from './source.ts';

export const httpPollConfigSchema = z.strictObject({
  url: z.url(),
  intervalMs: z.coerce.number().int().min(10).default(1_000),
  /** e.g. "data.items"; empty = the whole body. */
  recordsPath: z.string().default(''),
  timeoutMs: z.coerce.number().int().min(1).default(5_000),
});
export type HttpPollConfig = z.infer<typeof httpPollConfigSchema>;

export function pickRecords(body: unknown, path: string): unknown[] {
  let value = body;
  for (const step of path.split('.').filter((part) => part !== '')) {
    value = typeof value === 'object' && value !== null ? (value as Record<string, unknown>)[step] : undefined;
  }
  if (value === undefined || value === null) return [];
  return Array.isArray(value) ? value : [value];
}

export function createHttpPoll(config: HttpPollConfig): PullSource {
  return {
    kind: 'pull',
    name: 'http-poll',
    intervalMs: config.intervalMs,
    async read() {
      const response = await fetch(config.url, {
        signal: AbortSignal.timeout(config.timeoutMs),
        headers: { accept: 'application/json' },
      });
      if (!response.ok) throw new Error(`GET ${config.url}: HTTP ${response.status}`);
      return { items: pickRecords(await response.json(), config.recordsPath) };
    },
  };
}

export const httpPollSource: SourceDefinition<HttpPollConfig> = {
  kind: 'http-poll',
  description: 'GET a REST JSON API every interval (e.g. an ISS-now style position API); records at a dot path of the answer.',
  replication: 'leader',
  configSchema: httpPollConfigSchema,
  create: async (config) => createHttpPoll(config),
};
