// /healthz (the process runs), /readyz (a valid config is loaded and the API server answered), /metrics, and /status
// (the last pass, for `explain --live`).
import Fastify from 'fastify';
import type { FastifyInstance } from 'fastify';
import type { Registry } from 'prom-client';
import type { TargetStatus } from './reconciler.ts';
import type { BudgetStatus } from './spend-tracker.ts';

export interface HttpServerDeps {
  registry: Registry;
  ready: () => { ready: boolean; reason?: string };
  status: () => {
    leader: boolean;
    dryRun: boolean;
    configVersion: string | undefined;
    budget?: BudgetStatus | undefined;
    targets: readonly TargetStatus[];
  };
}

export function buildHttpServer(deps: HttpServerDeps): FastifyInstance {
  const app = Fastify({ logger: false });
  app.get('/healthz', async () => ({ status: 'ok' }));
  app.get('/readyz', async (_request, reply) => {
    const { ready, reason } = deps.ready();
    if (!ready) {
      return reply.code(503).send({
        statusCode: 503,
        code: 'TORMENTA_AUTOSCALER_NOT_READY',
        error: 'Service Unavailable',
        message: reason ?? 'not ready',
      });
    }
    return { status: 'ready' };
  });
  app.get('/metrics', async (_request, reply) => {
    reply.header('content-type', deps.registry.contentType);
    return deps.registry.metrics();
  });
  app.get('/status', async () => deps.status());
  return app;
}
