// http-poll: GET a REST JSON API every T (the seed's ISS-now example); the records are found at a dot path of the answer
// (an array, or one object taken as one record). What the API said last (its ETag / Last-Modified, and a digest of the
// body) is the checkpoint, recorded only after Kafka stored the answer's records: a 304 or, with skipUnchanged, the same
// body again brings nothing, also for a new leader, and an answer that was not stored is asked for again.
import { createHash } from 'node:crypto';
import { z } from 'zod';
import type { PullSource, SourceDefinition } from './source.ts';

export const httpPollConfigSchema = z.strictObject({
  url: z.url(),
  intervalMs: z.coerce.number().int().min(10).default(1_000),
  /** e.g. "data.items"; empty = the whole body. */
  recordsPath: z.string().default(''),
  timeoutMs: z.coerce.number().int().min(1).default(5_000),
  /** Send If-None-Match / If-Modified-Since from the last stored answer; a 304 brings no records. */
  conditional: z.boolean().default(true),
  /** Drop an answer whose body is byte-identical to the last stored one (for APIs without ETags). */
  skipUnchanged: z.boolean().default(false),
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

/** The last stored answer, as the checkpoint keeps it. */
export interface LastAnswer {
  etag?: string;
  lastModified?: string;
  sha256?: string;
}

export function parseLastAnswer(checkpoint: string | undefined): LastAnswer {
  if (checkpoint === undefined) return {};
  try {
    const parsed: unknown = JSON.parse(checkpoint);
    return typeof parsed === 'object' && parsed !== null ? (parsed as LastAnswer) : {};
  } catch {
    return {};
  }
}

/** The conditional request headers for the last stored answer. */
export function conditionalHeaders(last: LastAnswer): Record<string, string> {
  const headers: Record<string, string> = {};
  if (last.etag !== undefined) headers['if-none-match'] = last.etag;
  if (last.lastModified !== undefined) headers['if-modified-since'] = last.lastModified;
  return headers;
}

export function createHttpPoll(config: HttpPollConfig): PullSource {
  return {
    kind: 'pull',
    name: 'http-poll',
    intervalMs: config.intervalMs,
    async read(checkpoint, signal) {
      const last = parseLastAnswer(checkpoint);
      const response = await fetch(config.url, {
        signal: AbortSignal.any([signal, AbortSignal.timeout(config.timeoutMs)]),
        headers: { accept: 'application/json', ...(config.conditional ? conditionalHeaders(last) : {}) },
      });
      if (response.status === 304) {
        await response.body?.cancel();
        return { items: [] };
      }
      if (!response.ok) throw new Error(`GET ${config.url}: HTTP ${response.status}`);
      const body = await response.text();
      const answer: LastAnswer = { sha256: createHash('sha256').update(body).digest('base64url') };
      const etag = response.headers.get('etag');
      const lastModified = response.headers.get('last-modified');
      if (etag !== null) answer.etag = etag;
      if (lastModified !== null) answer.lastModified = lastModified;
      if (config.skipUnchanged && answer.sha256 === last.sha256) return { items: [] };
      let parsed: unknown;
      try {
        parsed = JSON.parse(body);
      } catch {
        throw new Error(`GET ${config.url}: the answer is not JSON (${body.slice(0, 80)}…)`);
      }
      return { items: pickRecords(parsed, config.recordsPath), checkpoint: JSON.stringify(answer) };
    },
  };
}

export const httpPollSource: SourceDefinition<HttpPollConfig> = {
  kind: 'http-poll',
  description:
    'GET a REST JSON API every interval (e.g. an ISS-now style position API); records at a dot path of the answer; honours ETag / Last-Modified and can skip an unchanged answer.',
  replication: 'leader',
  configSchema: httpPollConfigSchema,
  create: async (config) => createHttpPoll(config),
};
