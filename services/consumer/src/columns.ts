// The column mapping of a sink's table: the one source of truth for the writer (record → cells) and the Hive DDL, so the
// two cannot drift. A sink either declares its columns (each a record field, a looked-up value or the processing time,
// in the order given) or writes every top-level field of the record, then the looked-up values and the processing time.
// HBase has no nulls: a null or absent value is an absent cell, which Hive reads as NULL. Every value is stored as UTF-8
// text; nested values as JSON.
import { cellText, valueAt } from './field-path.ts';
import type { FieldPath } from './field-path.ts';

/** The Hive type a column's stored text is read as. */
export const HIVE_TYPES = ['STRING', 'BIGINT', 'DOUBLE', 'BOOLEAN'] as const;
export type HiveType = (typeof HIVE_TYPES)[number];

export type ColumnValue = { field: FieldPath } | { lookup: string } | { processingTime: true };

export interface SinkColumn {
  /** The column qualifier, which is also the Hive column's name (in lower case). */
  name: string;
  /** `family:name`, as cells are keyed. */
  qualifier: string;
  value: ColumnValue;
  hiveType: HiveType;
}

export type ColumnMapping =
  | { kind: 'declared'; columns: readonly SinkColumn[] }
  /** Every top-level field of the record under its own name, then `added` (looked-up values, the processing time). */
  | { kind: 'all-fields'; family: string; added: readonly SinkColumn[] };

/** Looked-up values by the column they are written to. */
export type LookedUp = Readonly<Record<string, string>>;

function columnText(column: SinkColumn, record: Record<string, unknown>, lookedUp: LookedUp, processedAt: string) {
  const { value } = column;
  if ('field' in value) return cellText(valueAt(record, value.field));
  if ('lookup' in value) return lookedUp[column.name];
  return processedAt;
}

/** The row's cells by `family:qualifier`, all as UTF-8 text; null and absent values are left out. */
export function toCells(
  mapping: ColumnMapping,
  record: Record<string, unknown>,
  lookedUp: LookedUp,
  processedAt: string,
): Record<string, string> {
  const cells: Record<string, string> = {};
  const columns = mapping.kind === 'declared' ? mapping.columns : mapping.added;
  if (mapping.kind === 'all-fields') {
    for (const [name, value] of Object.entries(record)) {
      const text = cellText(value);
      if (text !== undefined) cells[`${mapping.family}:${name}`] = text;
    }
  }
  for (const column of columns) {
    const text = columnText(column, record, lookedUp, processedAt);
    if (text !== undefined) cells[column.qualifier] = text;
  }
  return cells;
}

const HIVE_TYPE_OF_JSON_TYPE: Readonly<Record<string, HiveType>> = { integer: 'BIGINT', number: 'DOUBLE', boolean: 'BOOLEAN' };

/**
 * The Hive type of a field as the sink's JSON Schema declares it (`properties` all the way down, a single `type`, or a
 * type with "null"); STRING when the schema says nothing simpler.
 */
export function hiveTypeFromSchema(schema: Record<string, unknown> | undefined, path: FieldPath): HiveType {
  let node: unknown = schema;
  for (const step of path) {
    const properties = (node as { properties?: unknown } | undefined)?.properties;
    node = typeof properties === 'object' && properties !== null ? (properties as Record<string, unknown>)[step] : undefined;
  }
  const declared = (node as { type?: unknown } | undefined)?.type;
  const types = (Array.isArray(declared) ? declared : [declared]).filter((type) => type !== 'null');
  return types.length === 1 && typeof types[0] === 'string' ? (HIVE_TYPE_OF_JSON_TYPE[types[0]] ?? 'STRING') : 'STRING';
}
