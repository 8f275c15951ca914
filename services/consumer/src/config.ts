// The consumer's whole configuration: the service's settings from CONSUMER_* environment variables, and the sink it
// writes (topic, group, cadence, table, row key, columns, schema, lookups) from the sink file CONSUMER_SINK_FILE names.
// Read once at start-up, here and nowhere else, and validated with zod: an invalid value stops start-up naming the
// variable, or the file and the field.
import { z } from 'zod';
import type { KafkaConnection } from '@tormenta/kafka';
import { ConsumerError } from './errors.ts';
import { DEFAULT_SINK_FILE, loadSinkFile } from './sink-file.ts';
import type { SinkSpec } from './sink-file.ts';

export const DLQ_SUFFIX = '.dlq';
export const DEFAULT_MAX_BATCH_RECORDS = 10_000;
export const DEFAULT_CACHE_MAX_ENTRIES = 100_000;
export const DEFAULT_CACHE_TTL_MS = 5 * 60_000;
export const DEFAULT_HTTP_PORT = 9_464;
export const DEFAULT_RETRY_INITIAL_MS = 200;
export const DEFAULT_RETRY_MAX_MS = 10_000;

const positiveInt = z.coerce.number().int().positive();

/** Environment variable → config field, kept as one table so error messages can name the variable. */
const variables = {
  CONSUMER_KAFKA_BROKERS: z
    .string()
    .min(1)
    .transform((value) =>
      value
        .split(',')
        .map((broker) => broker.trim())
        .filter(Boolean),
    ),
  CONSUMER_KAFKA_CLIENT_ID: z.string().min(1).default('tormenta-consumer'),
  CONSUMER_KAFKA_SASL_MECHANISM: z.enum(['plain', 'scram-sha-256', 'scram-sha-512']).optional(),
  CONSUMER_KAFKA_SASL_USERNAME: z.string().min(1).optional(),
  CONSUMER_KAFKA_SASL_PASSWORD: z.string().min(1).optional(),
  CONSUMER_KAFKA_SSL: z
    .enum(['true', 'false'])
    .default('false')
    .transform((value) => value === 'true'),
  CONSUMER_SINK_FILE: z.string().min(1).default(DEFAULT_SINK_FILE),
  CONSUMER_DLQ_TOPIC: z.string().min(1).optional(),
  CONSUMER_FROM_BEGINNING: z
    .enum(['true', 'false'])
    .default('true')
    .transform((value) => value === 'true'),
  CONSUMER_MAX_BATCH_RECORDS: positiveInt.default(DEFAULT_MAX_BATCH_RECORDS),
  CONSUMER_HBASE_REST_URL: z.url(),
  CONSUMER_CACHE_MAX_ENTRIES: positiveInt.default(DEFAULT_CACHE_MAX_ENTRIES),
  CONSUMER_CACHE_TTL_MS: positiveInt.default(DEFAULT_CACHE_TTL_MS),
  CONSUMER_RETRY_INITIAL_MS: positiveInt.default(DEFAULT_RETRY_INITIAL_MS),
  CONSUMER_RETRY_MAX_MS: positiveInt.default(DEFAULT_RETRY_MAX_MS),
  CONSUMER_HTTP_HOST: z.string().min(1).default('0.0.0.0'),
  CONSUMER_HTTP_PORT: z.coerce.number().int().min(0).max(65_535).default(DEFAULT_HTTP_PORT),
};

/** The environment variables as a schema, for the generated settings table of the README. */
export const environmentSchema = z.strictObject(variables);

/** Settings of earlier releases that the sink file now declares: named in the error instead of "not a known setting". */
const MOVED_TO_SINK: Readonly<Record<string, string>> = {
  CONSUMER_GROUP_ID: 'group',
  CONSUMER_TOPIC: 'topic',
  CONSUMER_BATCH_INTERVAL_MS: 'batchIntervalMs',
  CONSUMER_TABLE_ENRICHED: 'table',
  CONSUMER_TABLE_PERSONA: 'lookups[].table',
  CONSUMER_TABLE_EMPRESA: 'lookups[].table',
  CONSUMER_UNKNOWN_ID_POLICY: 'lookups[].onMissing',
};

const schema = environmentSchema
  .refine((env) => env.CONSUMER_RETRY_MAX_MS >= env.CONSUMER_RETRY_INITIAL_MS, {
    path: ['CONSUMER_RETRY_MAX_MS'],
    message: 'must be >= CONSUMER_RETRY_INITIAL_MS',
  })
  .refine((env) => env.CONSUMER_KAFKA_SASL_MECHANISM === undefined || env.CONSUMER_KAFKA_SASL_USERNAME !== undefined, {
    path: ['CONSUMER_KAFKA_SASL_USERNAME'],
    message: 'required when CONSUMER_KAFKA_SASL_MECHANISM is set',
  })
  .refine((env) => env.CONSUMER_KAFKA_SASL_MECHANISM === undefined || env.CONSUMER_KAFKA_SASL_PASSWORD !== undefined, {
    path: ['CONSUMER_KAFKA_SASL_PASSWORD'],
    message: 'required when CONSUMER_KAFKA_SASL_MECHANISM is set',
  })
  .refine(
    (env) =>
      env.CONSUMER_KAFKA_SASL_MECHANISM !== undefined ||
      (env.CONSUMER_KAFKA_SASL_USERNAME === undefined && env.CONSUMER_KAFKA_SASL_PASSWORD === undefined),
    {
      path: ['CONSUMER_KAFKA_SASL_MECHANISM'],
      message: 'required when a SASL username or password is set',
    },
  );

export interface ConsumerConfig {
  kafka: KafkaConnection;
  /** What this consumer reads and writes: its topic, group, cadence, table and lookups. */
  sink: SinkSpec;
  dlqTopic: string;
  fromBeginning: boolean;
  maxBatchRecords: number;
  hbaseRestUrl: string;
  /** Per lookup. */
  cache: { maxEntries: number; ttlMs: number };
  retry: { initialMs: number; maxMs: number };
  http: { host: string; port: number };
}

const PREFIX = 'CONSUMER_';

/**
 * Reads the CONSUMER_* variables; other environment never fails start-up, but a CONSUMER_* name the schema does not know
 * (a typo would otherwise leave its default in force without a word) does.
 */
export function loadConfig(env: Record<string, string | undefined>): ConsumerConfig {
  const set = Object.entries(env).filter(([name, value]) => name.startsWith(PREFIX) && value !== undefined && value !== '');
  const parsed = schema.safeParse(Object.fromEntries(set));
  if (!parsed.success) {
    const problems = parsed.error.issues.flatMap((issue) =>
      issue.code === 'unrecognized_keys'
        ? issue.keys.map((name) =>
            MOVED_TO_SINK[name] === undefined
              ? `${name}: not a known setting`
              : `${name}: no longer read; the sink file (CONSUMER_SINK_FILE) declares it as ${MOVED_TO_SINK[name]}`,
          )
        : [`${issue.path.join('.') || '(env)'}: ${issue.message}`],
    );
    throw new ConsumerError('TORMENTA_CONSUMER_CONFIG_INVALID', `invalid consumer configuration — ${problems.join('; ')}`);
  }
  const value = parsed.data;
  const sink = loadSinkFile(value.CONSUMER_SINK_FILE);
  return {
    kafka: {
      brokers: value.CONSUMER_KAFKA_BROKERS,
      clientId: value.CONSUMER_KAFKA_CLIENT_ID,
      ssl: value.CONSUMER_KAFKA_SSL,
      ...(value.CONSUMER_KAFKA_SASL_MECHANISM && value.CONSUMER_KAFKA_SASL_USERNAME && value.CONSUMER_KAFKA_SASL_PASSWORD
        ? {
            sasl: {
              mechanism: value.CONSUMER_KAFKA_SASL_MECHANISM,
              username: value.CONSUMER_KAFKA_SASL_USERNAME,
              password: value.CONSUMER_KAFKA_SASL_PASSWORD,
            },
          }
        : {}),
    },
    sink,
    dlqTopic: value.CONSUMER_DLQ_TOPIC ?? `${sink.topic}${DLQ_SUFFIX}`,
    fromBeginning: value.CONSUMER_FROM_BEGINNING,
    maxBatchRecords: value.CONSUMER_MAX_BATCH_RECORDS,
    hbaseRestUrl: value.CONSUMER_HBASE_REST_URL,
    cache: { maxEntries: value.CONSUMER_CACHE_MAX_ENTRIES, ttlMs: value.CONSUMER_CACHE_TTL_MS },
    retry: { initialMs: value.CONSUMER_RETRY_INITIAL_MS, maxMs: value.CONSUMER_RETRY_MAX_MS },
    http: { host: value.CONSUMER_HTTP_HOST, port: value.CONSUMER_HTTP_PORT },
  };
}

/**
 * Settings of earlier releases, read no more since every setting carries the CONSUMER_ prefix (or moved to the sink
 * file): start-up warns about each one set, so an old deployment does not silently run on defaults (e.g.
 * UNKNOWN_ID_POLICY=dlq quietly becoming null).
 */
export function renamedSettings(env: Record<string, string | undefined>): string[] {
  const renamed = Object.keys(variables).map((name) => [name.slice(PREFIX.length), `set ${name}`] as const);
  const moved = Object.entries(MOVED_TO_SINK).map(
    ([name, field]) => [name.slice(PREFIX.length), `the sink file (CONSUMER_SINK_FILE) declares it as ${field}`] as const,
  );
  return [...renamed, ...moved]
    .filter(([old]) => old !== 'GROUP_ID' && env[old] !== undefined && env[old] !== '')
    .map(([old, advice]) => `${old} is no longer read; ${advice}`);
}
