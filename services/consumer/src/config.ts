// The consumer's whole configuration: the service's settings from CONSUMER_* environment variables, and the sink it
// writes (topic, group, cadence, table, row key, columns, schema, lookups) from the sink file CONSUMER_SINK_FILE names.
// Read once at start-up, here and nowhere else, and validated with zod: an invalid value stops start-up naming the
// variable, or the file and the field.
import { keyToEnvName, readEnvSection } from '@tormenta/config';
import { DEFAULT_CONCURRENCY, DEFAULT_PUT_CHUNK } from '@tormenta/hbase';
import type { CellSetEncoding } from '@tormenta/hbase';
import { kafkaConnectionFields, kafkaConnectionOf, kafkaSaslRules } from '@tormenta/kafka';
import type { KafkaConnection } from '@tormenta/kafka';
import { z } from 'zod';
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

/** One URL or several, comma-separated: REST servers in front of the same HBase, which the writes are spread over. */
const urlList = z
  .string()
  .transform((text) =>
    text
      .split(',')
      .map((part) => part.trim())
      .filter((part) => part !== ''),
  )
  .pipe(z.array(z.url()).min(1));

export const ENV_PREFIX = 'CONSUMER_';

/** Keyed as @tormenta/config reads CONSUMER_* (CONSUMER_HBASE_REST_URL → hbaseRestUrl); an unknown name is refused. */
export const environmentSchema = z.strictObject({
  ...kafkaConnectionFields({ clientId: 'tormenta-consumer' }),
  sinkFile: z.string().min(1).default(DEFAULT_SINK_FILE),
  /** Absent: the sink's topic + .dlq. */
  dlqTopic: z.string().min(1).optional(),
  fromBeginning: z
    .enum(['true', 'false'])
    .default('true')
    .transform((value) => value === 'true'),
  maxBatchRecords: positiveInt.default(DEFAULT_MAX_BATCH_RECORDS),
  hbaseRestUrl: urlList,
  /** How rows travel to and from HBase REST: protobuf CellSets, or JSON with base64 (the earlier releases' way). */
  hbaseEncoding: z.enum(['protobuf', 'json']).default('protobuf'),
  /** Rows per multi-row PUT; a batch is split into such chunks. */
  hbasePutChunkRows: positiveInt.default(DEFAULT_PUT_CHUNK),
  /** Chunks of a batch (and multiget chunks of a lookup) in flight at once, spread over the REST servers. */
  hbaseConcurrency: positiveInt.default(DEFAULT_CONCURRENCY),
  cacheMaxEntries: positiveInt.default(DEFAULT_CACHE_MAX_ENTRIES),
  cacheTtlMs: positiveInt.default(DEFAULT_CACHE_TTL_MS),
  retryInitialMs: positiveInt.default(DEFAULT_RETRY_INITIAL_MS),
  retryMaxMs: positiveInt.default(DEFAULT_RETRY_MAX_MS),
  httpHost: z.string().min(1).default('0.0.0.0'),
  httpPort: z.coerce.number().int().min(0).max(65_535).default(DEFAULT_HTTP_PORT),
});

const schema = environmentSchema.superRefine(kafkaSaslRules(ENV_PREFIX)).superRefine((settings, context) => {
  if (settings.retryMaxMs < settings.retryInitialMs) {
    context.addIssue({ code: 'custom', path: ['retryMaxMs'], message: `must be >= ${ENV_PREFIX}RETRY_INITIAL_MS` });
  }
});

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

export interface ConsumerConfig {
  kafka: KafkaConnection;
  /** What this consumer reads and writes: its topic, group, cadence, table and lookups. */
  sink: SinkSpec;
  dlqTopic: string;
  fromBeginning: boolean;
  maxBatchRecords: number;
  hbase: { urls: string[]; encoding: CellSetEncoding; putChunkRows: number; concurrency: number };
  /** Per lookup. */
  cache: { maxEntries: number; ttlMs: number };
  retry: { initialMs: number; maxMs: number };
  http: { host: string; port: number };
}

/**
 * Reads the CONSUMER_* variables; other environment never fails start-up, but a CONSUMER_* name the schema does not know
 * (a typo would otherwise leave its default in force without a word) does, naming the setting meant — or, for a setting
 * the sink file took over, its field there.
 */
export function loadConfig(env: NodeJS.ProcessEnv): ConsumerConfig {
  const result = readEnvSection(schema, env, { prefix: ENV_PREFIX });
  if (!result.ok) {
    const problems = result.problems.map(({ name, message }) =>
      MOVED_TO_SINK[name] === undefined
        ? `${name}: ${message}`
        : `${name}: no longer read; the sink file (${ENV_PREFIX}SINK_FILE) declares it as ${MOVED_TO_SINK[name]}`,
    );
    throw new ConsumerError('TORMENTA_CONSUMER_CONFIG_INVALID', `invalid consumer configuration — ${problems.join('; ')}`);
  }
  const value = result.value;
  const sink = loadSinkFile(value.sinkFile);
  return {
    kafka: kafkaConnectionOf(value),
    sink,
    dlqTopic: value.dlqTopic ?? `${sink.topic}${DLQ_SUFFIX}`,
    fromBeginning: value.fromBeginning,
    maxBatchRecords: value.maxBatchRecords,
    hbase: {
      urls: value.hbaseRestUrl,
      encoding: value.hbaseEncoding,
      putChunkRows: value.hbasePutChunkRows,
      concurrency: value.hbaseConcurrency,
    },
    cache: { maxEntries: value.cacheMaxEntries, ttlMs: value.cacheTtlMs },
    retry: { initialMs: value.retryInitialMs, maxMs: value.retryMaxMs },
    http: { host: value.httpHost, port: value.httpPort },
  };
}

/**
 * Settings of earlier releases, read no more since every setting carries the CONSUMER_ prefix (or moved to the sink
 * file): start-up warns about each one set, so an old deployment does not silently run on defaults (e.g.
 * UNKNOWN_ID_POLICY=dlq quietly becoming null).
 */
export function renamedSettings(env: Record<string, string | undefined>): string[] {
  const renamed = Object.keys(environmentSchema.shape).map((key) => {
    const name = keyToEnvName(key, ENV_PREFIX);
    return [name.slice(ENV_PREFIX.length), `set ${name}`] as const;
  });
  const moved = Object.entries(MOVED_TO_SINK).map(
    ([name, field]) => [name.slice(ENV_PREFIX.length), `the sink file (CONSUMER_SINK_FILE) declares it as ${field}`] as const,
  );
  return [...renamed, ...moved]
    .filter(([old]) => old !== 'GROUP_ID' && env[old] !== undefined && env[old] !== '')
    .map(([old, advice]) => `${old} is no longer read; ${advice}`);
}
