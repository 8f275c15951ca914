// The pure heart of a micro-batch: decoded records plus the looked-up dimension names in, enriched rows and dead letters
// out. No I/O, so every policy decision is a table test.
import type { HBaseRow } from '@tormenta/hbase';
import type { DlqReason } from './errors.ts';
import { toCells } from './enriched-columns.ts';
import type { EnrichedRow } from './enriched-columns.ts';
import { decodeRecord } from './record.ts';
import type { SourceRecord, Transaction } from './record.ts';
import { enrichedRowKey } from './row-key.ts';

export type UnknownIdPolicy = 'null' | 'dlq';

/** Outcomes labelling `tormenta_enrich_records_total{outcome}`. */
export type EnrichOutcome = 'enriched' | 'unknown_id' | 'dead_lettered';

export interface DeadLetter {
  record: SourceRecord;
  reason: DlqReason;
  detail: string;
}

export interface DecodedBatch {
  valid: { record: SourceRecord; transaction: Transaction }[];
  deadLetters: DeadLetter[];
}

export function decodeBatch(records: readonly SourceRecord[]): DecodedBatch {
  const batch: DecodedBatch = { valid: [], deadLetters: [] };
  for (const record of records) {
    const decoded = decodeRecord(record.value);
    if (decoded.ok) batch.valid.push({ record, transaction: decoded.transaction });
    else batch.deadLetters.push({ record, reason: decoded.reason, detail: decoded.detail });
  }
  return batch;
}

/** The distinct dimension IDs a batch needs, so each is looked up once. */
export function distinctIds(valid: DecodedBatch['valid']): { personas: number[]; empresas: number[] } {
  const personas = new Set<number>();
  const empresas = new Set<number>();
  for (const { transaction } of valid) {
    personas.add(transaction.ID_PERSONA);
    empresas.add(transaction.ID_EMPRESA);
  }
  return { personas: [...personas], empresas: [...empresas] };
}

/** Names by ID; an ID that is absent from the map (or maps to null) is unknown to HBase. */
export interface DimensionNames {
  personas: ReadonlyMap<number, string | null>;
  empresas: ReadonlyMap<number, string | null>;
}

export interface EnrichedBatch {
  rows: HBaseRow[];
  deadLetters: DeadLetter[];
  outcomes: Record<EnrichOutcome, number>;
}

export function enrichBatch(
  decoded: DecodedBatch,
  names: DimensionNames,
  policy: UnknownIdPolicy,
  processedAt: Date,
): EnrichedBatch {
  const fecha = processedAt.toISOString();
  const result: EnrichedBatch = {
    rows: [],
    deadLetters: [...decoded.deadLetters],
    outcomes: { enriched: 0, unknown_id: 0, dead_lettered: decoded.deadLetters.length },
  };
  for (const { record, transaction } of decoded.valid) {
    const nombrePersona = names.personas.get(transaction.ID_PERSONA) ?? null;
    const nombreEmpresa = names.empresas.get(transaction.ID_EMPRESA) ?? null;
    const unknown: DlqReason | undefined =
      nombrePersona === null ? 'unknown_persona' : nombreEmpresa === null ? 'unknown_empresa' : undefined;
    if (unknown !== undefined && policy === 'dlq') {
      const detail =
        unknown === 'unknown_persona'
          ? `ID_PERSONA ${transaction.ID_PERSONA} not in PERSONA`
          : `ID_EMPRESA ${transaction.ID_EMPRESA} not in EMPRESA`;
      result.deadLetters.push({ record, reason: unknown, detail });
      result.outcomes.dead_lettered += 1;
      continue;
    }
    const row: EnrichedRow = {
      ID_PERSONA: transaction.ID_PERSONA,
      NOMBRE_PERSONA: nombrePersona,
      ID_EMPRESA: transaction.ID_EMPRESA,
      NOMBRE_EMPRESA: nombreEmpresa,
      MONTO: transaction.MONTO,
      FECHA: fecha,
    };
    result.rows.push({ key: enrichedRowKey(transaction, record.source), cells: toCells(row) });
    result.outcomes[unknown === undefined ? 'enriched' : 'unknown_id'] += 1;
  }
  return result;
}
