// How every client in this module reaches the brokers: addresses, client id and, when the cluster wants them, SASL
// credentials and TLS. One place, so the writer, the reader and the admin calls cannot disagree — and one schema for the
// settings that say so, which every service's configuration takes in under its own prefix.
import type { KafkaConfig, SASLOptions } from 'kafkajs';
import { z } from 'zod';

export const SASL_MECHANISMS = ['plain', 'scram-sha-256', 'scram-sha-512'] as const;
export type SaslMechanism = (typeof SASL_MECHANISMS)[number];

export interface SaslSettings {
  mechanism: SaslMechanism;
  username: string;
  password: string;
}

export interface KafkaConnection {
  brokers: string[];
  clientId: string;
  sasl?: SaslSettings;
  /** TLS to the brokers with the system's trusted CAs. */
  ssl?: boolean;
}

/** The connection part of a kafkajs client config; undefined SASL/TLS stay out so kafkajs keeps its plaintext default. */
export function kafkajsConnection(connection: KafkaConnection): Pick<KafkaConfig, 'brokers' | 'clientId' | 'sasl' | 'ssl'> {
  const config: Pick<KafkaConfig, 'brokers' | 'clientId' | 'sasl' | 'ssl'> = {
    brokers: connection.brokers,
    clientId: connection.clientId,
  };
  if (connection.sasl) {
    const { mechanism, username, password } = connection.sasl;
    // kafkajs types each mechanism as its own literal; the three share the username/password shape.
    config.sasl = { mechanism, username, password } as SASLOptions;
  }
  if (connection.ssl) config.ssl = true;
  return config;
}

const brokerList = z
  .string()
  .transform((text) =>
    text
      .split(',')
      .map((part) => part.trim())
      .filter((part) => part !== ''),
  )
  .pipe(z.array(z.string().regex(/^[^:\s]+:\d+$/, 'must be host:port')).min(1));

/**
 * The connection settings as fields of a service's strict settings schema, keyed as @tormenta/config reads them under
 * the service's prefix: <PREFIX>KAFKA_BROKERS (host:port,…), _KAFKA_CLIENT_ID, _KAFKA_SASL_MECHANISM,
 * _KAFKA_SASL_USERNAME, _KAFKA_SASL_PASSWORD and _KAFKA_SSL. Spread them into the schema, check it with kafkaSaslRules
 * and build the connection with kafkaConnectionOf.
 */
export function kafkaConnectionFields(defaults: { brokers?: readonly string[]; clientId: string }) {
  return {
    /** Required when the service has no default brokers. */
    kafkaBrokers: defaults.brokers === undefined ? brokerList : brokerList.default([...defaults.brokers]),
    kafkaClientId: z.string().min(1).default(defaults.clientId),
    kafkaSaslMechanism: z.enum(SASL_MECHANISMS).optional(),
    kafkaSaslUsername: z.string().min(1).optional(),
    kafkaSaslPassword: z.string().min(1).optional(),
    /** TLS to the brokers with the system's trusted CAs. */
    kafkaSsl: z
      .enum(['true', 'false'])
      .default('false')
      .transform((value) => value === 'true'),
  };
}

export interface KafkaConnectionSettings {
  kafkaBrokers: string[];
  kafkaClientId: string;
  kafkaSaslMechanism?: SaslMechanism | undefined;
  kafkaSaslUsername?: string | undefined;
  kafkaSaslPassword?: string | undefined;
  kafkaSsl: boolean;
}

/** SASL takes a mechanism, a username and a password, or none of them; each one missing is an issue on its own field. */
export function kafkaSaslRules(prefix: string) {
  const mechanismName = `${prefix}KAFKA_SASL_MECHANISM`;
  return (settings: KafkaConnectionSettings, context: z.RefinementCtx): void => {
    const { kafkaSaslMechanism: mechanism, kafkaSaslUsername: username, kafkaSaslPassword: password } = settings;
    if (mechanism === undefined) {
      if (username !== undefined || password !== undefined) {
        context.addIssue({
          code: 'custom',
          path: ['kafkaSaslMechanism'],
          message: 'required when a SASL username or password is set',
        });
      }
      return;
    }
    for (const key of ['kafkaSaslUsername', 'kafkaSaslPassword'] as const) {
      if (settings[key] === undefined)
        context.addIssue({ code: 'custom', path: [key], message: `required when ${mechanismName} is set` });
    }
  };
}

/** The connection the settings describe (checked by kafkaSaslRules). */
export function kafkaConnectionOf(settings: KafkaConnectionSettings): KafkaConnection {
  const { kafkaSaslMechanism: mechanism, kafkaSaslUsername: username, kafkaSaslPassword: password } = settings;
  return {
    brokers: settings.kafkaBrokers,
    clientId: settings.kafkaClientId,
    ...(mechanism !== undefined && username !== undefined && password !== undefined
      ? { sasl: { mechanism, username, password } }
      : {}),
    ssl: settings.kafkaSsl,
  };
}
