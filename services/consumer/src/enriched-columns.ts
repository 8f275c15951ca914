// The column mapping of TRANSACCION_ENRIQUECIDA: the one source of truth for the writer (row → cells) and the Hive DDL,
// so the two cannot drift. HBase has no nulls: a null value is an absent cell, which Hive reads as NULL.
import { column } from '@tormenta/hbase';

export interface EnrichedRow {
  ID_PERSONA: number;
  NOMBRE_PERSONA: string | null;
  ID_EMPRESA: number;
  NOMBRE_EMPRESA: string | null;
  MONTO: number;
  /** Processing time, ISO-8601 UTC. */
  FECHA: string;
}

export interface EnrichedColumn {
  field: keyof EnrichedRow;
  /** The Hive column type the stored UTF-8 text is read as. */
  hiveType: 'BIGINT' | 'DOUBLE' | 'STRING';
}

export const ENRICHED_COLUMNS: readonly EnrichedColumn[] = [
  { field: 'ID_PERSONA', hiveType: 'BIGINT' },
  { field: 'NOMBRE_PERSONA', hiveType: 'STRING' },
  { field: 'ID_EMPRESA', hiveType: 'BIGINT' },
  { field: 'NOMBRE_EMPRESA', hiveType: 'STRING' },
  { field: 'MONTO', hiveType: 'DOUBLE' },
  // STRING, not TIMESTAMP: Hive's string-encoded TIMESTAMP does not parse ISO-8601's 'T' and 'Z'.
  { field: 'FECHA', hiveType: 'STRING' },
];

/** The row's cells by `family:qualifier`, all as UTF-8 text; nulls are left out. */
export function toCells(row: EnrichedRow): Record<string, string> {
  const cells: Record<string, string> = {};
  for (const { field } of ENRICHED_COLUMNS) {
    const value = row[field];
    if (value !== null) cells[column(field)] = String(value);
  }
  return cells;
}
