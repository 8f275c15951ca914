import { describe, expect, it } from '@jest/globals';
import { loadConfig, renamedSettings } from './config.ts';
import { ConsumerError } from './errors.ts';

const minimal = {
  CONSUMER_KAFKA_BROKERS: 'a:9092, b:9092',
  CONSUMER_GROUP_ID: 'g1',
  CONSUMER_HBASE_REST_URL: 'http://127.0.0.1:8080',
};

describe('loadConfig', () => {
  it('applies the defaults', () => {
    const config = loadConfig({ ...minimal, PATH: '/usr/bin' });
    expect(config).toMatchObject({
      kafka: { brokers: ['a:9092', 'b:9092'] },
      groupId: 'g1',
      topic: 'topic_transaccion',
      dlqTopic: 'topic_transaccion.dlq',
      batchIntervalMs: 1_000,
      unknownIdPolicy: 'null',
      tables: { persona: 'PERSONA', empresa: 'EMPRESA', enriched: 'TRANSACCION_ENRIQUECIDA' },
    });
  });

  it('reads the overrides', () => {
    const config = loadConfig({
      ...minimal,
      CONSUMER_TOPIC: 't',
      CONSUMER_BATCH_INTERVAL_MS: '10000',
      CONSUMER_UNKNOWN_ID_POLICY: 'dlq',
      CONSUMER_TABLE_ENRICHED: 'E2',
      CONSUMER_MAX_BATCH_RECORDS: '50',
    });
    expect(config).toMatchObject({
      topic: 't',
      dlqTopic: 't.dlq',
      batchIntervalMs: 10_000,
      unknownIdPolicy: 'dlq',
      maxBatchRecords: 50,
      tables: { enriched: 'E2' },
    });
  });

  it.each([
    ['CONSUMER_KAFKA_BROKERS', { CONSUMER_KAFKA_BROKERS: undefined }],
    ['CONSUMER_GROUP_ID', { CONSUMER_GROUP_ID: '' }],
    ['CONSUMER_BATCH_INTERVAL_MS', { CONSUMER_BATCH_INTERVAL_MS: '0' }],
    ['CONSUMER_BATCH_INTERVAL_MS', { CONSUMER_BATCH_INTERVAL_MS: 'soon' }],
    ['CONSUMER_MAX_BATCH_RECORDS', { CONSUMER_MAX_BATCH_RECORDS: '1.5' }],
    ['CONSUMER_UNKNOWN_ID_POLICY', { CONSUMER_UNKNOWN_ID_POLICY: 'ignore' }],
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

describe('renamedSettings', () => {
  it('names each setting of an earlier release that is set, with its new name', () => {
    expect(
      renamedSettings({ ...minimal, UNKNOWN_ID_POLICY: 'dlq', TOPIC: 't', HTTP_PORT: '', GROUP_ID: 'g', PATH: '/usr/bin' }),
    ).toEqual([
      'TOPIC is no longer read; set CONSUMER_TOPIC',
      'UNKNOWN_ID_POLICY is no longer read; set CONSUMER_UNKNOWN_ID_POLICY',
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
