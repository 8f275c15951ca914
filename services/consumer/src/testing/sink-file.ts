// Writes a sink file for a test (a temporary directory each time) and returns its path: the shipped transactions sink
// (sinks/transacciones.yaml) with the test's own topic, group, tables or policy; what is left out keeps its value.
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { parse as parseYaml } from 'yaml';
import type { OnMissing } from '../sink-file.ts';

export const TRANSACTION_SINK_FILE = resolve(import.meta.dirname, '../../../../sinks/transacciones.yaml');

export interface TransactionSinkChanges {
  topic?: string;
  group?: string;
  batchIntervalMs?: number;
  /** The table rows are written to. */
  table?: string;
  /** Lookup tables by lookup name: persona, empresa. */
  lookupTables?: Partial<Record<'persona' | 'empresa', string>>;
  /** Every lookup's policy. */
  onMissing?: OnMissing;
}

export function transactionSinkDocument(changes: TransactionSinkChanges = {}): Record<string, unknown> {
  const document = parseYaml(readFileSync(TRANSACTION_SINK_FILE, 'utf8')) as Record<string, unknown> & {
    lookups: { name: 'persona' | 'empresa'; table: string; onMissing: OnMissing }[];
  };
  const { lookupTables = {}, onMissing, ...fields } = changes;
  for (const lookup of document.lookups) {
    lookup.table = lookupTables[lookup.name] ?? lookup.table;
    if (onMissing !== undefined) lookup.onMissing = onMissing;
  }
  return { ...document, ...fields };
}

export function writeSinkFile(changes: TransactionSinkChanges = {}): string {
  const file = join(mkdtempSync(join(tmpdir(), 'tormenta-sink-')), 'sink.json');
  writeFileSync(file, JSON.stringify(transactionSinkDocument(changes)));
  return file;
}
