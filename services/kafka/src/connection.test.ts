import { describe, expect, it } from '@jest/globals';
import { z } from 'zod';
import { kafkaConnectionFields, kafkaConnectionOf, kafkaSaslRules } from './connection.ts';

const schema = (brokers?: string[]) =>
  z.strictObject(kafkaConnectionFields({ brokers, clientId: 'svc' })).superRefine(kafkaSaslRules('SVC_'));
const messages = (result: { success: boolean; error?: z.ZodError }) =>
  result.error?.issues.map((issue) => `${String(issue.path[0])}: ${issue.message}`);

describe('Kafka connection settings', () => {
  it('default to plaintext with the service defaults', () => {
    const settings = schema(['127.0.0.1:9092']).parse({});
    expect(kafkaConnectionOf(settings)).toEqual({ brokers: ['127.0.0.1:9092'], clientId: 'svc', ssl: false });
  });

  it('require brokers when the service has no default, each as host:port', () => {
    expect(messages(schema().safeParse({}))).toEqual(['kafkaBrokers: Invalid input: expected string, received undefined']);
    expect(messages(schema().safeParse({ kafkaBrokers: 'a:1,b' }))).toEqual(['kafkaBrokers: must be host:port']);
    expect(schema().parse({ kafkaBrokers: ' a:1, b:2 ,' }).kafkaBrokers).toEqual(['a:1', 'b:2']);
  });

  it('make a SASL and TLS connection from mechanism, username, password and ssl', () => {
    const settings = schema([]).parse({
      kafkaBrokers: 'k:9093',
      kafkaSaslMechanism: 'scram-sha-512',
      kafkaSaslUsername: 'u',
      kafkaSaslPassword: 'p',
      kafkaSsl: 'true',
    });
    expect(kafkaConnectionOf(settings)).toEqual({
      brokers: ['k:9093'],
      clientId: 'svc',
      sasl: { mechanism: 'scram-sha-512', username: 'u', password: 'p' },
      ssl: true,
    });
  });

  it.each([
    [
      { kafkaSaslMechanism: 'plain' },
      [
        'kafkaSaslUsername: required when SVC_KAFKA_SASL_MECHANISM is set',
        'kafkaSaslPassword: required when SVC_KAFKA_SASL_MECHANISM is set',
      ],
    ],
    [{ kafkaSaslUsername: 'u' }, ['kafkaSaslMechanism: required when a SASL username or password is set']],
    [
      { kafkaSaslMechanism: 'gssapi', kafkaSaslUsername: 'u', kafkaSaslPassword: 'p' },
      [expect.stringMatching(/^kafkaSaslMechanism: /)],
    ],
  ])('refuse SASL settings %j that do not go together', (settings, expected) => {
    expect(messages(schema(['k:1']).safeParse(settings))).toEqual(expected);
  });
});
