// From a Hive HBase table, as Hive's own parser read its DDL, to the Drill view that gives the same HBase table the same
// typed columns: one column per entry of 'hbase.columns.mapping', its UTF-8 text cast to the Hive type's Drill
// equivalent. Pure, so the translation is tested without any engine. Hive's rules followed here: the mapping lists the
// columns in order; ':key' is the row key; 'family:' is the whole family as a map; values are UTF-8 text when the table's
// default storage type is 'string' (Hive's default), and an empty string reads as NULL for a non-string type.

export interface HiveColumn {
  name: string;
  /** Hive's spelling: BIGINT, STRING, DECIMAL(10,2), MAP<STRING,STRING>, … */
  type: string;
}

/** What HiveDdlTable.java prints. */
export interface HiveTable {
  table: string;
  external: boolean;
  storageHandler: string | null;
  columns: HiveColumn[];
  serdeProperties: Record<string, string>;
  tableProperties: Record<string, string>;
}

export const HBASE_STORAGE_HANDLER = 'org.apache.hadoop.hive.hbase.HBaseStorageHandler';

export interface DrillViewOptions {
  /** Schema the view is created in (a writable Drill workspace). */
  viewSchema: string;
  /** Drill's HBase storage plugin. */
  hbaseSchema: string;
  /** Read this HBase table instead of the DDL's 'hbase.table.name' (a test's own copy). */
  hbaseTable?: string;
  /** Default: the Hive table's name. */
  viewName?: string;
}

export class HiveMappingError extends Error {
  override name = 'HiveMappingError';
}

const SIMPLE_TYPES: Record<string, string> = {
  STRING: 'VARCHAR',
  BIGINT: 'BIGINT',
  INT: 'INTEGER',
  SMALLINT: 'INTEGER',
  TINYINT: 'INTEGER',
  DOUBLE: 'DOUBLE',
  FLOAT: 'FLOAT',
  BOOLEAN: 'BOOLEAN',
  DATE: 'DATE',
  TIMESTAMP: 'TIMESTAMP',
};

/**
 * The Drill type a Hive column's text is cast to. Text is cast too: uncast, Drill types the column ANY, which BI tools
 * cannot show and `SELECT *` over the view returns empty.
 */
export function drillType(hiveType: string): string {
  const type = hiveType.toUpperCase().replaceAll(' ', '');
  const sized = /^(?:VAR)?CHAR\((\d+)\)$/.exec(type);
  if (sized) return `VARCHAR(${sized[1]})`;
  const decimal = /^DECIMAL(?:\((\d+)(?:,(\d+))?\))?$/.exec(type);
  if (decimal) return `DECIMAL(${decimal[1] ?? 10}, ${decimal[2] ?? 0})`;
  const simple = SIMPLE_TYPES[type];
  if (simple) return simple;
  throw new HiveMappingError(
    `Hive type ${hiveType} has no Drill equivalent here (supported: ${Object.keys(SIMPLE_TYPES).join(', ')}, VARCHAR(n), CHAR(n), DECIMAL(p,s), MAP<STRING,STRING> over a family)`,
  );
}

const identifier = (name: string): string => {
  if (name.includes('`')) throw new HiveMappingError(`name ${name} contains a backtick`);
  return `\`${name}\``;
};

/** Entries of 'hbase.columns.mapping', with Hive's per-entry storage suffix (#s / #b) checked. */
export function mappingEntries(table: HiveTable): { family: string | null; qualifier: string | null }[] {
  const mapping = table.serdeProperties['hbase.columns.mapping'];
  if (mapping === undefined) throw new HiveMappingError(`table ${table.table}: SERDEPROPERTIES has no 'hbase.columns.mapping'`);
  const storage = (table.serdeProperties['hbase.table.default.storage.type'] ?? 'string').toLowerCase();
  if (storage !== 'string') {
    throw new HiveMappingError(
      `table ${table.table}: 'hbase.table.default.storage.type' = '${storage}'; only 'string' (UTF-8 text) is read here`,
    );
  }
  return mapping.split(',').map((raw) => {
    const entry = raw.trim();
    const [spec = '', suffix] = entry.split('#');
    if (suffix !== undefined && !/^s(tring)?$/i.test(suffix)) {
      throw new HiveMappingError(`table ${table.table}: mapping entry '${entry}' is binary; only string storage is read here`);
    }
    if (spec === ':key') return { family: null, qualifier: null };
    const colon = spec.indexOf(':');
    if (colon <= 0)
      throw new HiveMappingError(`table ${table.table}: mapping entry '${entry}' is not ':key' or 'family:qualifier'`);
    const qualifier = spec.slice(colon + 1);
    return { family: spec.slice(0, colon), qualifier: qualifier === '' ? null : qualifier };
  });
}

function columnExpression(column: HiveColumn, entry: { family: string | null; qualifier: string | null }): string {
  if (entry.family !== null && entry.qualifier === null) {
    if (column.type.toUpperCase().replaceAll(' ', '') !== 'MAP<STRING,STRING>') {
      throw new HiveMappingError(
        `column ${column.name} maps the whole family ${entry.family}; Hive wants MAP<STRING,STRING>, got ${column.type}`,
      );
    }
    // Drill keeps a family as a map of byte values; each value reads with CONVERT_FROM(…, 'UTF8').
    return `t.${identifier(entry.family)} AS ${identifier(column.name)}`;
  }
  const bytes = entry.family === null ? 't.row_key' : `t.${identifier(entry.family)}.${identifier(entry.qualifier ?? '')}`;
  const text = `CONVERT_FROM(${bytes}, 'UTF8')`;
  return `CAST(${text} AS ${drillType(column.type)}) AS ${identifier(column.name)}`;
}

/** CREATE OR REPLACE VIEW <viewSchema>.<name> over <hbaseSchema>.<HBase table> with the Hive table's columns. */
export function drillViewSql(table: HiveTable, options: DrillViewOptions): string {
  if (table.storageHandler !== HBASE_STORAGE_HANDLER) {
    throw new HiveMappingError(
      `table ${table.table} is STORED BY ${table.storageHandler ?? 'nothing'}, not ${HBASE_STORAGE_HANDLER}`,
    );
  }
  const entries = mappingEntries(table);
  if (entries.length !== table.columns.length) {
    throw new HiveMappingError(
      `table ${table.table}: ${table.columns.length} columns but ${entries.length} entries in 'hbase.columns.mapping'`,
    );
  }
  const hbaseTable = options.hbaseTable ?? table.tableProperties['hbase.table.name'] ?? table.table;
  const select = table.columns.map(
    (column, i) => `  ${columnExpression(column, entries[i] ?? { family: null, qualifier: null })}`,
  );
  return [
    `CREATE OR REPLACE VIEW ${identifier(options.viewSchema)}.${identifier(options.viewName ?? table.table)} AS SELECT`,
    select.join(',\n'),
    `FROM ${identifier(options.hbaseSchema)}.${identifier(hbaseTable)} t`,
  ].join('\n');
}
