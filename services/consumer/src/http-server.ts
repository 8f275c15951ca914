// /healthz (the process and its loop are alive), /readyz (in the consumer group and the sink answering) and /metrics.
import Fastify from 'fastify';
import type { FastifyInstance } from 'fastify';
import type { Registry } from 'prom-client';

export interface ConsumerHealth {
  live: boolean;
  ready: boolean;
  /** Shown in the 503 body: what is not ready. */
  reasons: string[];
}

const statusBody = {
  type: 'object',
  properties: {
    statusCode: { type: 'integer' },
    code: { type: 'string' },
    error: { type: 'string' },
    message: { type: 'string' },
    status: { type: 'string' },
  },
} as const;

export function createHttpServer(options: { registry: Registry; health: () => ConsumerHealth }): FastifyInstance {
  const app = Fastify({ logger: false });
  const schema = { response: { 200: statusBody, 503: statusBody } };

  app.get('/healthz', { schema }, async (_request, reply) => {
    const { live } = options.health();
    if (live) return { status: 'ok' };
    return reply.code(503).send({
      statusCode: 503,
      code: 'TORMENTA_CONSUMER_NOT_LIVE',
      error: 'Service Unavailable',
      message: 'the micro-batch loop has stopped',
    });
  });

  app.get('/readyz', { schema }, async (_request, reply) => {
    const { ready, reasons } = options.health();
    if (ready) return { status: 'ready' };
    return reply.code(503).send({
      statusCode: 503,
      code: 'TORMENTA_CONSUMER_NOT_READY',
      error: 'Service Unavailable',
      message: reasons.join('; '),
    });
  });

  app.get('/metrics', async (_request, reply) => {
    reply.header('Content-Type', options.registry.contentType);
    return options.registry.metrics();
  });

  return app;
}
