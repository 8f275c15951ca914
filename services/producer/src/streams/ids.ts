// Record ids, assigned before anything can fail: every later attempt with the same items (a retried batch, a 503 resent
// with the ids its error lists) carries the same ids, so downstream writes overwrite instead of duplicating.
import { randomUUID } from 'node:crypto';

export function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value) && !Buffer.isBuffer(value);
}

/** Every object item without `idField` gets one; other items (text, bytes, arrays) are left as they are. */
export function assignIds(items: readonly unknown[], idField: string, newId: () => string = randomUUID): unknown[] {
  return items.map((item) => (isObject(item) && item[idField] === undefined ? { ...item, [idField]: newId() } : item));
}
