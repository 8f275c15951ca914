// A transaction as the sources deliver it, its validation (pure: every problem of every record, by index and field) and
// its conversion into a Kafka message (the seed's convertDataToFormatProducer: the JSON string as bytes).
import { randomUUID } from 'node:crypto';
import type { OutgoingMessage } from '@tormenta/kafka';

export interface Transaction {
  ID_PERSONA: number;
  ID_EMPRESA: number;
  MONTO: number;
  /** Idempotency key; assigned by the producer when the client sends none. */
  id?: string;
}

export interface FieldError {
  index: number;
  field: string;
  message: string;
}

export type KeyField = 'ID_PERSONA' | 'ID_EMPRESA' | 'id' | 'none';

const ID_FIELDS = ['ID_PERSONA', 'ID_EMPRESA'] as const;
const KNOWN_FIELDS = new Set(['ID_PERSONA', 'ID_EMPRESA', 'MONTO', 'id']);
export const MAX_ID_LENGTH = 128;

/** Every problem of one record; an empty list means the record is a valid Transaction. */
export function recordErrors(record: unknown, index: number): FieldError[] {
  if (typeof record !== 'object' || record === null || Array.isArray(record)) {
    return [{ index, field: '', message: 'must be a JSON object' }];
  }
  const fields = record as Record<string, unknown>;
  const errors: FieldError[] = [];
  for (const field of ID_FIELDS) {
    const value = fields[field];
    if (value === undefined) errors.push({ index, field, message: 'is required' });
    else if (!Number.isSafeInteger(value) || (value as number) < 0) {
      errors.push({ index, field, message: `must be a non-negative integer, got ${JSON.stringify(value)}` });
    }
  }
  const amount = fields.MONTO;
  if (amount === undefined) errors.push({ index, field: 'MONTO', message: 'is required' });
  else if (typeof amount !== 'number' || !Number.isFinite(amount)) {
    errors.push({ index, field: 'MONTO', message: `must be a finite number, got ${JSON.stringify(amount)}` });
  }
  const id = fields.id;
  if (id !== undefined && (typeof id !== 'string' || id.length === 0 || id.length > MAX_ID_LENGTH)) {
    errors.push({ index, field: 'id', message: `must be a string of 1-${MAX_ID_LENGTH} characters` });
  }
  for (const field of Object.keys(fields)) {
    if (!KNOWN_FIELDS.has(field)) errors.push({ index, field, message: 'is not a field of a transaction' });
  }
  return errors;
}

export interface Validation {
  valid: Transaction[];
  /** Positions (in the input) of the valid records, parallel to `valid`. */
  validIndexes: number[];
  errors: FieldError[];
  invalidCount: number;
}

/** True only if recordErrors(record) is empty (rarely false when it is), without building anything: nearly every record is valid. */
export function isTransaction(record: unknown): record is Transaction {
  if (typeof record !== 'object' || record === null || Array.isArray(record)) return false;
  const fields = record as Record<string, unknown>;
  const person = fields.ID_PERSONA;
  const company = fields.ID_EMPRESA;
  const amount = fields.MONTO;
  const id = fields.id;
  if (!Number.isSafeInteger(person) || (person as number) < 0 || !Number.isSafeInteger(company) || (company as number) < 0) return false;
  if (typeof amount !== 'number' || !Number.isFinite(amount)) return false;
  let known = 3;
  if (id !== undefined) {
    if (typeof id !== 'string' || id.length === 0 || id.length > MAX_ID_LENGTH) return false;
    known = 4;
  }
  // Own enumerable keys, as Object.keys counts them; the four known ones are all present, so more means an unknown one.
  let count = 0;
  for (const field in fields) if (Object.hasOwn(fields, field)) count += 1;
  return count === known;
}

export function validateRecords(records: readonly unknown[]): Validation {
  const result: Validation = { valid: [], validIndexes: [], errors: [], invalidCount: 0 };
  for (let index = 0; index < records.length; index += 1) {
    const record = records[index];
    const errors = isTransaction(record) ? undefined : recordErrors(record, index);
    if (errors === undefined || errors.length === 0) {
      result.valid.push(record as Transaction);
      result.validIndexes.push(index);
    } else {
      for (const error of errors) result.errors.push(error);
      result.invalidCount += 1;
    }
  }
  return result;
}

/** The record as it travels: always with an id, fields in a fixed order so equal records are equal bytes. */
export function withId(record: Transaction, newId: () => string = randomUUID): Required<Transaction> {
  return { ID_PERSONA: record.ID_PERSONA, ID_EMPRESA: record.ID_EMPRESA, MONTO: record.MONTO, id: record.id ?? newId() };
}

export function convert(record: Required<Transaction>, keyField: KeyField): OutgoingMessage {
  return toMessage(record, record.id, keyField);
}

/**
 * convert(withId(record, () => id), keyField) without its Buffer: the value stays a string, which kafkajs encodes straight
 * into the record's buffer. JSON.stringify rather than a template literal: its result is flat, a template's is a rope
 * that each later byteLength and write has to flatten first (measured ~10 % slower end to end).
 */
export function toMessage(record: Transaction, id: string, keyField: KeyField): OutgoingMessage {
  return {
    key: keyField === 'none' ? null : keyField === 'id' ? id : String(record[keyField]),
    value: JSON.stringify({ ID_PERSONA: record.ID_PERSONA, ID_EMPRESA: record.ID_EMPRESA, MONTO: record.MONTO, id }),
  };
}
