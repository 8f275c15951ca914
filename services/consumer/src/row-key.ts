// Row keys of a sink's table, from the sink's rowKey templates:
//
//   <salt>|<identity>      e.g.  "3f|id:7c0e…"   or   "a2|o:topic_transaccion:2:18734"
//
// identity: the first template whose placeholders the record can fill. `{ID}` or `{a.b}` is a record field (a non-empty
// string, a number or a boolean); `{@topic}`, `{@partition}`, `{@offset}` are the record's Kafka coordinates, which never
// change. The transactions' templates, "id:{id}" then "o:{@topic}:{@partition}:{@offset}", key a record by its own id
// (its idempotency key), so a record that reached Kafka twice is still one row, else by where it sits in Kafka. Either
// way a replayed batch (crash before commit, rebalance) writes the same keys and overwrites instead of duplicating.
// salt: the first byte of SHA-1(identity) in hex — 256 buckets. Offsets and producer ids grow monotonically; without the
// salt every write would land in the last region (hot-spotting). With it, writes spread over regions pre-split on the
// salt, and a reader that knows the identity can still compute the key. Scans in arrival order are given up on purpose.
import { createHash } from 'node:crypto';
import { FIELD_PATH_PATTERN, keyText, parseFieldPath, valueAt } from './field-path.ts';
import type { FieldPath } from './field-path.ts';

export const SALT_HEX_CHARS = 2;
const SEPARATOR = '|';

export const COORDINATES = ['topic', 'partition', 'offset'] as const;
export type Coordinate = (typeof COORDINATES)[number];

/** Where a record came from: enough to find it again in Kafka, and the identity of a record without its own id. */
export interface SourceCoordinates {
  topic: string;
  partition: number;
  offset: string;
}

type TemplatePart = { text: string } | { field: FieldPath } | { coordinate: Coordinate };

export interface RowKeyTemplate {
  template: string;
  parts: readonly TemplatePart[];
  /** The record fields it reads, as written. */
  fields: readonly string[];
}

/** A template, or what is wrong with it (the sink file names the field). */
export function parseRowKeyTemplate(template: string): RowKeyTemplate | { problem: string } {
  const parts: TemplatePart[] = [];
  const fields: string[] = [];
  let rest = template;
  while (rest !== '') {
    const open = rest.indexOf('{');
    const literal = open < 0 ? rest : rest.slice(0, open);
    if (literal.includes('}')) return { problem: `"}" without "{" in "${template}"` };
    if (literal !== '') parts.push({ text: literal });
    if (open < 0) break;
    const close = rest.indexOf('}', open);
    if (close < 0) return { problem: `"{" without "}" in "${template}"` };
    const name = rest.slice(open + 1, close);
    if (name.startsWith('@')) {
      const coordinate = name.slice(1);
      if (!(COORDINATES as readonly string[]).includes(coordinate)) {
        return { problem: `{${name}} is not a Kafka coordinate; known: ${COORDINATES.map((c) => `{@${c}}`).join(', ')}` };
      }
      parts.push({ coordinate: coordinate as Coordinate });
    } else {
      if (!FIELD_PATH_PATTERN.test(name)) return { problem: `{${name}} must name a field or a dot path such as {position.lat}` };
      parts.push({ field: parseFieldPath(name) });
      fields.push(name);
    }
    rest = rest.slice(close + 1);
  }
  if (!parts.some((part) => !('text' in part))) {
    return {
      problem: `"${template}" references no field and no Kafka coordinate, so every record would get the same row; use {FIELD} or {@offset}`,
    };
  }
  return { template, parts, fields };
}

function fill(parts: readonly TemplatePart[], record: Record<string, unknown>, source: SourceCoordinates): string | undefined {
  let identity = '';
  for (const part of parts) {
    if ('text' in part) identity += part.text;
    else if ('coordinate' in part) identity += String(source[part.coordinate]);
    else {
      const text = keyText(valueAt(record, part.field));
      if (text === undefined) return undefined;
      identity += text;
    }
  }
  return identity;
}

/** The identity from the first template the record fills; undefined when none can be filled. */
export function recordIdentity(
  templates: readonly RowKeyTemplate[],
  record: object,
  source: SourceCoordinates,
): string | undefined {
  for (const { parts } of templates) {
    const identity = fill(parts, record as Record<string, unknown>, source);
    if (identity !== undefined) return identity;
  }
  return undefined;
}

export function saltOf(identity: string): string {
  return createHash('sha1').update(identity).digest('hex').slice(0, SALT_HEX_CHARS);
}

export function saltedKey(identity: string): string {
  return `${saltOf(identity)}${SEPARATOR}${identity}`;
}

/** The record's row key; undefined when no template can be filled (the record goes to the DLQ). */
export function rowKey(templates: readonly RowKeyTemplate[], record: object, source: SourceCoordinates): string | undefined {
  const identity = recordIdentity(templates, record, source);
  return identity === undefined ? undefined : saltedKey(identity);
}
