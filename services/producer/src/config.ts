// The producer's configuration: the service's settings from PRODUCER_* environment variables, and the stream it carries
// (source, topic, format, schema, key) from the stream file PRODUCER_STREAM_FILE names. Read once, here and nowhere else,
// and validated with zod: a typo stops start-up with a message naming the variable, or the file and the field.
import { hostname } from 'node:os';
import { readEnvSection } from '@tormenta/config';
import type { EnvSectionOptions } from '@tormenta/config';
import { kafkaConnectionFields, kafkaConnectionOf, kafkaSaslRules } from '@tormenta/kafka';
import type { KafkaConnection } from '@tormenta/kafka';
import { z } from 'zod';
import { maxConnectionsFor } from './connection-limits.ts';
import type { ConnectionLimits } from './connection-limits.ts';
import { ConfigError } from './errors.ts';
import { loadStreamFile } from './streams/stream-file.ts';
import type { StreamSpec } from './streams/stream-file.ts';

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

export const commonConfigSchema = z
  .strictObject({
    /** The stream this replica carries (streams/*.yaml); the default is the course's transactions. */
    streamFile: z.string().min(1).default(DEFAULT_STREAM_FILE),
    host: z.string().default('0.0.0.0'),
    port: z.coerce.number().int().min(0).max(65_535).default(3_000),
    ...kafkaConnectionFields({ brokers: ['127.0.0.1:9092'], clientId: `tormenta-producer-${hostname()}` }),
    topicPartitions: z.coerce.number().int().min(1).default(3),
    topicRetentionMs: z.coerce.number().int().min(60_000).default(3_600_000),
    compression: z.enum(['gzip', 'none']).default('gzip'),
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
  })
  .superRefine(kafkaSaslRules(ENV_PREFIX))
  .superRefine((config, context) => {
    if (config.headersTimeoutMs > config.requestTimeoutMs) {
      context.addIssue({
        code: 'custom',
        path: ['headersTimeoutMs'],
        message: 'must not exceed PRODUCER_REQUEST_TIMEOUT_MS (the headers are part of the request)',
      });
    }
    // A request waiting for its Kafka acknowledgement sends nothing; the idle timeout must not cut it.
    if (config.idleTimeoutMs <= config.kafkaSendTimeoutMs) {
      context.addIssue({
        code: 'custom',
        path: ['idleTimeoutMs'],
        message: 'must be longer than PRODUCER_KAFKA_SEND_TIMEOUT_MS',
      });
    }
  });

/**
 * Pull sources run on one replica at a time: the leader of a coordination.k8s.io Lease in Kubernetes, of a lease file
 * outside it ("file": replicas on one machine), or alone ("none").
 */
export const leaseConfigSchema = z
  .strictObject({
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
  })
  .refine((lease) => lease.renewMs < lease.durationMs, {
    path: ['renewMs'],
    message: 'must be shorter than PRODUCER_LEASE_DURATION_MS',
  });

export type CommonConfig = z.infer<typeof commonConfigSchema>;
export type LeaseConfig = Omit<z.infer<typeof leaseConfigSchema>, 'mode'> & { mode: 'kubernetes' | 'file' | 'none' };

export interface ProducerConfig extends CommonConfig {
  /** Brokers, client id, and SASL and TLS when PRODUCER_KAFKA_SASL_* and PRODUCER_KAFKA_SSL ask for them. */
  kafka: KafkaConnection;
  connections: ConnectionLimits;
  lease: LeaseConfig;
  stream: StreamSpec;
}

function parseSection<S extends z.ZodObject>(schema: S, env: NodeJS.ProcessEnv, section: EnvSectionOptions): z.output<S> {
  const result = readEnvSection(schema, env, section);
  if (result.ok) return result.value;
  const problems = result.problems.map((problem) => `${problem.name}: ${problem.message}`);
  throw new ConfigError(`invalid producer configuration:\n  ${problems.join('\n  ')}`);
}

export function loadConfig(env: NodeJS.ProcessEnv = process.env): ProducerConfig {
  const common = parseSection(commonConfigSchema, env, { prefix: ENV_PREFIX, exclude: [LEASE_PREFIX] });
  const lease = parseSection(leaseConfigSchema, env, { prefix: LEASE_PREFIX });
  const mode = lease.mode ?? (env.KUBERNETES_SERVICE_HOST ? 'kubernetes' : 'file');
  const stream = loadStreamFile(common.streamFile);
  return {
    ...common,
    kafka: kafkaConnectionOf(common),
    connections: {
      maxConnections: common.maxConnections ?? maxConnectionsFor(common.memoryLimitBytes),
      headersTimeoutMs: common.headersTimeoutMs,
      requestTimeoutMs: common.requestTimeoutMs,
      idleTimeoutMs: common.idleTimeoutMs,
      keepAliveTimeoutMs: common.keepAliveTimeoutMs,
    },
    lease: { ...lease, mode },
    stream,
  };
}
