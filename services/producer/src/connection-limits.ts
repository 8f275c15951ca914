// What one producer accepts at the socket level, so that a flood of connections (the course's DoS scenario: thousands of
// clients trickling their headers in) cannot take the process over its memory limit: a cap on open connections derived
// from that limit, timeouts that close slow and idle connections within seconds, and a count of every connection refused
// or closed that way (tormenta_ingest_connections_dropped_total{reason}).
import type { FastifyServerOptions } from 'fastify';
import type { Server, ServerOptions } from 'node:http';
import type { Socket } from 'node:net';
import { ProducerError } from './errors.ts';
import type { ProducerErrorCode } from './errors.ts';

/**
 * What one open connection may cost while its headers arrive. Measured: 15 000 connections sending a header line every
 * 5 s raised a bundled producer's RSS by 132 MB at once (~9 KB each) and by 240 MB after a minute, as their buffers grew.
 */
export const CONNECTION_BYTES = 16 * 1024;
/** The part of the memory limit open connections may take; the process itself (~85 MB), requests in flight and the Kafka writer's buffers need the rest. */
export const CONNECTION_MEMORY_SHARE = 0.25;
/** How often Node looks for connections past their headers or request timeout; its own 30 s let them linger that long. */
export const TIMEOUT_CHECK_INTERVAL_MS = 1_000;

export function maxConnectionsFor(memoryLimitBytes: number): number {
  return Math.max(1, Math.floor((memoryLimitBytes * CONNECTION_MEMORY_SHARE) / CONNECTION_BYTES));
}

export interface ConnectionLimits {
  /** Connections beyond this are closed as they arrive (Node's server.maxConnections). */
  maxConnections: number;
  /** From the first byte of a request to the end of its headers. */
  headersTimeoutMs: number;
  /** From the first byte of a request to the end of its body (waiting for Kafka afterwards does not count). */
  requestTimeoutMs: number;
  /** A connection silent this long is closed, whatever it is doing (a client that stopped reading its response). */
  idleTimeoutMs: number;
  /** How long a keep-alive connection may wait for its next request. */
  keepAliveTimeoutMs: number;
}

export type ConnectionDropReason = 'max_connections' | 'request_timeout' | 'idle_timeout';
export const CONNECTION_DROP_REASONS: readonly ConnectionDropReason[] = ['max_connections', 'request_timeout', 'idle_timeout'];

type ConnectionOptions = Pick<
  FastifyServerOptions,
  'connectionTimeout' | 'keepAliveTimeout' | 'requestTimeout' | 'clientErrorHandler'
> & { http: ServerOptions };

/** Fastify's options for the limits; connections it closes for a timeout are counted through `dropped`. */
export function connectionOptions(limits: ConnectionLimits, dropped: (reason: ConnectionDropReason) => void): ConnectionOptions {
  return {
    connectionTimeout: limits.idleTimeoutMs,
    keepAliveTimeout: limits.keepAliveTimeoutMs,
    requestTimeout: limits.requestTimeoutMs,
    http: {
      headersTimeout: limits.headersTimeoutMs,
      requestTimeout: limits.requestTimeoutMs,
      keepAliveTimeout: limits.keepAliveTimeoutMs,
      connectionsCheckingInterval: TIMEOUT_CHECK_INTERVAL_MS,
    },
    clientErrorHandler: (error, socket) => {
      if (error.code === 'ERR_HTTP_REQUEST_TIMEOUT') dropped('request_timeout');
      answerClientError(error, socket);
    },
  };
}

/** The cap and the idle timeout act on the listening server itself; fastify has no option for either's event. */
export function capConnections(server: Server, limits: ConnectionLimits, dropped: (reason: ConnectionDropReason) => void): void {
  server.maxConnections = limits.maxConnections;
  server.on('drop', () => dropped('max_connections'));
  // With a listener, Node leaves the idle socket to it (it would destroy it otherwise).
  server.on('timeout', (socket: Socket) => {
    dropped('idle_timeout');
    socket.destroy();
  });
}

/** A malformed or too slow request, answered in the one error body shape before the connection closes (as fastify's own handler does). */
function answerClientError(error: { code?: string }, socket: Socket): void {
  if (error.code === 'ECONNRESET' || socket.destroyed) return;
  const code: ProducerErrorCode =
    error.code === 'ERR_HTTP_REQUEST_TIMEOUT'
      ? 'TORMENTA_REQUEST_TIMEOUT'
      : error.code === 'HPE_HEADER_OVERFLOW'
        ? 'TORMENTA_HEADERS_TOO_LARGE'
        : 'TORMENTA_MALFORMED_REQUEST';
  const message =
    code === 'TORMENTA_REQUEST_TIMEOUT'
      ? 'the request did not arrive in time'
      : code === 'TORMENTA_HEADERS_TOO_LARGE'
        ? 'the request headers are too large'
        : 'malformed HTTP request';
  const problem = new ProducerError(code, message);
  const body = JSON.stringify(problem.toBody());
  if (socket.writable) {
    socket.write(
      `HTTP/1.1 ${problem.statusCode} ${problem.toBody().error}\r\nConnection: close\r\nContent-Type: application/json\r\n` +
        `Content-Length: ${Buffer.byteLength(body)}\r\n\r\n${body}`,
    );
  }
  socket.destroy();
}
