import { describe, expect, it } from '@jest/globals';
import { loadConfig } from './config.ts';
import { ConsumerError } from './errors.ts';

const minimal = { KAFKA_BROKERS: 'a:9092, b:9092', CONSUMER_GROUP_ID: 'g1', HBASE_REST_URL: 'http://127.0.0.1:8080' };

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
    const config = loadConfig({ ...minimal, TOPIC: 't', BATCH_INTERVAL_MS: '10000', UNKNOWN_ID_POLICY: 'dlq', TABLE_ENRICHED: 'E2', MAX_BATCH_RECORDS: '50' });
    expect(config).toMatchObject({ topic: 't', dlqTopic: 't.dlq', batchIntervalMs: 10_000, unknownIdPolicy: 'dlq', maxBatchRecords: 50, tables: { enriched: 'E2' } });
  });

  it.each([
    ['KAFKA_BROKERS', { KAFKA_BROKERS: undefined }],
    ['CONSUMER_GROUP_ID', { CONSUMER_GROUP_ID: '' }],
    ['BATCH_INTERVAL_MS', { BATCH_INTERVAL_MS: '0' }],
    ['BATCH_INTERVAL_MS', { BATCH_INTERVAL_MS: 'soon' }],
    ['MAX_BATCH_RECORDS', { MAX_BATCH_RECORDS: '1.5' }],
    ['UNKNOWN_ID_POLICY', { UNKNOWN_ID_POLICY: 'ignore' }],
    ['HBASE_REST_URL', { HBASE_REST_URL: 'not a url' }],
    ['HTTP_PORT', { HTTP_PORT: '70000' }],
    ['RETRY_MAX_MS', { RETRY_INITIAL_MS: '500', RETRY_MAX_MS: '100' }],
    ['KAFKA_SASL_MECHANISM', { KAFKA_SASL_MECHANISM: 'oauthbearer', KAFKA_SASL_USERNAME: 'u', KAFKA_SASL_PASSWORD: 'p' }],
    ['KAFKA_SASL_USERNAME: required when KAFKA_SASL_MECHANISM is set', { KAFKA_SASL_MECHANISM: 'plain', KAFKA_SASL_PASSWORD: 'p' }],
    ['KAFKA_SASL_PASSWORD: required when KAFKA_SASL_MECHANISM is set', { KAFKA_SASL_MECHANISM: 'scram-sha-256', KAFKA_SASL_USERNAME: 'u' }],
    ['KAFKA_SASL_MECHANISM: required when a SASL username or password is set', { KAFKA_SASL_USERNAME: 'u', KAFKA_SASL_PASSWORD: 'p' }],
    ['KAFKA_SSL', { KAFKA_SSL: 'yes' }],
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

describe('Kafka SASL and TLS settings', () => {
  it('are off by default', () => {
    const config = loadConfig(minimal);
    expect(config.kafka.sasl).toBeUndefined();
    expect(config.kafka.ssl).toBe(false);
  });

  it.each(['plain', 'scram-sha-256', 'scram-sha-512'] as const)('accept mechanism %s with username and password', (mechanism) => {
    const config = loadConfig({ ...minimal, KAFKA_SASL_MECHANISM: mechanism, KAFKA_SASL_USERNAME: 'tormenta', KAFKA_SASL_PASSWORD: 's3cret', KAFKA_SSL: 'true' });
    expect(config.kafka).toMatchObject({ sasl: { mechanism, username: 'tormenta', password: 's3cret' }, ssl: true });
  });
});
