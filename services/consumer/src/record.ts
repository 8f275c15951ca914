// Decoding and validation of one Kafka message into a sink's record: a pure decision, so every way a record can be bad is
// named here and sent to the DLQ with that name. A record is a JSON object that meets the sink's schema (when it has
// one) and fills one of its row-key templates.
import type { ErrorObject } from 'ajv/dist/2020.js';
import type { DlqReason } from './errors.ts';
import { isRecordObject } from './field-path.ts';
import { rowKey } from './row-key.ts';
import type { SourceCoordinates } from './row-key.ts';
import type { SinkSpec } from './sink-file.ts';

export type { SourceCoordinates } from './row-key.ts';

export interface SourceRecord {
  source: SourceCoordinates;
  key: Buffer | null;
  value: Buffer | null;
}

export type DecodeResult =
  { ok: true; fields: Record<string, unknown>; rowKey: string } | { ok: false; reason: DlqReason; detail: string };

function schemaProblems(errors: readonly ErrorObject[] | null | undefined): string {
  return (errors ?? [])
    .map((error) => {
      const params = error.params as { additionalProperty?: string; missingProperty?: string };
      const extra = params.additionalProperty ?? params.missingProperty;
      return `${error.instancePath || '/'}: ${error.message ?? error.keyword}${extra === undefined ? '' : `: ${extra}`}`;
    })
    .join('; ');
}

export function decodeRecord(sink: Pick<SinkSpec, 'validate' | 'rowKey'>, record: SourceRecord): DecodeResult {
  const { value } = record;
  if (value === null || value.length === 0) return { ok: false, reason: 'malformed_json', detail: 'empty message value' };
  let json: unknown;
  try {
    json = JSON.parse(value.toString('utf8'));
  } catch (error) {
    return { ok: false, reason: 'malformed_json', detail: (error as Error).message };
  }
  if (sink.validate !== undefined && !sink.validate(json)) {
    return { ok: false, reason: 'invalid_record', detail: schemaProblems(sink.validate.errors) };
  }
  if (!isRecordObject(json)) return { ok: false, reason: 'invalid_record', detail: '/: a record must be a JSON object' };
  const key = rowKey(sink.rowKey, json, record.source);
  if (key === undefined) {
    const needs = [...new Set(sink.rowKey.flatMap((template) => template.fields))].join(', ');
    return {
      ok: false,
      reason: 'invalid_record',
      detail: `/: no row key: every rowKey template needs a field it lacks (${needs})`,
    };
  }
  return { ok: true, fields: json, rowKey: key };
}
