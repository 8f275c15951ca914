// The consumer's whole configuration, read from the environment once at start-up and validated with zod. No other module
// reads process.env. An invalid value stops start-up with the variable named.
import { z } from 'zod';
import { TABLE_EMPRESA, TABLE_ENRICHED, TABLE_PERSONA } from '@tormenta/hbase';
import type { KafkaConnection } from '@tormenta/kafka';
import { ConsumerError } from './errors.ts';

export const DEFAULT_TOPIC = 'topic_transaccion';
export const DLQ_SUFFIX = '.dlq';
export const DEFAULT_BATCH_INTERVAL_MS = 1_000;
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
  CONSUMER_GROUP_ID: z.string().min(1),
  CONSUMER_TOPIC: z.string().min(1).default(DEFAULT_TOPIC),
  CONSUMER_DLQ_TOPIC: z.string().min(1).optional(),
  CONSUMER_FROM_BEGINNING: z
    .enum(['true', 'false'])
    .default('true')
    .transform((value) => value === 'true'),
  CONSUMER_BATCH_INTERVAL_MS: positiveInt.default(DEFAULT_BATCH_INTERVAL_MS),
  CONSUMER_MAX_BATCH_RECORDS: positiveInt.default(DEFAULT_MAX_BATCH_RECORDS),
  CONSUMER_HBASE_REST_URL: z.url(),
  CONSUMER_TABLE_PERSONA: z.string().min(1).default(TABLE_PERSONA),
  CONSUMER_TABLE_EMPRESA: z.string().min(1).default(TABLE_EMPRESA),
  CONSUMER_TABLE_ENRICHED: z.string().min(1).default(TABLE_ENRICHED),
  CONSUMER_UNKNOWN_ID_POLICY: z.enum(['null', 'dlq']).default('null'),
  CONSUMER_CACHE_MAX_ENTRIES: positiveInt.default(DEFAULT_CACHE_MAX_ENTRIES),
  CONSUMER_CACHE_TTL_MS: positiveInt.default(DEFAULT_CACHE_TTL_MS),
  CONSUMER_RETRY_INITIAL_MS: positiveInt.default(DEFAULT_RETRY_INITIAL_MS),
  CONSUMER_RETRY_MAX_MS: positiveInt.default(DEFAULT_RETRY_MAX_MS),
  CONSUMER_HTTP_HOST: z.string().min(1).default('0.0.0.0'),
  CONSUMER_HTTP_PORT: z.coerce.number().int().min(0).max(65_535).default(DEFAULT_HTTP_PORT),
};

const schema = z
  .strictObject(variables)
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
  groupId: string;
  topic: string;
  dlqTopic: string;
  fromBeginning: boolean;
  batchIntervalMs: number;
  maxBatchRecords: number;
  hbaseRestUrl: string;
  tables: { persona: string; empresa: string; enriched: string };
  /** `null`: enrich unknown IDs with a null name and count them; `dlq`: send such records to the DLQ. */
  unknownIdPolicy: 'null' | 'dlq';
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
        ? issue.keys.map((name) => `${name}: not a known setting`)
        : [`${issue.path.join('.') || '(env)'}: ${issue.message}`],
    );
    throw new ConsumerError('TORMENTA_CONSUMER_CONFIG_INVALID', `invalid consumer configuration — ${problems.join('; ')}`);
  }
  const value = parsed.data;
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
    groupId: value.CONSUMER_GROUP_ID,
    topic: value.CONSUMER_TOPIC,
    dlqTopic: value.CONSUMER_DLQ_TOPIC ?? `${value.CONSUMER_TOPIC}${DLQ_SUFFIX}`,
    fromBeginning: value.CONSUMER_FROM_BEGINNING,
    batchIntervalMs: value.CONSUMER_BATCH_INTERVAL_MS,
    maxBatchRecords: value.CONSUMER_MAX_BATCH_RECORDS,
    hbaseRestUrl: value.CONSUMER_HBASE_REST_URL,
    tables: {
      persona: value.CONSUMER_TABLE_PERSONA,
      empresa: value.CONSUMER_TABLE_EMPRESA,
      enriched: value.CONSUMER_TABLE_ENRICHED,
    },
    unknownIdPolicy: value.CONSUMER_UNKNOWN_ID_POLICY,
    cache: { maxEntries: value.CONSUMER_CACHE_MAX_ENTRIES, ttlMs: value.CONSUMER_CACHE_TTL_MS },
    retry: { initialMs: value.CONSUMER_RETRY_INITIAL_MS, maxMs: value.CONSUMER_RETRY_MAX_MS },
    http: { host: value.CONSUMER_HTTP_HOST, port: value.CONSUMER_HTTP_PORT },
  };
}

/**
 * Settings of earlier releases, read no more since every setting carries the CONSUMER_ prefix: start-up warns about each
 * one set, so an old deployment does not silently run on defaults (e.g. UNKNOWN_ID_POLICY=dlq quietly becoming null).
 */
export function renamedSettings(env: Record<string, string | undefined>): string[] {
  return Object.keys(variables)
    .map((name) => name.slice(PREFIX.length))
    .filter((old) => old !== 'GROUP_ID' && env[old] !== undefined && env[old] !== '')
    .map((old) => `${old} is no longer read; set ${PREFIX}${old}`);
}
