// The pure heart of a micro-batch: decoded records plus what the lookups found in, the sink's rows and dead letters out.
// No I/O, so every policy decision is a table test.
import type { HBaseRow } from '@tormenta/hbase';
import { toCells } from './columns.ts';
import type { DlqReason } from './errors.ts';
import { keyText, valueAt } from './field-path.ts';
import { decodeRecord } from './record.ts';
import type { SourceRecord } from './record.ts';
import type { LookupSpec, SinkSpec } from './sink-file.ts';

/** Outcomes labelling `tormenta_enrich_records_total{outcome}`; unknown_id: stored with a lookup that found nothing. */
export type EnrichOutcome = 'enriched' | 'unknown_id' | 'dead_lettered';

export interface DeadLetter {
  record: SourceRecord;
  reason: DlqReason;
  detail: string;
}

export interface DecodedRecord {
  record: SourceRecord;
  fields: Record<string, unknown>;
  rowKey: string;
}

export interface DecodedBatch {
  valid: DecodedRecord[];
  deadLetters: DeadLetter[];
}

export function decodeBatch(sink: Pick<SinkSpec, 'validate' | 'rowKey'>, records: readonly SourceRecord[]): DecodedBatch {
  const batch: DecodedBatch = { valid: [], deadLetters: [] };
  for (const record of records) {
    const decoded = decodeRecord(sink, record);
    if (decoded.ok) batch.valid.push({ record, fields: decoded.fields, rowKey: decoded.rowKey });
    else batch.deadLetters.push({ record, reason: decoded.reason, detail: decoded.detail });
  }
  return batch;
}

function lookupKey(lookup: LookupSpec, fields: Record<string, unknown>): string | undefined {
  return keyText(valueAt(fields, lookup.path));
}

/** The distinct keys each lookup needs (parallel to sink.lookups), so each is looked up once per batch. */
export function lookupKeys(sink: Pick<SinkSpec, 'lookups'>, valid: readonly DecodedRecord[]): string[][] {
  return sink.lookups.map((lookup) => {
    const keys = new Set<string>();
    for (const { fields } of valid) {
      const key = lookupKey(lookup, fields);
      if (key !== undefined) keys.add(key);
    }
    return [...keys];
  });
}

/** What one lookup found: by key, the row's cells by qualifier (without the family); absent or null: no such row. */
export type FoundRows = ReadonlyMap<string, Readonly<Record<string, string>> | null>;

export interface EnrichedBatch {
  rows: HBaseRow[];
  deadLetters: DeadLetter[];
  outcomes: Record<EnrichOutcome, number>;
}

/** A record's looked-up values by the column they go to, or the dead letter one lookup's policy asks for. */
function lookUp(
  lookups: readonly LookupSpec[],
  found: readonly FoundRows[],
  fields: Record<string, unknown>,
): { values: Record<string, string>; missed: boolean } | { reason: DlqReason; detail: string } {
  const values: Record<string, string> = {};
  let missed = false;
  for (let index = 0; index < lookups.length; index += 1) {
    const lookup = lookups[index]!;
    const key = lookupKey(lookup, fields);
    const row = key === undefined ? undefined : found[index]?.get(key);
    let hit = false;
    if (row) {
      for (const [from, to] of lookup.columns) {
        const value = row[from];
        if (value === undefined) continue;
        values[to] = value;
        hit = true;
      }
    }
    if (hit) continue;
    if (lookup.onMissing === 'dead-letter') {
      const detail =
        key === undefined
          ? `${lookup.field} is absent or not a scalar, so there is nothing to find in ${lookup.table}`
          : `${lookup.field} ${key} not in ${lookup.table}`;
      return { reason: lookup.reason, detail };
    }
    missed = true;
    if (lookup.onMissing === 'keep-id' && key !== undefined) for (const [, to] of lookup.columns) values[to] = key;
  }
  return { values, missed };
}

export function enrichBatch(
  sink: Pick<SinkSpec, 'lookups' | 'columns'>,
  decoded: DecodedBatch,
  found: readonly FoundRows[],
  processedAt: Date,
): EnrichedBatch {
  const at = processedAt.toISOString();
  const result: EnrichedBatch = {
    rows: [],
    deadLetters: [...decoded.deadLetters],
    outcomes: { enriched: 0, unknown_id: 0, dead_lettered: decoded.deadLetters.length },
  };
  for (const { record, fields, rowKey } of decoded.valid) {
    const looked = lookUp(sink.lookups, found, fields);
    if ('reason' in looked) {
      result.deadLetters.push({ record, reason: looked.reason, detail: looked.detail });
      result.outcomes.dead_lettered += 1;
      continue;
    }
    result.rows.push({ key: rowKey, cells: toCells(sink.columns, fields, looked.values, at) });
    result.outcomes[looked.missed ? 'unknown_id' : 'enriched'] += 1;
  }
  return result;
}
