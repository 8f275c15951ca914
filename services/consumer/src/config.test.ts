import { resolve } from 'node:path';
import { describe, expect, it } from '@jest/globals';
import { loadConfig, renamedSettings } from './config.ts';
import { ConsumerError } from './errors.ts';

const SINKS = resolve(import.meta.dirname, '../../../sinks');

const minimal = {
  CONSUMER_KAFKA_BROKERS: 'a:9092, b:9092',
  CONSUMER_HBASE_REST_URL: 'http://127.0.0.1:8080',
};

describe('loadConfig', () => {
  it('applies the defaults: the transactions sink from sinks/transacciones.yaml (relative to the working directory)', () => {
    const config = loadConfig({ ...minimal, PATH: '/usr/bin' });
    expect(config).toMatchObject({
      kafka: { brokers: ['a:9092', 'b:9092'] },
      sink: {
        file: 'sinks/transacciones.yaml',
        name: 'transacciones',
        topic: 'topic_transaccion',
        group: 'tormenta-enrich-1s',
        batchIntervalMs: 1_000,
        table: 'TRANSACCION_ENRIQUECIDA',
      },
      dlqTopic: 'topic_transaccion.dlq',
      maxBatchRecords: 10_000,
    });
    expect(config.sink.lookups.map((lookup) => lookup.table)).toEqual(['PERSONA', 'EMPRESA']);
  });

  it('reads the overrides and the sink file CONSUMER_SINK_FILE names', () => {
    const config = loadConfig({
      ...minimal,
      CONSUMER_SINK_FILE: `${SINKS}/iss.yaml`,
      CONSUMER_DLQ_TOPIC: 'dead',
      CONSUMER_MAX_BATCH_RECORDS: '50',
    });
    expect(config).toMatchObject({
      sink: { name: 'iss', topic: 'topic_iss', table: 'ISS_POSICION', lookups: [] },
      dlqTopic: 'dead',
      maxBatchRecords: 50,
    });
  });

  it('takes one HBase REST URL or a comma-separated list, protobuf unless told json', () => {
    expect(loadConfig(minimal).hbase).toEqual({
      urls: ['http://127.0.0.1:8080'],
      encoding: 'protobuf',
      putChunkRows: 1_000,
      concurrency: 4,
    });
    const config = loadConfig({
      ...minimal,
      CONSUMER_HBASE_REST_URL: 'http://rest-0:8080, http://rest-1:8080,',
      CONSUMER_HBASE_ENCODING: 'json',
      CONSUMER_HBASE_PUT_CHUNK_ROWS: '250',
      CONSUMER_HBASE_CONCURRENCY: '8',
    });
    expect(config.hbase).toEqual({
      urls: ['http://rest-0:8080', 'http://rest-1:8080'],
      encoding: 'json',
      putChunkRows: 250,
      concurrency: 8,
    });
  });

  it.each([
    ['CONSUMER_KAFKA_BROKERS', { CONSUMER_KAFKA_BROKERS: undefined }],
    ['CONSUMER_HBASE_REST_URL', { CONSUMER_HBASE_REST_URL: 'http://a:8080,not a url' }],
    ['CONSUMER_HBASE_REST_URL', { CONSUMER_HBASE_REST_URL: ' , ' }],
    ['CONSUMER_HBASE_ENCODING', { CONSUMER_HBASE_ENCODING: 'xml' }],
    ['CONSUMER_HBASE_CONCURRENCY', { CONSUMER_HBASE_CONCURRENCY: '0' }],
    ['CONSUMER_MAX_BATCH_RECORDS', { CONSUMER_MAX_BATCH_RECORDS: '1.5' }],
    ['CONSUMER_MAX_BATCH_RECORDS', { CONSUMER_MAX_BATCH_RECORDS: '0' }],
    ['CONSUMER_HBASE_REST_URL', { CONSUMER_HBASE_REST_URL: 'not a url' }],
    ['CONSUMER_HTTP_PORT', { CONSUMER_HTTP_PORT: '70000' }],
    ['CONSUMER_RETRY_MAX_MS', { CONSUMER_RETRY_INITIAL_MS: '500', CONSUMER_RETRY_MAX_MS: '100' }],
    [
      'CONSUMER_KAFKA_SASL_MECHANISM',
      { CONSUMER_KAFKA_SASL_MECHANISM: 'oauthbearer', CONSUMER_KAFKA_SASL_USERNAME: 'u', CONSUMER_KAFKA_SASL_PASSWORD: 'p' },
    ],
    [
      'CONSUMER_KAFKA_SASL_USERNAME: required when CONSUMER_KAFKA_SASL_MECHANISM is set',
      { CONSUMER_KAFKA_SASL_MECHANISM: 'plain', CONSUMER_KAFKA_SASL_PASSWORD: 'p' },
    ],
    [
      'CONSUMER_KAFKA_SASL_PASSWORD: required when CONSUMER_KAFKA_SASL_MECHANISM is set',
      { CONSUMER_KAFKA_SASL_MECHANISM: 'scram-sha-256', CONSUMER_KAFKA_SASL_USERNAME: 'u' },
    ],
    [
      'CONSUMER_KAFKA_SASL_MECHANISM: required when a SASL username or password is set',
      { CONSUMER_KAFKA_SASL_USERNAME: 'u', CONSUMER_KAFKA_SASL_PASSWORD: 'p' },
    ],
    ['CONSUMER_KAFKA_SSL', { CONSUMER_KAFKA_SSL: 'yes' }],
    ['CONSUMER_UNKNOWN_ID_POLICI: not a known setting', { CONSUMER_UNKNOWN_ID_POLICI: 'dlq' }],
    [
      'CONSUMER_UNKNOWN_ID_POLICY: no longer read; the sink file (CONSUMER_SINK_FILE) declares it as lookups[].onMissing',
      { CONSUMER_UNKNOWN_ID_POLICY: 'dlq' },
    ],
    ['CONSUMER_GROUP_ID: no longer read; the sink file (CONSUMER_SINK_FILE) declares it as group', { CONSUMER_GROUP_ID: 'g' }],
    ['sink file /nowhere/sink.yaml cannot be read', { CONSUMER_SINK_FILE: '/nowhere/sink.yaml' }],
  ])('names %s when it is invalid', (variable, override) => {
    let thrown: unknown;
    try {
      loadConfig({ ...minimal, ...override });
    } catch (error) {
      thrown = error;
    }
    expect(thrown).toBeInstanceOf(ConsumerError);
    expect((thrown as ConsumerError).code).toBe('TORMENTA_CONSUMER_CONFIG_INVALID');
    expect((thrown as ConsumerError).message).toContain(variable);
  });
});

describe('unknown CONSUMER_ variables', () => {
  const problemsOf = (override: Record<string, string>): string => {
    try {
      loadConfig({ ...minimal, ...override });
    } catch (error) {
      if (error instanceof ConsumerError) return error.message.replace(/^invalid consumer configuration — /, '');
      throw error;
    }
    throw new Error('loadConfig accepted the environment');
  };

  it.each([
    ['CONSUMER_HBASE_REST_ULR', 'CONSUMER_HBASE_REST_URL'],
    ['CONSUMER_KAFKA_BROKER', 'CONSUMER_KAFKA_BROKERS'],
    ['CONSUMER_MAX_BATCH_RECORD', 'CONSUMER_MAX_BATCH_RECORDS'],
    ['CONSUMER_KAFKA_SASL_MECANISM', 'CONSUMER_KAFKA_SASL_MECHANISM'],
    ['CONSUMER_SINKFILE', 'CONSUMER_SINK_FILE'],
  ])('stop start-up: %s names the setting meant (%s)', (typo, meant) => {
    expect(problemsOf({ [typo]: 'x' })).toBe(`${typo}: not a known setting; did you mean ${meant}?`);
  });

  it('name each one, a setting the sink file took over by its field there, and leave other variables alone', () => {
    expect(problemsOf({ CONSUMER_TOPIC: 't', CONSUMER_BUDGET: '1', CONSUMER_HTTP_PROT: '1', TOPIC: 't' })).toBe(
      [
        'CONSUMER_TOPIC: no longer read; the sink file (CONSUMER_SINK_FILE) declares it as topic',
        'CONSUMER_BUDGET: not a known setting',
        'CONSUMER_HTTP_PROT: not a known setting; did you mean CONSUMER_HTTP_PORT?',
      ].join('; '),
    );
  });

  it('take an empty variable as unset', () => {
    expect(loadConfig({ ...minimal, CONSUMER_DLQ_TOPIC: '', CONSUMER_TYPO: '' }).dlqTopic).toBe('topic_transaccion.dlq');
  });

  it('name the variable of a broker without a port', () => {
    expect(problemsOf({ CONSUMER_KAFKA_BROKERS: 'a:9092,b' })).toBe('CONSUMER_KAFKA_BROKERS: must be host:port');
  });
});

describe('renamedSettings', () => {
  it('names each setting of an earlier release that is set, with its new name', () => {
    expect(
      renamedSettings({
        ...minimal,
        UNKNOWN_ID_POLICY: 'dlq',
        TOPIC: 't',
        KAFKA_BROKERS: 'k:9092',
        HTTP_PORT: '',
        GROUP_ID: 'g',
        PATH: '/usr/bin',
      }),
    ).toEqual([
      'KAFKA_BROKERS is no longer read; set CONSUMER_KAFKA_BROKERS',
      'TOPIC is no longer read; the sink file (CONSUMER_SINK_FILE) declares it as topic',
      'UNKNOWN_ID_POLICY is no longer read; the sink file (CONSUMER_SINK_FILE) declares it as lookups[].onMissing',
    ]);
    expect(renamedSettings(minimal)).toEqual([]);
  });
});

describe('Kafka SASL and TLS settings', () => {
  it('are off by default', () => {
    const config = loadConfig(minimal);
    expect(config.kafka.sasl).toBeUndefined();
    expect(config.kafka.ssl).toBe(false);
  });

  it.each(['plain', 'scram-sha-256', 'scram-sha-512'] as const)('accept mechanism %s with username and password', (mechanism) => {
    const config = loadConfig({
      ...minimal,
      CONSUMER_KAFKA_SASL_MECHANISM: mechanism,
      CONSUMER_KAFKA_SASL_USERNAME: 'tormenta',
      CONSUMER_KAFKA_SASL_PASSWORD: 's3cret',
      CONSUMER_KAFKA_SSL: 'true',
    });
    expect(config.kafka).toMatchObject({ sasl: { mechanism, username: 'tormenta', password: 's3cret' }, ssl: true });
  });
});
