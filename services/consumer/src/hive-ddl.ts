// Hive DDL for TRANSACCION_ENRIQUECIDA generated from ENRICHED_COLUMNS, the mapping the writer uses.
import { FAMILY, TABLE_ENRICHED } from '@tormenta/hbase';
import { ENRICHED_COLUMNS } from './enriched-columns.ts';

export interface HiveDdlOptions {
  hbaseTable?: string;
  hiveTable?: string;
}

export function hiveDdl(options: HiveDdlOptions = {}): string {
  const hbaseTable = options.hbaseTable ?? TABLE_ENRICHED;
  const hiveTable = options.hiveTable ?? hbaseTable.toLowerCase();
  const columns = [{ name: 'row_key', type: 'STRING' }].concat(
    ENRICHED_COLUMNS.map(({ field, hiveType }) => ({ name: field.toLowerCase(), type: hiveType })),
  );
  const mapping = [':key', ...ENRICHED_COLUMNS.map(({ field }) => `${FAMILY}:${field}`)].join(',');
  const width = Math.max(...columns.map(({ name }) => name.length));
  return [
    `CREATE EXTERNAL TABLE IF NOT EXISTS ${hiveTable} (`,
    columns.map(({ name, type }) => `  ${name.padEnd(width)} ${type}`).join(',\n'),
    ')',
    "STORED BY 'org.apache.hadoop.hive.hbase.HBaseStorageHandler'",
    'WITH SERDEPROPERTIES (',
    `  'hbase.columns.mapping' = '${mapping}',`,
    // The writer stores every value as UTF-8 text, so Hive must parse, not reinterpret, the bytes.
    "  'hbase.table.default.storage.type' = 'string'",
    ')',
    `TBLPROPERTIES ('hbase.table.name' = '${hbaseTable}');`,
  ].join('\n');
}
