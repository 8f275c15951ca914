// Fields of a record named by a dot path ("ID_PERSONA", "position.lat"), as sink files name them in row-key templates,
// lookups and columns, and the text a scalar value is keyed and stored as.

export type FieldPath = readonly string[];

export const FIELD_PATH_PATTERN = /^[^.\s{}]+(\.[^.\s{}]+)*$/;

export function parseFieldPath(path: string): FieldPath {
  return path.split('.');
}

export function isRecordObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

export function valueAt(record: Record<string, unknown>, path: FieldPath): unknown {
  let value: unknown = record;
  for (const step of path) {
    if (!isRecordObject(value) || !Object.hasOwn(value, step)) return undefined;
    value = value[step];
  }
  return value;
}

/**
 * The text a value identifies a row by (a row-key part, a lookup key): strings as they are, numbers and booleans as
 * JavaScript writes them. Anything else — absent, null, "", an object or array — identifies nothing.
 */
export function keyText(value: unknown): string | undefined {
  if (typeof value === 'string') return value === '' ? undefined : value;
  if (typeof value === 'number') return Number.isFinite(value) ? String(value) : undefined;
  if (typeof value === 'boolean') return String(value);
  return undefined;
}

/** The text a value is stored as in a cell: scalars as text, nested values as JSON; null or absent: no cell. */
export function cellText(value: unknown): string | undefined {
  if (value === undefined || value === null) return undefined;
  if (typeof value === 'string') return value;
  if (typeof value === 'number' || typeof value === 'boolean') return String(value);
  return JSON.stringify(value);
}
