// What the ingest server loads: no route declares a schema, so fastify's schema compilers (Ajv, fast-json-stringify)
// must never be loaded — ~3.5 MB of the producer's ~95 MB at 10 000 rec/s — and a schema added later fails loudly.
import { describe, expect, it } from '@jest/globals';
import { execFileSync } from 'node:child_process';
import { resolve } from 'node:path';
import type { Ingestor } from './ingest.ts';
import { createMetrics } from './metrics.ts';
import { buildServer } from './server.ts';
import type { ServerOptions } from './server.ts';

const options = (): ServerOptions => ({
  ingestor: {} as Ingestor,
  metrics: createMetrics(false),
  acceptPush: true,
  sourceName: 'http-push',
  format: 'json',
  idField: 'id',
  maxBodyBytes: 1_000_000,
  maxRecordsPerRequest: 500,
  retryAfterSeconds: 1,
  authToken: undefined,
  rateLimitPerSecond: 0,
  rateLimitBurst: 0,
  logLevel: 'warn',
  ready: () => ({ ready: true }),
  draining: () => false,
});

describe('ingest server', () => {
  it('starts without loading Ajv or fast-json-stringify', () => {
    // A fresh process: jest's module registry would not show what Node itself loaded.
    const server = resolve(import.meta.dirname, 'server.ts');
    const metrics = resolve(import.meta.dirname, 'metrics.ts');
    const script = `
      import { createRequire } from 'node:module';
      const { buildServer } = await import(${JSON.stringify(server)});
      const { createMetrics } = await import(${JSON.stringify(metrics)});
      const app = buildServer({ ingestor: {}, metrics: createMetrics(false), acceptPush: true, sourceName: 'http-push',
        maxBodyBytes: 1000, maxRecordsPerRequest: 5, retryAfterSeconds: 1, authToken: undefined, rateLimitPerSecond: 0,
        rateLimitBurst: 0, logLevel: 'warn', ready: () => ({ ready: true }), draining: () => false });
      await app.ready();
      const loaded = Object.keys(createRequire(import.meta.url).cache);
      console.log(JSON.stringify({ fastify: loaded.filter((file) => file.includes('/node_modules/fastify/')).length,
        // fastify's own error serializer keeps fast-json-stringify's small runtime (lib/serializer.js); not its compiler.
        compilers: loaded.filter((file) => /\\/node_modules\\/((ajv|ajv-formats|@fastify\\/ajv-compiler)\\/|fast-json-stringify\\/index\\.js)/.test(file)) }));
      await app.close();
    `;
    const output = execFileSync(process.execPath, ['--no-warnings', '--input-type=module', '-e', script], { encoding: 'utf8' });
    const loaded = JSON.parse(output.trim().split('\n').at(-1) as string) as { fastify: number; compilers: string[] };
    expect(loaded.fastify).toBeGreaterThan(10);
    expect(loaded.compilers).toEqual([]);
  });

  it('refuses a route schema instead of compiling it', async () => {
    const app = buildServer(options());
    app.post('/with-schema', { schema: { body: { type: 'object' } } }, async () => 'never');
    await expect(app.ready()).rejects.toThrow(/declares a schema/);
  });
});
