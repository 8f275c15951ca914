// A sink: one topic's records, optionally enriched by lookups in other HBase tables, into one HBase table (ARCHITECTURE.md
// §3), declared in a YAML or JSON file. Read and checked once at start-up, schema compiled: every problem names the file
// and the field (a JSON pointer) and stops start-up, so a typo never runs on a default. One sink per consumer Deployment
// and consumer group.
import { readFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { FAMILY } from '@tormenta/hbase';
import { Ajv2020 } from 'ajv/dist/2020.js';
import type { ValidateFunction } from 'ajv/dist/2020.js';
import { parse as parseYaml } from 'yaml';
import { z } from 'zod';
import { HIVE_TYPES, hiveTypeFromSchema } from './columns.ts';
import type { ColumnMapping, HiveType, SinkColumn } from './columns.ts';
import { ConsumerError, DECODE_DLQ_REASONS } from './errors.ts';
import type { DlqReason } from './errors.ts';
import { FIELD_PATH_PATTERN, parseFieldPath } from './field-path.ts';
import type { FieldPath } from './field-path.ts';
import { parseRowKeyTemplate } from './row-key.ts';
import type { RowKeyTemplate } from './row-key.ts';

export const DEFAULT_SINK_FILE = 'sinks/transacciones.yaml';
export const DEFAULT_BATCH_INTERVAL_MS = 1_000;
export const ON_MISSING = ['empty', 'keep-id', 'dead-letter'] as const;
export type OnMissing = (typeof ON_MISSING)[number];

const fieldPath = z.string().regex(FIELD_PATH_PATTERN, 'must be a field name or a dot path such as "position.lat"');
const columnName = z
  .string()
  .regex(/^[A-Za-z_][A-Za-z0-9_]*$/, 'must be a column name: letters, digits and "_", not starting with a digit');
const hbaseTable = z
  .string()
  .regex(
    /^([A-Za-z0-9_]+:)?[A-Za-z0-9_][A-Za-z0-9_.-]*$/,
    'must be an HBase table name ([namespace:]letters, digits, "_", "-", ".")',
  );
const family = z
  .string()
  .regex(/^[A-Za-z0-9_][A-Za-z0-9_.-]*$/, 'must be a column family name (letters, digits, "_", "-", ".")')
  .default(FAMILY);
const rowKeyTemplate = z.string().superRefine((template, context) => {
  const parsed = parseRowKeyTemplate(template);
  if ('problem' in parsed) context.addIssue({ code: 'custom', message: parsed.problem });
});

export const sinkLookupSchema = z.strictObject({
  /** Names the lookup in the DLQ reason `unknown_<name>`; default: the table's name in lower case. */
  name: z
    .string()
    .regex(/^[a-z0-9_]{1,40}$/, 'must be lower-case letters, digits and "_" (at most 40)')
    .optional(),
  /** The record field whose value is the row key in `table`. */
  field: fieldPath,
  table: hbaseTable,
  family,
  /** Qualifier in `table` → the column of the sink's table it is written to. */
  columns: z
    .record(z.string().min(1), columnName)
    .refine((columns) => Object.keys(columns).length > 0, 'must map at least one column ({from: to})'),
  /**
   * When `table` has no row for the value (or none of the `columns`): `empty` writes the row without the looked-up
   * columns, `keep-id` writes the value itself in them, `dead-letter` sends the record to the DLQ as `unknown_<name>`.
   */
  onMissing: z.enum(ON_MISSING).default('empty'),
});

const declaredColumn = z.union(
  [
    columnName,
    z.strictObject({
      name: columnName,
      /** The record field it holds; default: the field named as the column. */
      field: fieldPath.optional(),
      /** The Hive type; default: from the sink's schema (integer → BIGINT, number → DOUBLE, boolean → BOOLEAN), else STRING. */
      type: z.enum(HIVE_TYPES).optional(),
    }),
  ],
  { error: 'must be a column name or {name, field?, type?}' },
);

export const sinkFileSchema = z.strictObject({
  name: z.string().regex(/^[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?$/, 'must be a DNS label (lower-case letters, digits, "-")'),
  topic: z.string().regex(/^[A-Za-z0-9._-]{1,249}$/, 'must be a Kafka topic name ([A-Za-z0-9._-], at most 249)'),
  /** The consumer group; one per sink and business cadence. */
  group: z.string().regex(/^[A-Za-z0-9._-]{1,249}$/, 'must be a consumer group id ([A-Za-z0-9._-], at most 249)'),
  batchIntervalMs: z.number().int().min(1).max(3_600_000).default(DEFAULT_BATCH_INTERVAL_MS),
  /** The table rows are written to, created with its column family when absent. */
  table: hbaseTable,
  family,
  /** Templates of the row's identity; the first the record fills is used, salted (services/consumer/README.md). */
  rowKey: z.union([rowKeyTemplate, z.array(rowKeyTemplate).min(1)], {
    error: 'must be a template such as "id:{id}" or a list of them',
  }),
  /** Default: every top-level field of the record, then the looked-up columns and the processing time. */
  columns: z.array(declaredColumn).min(1).optional(),
  /** JSON Schema 2020-12 the records must meet (else DLQ `invalid_record`), inline or a file relative to the sink file. */
  schema: z.union([z.string().min(1), z.record(z.string(), z.unknown())]).optional(),
  lookups: z.array(sinkLookupSchema).default([]),
  /** A column holding the time the record was processed, ISO-8601 UTC. */
  processingTimeColumn: columnName.optional(),
});

export interface LookupSpec {
  name: string;
  /** The DLQ reason of a record whose value this lookup does not find (when onMissing is dead-letter). */
  reason: DlqReason;
  field: string;
  path: FieldPath;
  table: string;
  family: string;
  /** [qualifier in `table`, column written], in the order declared. */
  columns: readonly (readonly [string, string])[];
  onMissing: OnMissing;
}

export interface SinkSpec {
  /** Where it was read from, for messages. */
  file: string;
  name: string;
  topic: string;
  group: string;
  batchIntervalMs: number;
  table: string;
  family: string;
  rowKey: readonly RowKeyTemplate[];
  columns: ColumnMapping;
  schema: Record<string, unknown> | undefined;
  /** Compiled once from `schema`. */
  validate: ValidateFunction | undefined;
  lookups: readonly LookupSpec[];
  processingTimeColumn: string | undefined;
}

type Path = readonly PropertyKey[];

function pointer(path: Path): string {
  return `/${path.map((part) => String(part).replaceAll('~', '~0').replaceAll('/', '~1')).join('/')}`;
}

function invalid(lines: string[]): ConsumerError {
  return new ConsumerError('TORMENTA_CONSUMER_CONFIG_INVALID', `invalid sink:\n  ${lines.join('\n  ')}`);
}

function readStructured(file: string, what: string): unknown {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (error) {
    throw new ConsumerError('TORMENTA_CONSUMER_CONFIG_INVALID', `${what} ${file} cannot be read: ${(error as Error).message}`);
  }
  try {
    return file.endsWith('.json') ? JSON.parse(text) : parseYaml(text);
  } catch (error) {
    throw invalid([`${file}: not valid ${file.endsWith('.json') ? 'JSON' : 'YAML'}: ${(error as Error).message}`]);
  }
}

type SinkFile = z.infer<typeof sinkFileSchema>;

/** The fields a schema lets a record have at its top level, when it closes the record (additionalProperties: false). */
function closedFields(schema: Record<string, unknown> | undefined): Set<string> | undefined {
  if (schema?.additionalProperties !== false || typeof schema.properties !== 'object' || schema.properties === null) return;
  return new Set(Object.keys(schema.properties));
}

/** Cross-field rules: every problem with its JSON pointer. */
function crossFieldProblems(sink: SinkFile, schema: Record<string, unknown> | undefined): [Path, string][] {
  const problems: [Path, string][] = [];
  const names = new Map<string, number>();
  sink.lookups.forEach((lookup, index) => {
    const name = lookup.name ?? lookupName(lookup.table);
    if (names.has(name)) problems.push([['lookups', index, 'name'], `"${name}" names lookup ${names.get(name)} too`]);
    names.set(name, index);
  });
  // Every column written by a lookup or the processing time comes from one place only.
  const added = new Map<string, Path>();
  if (sink.processingTimeColumn !== undefined) added.set(sink.processingTimeColumn, ['processingTimeColumn']);
  sink.lookups.forEach((lookup, index) => {
    for (const [from, to] of Object.entries(lookup.columns)) {
      const at = ['lookups', index, 'columns', from];
      const other = added.get(to);
      if (other !== undefined) problems.push([at, `${to} is written by ${pointer(other)} too`]);
      else added.set(to, at);
    }
  });
  if (sink.columns !== undefined) {
    const seen = new Map<string, number>();
    sink.columns.forEach((entry, index) => {
      const { name } = typeof entry === 'string' ? { name: entry } : entry;
      const other = seen.get(name.toLowerCase());
      if (other !== undefined)
        problems.push([['columns', index], `${name} is column ${other} too (Hive column names ignore case)`]);
      seen.set(name.toLowerCase(), index);
      if (typeof entry !== 'string' && entry.field !== undefined && added.has(name)) {
        problems.push([['columns', index, 'field'], `${name} is written from ${pointer(added.get(name)!)}; it takes no field`]);
      }
    });
    const declared = new Set(sink.columns.map((entry) => (typeof entry === 'string' ? entry : entry.name)));
    for (const [name, at] of added) {
      if (!declared.has(name)) problems.push([at, `${name} is not written: /columns does not list it`]);
    }
  }
  // A field a closed schema does not allow can never be filled.
  const allowed = closedFields(schema);
  if (allowed !== undefined) {
    const check = (path: string, at: Path) => {
      const top = parseFieldPath(path)[0]!;
      if (!allowed.has(top)) problems.push([at, `${top} is not a field the schema (/schema) allows`]);
    };
    const templates = typeof sink.rowKey === 'string' ? [sink.rowKey] : sink.rowKey;
    templates.forEach((template, index) => {
      const parsed = parseRowKeyTemplate(template);
      const at = typeof sink.rowKey === 'string' ? ['rowKey'] : ['rowKey', index];
      if (!('problem' in parsed)) for (const field of parsed.fields) check(field, at);
    });
    sink.lookups.forEach((lookup, index) => check(lookup.field, ['lookups', index, 'field']));
    sink.columns?.forEach((entry, index) => {
      const name = typeof entry === 'string' ? entry : entry.name;
      if (added.has(name)) return;
      const field = typeof entry === 'string' ? entry : (entry.field ?? entry.name);
      check(field, typeof entry !== 'string' && entry.field !== undefined ? ['columns', index, 'field'] : ['columns', index]);
    });
  }
  return problems;
}

function lookupName(table: string): string {
  return table
    .toLowerCase()
    .replace(/[^a-z0-9_]/g, '_')
    .slice(0, 40);
}

function columnMapping(sink: SinkFile, schema: Record<string, unknown> | undefined): ColumnMapping {
  const column = (name: string, value: SinkColumn['value'], hiveType: HiveType): SinkColumn => ({
    name,
    qualifier: `${sink.family}:${name}`,
    value,
    hiveType,
  });
  const added = new Map<string, SinkColumn>();
  for (const lookup of sink.lookups) {
    for (const to of Object.values(lookup.columns)) added.set(to, column(to, { lookup: to }, 'STRING'));
  }
  if (sink.processingTimeColumn !== undefined) {
    // STRING, not TIMESTAMP: Hive's string-encoded TIMESTAMP does not parse ISO-8601's 'T' and 'Z'.
    added.set(sink.processingTimeColumn, column(sink.processingTimeColumn, { processingTime: true }, 'STRING'));
  }
  if (sink.columns === undefined) return { kind: 'all-fields', family: sink.family, added: [...added.values()] };
  const columns = sink.columns.map((entry) => {
    const { name, field, type } = typeof entry === 'string' ? { name: entry, field: undefined, type: undefined } : entry;
    const fromElsewhere = added.get(name);
    if (fromElsewhere !== undefined) return type === undefined ? fromElsewhere : { ...fromElsewhere, hiveType: type };
    const path = parseFieldPath(field ?? name);
    return column(name, { field: path }, type ?? hiveTypeFromSchema(schema, path));
  });
  return { kind: 'declared', columns };
}

function loadSchema(sink: SinkFile, file: string): Record<string, unknown> | undefined {
  if (typeof sink.schema !== 'string') return sink.schema;
  const schemaFile = resolve(dirname(file), sink.schema);
  const loaded = readStructured(schemaFile, 'schema file (/schema)');
  if (typeof loaded !== 'object' || loaded === null || Array.isArray(loaded)) {
    throw invalid([`${schemaFile}: a JSON Schema must be an object`]);
  }
  return loaded as Record<string, unknown>;
}

function compileSchema(schema: Record<string, unknown> | undefined, file: string): ValidateFunction | undefined {
  if (schema === undefined) return undefined;
  try {
    // strict: false lets a schema carry keywords Ajv does not enforce (e.g. "format" without ajv-formats, "examples").
    return new Ajv2020({ allErrors: true, strict: false }).compile(schema);
  } catch (error) {
    throw invalid([`${file}: /schema: does not compile as JSON Schema 2020-12: ${(error as Error).message}`]);
  }
}

/** Checks a parsed sink document; `file` names it in errors and anchors a relative schema path. */
export function parseSink(document: unknown, file: string): SinkSpec {
  const parsed = sinkFileSchema.safeParse(document);
  if (!parsed.success) {
    throw invalid(
      parsed.error.issues.flatMap((issue) =>
        issue.code === 'unrecognized_keys'
          ? issue.keys.map((key) => `${file}: ${pointer([...issue.path, key])}: not a known field`)
          : [`${file}: ${pointer(issue.path)}: ${issue.message}`],
      ),
    );
  }
  const sink = parsed.data;
  const schema = loadSchema(sink, file);
  const problems = crossFieldProblems(sink, schema);
  if (problems.length > 0) throw invalid(problems.map(([at, message]) => `${file}: ${pointer(at)}: ${message}`));
  const validate = compileSchema(schema, file);
  const templates = typeof sink.rowKey === 'string' ? [sink.rowKey] : sink.rowKey;
  return {
    file,
    name: sink.name,
    topic: sink.topic,
    group: sink.group,
    batchIntervalMs: sink.batchIntervalMs,
    table: sink.table,
    family: sink.family,
    rowKey: templates.map((template) => parseRowKeyTemplate(template) as RowKeyTemplate),
    columns: columnMapping(sink, schema),
    schema,
    validate,
    lookups: sink.lookups.map((lookup) => {
      const name = lookup.name ?? lookupName(lookup.table);
      return {
        name,
        reason: `unknown_${name}` as const,
        field: lookup.field,
        path: parseFieldPath(lookup.field),
        table: lookup.table,
        family: lookup.family,
        columns: Object.entries(lookup.columns),
        onMissing: lookup.onMissing,
      };
    }),
    processingTimeColumn: sink.processingTimeColumn,
  };
}

/** Every reason this sink can dead-letter a record for: a closed set, so its metric series exist from the start. */
export function dlqReasons(sink: Pick<SinkSpec, 'lookups'>): DlqReason[] {
  const unknown = sink.lookups.filter((lookup) => lookup.onMissing === 'dead-letter').map((lookup) => lookup.reason);
  return [...DECODE_DLQ_REASONS, ...new Set(unknown)];
}

export function loadSinkFile(file: string): SinkSpec {
  return parseSink(readStructured(file, 'sink file'), file);
}
