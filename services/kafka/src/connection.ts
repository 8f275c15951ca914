// How every client in this module reaches the brokers: addresses, client id and, when the cluster wants them, SASL
// credentials and TLS. One place, so the writer, the reader and the admin calls cannot disagree.
import type { KafkaConfig, SASLOptions } from 'kafkajs';

export type SaslMechanism = 'plain' | 'scram-sha-256' | 'scram-sha-512';

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
