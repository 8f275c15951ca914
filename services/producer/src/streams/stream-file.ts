// A stream: one Client Source's records to one Kafka topic, declared in a YAML or JSON file (ARCHITECTURE.md §3). Read
// and checked once at start-up; every problem names the file and the field (a JSON pointer) and stops start-up, so a
// typo never runs on a default. The source's own settings are checked by the schema its registry entry declares.
import { readFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { parse as parseYaml } from 'yaml';
import { z } from 'zod';
import { ConfigError } from '../errors.ts';
import { SOURCE_KINDS, sourceRegistry } from '../sources/index.ts';
import type { SourceDefinition } from '../sources/index.ts';

export const FORMATS = ['json', 'ndjson', 'text', 'bytes'] as const;
export type StreamFormat = (typeof FORMATS)[number];

/** Kafka's default max.message.bytes is 1 MiB, and the topics the producer creates keep it. */
export const DEFAULT_MAX_RECORD_BYTES = 1_048_576;

const fieldPath = z.string().regex(/^[^.\s]+(\.[^.\s]+)*$/, 'must be a field name or a dot path such as "position.lat"');

export const streamFileSchema = z.strictObject({
  name: z.string().regex(/^[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?$/, 'must be a DNS label (lower-case letters, digits, "-")'),
  source: z.looseObject({ kind: z.string() }),
  topic: z.string().regex(/^[A-Za-z0-9._-]{1,249}$/, 'must be a Kafka topic name ([A-Za-z0-9._-], at most 249)'),
  format: z.enum(FORMATS).default('json'),
  /** JSONata, applied to each record before the schema check; a record it turns into nothing is dropped and counted. */
  transform: z.string().min(1).optional(),
  /** JSON Schema 2020-12, inline or a file path relative to the stream file. */
  schema: z.union([z.string().min(1), z.record(z.string(), z.unknown())]).optional(),
  /** The record field whose value is the Kafka key (records with one key keep their order); absent: no key. */
  key: fieldPath.optional(),
  /** The idempotency key; assigned (a UUID) when a record has none, so a resend overwrites downstream. */
  idField: z.string().min(1).default('id'),
  maxRecordBytes: z.number().int().min(1).max(DEFAULT_MAX_RECORD_BYTES).default(DEFAULT_MAX_RECORD_BYTES),
});

export interface StreamSpec {
  /** Where it was read from, for messages. */
  file: string;
  name: string;
  source: { kind: string; definition: SourceDefinition<never>; config: unknown };
  topic: string;
  format: StreamFormat;
  transform: string | undefined;
  schema: Record<string, unknown> | undefined;
  key: string | undefined;
  idField: string;
  maxRecordBytes: number;
}

function pointer(path: readonly PropertyKey[]): string {
  return `/${path.map((part) => String(part).replaceAll('~', '~0').replaceAll('/', '~1')).join('/')}`;
}

function problems(file: string, error: z.ZodError, prefix: readonly PropertyKey[] = []): string {
  const lines = error.issues.flatMap((issue) =>
    issue.code === 'unrecognized_keys'
      ? issue.keys.map((key) => `${file}: ${pointer([...prefix, ...issue.path, key])}: not a known field`)
      : [`${file}: ${pointer([...prefix, ...issue.path])}: ${issue.message}`],
  );
  return lines.join('\n  ');
}

function readStructured(file: string, what: string): unknown {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (error) {
    throw new ConfigError(`${what} ${file} cannot be read: ${(error as Error).message}`);
  }
  try {
    return file.endsWith('.json') ? JSON.parse(text) : parseYaml(text);
  } catch (error) {
    throw new ConfigError(`${file}: not valid ${file.endsWith('.json') ? 'JSON' : 'YAML'}: ${(error as Error).message}`);
  }
}

/** Checks a parsed stream document; `file` names it in errors and anchors a relative schema path. */
export function parseStream(document: unknown, file: string): StreamSpec {
  const parsed = streamFileSchema.safeParse(document);
  if (!parsed.success) throw new ConfigError(`invalid stream:\n  ${problems(file, parsed.error)}`);
  const stream = parsed.data;
  const { kind, ...settings } = stream.source;
  const definition = sourceRegistry.get(kind);
  if (definition === undefined) {
    throw new ConfigError(
      `invalid stream:\n  ${file}: /source/kind: unknown source "${kind}"; known: ${SOURCE_KINDS.join(', ')}`,
    );
  }
  const config = definition.configSchema.safeParse(settings);
  if (!config.success) throw new ConfigError(`invalid stream:\n  ${problems(file, config.error, ['source'])}`);
  if ((stream.format === 'text' || stream.format === 'bytes') && (stream.schema || stream.transform || stream.key)) {
    throw new ConfigError(
      `invalid stream:\n  ${file}: /format: ${stream.format} records are carried as they are; schema, transform and key need json or ndjson`,
    );
  }
  let schema: Record<string, unknown> | undefined;
  if (typeof stream.schema === 'string') {
    const schemaFile = resolve(dirname(file), stream.schema);
    const loaded = readStructured(schemaFile, 'schema file (/schema)');
    if (typeof loaded !== 'object' || loaded === null || Array.isArray(loaded)) {
      throw new ConfigError(`invalid stream:\n  ${schemaFile}: a JSON Schema must be an object`);
    }
    schema = loaded as Record<string, unknown>;
  } else schema = stream.schema;
  return {
    file,
    name: stream.name,
    source: { kind, definition, config: config.data },
    topic: stream.topic,
    format: stream.format,
    transform: stream.transform,
    schema,
    key: stream.key,
    idField: stream.idField,
    maxRecordBytes: stream.maxRecordBytes,
  };
}

export function loadStreamFile(file: string): StreamSpec {
  return parseStream(readStructured(file, 'stream file'), file);
}
