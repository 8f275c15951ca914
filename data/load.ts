// Prepares a stack for tormenta: creates the HBase tables PERSONA, EMPRESA and TRANSACCION_ENRIQUECIDA and the Kafka topic
// topic_transaccion (1 h retention), then loads the dimension rows. Safe to run again: rows are overwritten by key.
//   npm run dataset -- [--partitions 6]
import { readFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import {
  column,
  dimensionKey,
  EMPRESA_COLUMNS,
  FAMILY,
  HBaseRestClient,
  PERSONA_COLUMNS,
  TABLE_EMPRESA,
  TABLE_ENRICHED,
  TABLE_PERSONA,
} from '@tormenta/hbase';
import type { HBaseRow } from '@tormenta/hbase';
import { ensureTopic } from '@tormenta/kafka';
import type { Empresa, Persona } from './dataset.ts';
import { datasetFiles } from './generate.ts';

export const TOPIC = 'topic_transaccion';
export const TOPIC_RETENTION_MS = 3_600_000;

export interface LoadTarget {
  hbase: HBaseRestClient;
  kafkaBrokers: string[];
  partitions: number;
  topic?: string;
  tables?: { persona: string; empresa: string; enriched: string };
}

export function personaRow(persona: Persona): HBaseRow {
  return { key: dimensionKey(persona.ID), cells: cellsOf(persona, PERSONA_COLUMNS) };
}

export function empresaRow(empresa: Empresa): HBaseRow {
  return { key: dimensionKey(empresa.ID), cells: cellsOf(empresa, EMPRESA_COLUMNS) };
}

function cellsOf<T extends object>(record: T, columns: readonly string[]): Record<string, string> {
  const values = record as Record<string, unknown>;
  return Object.fromEntries(columns.map((name) => [column(name), String(values[name])]));
}

export async function loadDataset(target: LoadTarget): Promise<{ personas: number; empresas: number }> {
  const tables = target.tables ?? { persona: TABLE_PERSONA, empresa: TABLE_EMPRESA, enriched: TABLE_ENRICHED };
  for (const table of Object.values(tables)) await target.hbase.ensureTable(table, [FAMILY]);
  await ensureTopic(
    { brokers: target.kafkaBrokers, clientId: 'tormenta-dataset' },
    { topic: target.topic ?? TOPIC, partitions: target.partitions, retentionMs: TOPIC_RETENTION_MS },
  );
  const personas = readJson<Persona[]>(datasetFiles.personas);
  const empresas = readJson<Empresa[]>(datasetFiles.empresas);
  await target.hbase.putRows(tables.empresa, empresas.map(empresaRow));
  await target.hbase.putRows(tables.persona, personas.map(personaRow));
  return { personas: personas.length, empresas: empresas.length };
}

function readJson<T>(file: string): T {
  return JSON.parse(readFileSync(file, 'utf8')) as T;
}

if (import.meta.main) {
  // The local stack by default; --hbase-rest and --kafka-brokers load a cluster's HBase and Kafka instead.
  const { values } = parseArgs({
    options: {
      partitions: { type: 'string', default: '6' },
      'hbase-rest': { type: 'string' },
      'kafka-brokers': { type: 'string' },
    },
  });
  const partitions = Number(values.partitions);
  if (!Number.isInteger(partitions) || partitions < 1) {
    console.error(`dataset: --partitions must be a whole number ≥ 1, got "${values.partitions}"`);
    process.exit(1);
  }
  if (values['hbase-rest'] !== undefined && !URL.canParse(values['hbase-rest'])) {
    console.error(`dataset: --hbase-rest must be a URL such as http://hbase-rest:8080, got "${values['hbase-rest']}"`);
    process.exit(1);
  }
  const { endpoints } = await import('../test/stack/layout.ts');
  const hbaseRest = values['hbase-rest'] ?? endpoints.hbaseRest;
  const kafkaBrokers =
    values['kafka-brokers']
      ?.split(',')
      .map((broker) => broker.trim())
      .filter(Boolean) ?? endpoints.kafkaBrokers;
  const began = Date.now();
  loadDataset({ hbase: new HBaseRestClient({ url: hbaseRest }), kafkaBrokers, partitions })
    .then(({ personas, empresas }) => {
      console.log(
        `dataset: ${TOPIC} ready (${partitions} partitions, 1 h retention); loaded ${personas} PERSONA and ${empresas} EMPRESA rows in ${((Date.now() - began) / 1000).toFixed(1)}s`,
      );
    })
    .catch((error: unknown) => {
      console.error(
        `dataset: ${error instanceof Error ? error.message : String(error)} — ${values['hbase-rest'] ? `are ${hbaseRest} and ${kafkaBrokers.join(',')} reachable?` : 'is the stack up? (npm run stack -- up)'}`,
      );
      process.exit(1);
    });
}
