// A stream's convert step (the seed's convertDataToFormatProducer, for any record): transform → id → schema → key →
// bytes. Pure but for the clock-free UUIDs it assigns: records in, Kafka messages and per-record problems out, so every
// way a record can be refused is a table test. Compiled once per stream (Ajv, JSONata) at start-up.
import { randomUUID } from 'node:crypto';
import type { OutgoingMessage } from '@tormenta/kafka';
import type { ErrorObject, ValidateFunction } from 'ajv/dist/2020.js';
import type { Expression } from 'jsonata';
import { ConfigError } from '../errors.ts';
import { isObject } from './ids.ts';
import type { StreamFormat, StreamSpec } from './stream-file.ts';

/** One problem of one record: its position in the input, where in the record (a JSON pointer), and what. */
export interface RecordProblem {
  index: number;
  pointer: string;
  message: string;
}

export interface Conversion {
  messages: OutgoingMessage[];
  /** The id of each message, parallel to `messages`. */
  ids: string[];
  /** Records that failed the schema (each may have several problems) or could not be transformed. */
  invalid: RecordProblem[];
  invalidCount: number;
  /** Records over maxRecordBytes once encoded. */
  oversized: RecordProblem[];
  /** Records the transform turned into nothing: filtered out on purpose, counted, not errors. */
  dropped: number;
}

export const HEADER_STREAM = 'tormenta-stream';
export const HEADER_ID = 'tormenta-id';
export const HEADER_CONTENT_TYPE = 'content-type';

const CONTENT_TYPES: Record<StreamFormat, string> = {
  json: 'application/json',
  ndjson: 'application/json',
  text: 'text/plain; charset=utf-8',
  bytes: 'application/octet-stream',
};

export interface CompiledStream {
  spec: StreamSpec;
  contentType: string;
  validate: ValidateFunction | undefined;
  transform: Expression | undefined;
}

/** Ajv and JSONata are loaded only by streams that use them (a few MB of a pod's memory each). */
export async function compileStream(spec: StreamSpec): Promise<CompiledStream> {
  let validate: ValidateFunction | undefined;
  if (spec.schema !== undefined) {
    const { Ajv2020 } = await import('ajv/dist/2020.js');
    try {
      // strict: false lets a schema carry keywords Ajv does not enforce (e.g. "format" without ajv-formats, "examples").
      validate = new Ajv2020({ allErrors: true, strict: false }).compile(spec.schema);
    } catch (error) {
      throw new ConfigError(
        `invalid stream:\n  ${spec.file}: /schema: does not compile as JSON Schema 2020-12: ${(error as Error).message}`,
      );
    }
  }
  let transform: Expression | undefined;
  if (spec.transform !== undefined) {
    const { default: jsonata } = await import('jsonata');
    try {
      transform = jsonata(spec.transform);
    } catch (error) {
      const { message, position } = error as { message: string; position?: number };
      throw new ConfigError(
        `invalid stream:\n  ${spec.file}: /transform: not a JSONata expression: ${message}${position === undefined ? '' : ` (at character ${position})`}`,
      );
    }
  }
  return { spec, contentType: CONTENT_TYPES[spec.format], validate, transform };
}

export function fieldAt(record: unknown, path: string): unknown {
  let value = record;
  for (const step of path.split('.')) value = isObject(value) ? value[step] : undefined;
  return value;
}

function schemaProblems(index: number, errors: readonly ErrorObject[] | null | undefined): RecordProblem[] {
  return (errors ?? []).map((error) => {
    const extra =
      error.keyword === 'additionalProperties'
        ? `: ${(error.params as { additionalProperty: string }).additionalProperty}`
        : error.keyword === 'required'
          ? `: ${(error.params as { missingProperty: string }).missingProperty}`
          : '';
    return {
      index,
      pointer: error.instancePath === '' ? '/' : error.instancePath,
      message: `${error.message ?? error.keyword}${extra}`,
    };
  });
}

function idText(value: unknown): string | undefined {
  if (typeof value === 'string') return value;
  if (typeof value === 'number' && Number.isFinite(value)) return String(value);
  return undefined;
}

/** Records of a json/ndjson stream after the transform (undefined: dropped), each keeping the id it came with. */
async function transformed(stream: CompiledStream, items: readonly unknown[], invalid: RecordProblem[]): Promise<unknown[]> {
  const { transform, spec } = stream;
  if (transform === undefined) return items as unknown[];
  return Promise.all(
    items.map(async (item, index) => {
      try {
        const result: unknown = await transform.evaluate(item);
        // The id the record arrived with survives a transform that reshapes it.
        const before = isObject(item) ? item[spec.idField] : undefined;
        return isObject(result) && result[spec.idField] === undefined && before !== undefined
          ? { ...result, [spec.idField]: before }
          : result;
      } catch (error) {
        invalid.push({ index, pointer: '/', message: `transform failed: ${(error as Error).message}` });
        return undefined;
      }
    }),
  );
}

export async function convertRecords(
  stream: CompiledStream,
  items: readonly unknown[],
  newId: () => string = randomUUID,
): Promise<Conversion> {
  const { spec, validate, contentType } = stream;
  const result: Conversion = { messages: [], ids: [], invalid: [], invalidCount: 0, oversized: [], dropped: 0 };
  const structured = spec.format === 'json' || spec.format === 'ndjson';
  const failedTransform = new Set<number>();
  const records = structured ? await transformed(stream, items, result.invalid) : items;
  for (const problem of result.invalid) failedTransform.add(problem.index);
  result.invalidCount = failedTransform.size;
  for (let index = 0; index < records.length; index += 1) {
    let record = records[index];
    if (record === undefined) {
      if (!failedTransform.has(index)) result.dropped += 1;
      continue;
    }
    let id: string | undefined;
    let value: string | Buffer;
    if (structured) {
      if (isObject(record)) {
        if (record[spec.idField] === undefined) record = { ...record, [spec.idField]: newId() };
        id = idText((record as Record<string, unknown>)[spec.idField]);
      }
      if (validate !== undefined && !validate(record)) {
        for (const problem of schemaProblems(index, validate.errors)) result.invalid.push(problem);
        result.invalidCount += 1;
        continue;
      }
      value = JSON.stringify(record);
    } else {
      value = typeof record === 'string' || Buffer.isBuffer(record) ? record : JSON.stringify(record);
      if (spec.format === 'bytes' && typeof value === 'string') value = Buffer.from(value);
    }
    const size = typeof value === 'string' ? Buffer.byteLength(value) : value.length;
    if (size > spec.maxRecordBytes) {
      result.oversized.push({
        index,
        pointer: '/',
        message: `${size} bytes encoded; this stream takes at most ${spec.maxRecordBytes}`,
      });
      continue;
    }
    id ??= newId();
    const key = spec.key === undefined ? undefined : fieldAt(record, spec.key);
    result.messages.push({
      key: key === undefined || key === null ? null : typeof key === 'string' ? key : JSON.stringify(key),
      value,
      headers: { [HEADER_STREAM]: spec.name, [HEADER_CONTENT_TYPE]: contentType, [HEADER_ID]: id },
    });
    result.ids.push(id);
  }
  return result;
}
