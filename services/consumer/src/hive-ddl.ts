// Hive DDL for a sink's table, generated from the sink's column mapping — the one the writer uses (columns.ts), so the
// two cannot drift. A sink that declares its columns gets one Hive column per HBase column; one that writes every field
// of its records gets them all as one MAP<STRING,STRING> over the column family.
import type { SinkSpec } from './sink-file.ts';

export interface HiveDdlOptions {
  /** Default: the sink's table in lower case. */
  hiveTable?: string;
}

/** Column names are quoted: a field may be called like a Hive keyword (`timestamp`, `date`, `user`). */
const quoted = (name: string): string => `\`${name}\``;

export function hiveDdl(sink: Pick<SinkSpec, 'table' | 'family' | 'columns'>, options: HiveDdlOptions = {}): string {
  const hiveTable = options.hiveTable ?? sink.table.toLowerCase().replace(/[^a-z0-9_]/g, '_');
  const columns =
    sink.columns.kind === 'declared'
      ? sink.columns.columns.map((column) => ({
          name: column.name.toLowerCase(),
          type: column.hiveType,
          mapped: column.qualifier,
        }))
      : [{ name: 'fields', type: 'MAP<STRING,STRING>', mapped: `${sink.family}:` }];
  const all = [{ name: 'row_key', type: 'STRING', mapped: ':key' }, ...columns];
  const width = Math.max(...all.map(({ name }) => quoted(name).length));
  return [
    `CREATE EXTERNAL TABLE IF NOT EXISTS ${hiveTable} (`,
    all.map(({ name, type }) => `  ${quoted(name).padEnd(width)} ${type}`).join(',\n'),
    ')',
    "STORED BY 'org.apache.hadoop.hive.hbase.HBaseStorageHandler'",
    'WITH SERDEPROPERTIES (',
    `  'hbase.columns.mapping' = '${all.map(({ mapped }) => mapped).join(',')}',`,
    // The writer stores every value as UTF-8 text, so Hive must parse, not reinterpret, the bytes.
    "  'hbase.table.default.storage.type' = 'string'",
    ')',
    `TBLPROPERTIES ('hbase.table.name' = '${sink.table}');`,
  ].join('\n');
}
