// http-push: clients POST JSON arrays or NDJSON to /v1/records (the route lives in server.ts); nothing to configure here.
import { z } from 'zod';
import type { SourceDefinition } from './source.ts';

export const httpPushConfigSchema = z.strictObject({});

export const httpPushSource: SourceDefinition<z.infer<typeof httpPushConfigSchema>> = {
  kind: 'http-push',
  description:
    "Clients POST records to /v1/records: a JSON array, NDJSON, or one text or binary record per request, as the stream's format says.",
  replication: 'split',
  configSchema: httpPushConfigSchema,
  create: async () => ({ kind: 'push', name: 'http-push' }),
};
