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
  connections: {
    maxConnections: 100,
    headersTimeoutMs: 1_000,
    requestTimeoutMs: 2_000,
    idleTimeoutMs: 5_000,
    keepAliveTimeoutMs: 1_000,
  },
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
        maxBodyBytes: 1000, maxRecordsPerRequest: 5, connections: { maxConnections: 100, headersTimeoutMs: 1000,
        requestTimeoutMs: 2000, idleTimeoutMs: 5000, keepAliveTimeoutMs: 1000 }, retryAfterSeconds: 1, authToken: undefined, rateLimitPerSecond: 0,
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

  it.each(['GET', 'PUT', 'DELETE', 'PATCH', 'OPTIONS'] as const)(
    'answers %s /v1/records with 405, Allow: POST, in the one error shape',
    async (method) => {
      const app = buildServer(options());
      const response = await app.inject({ method, url: '/v1/records?x=1' });
      expect(response.statusCode).toBe(405);
      expect(response.headers.allow).toBe('POST');
      expect(response.json()).toEqual({
        statusCode: 405,
        code: 'TORMENTA_METHOD_NOT_ALLOWED',
        error: 'Method Not Allowed',
        message: `${method} /v1/records: records are sent with POST`,
      });
      await app.close();
    },
  );

  it('still answers 404 for unknown paths, and for /v1/records when push is off', async () => {
    const app = buildServer(options());
    const unknown = await app.inject({ method: 'GET', url: '/v1/record' });
    expect(unknown.statusCode).toBe(404);
    expect(unknown.headers.allow).toBeUndefined();
    expect(unknown.json()).toMatchObject({ code: 'TORMENTA_NOT_FOUND' });
    await app.close();
    const pull = buildServer({ ...options(), acceptPush: false });
    const records = await pull.inject({ method: 'GET', url: '/v1/records' });
    expect(records.statusCode).toBe(404);
    await pull.close();
  });

  it('refuses a route schema instead of compiling it', async () => {
    const app = buildServer(options());
    app.post('/with-schema', { schema: { body: { type: 'object' } } }, async () => 'never');
    await expect(app.ready()).rejects.toThrow(/declares a schema/);
  });
});
