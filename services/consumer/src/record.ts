// Decoding and validation of one Kafka message into a transaction: a pure decision, so every way a record can be bad is
// named here and sent to the DLQ with that name.
import { z } from 'zod';
import type { DlqReason } from './errors.ts';

/** Where a record came from: enough to find it again in Kafka, and the identity of a record without its own id. */
export interface SourceCoordinates {
  topic: string;
  partition: number;
  offset: string;
}

export interface Transaction {
  ID_PERSONA: number;
  ID_EMPRESA: number;
  MONTO: number;
  /** The client's or producer's idempotency key, when the record carries one. */
  id?: string;
}

export interface SourceRecord {
  source: SourceCoordinates;
  key: Buffer | null;
  value: Buffer | null;
}

export type DecodeResult = { ok: true; transaction: Transaction } | { ok: false; reason: DlqReason; detail: string };

const id = z.number().int().nonnegative().max(Number.MAX_SAFE_INTEGER);
const transactionSchema = z.object({
  ID_PERSONA: id,
  ID_EMPRESA: id,
  MONTO: z.number().refine(Number.isFinite, 'must be a finite number'),
  id: z
    .union([z.string().min(1).max(256), z.number().int()])
    .transform(String)
    .optional(),
});

export function decodeRecord(value: Buffer | null): DecodeResult {
  if (value === null || value.length === 0) return { ok: false, reason: 'malformed_json', detail: 'empty message value' };
  let json: unknown;
  try {
    json = JSON.parse(value.toString('utf8'));
  } catch (error) {
    return { ok: false, reason: 'malformed_json', detail: (error as Error).message };
  }
  const parsed = transactionSchema.safeParse(json);
  if (!parsed.success) {
    const detail = parsed.error.issues.map((issue) => `${issue.path.join('.') || '(root)'}: ${issue.message}`).join('; ');
    return { ok: false, reason: 'invalid_record', detail };
  }
  const { id: recordId, ...fields } = parsed.data;
  return { ok: true, transaction: recordId === undefined ? fields : { ...fields, id: recordId } };
}
