import { describe, expect, it } from '@jest/globals';
import { loadConfig } from './config.ts';
import { CONNECTION_BYTES, CONNECTION_MEMORY_SHARE } from './connection-limits.ts';
import { writeStreamFile } from './testing/stream-file.ts';

describe('loadConfig', () => {
  it('applies defaults: the transactions stream, pushed', () => {
    const config = loadConfig({});
    expect(config.stream).toMatchObject({
      name: 'transacciones',
      topic: 'topic_transaccion',
      format: 'json',
      key: 'ID_PERSONA',
      idField: 'id',
    });
    expect(config.stream.source.kind).toBe('http-push');
    expect(config.stream.schema).toMatchObject({ required: ['ID_PERSONA', 'ID_EMPRESA', 'MONTO'] });
    expect(config.topicRetentionMs).toBe(3_600_000);
    expect(config.kafkaBrokers).toEqual(['127.0.0.1:9092']);
    expect(config.lease.mode).toBe('file');
  });

  it('reads values and the stream file with its source settings', () => {
    const config = loadConfig({
      PRODUCER_STREAM_FILE: writeStreamFile({
        source: { kind: 'http-poll', url: 'http://127.0.0.1:1/x', recordsPath: 'data.items' },
      }),
      PRODUCER_KAFKA_BROKERS: 'a:1, b:2',
      KUBERNETES_SERVICE_HOST: '10.0.0.1',
    });
    expect(config.kafkaBrokers).toEqual(['a:1', 'b:2']);
    expect(config.stream.source.config).toMatchObject({
      url: 'http://127.0.0.1:1/x',
      recordsPath: 'data.items',
      intervalMs: 1_000,
    });
    expect(config.lease.mode).toBe('kubernetes');
  });

  it.each([
    [{ PRODUCER_PORT: 'abc' }, 'PRODUCER_PORT'],
    [{ PRODUCER_PROT: '1' }, 'PRODUCER_PROT: not a known setting; did you mean PRODUCER_PORT?'],
    [{ PRODUCER_LEASE_MODES: 'none' }, 'PRODUCER_LEASE_MODES: not a known setting; did you mean PRODUCER_LEASE_MODE?'],
    [{ PRODUCER_SOURCE: 'http-poll' }, 'PRODUCER_SOURCE: not a known setting'],
    [{ PRODUCER_STREAM_FILE: '/nonexistent/stream.yaml' }, 'stream file /nonexistent/stream.yaml cannot be read'],
    [{ PRODUCER_KAFKA_BROKERS: 'nohost' }, 'PRODUCER_KAFKA_BROKERS'],
    [{ PRODUCER_AUTH_TOKEN: 'short' }, 'PRODUCER_AUTH_TOKEN'],
    [{ PRODUCER_LEASE_RENEW_MS: '20000' }, 'PRODUCER_LEASE_RENEW_MS'],
    [
      { PRODUCER_KAFKA_SASL_MECHANISM: 'gssapi', PRODUCER_KAFKA_SASL_USERNAME: 'u', PRODUCER_KAFKA_SASL_PASSWORD: 'p' },
      'PRODUCER_KAFKA_SASL_MECHANISM',
    ],
    [
      { PRODUCER_KAFKA_SASL_MECHANISM: 'plain', PRODUCER_KAFKA_SASL_PASSWORD: 'p' },
      'PRODUCER_KAFKA_SASL_USERNAME: required when PRODUCER_KAFKA_SASL_MECHANISM is set',
    ],
    [
      { PRODUCER_KAFKA_SASL_MECHANISM: 'plain', PRODUCER_KAFKA_SASL_USERNAME: 'u' },
      'PRODUCER_KAFKA_SASL_PASSWORD: required when PRODUCER_KAFKA_SASL_MECHANISM is set',
    ],
    [
      { PRODUCER_KAFKA_SASL_USERNAME: 'u', PRODUCER_KAFKA_SASL_PASSWORD: 'p' },
      'PRODUCER_KAFKA_SASL_MECHANISM: required when a SASL username or password is set',
    ],
    [{ PRODUCER_KAFKA_SSL: 'yes' }, 'PRODUCER_KAFKA_SSL'],
    [{ PRODUCER_MEMORY_LIMIT_BYTES: '256Mi' }, 'PRODUCER_MEMORY_LIMIT_BYTES'],
    [{ PRODUCER_MAX_CONNECTIONS: '0' }, 'PRODUCER_MAX_CONNECTIONS'],
    [{ PRODUCER_HEADERS_TIMEOUT_MS: '20000' }, 'PRODUCER_HEADERS_TIMEOUT_MS: must not exceed PRODUCER_REQUEST_TIMEOUT_MS'],
    [{ PRODUCER_IDLE_TIMEOUT_MS: '15000' }, 'PRODUCER_IDLE_TIMEOUT_MS: must be longer than PRODUCER_KAFKA_SEND_TIMEOUT_MS'],
  ])('%j stops start-up naming %s', (env, expected) => {
    expect(() => loadConfig(env)).toThrow(expected);
  });
});

describe('Kafka SASL and TLS settings', () => {
  it('are off by default', () => {
    const config = loadConfig({});
    expect(config.kafka.sasl).toBeUndefined();
    expect(config.kafka.ssl).toBe(false);
  });

  it.each(['plain', 'scram-sha-256', 'scram-sha-512'] as const)('accept mechanism %s with username and password', (mechanism) => {
    const config = loadConfig({
      PRODUCER_KAFKA_SASL_MECHANISM: mechanism,
      PRODUCER_KAFKA_SASL_USERNAME: 'tormenta',
      PRODUCER_KAFKA_SASL_PASSWORD: 's3cret',
      PRODUCER_KAFKA_SSL: 'true',
    });
    expect(config.kafka.sasl).toEqual({ mechanism, username: 'tormenta', password: 's3cret' });
    expect(config.kafka.ssl).toBe(true);
  });
});

describe('connection limits', () => {
  it('derive the connection cap from the memory limit, the chart default when none is given', () => {
    const perMemory = (bytes: number): number => Math.floor((bytes * CONNECTION_MEMORY_SHARE) / CONNECTION_BYTES);
    expect(loadConfig({}).connections.maxConnections).toBe(perMemory(256 * 1024 * 1024));
    const limited = loadConfig({ PRODUCER_MEMORY_LIMIT_BYTES: String(128 * 1024 * 1024) }).connections;
    expect(limited.maxConnections).toBe(perMemory(128 * 1024 * 1024));
    expect(limited.maxConnections).toBeLessThan(loadConfig({}).connections.maxConnections);
  });

  it('take an explicit cap and timeouts of a few seconds by default', () => {
    expect(loadConfig({ PRODUCER_MAX_CONNECTIONS: '300' }).connections.maxConnections).toBe(300);
    expect(loadConfig({}).connections).toMatchObject({
      headersTimeoutMs: 5_000,
      requestTimeoutMs: 10_000,
      keepAliveTimeoutMs: 5_000,
      idleTimeoutMs: 30_000,
    });
  });
});
