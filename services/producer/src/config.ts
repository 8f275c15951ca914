// The producer's configuration: the service's settings from PRODUCER_* environment variables, and the stream it carries
// (source, topic, format, schema, key) from the stream file PRODUCER_STREAM_FILE names. Read once, here and nowhere else,
// and validated with zod: a typo stops start-up with a message naming the variable, or the file and the field.
import { hostname } from 'node:os';
import { z } from 'zod';
import { maxConnectionsFor } from './connection-limits.ts';
import type { ConnectionLimits } from './connection-limits.ts';
import { ConfigError } from './errors.ts';
import { loadStreamFile } from './streams/stream-file.ts';
import type { StreamSpec } from './streams/stream-file.ts';
import type { SaslSettings } from '@tormenta/kafka';

export const ENV_PREFIX = 'PRODUCER_';
export const DEFAULT_STREAM_FILE = 'streams/transacciones.yaml';
export const LEASE_PREFIX = 'PRODUCER_LEASE_';
/** The chart's default container limit (resources.limits.memory), assumed where no limit is given. */
export const DEFAULT_MEMORY_LIMIT_BYTES = 256 * 1024 * 1024;
export const DEFAULT_HEADERS_TIMEOUT_MS = 5_000;
export const DEFAULT_REQUEST_TIMEOUT_MS = 10_000;
export const DEFAULT_IDLE_TIMEOUT_MS = 30_000;
/** Node's own default; fastify's 72 s (meant for cloud load balancers that keep idle connections 60 s) holds memory 14× as long. */
export const DEFAULT_KEEP_ALIVE_TIMEOUT_MS = 5_000;

const csv = z.string().transform((text) =>
  text
    .split(',')
    .map((part) => part.trim())
    .filter((part) => part !== ''),
);

export const commonConfigSchema = z.strictObject({
  /** The stream this replica carries (streams/*.yaml); the default is the course's transactions. */
  streamFile: z.string().min(1).default(DEFAULT_STREAM_FILE),
  host: z.string().default('0.0.0.0'),
  port: z.coerce.number().int().min(0).max(65_535).default(3_000),
  kafkaBrokers: csv.pipe(z.array(z.string().regex(/^[^:\s]+:\d+$/, 'must be host:port')).min(1)).default(['127.0.0.1:9092']),
  kafkaClientId: z.string().min(1).default(`tormenta-producer-${hostname()}`),
  topicPartitions: z.coerce.number().int().min(1).default(3),
  topicRetentionMs: z.coerce.number().int().min(60_000).default(3_600_000),
  compression: z.enum(['gzip', 'none']).default('gzip'),
  kafkaSaslMechanism: z.enum(['plain', 'scram-sha-256', 'scram-sha-512']).optional(),
  kafkaSaslUsername: z.string().min(1).optional(),
  kafkaSaslPassword: z.string().min(1).optional(),
  kafkaSsl: z
    .enum(['true', 'false'])
    .default('false')
    .transform((value) => value === 'true'),
  kafkaSendTimeoutMs: z.coerce.number().int().min(100).default(15_000),
  kafkaMaxBatch: z.coerce.number().int().min(1).default(10_000),
  /** Idempotent Kafka producers, each with one batch in flight (kafkajs cannot overlap sends on one). */
  kafkaProducers: z.coerce.number().int().min(1).max(16).default(2),
  maxBodyBytes: z.coerce
    .number()
    .int()
    .min(1_024)
    .default(16 * 1024 * 1024),
  maxRecordsPerRequest: z.coerce.number().int().min(1).default(10_000),
  maxInflightRecords: z.coerce.number().int().min(1).default(50_000),
  retryAfterSeconds: z.coerce.number().int().min(1).default(1),
  /**
   * The container's memory limit, in bytes: the chart passes resources.limits.memory through the downward API. The
   * connection cap is derived from it.
   */
  memoryLimitBytes: z.coerce
    .number()
    .int()
    .min(64 * 1024 * 1024)
    .default(DEFAULT_MEMORY_LIMIT_BYTES),
  /** Open connections at most, probes and scrapes included; absent: derived from memoryLimitBytes (maxConnectionsFor). */
  maxConnections: z.coerce.number().int().min(1).optional(),
  headersTimeoutMs: z.coerce.number().int().min(100).default(DEFAULT_HEADERS_TIMEOUT_MS),
  requestTimeoutMs: z.coerce.number().int().min(100).default(DEFAULT_REQUEST_TIMEOUT_MS),
  idleTimeoutMs: z.coerce.number().int().min(100).default(DEFAULT_IDLE_TIMEOUT_MS),
  keepAliveTimeoutMs: z.coerce.number().int().min(100).default(DEFAULT_KEEP_ALIVE_TIMEOUT_MS),
  authToken: z.string().min(16, 'must be at least 16 characters').optional(),
  /** Requests per second per client (bearer token or remote address); 0 turns the limit off. */
  rateLimitPerSecond: z.coerce.number().min(0).default(0),
  rateLimitBurst: z.coerce.number().int().min(1).default(50),
  /** Records per second this replica accepts, whatever the client (its capacity; one second of burst); 0 = unlimited. */
  maxRecordsPerSecond: z.coerce.number().min(0).default(0),
  shutdownGraceMs: z.coerce.number().int().min(0).default(25_000),
  /** Time between readyz turning false and closing the listener, for load balancers to notice. */
  drainDelayMs: z.coerce.number().int().min(0).default(0),
  kafkaProbeIntervalMs: z.coerce.number().int().min(100).default(2_000),
  logLevel: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'silent']).default('info'),
});

/**
 * Pull sources run on one replica at a time: the leader of a coordination.k8s.io Lease in Kubernetes, of a lease file
 * outside it ("file": replicas on one machine), or alone ("none").
 */
export const leaseConfigSchema = z.strictObject({
  mode: z.enum(['kubernetes', 'file', 'none']).optional(),
  name: z
    .string()
    .regex(/^[a-z0-9]([-a-z0-9.]*[a-z0-9])?$/)
    .default('tormenta-producer'),
  namespace: z.string().default('default'),
  file: z.string().default('.tormenta/producer-lease.json'),
  durationMs: z.coerce.number().int().min(1_000).default(15_000),
  renewMs: z.coerce.number().int().min(100).default(5_000),
  identity: z.string().min(1).default(`${hostname()}-${process.pid}`),
});

export type CommonConfig = z.infer<typeof commonConfigSchema>;
export type LeaseConfig = Omit<z.infer<typeof leaseConfigSchema>, 'mode'> & { mode: 'kubernetes' | 'file' | 'none' };

export interface ProducerConfig extends CommonConfig {
  /** Set when PRODUCER_KAFKA_SASL_MECHANISM is; username and password are then required. */
  kafkaSasl: SaslSettings | undefined;
  connections: ConnectionLimits;
  lease: LeaseConfig;
  stream: StreamSpec;
}

/** PRODUCER_KAFKA_BROKERS → kafkaBrokers */
export function envNameToKey(name: string, prefix: string): string {
  return name
    .slice(prefix.length)
    .toLowerCase()
    .replace(/_([a-z0-9])/g, (_, letter: string) => letter.toUpperCase());
}

function section(
  env: NodeJS.ProcessEnv,
  prefix: string,
  excluded: string[],
): { values: Record<string, string>; names: Map<string, string> } {
  const values: Record<string, string> = {};
  const names = new Map<string, string>();
  for (const [name, value] of Object.entries(env)) {
    if (!name.startsWith(prefix) || value === undefined || value === '') continue;
    if (excluded.some((other) => name.startsWith(other))) continue;
    const key = envNameToKey(name, prefix);
    values[key] = value;
    names.set(key, name);
  }
  return { values, names };
}

function parseSection<T>(schema: z.ZodType<T>, env: NodeJS.ProcessEnv, prefix: string, excluded: string[]): T {
  const { values, names } = section(env, prefix, excluded);
  const result = schema.safeParse(values);
  if (result.success) return result.data;
  const problems = result.error.issues.flatMap((issue) => {
    if (issue.code === 'unrecognized_keys') {
      return issue.keys.map((key) => `${names.get(key) ?? key}: not a known setting`);
    }
    const key = String(issue.path[0] ?? '');
    const name = names.get(key) ?? `${prefix}${key.replace(/[A-Z]/g, (letter) => `_${letter}`).toUpperCase()}`;
    return [`${name}: ${issue.message}`];
  });
  throw new ConfigError(`invalid producer configuration:\n  ${problems.join('\n  ')}`);
}

export function loadConfig(env: NodeJS.ProcessEnv = process.env): ProducerConfig {
  const common = parseSection(commonConfigSchema, env, ENV_PREFIX, [LEASE_PREFIX]);
  const kafkaSasl = saslSettings(common);
  const connections = connectionLimits(common);
  const lease = parseSection(leaseConfigSchema, env, LEASE_PREFIX, []);
  if (lease.renewMs >= lease.durationMs) {
    throw new ConfigError(
      'invalid producer configuration:\n  PRODUCER_LEASE_RENEW_MS: must be shorter than PRODUCER_LEASE_DURATION_MS',
    );
  }
  const mode = lease.mode ?? (env.KUBERNETES_SERVICE_HOST ? 'kubernetes' : 'file');
  const stream = loadStreamFile(common.streamFile);
  return { ...common, kafkaSasl, connections, lease: { ...lease, mode }, stream };
}

function connectionLimits(common: CommonConfig): ConnectionLimits {
  const problems = [
    ...(common.headersTimeoutMs > common.requestTimeoutMs
      ? ['PRODUCER_HEADERS_TIMEOUT_MS: must not exceed PRODUCER_REQUEST_TIMEOUT_MS (the headers are part of the request)']
      : []),
    // A request waiting for its Kafka acknowledgement sends nothing; the idle timeout must not cut it.
    ...(common.idleTimeoutMs <= common.kafkaSendTimeoutMs
      ? ['PRODUCER_IDLE_TIMEOUT_MS: must be longer than PRODUCER_KAFKA_SEND_TIMEOUT_MS']
      : []),
  ];
  if (problems.length > 0) throw new ConfigError(`invalid producer configuration:\n  ${problems.join('\n  ')}`);
  return {
    maxConnections: common.maxConnections ?? maxConnectionsFor(common.memoryLimitBytes),
    headersTimeoutMs: common.headersTimeoutMs,
    requestTimeoutMs: common.requestTimeoutMs,
    idleTimeoutMs: common.idleTimeoutMs,
    keepAliveTimeoutMs: common.keepAliveTimeoutMs,
  };
}

function saslSettings(common: CommonConfig): SaslSettings | undefined {
  const { kafkaSaslMechanism: mechanism, kafkaSaslUsername: username, kafkaSaslPassword: password } = common;
  if (mechanism === undefined) {
    if (username !== undefined || password !== undefined) {
      throw new ConfigError(
        'invalid producer configuration:\n  PRODUCER_KAFKA_SASL_MECHANISM: required when a SASL username or password is set',
      );
    }
    return undefined;
  }
  const missing = [
    ...(username === undefined ? ['PRODUCER_KAFKA_SASL_USERNAME'] : []),
    ...(password === undefined ? ['PRODUCER_KAFKA_SASL_PASSWORD'] : []),
  ];
  if (username === undefined || password === undefined) {
    throw new ConfigError(
      `invalid producer configuration:\n  ${missing.map((name) => `${name}: required when PRODUCER_KAFKA_SASL_MECHANISM is set`).join('\n  ')}`,
    );
  }
  return { mechanism, username, password };
}
