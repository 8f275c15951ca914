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

export function validateRecords(records: readonly unknown[]): Validation {
  const result: Validation = { valid: [], validIndexes: [], errors: [], invalidCount: 0 };
  records.forEach((record, index) => {
    const errors = recordErrors(record, index);
    if (errors.length === 0) {
      result.valid.push(record as Transaction);
      result.validIndexes.push(index);
    } else {
      result.errors.push(...errors);
      result.invalidCount += 1;
    }
  });
  return result;
}

/** The record as it travels: always with an id, fields in a fixed order so equal records are equal bytes. */
export function withId(record: Transaction, newId: () => string = randomUUID): Required<Transaction> {
  return { ID_PERSONA: record.ID_PERSONA, ID_EMPRESA: record.ID_EMPRESA, MONTO: record.MONTO, id: record.id ?? newId() };
}

export function convert(record: Required<Transaction>, keyField: KeyField): OutgoingMessage {
  return {
    key: keyField === 'none' ? null : String(record[keyField]),
    value: Buffer.from(JSON.stringify(record), 'utf8'),
  };
}
