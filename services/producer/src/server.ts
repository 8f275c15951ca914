// The fastify ingest server: POST /v1/records (push source only), /healthz, /readyz and /metrics. Every error leaves in
// the one body shape {statusCode, code, error, message, details?}; 429 and 503 carry Retry-After.
import { timingSafeEqual } from 'node:crypto';
import Fastify, { LogController } from 'fastify';
import type { FastifyInstance, FastifyReply, FastifyRequest, FastifyServerOptions } from 'fastify';
import { takeToken } from './backpressure.ts';
import type { Bucket } from './backpressure.ts';
import { JSON_TYPES, NDJSON_TYPES, parseJsonArray, parseNdjson } from './body.ts';
import { capConnections, connectionOptions } from './connection-limits.ts';
import type { ConnectionDropReason, ConnectionLimits } from './connection-limits.ts';
import { ProducerError } from './errors.ts';
import type { ProducerErrorCode } from './errors.ts';
import type { Ingestor } from './ingest.ts';
import type { ProducerMetrics } from './metrics.ts';
import { assignIds } from './streams/ids.ts';
import type { StreamFormat } from './streams/stream-file.ts';

export interface ServerOptions {
  ingestor: Ingestor;
  metrics: ProducerMetrics;
  /** Register POST /v1/records (the http-push source). */
  acceptPush: boolean;
  sourceName: string;
  /** The stream's format: json/ndjson bodies are arrays or lines of records; a text or bytes body is one record. */
  format: StreamFormat;
  idField: string;
  maxBodyBytes: number;
  /** The connection cap and timeouts that bound what a flood of connections can cost (connection-limits.ts). */
  connections: ConnectionLimits;
  maxRecordsPerRequest: number;
  retryAfterSeconds: number;
  authToken: string | undefined;
  rateLimitPerSecond: number;
  rateLimitBurst: number;
  logLevel: string;
  ready: () => { ready: boolean; reason?: ProducerErrorCode; message?: string };
  /** Liveness (/healthz); a failing answer makes Kubernetes restart the pod. Absent: always live. */
  live?: () => { live: boolean; reason?: ProducerErrorCode; message?: string };
  draining: () => boolean;
}

// Records are validated by records.ts and bodies are written by hand or by JSON.stringify, so no route declares a
// schema. Fastify would still load Ajv and fast-json-stringify at start-up for them (250 modules, 1.1 MB of
// code, ~4 MB of a producer's resident memory); these compilers stand in and refuse a schema should one be added.
function refuseSchema(): never {
  throw new Error('a route declares a schema; the producer validates records in records.ts and compiles no schemas');
}
const noRouteSchemas: NonNullable<FastifyServerOptions['schemaController']> = {
  compilersFactory: { buildValidator: () => refuseSchema, buildSerializer: () => refuseSchema },
};

const INGEST_PATH = '/v1/records';

/** What a text stream takes: any text/* type, and the XML and HTML types that are text without saying so. */
const TEXT_TYPES = /^(text\/[\w.+-]+|application\/([\w.-]+\+)?(xml|json)|application\/xhtml\+xml)$/;

function acceptedTypes(format: StreamFormat): string {
  if (format === 'text') return 'a text/* body (HTML, XML, CSV, plain text)';
  if (format === 'bytes') return 'any body';
  return [...JSON_TYPES, ...NDJSON_TYPES].join(' or ');
}

/** Maps fastify's own errors (body parsing, limits) and anything unexpected onto the registry's codes. */
export function toProducerError(error: unknown, format: StreamFormat = 'json'): ProducerError {
  if (error instanceof ProducerError) return error;
  const statusCode = (error as { statusCode?: number }).statusCode;
  const message = error instanceof Error ? error.message : String(error);
  if (statusCode === 413) return new ProducerError('TORMENTA_PAYLOAD_TOO_LARGE', message);
  if (statusCode === 415) {
    return new ProducerError('TORMENTA_UNSUPPORTED_MEDIA_TYPE', `${message}; this stream takes ${acceptedTypes(format)}`);
  }
  if (statusCode !== undefined && statusCode >= 400 && statusCode < 500)
    return new ProducerError('TORMENTA_MALFORMED_BODY', message);
  return new ProducerError('TORMENTA_INTERNAL', 'internal error');
}

function sameToken(header: string | undefined, token: string): boolean {
  if (!header?.startsWith('Bearer ')) return false;
  const given = Buffer.from(header.slice('Bearer '.length));
  const expected = Buffer.from(token);
  return given.length === expected.length && timingSafeEqual(given, expected);
}

export function buildServer(options: ServerOptions): FastifyInstance {
  const dropped = (reason: ConnectionDropReason): void => void options.metrics.connectionsDropped.inc({ reason });
  const app = Fastify({
    logger: { level: options.logLevel },
    logController: new LogController({ disableRequestLogging: true }),
    bodyLimit: options.maxBodyBytes,
    return503OnClosing: false,
    schemaController: noRouteSchemas,
    ...connectionOptions(options.connections, dropped),
  });
  capConnections(app.server, options.connections, dropped);
  app.removeAllContentTypeParsers();
  if (options.format === 'text') {
    app.addContentTypeParser(TEXT_TYPES, { parseAs: 'string' }, (_request, body, done) => done(null, [body]));
  } else if (options.format === 'bytes') {
    app.addContentTypeParser('*', { parseAs: 'buffer' }, (_request, body, done) => done(null, [body]));
  } else {
    app.addContentTypeParser(JSON_TYPES, { parseAs: 'string' }, (_request, body, done) => {
      try {
        done(null, parseJsonArray(body as string));
      } catch (error) {
        done(error as Error, undefined);
      }
    });
    app.addContentTypeParser(NDJSON_TYPES, { parseAs: 'string' }, (_request, body, done) => {
      try {
        done(null, parseNdjson(body as string));
      } catch (error) {
        done(error as Error, undefined);
      }
    });
  }

  app.setErrorHandler((error, request, reply) => {
    const producerError = toProducerError(error, options.format);
    if (producerError.code === 'TORMENTA_INTERNAL') request.log.error({ err: error }, 'unexpected error');
    void sendError(reply, producerError);
  });
  app.setNotFoundHandler((request, reply) => {
    // fastify answers a known path with an unknown method as not found; HTTP says 405 with the methods it does take.
    if (options.acceptPush && request.url.split('?', 1)[0] === INGEST_PATH) {
      void sendError(
        reply,
        new ProducerError('TORMENTA_METHOD_NOT_ALLOWED', `${request.method} ${INGEST_PATH}: records are sent with POST`, {
          allow: ['POST'],
        }),
      );
      return;
    }
    void sendError(reply, new ProducerError('TORMENTA_NOT_FOUND', `no route ${request.method} ${request.url}`));
  });

  app.get('/healthz', async (_request, reply) => {
    const state = options.live?.() ?? { live: true };
    if (state.live) return { status: 'ok' };
    return sendError(reply, new ProducerError(state.reason ?? 'TORMENTA_INTERNAL', state.message ?? 'not live'));
  });
  app.get('/readyz', async (_request, reply) => {
    const state = options.ready();
    if (state.ready) return { status: 'ready' };
    return sendError(reply, new ProducerError(state.reason ?? 'TORMENTA_KAFKA_UNAVAILABLE', state.message ?? 'not ready'));
  });
  app.get('/metrics', async (_request, reply) => {
    reply.header('content-type', options.metrics.registry.contentType);
    return options.metrics.registry.metrics();
  });

  if (options.acceptPush) registerIngestRoute(app, options);
  return app;
}

function sendError(reply: FastifyReply, error: ProducerError): FastifyReply {
  if (error.retryAfterSeconds !== undefined) reply.header('retry-after', String(error.retryAfterSeconds));
  if (error.code === 'TORMENTA_UNAUTHORIZED') reply.header('www-authenticate', 'Bearer');
  if (error.allow !== undefined) reply.header('allow', error.allow.join(', '));
  return reply.status(error.statusCode).send(error.toBody());
}

function registerIngestRoute(app: FastifyInstance, options: ServerOptions): void {
  const buckets = new Map<string, Bucket>();
  const admit = async (request: FastifyRequest): Promise<void> => {
    const authorization = request.headers.authorization;
    const verified = options.authToken !== undefined && sameToken(authorization, options.authToken);
    if (options.authToken !== undefined && !verified) {
      throw new ProducerError('TORMENTA_UNAUTHORIZED', 'a valid bearer token is required (Authorization: Bearer <token>)');
    }
    if (options.draining()) {
      throw new ProducerError('TORMENTA_DRAINING', 'the producer is shutting down; retry on another replica', {
        retryAfterSeconds: options.retryAfterSeconds,
      });
    }
    if (options.rateLimitPerSecond > 0) {
      // Only a verified token identifies a client; any other header is the client's to vary, so the address is the key.
      const client = verified ? `token:${authorization}` : `ip:${request.ip}`;
      const decision = takeToken(buckets.get(client), Date.now(), options.rateLimitPerSecond, options.rateLimitBurst);
      buckets.set(client, decision.bucket);
      if (!decision.admit) {
        options.metrics.rejected.inc({ reason: 'rate_limited' });
        throw new ProducerError(
          'TORMENTA_RATE_LIMITED',
          `more than ${options.rateLimitPerSecond} requests per second from this client`,
          {
            retryAfterSeconds: decision.retryAfterSeconds,
          },
        );
      }
    }
  };
  // Buckets of clients that went quiet are full again anyway; dropping them keeps the map from growing without bound.
  const sweep = setInterval(() => {
    const idleBefore = Date.now() - 60_000;
    for (const [client, bucket] of buckets) if (bucket.updatedMs < idleBefore) buckets.delete(client);
  }, 60_000);
  sweep.unref();
  app.addHook('onClose', async () => clearInterval(sweep));

  app.post(
    INGEST_PATH,
    {
      onRequest: admit,
    },
    async (request, reply) => {
      const records = request.body;
      if (!Array.isArray(records)) {
        throw new ProducerError('TORMENTA_UNSUPPORTED_MEDIA_TYPE', `this stream takes ${acceptedTypes(options.format)}`);
      }
      if (records.length > options.maxRecordsPerRequest) {
        options.metrics.received.inc({ source: options.sourceName }, records.length);
        options.metrics.rejected.inc({ reason: 'too_many_records' }, records.length);
        throw new ProducerError(
          'TORMENTA_TOO_MANY_RECORDS',
          `${records.length} records in one request; the limit is ${options.maxRecordsPerRequest}`,
        );
      }
      // Ids are fixed before the write so that a 503 (nothing or only part stored) can tell the client which ids to
      // resend with: a retry carrying them overwrites downstream instead of duplicating.
      const withIds = assignIds(records, options.idField);
      try {
        const result = await options.ingestor.ingest(withIds, options.sourceName, 'strict');
        // {accepted, ids}, written here: a JSON string is sent as is.
        reply.type('application/json; charset=utf-8');
        return `{"accepted":${result.accepted},"ids":${JSON.stringify(result.ids)}}`;
      } catch (error) {
        throw withResendIds(error, withIds, options.idField);
      }
    },
  );
}

/**
 * A 503 keeps its details and adds `ids`: the id of every record of the request, in request order, which the client
 * puts into the records when it resends them (the message says so), so records that did reach Kafka are overwritten
 * downstream instead of duplicated.
 */
function withResendIds(error: unknown, records: readonly unknown[], idField: string): unknown {
  if (!(error instanceof ProducerError) || error.statusCode !== 503) return error;
  const ids = records.map((record) =>
    typeof record === 'object' && record !== null ? (record as Record<string, unknown>)[idField] : undefined,
  );
  const details = typeof error.details === 'object' && error.details !== null ? { ...error.details, ids } : { ids };
  return new ProducerError(error.code, `${error.message}; resend the records with the ids in details.ids`, {
    details,
    retryAfterSeconds: error.retryAfterSeconds,
  });
}
