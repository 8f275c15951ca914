// The Hive table → Drill view translation: the columns Hive declared, read from the HBase cells its mapping names, with
// the types Hive would give them; anything Hive's mapping means that the view cannot honour is refused by name.
import { describe, expect, it } from '@jest/globals';
import { drillType, drillViewSql, HBASE_STORAGE_HANDLER, HiveMappingError, mappingEntries } from '../sql/drill-view.ts';
import type { HiveTable } from '../sql/drill-view.ts';

const transactions: HiveTable = {
  table: 'transaccion_enriquecida',
  external: true,
  storageHandler: HBASE_STORAGE_HANDLER,
  columns: [
    { name: 'row_key', type: 'STRING' },
    { name: 'id_persona', type: 'BIGINT' },
    { name: 'monto', type: 'DOUBLE' },
    { name: 'fields', type: 'MAP<STRING,STRING>' },
  ],
  serdeProperties: {
    'hbase.columns.mapping': ':key,d:ID_PERSONA,d:MONTO#s,x:',
    'hbase.table.default.storage.type': 'string',
  },
  tableProperties: { 'hbase.table.name': 'TRANSACCION_ENRIQUECIDA' },
};
const options = { viewSchema: 'tormenta', hbaseSchema: 'hbase' };

describe('drillViewSql', () => {
  it('reads the row key and each mapped cell as UTF-8 text cast to the Hive type, and a whole family as a map', () => {
    expect(drillViewSql(transactions, options)).toBe(
      [
        'CREATE OR REPLACE VIEW `tormenta`.`transaccion_enriquecida` AS SELECT',
        "  CAST(CONVERT_FROM(t.row_key, 'UTF8') AS VARCHAR) AS `row_key`,",
        "  CAST(CONVERT_FROM(t.`d`.`ID_PERSONA`, 'UTF8') AS BIGINT) AS `id_persona`,",
        "  CAST(CONVERT_FROM(t.`d`.`MONTO`, 'UTF8') AS DOUBLE) AS `monto`,",
        '  t.`x` AS `fields`',
        'FROM `hbase`.`TRANSACCION_ENRIQUECIDA` t',
      ].join('\n'),
    );
  });

  it('reads another HBase table under another view name when asked (a test copy of the table)', () => {
    const sql = drillViewSql(transactions, { ...options, hbaseTable: 'COPY_1', viewName: 'copy_1' });
    expect(sql.split('\n')[0]).toBe('CREATE OR REPLACE VIEW `tormenta`.`copy_1` AS SELECT');
    expect(sql.split('\n').at(-1)).toBe('FROM `hbase`.`COPY_1` t');
  });

  it.each([
    [{ storageHandler: 'org.apache.hadoop.hive.ql.metadata.DefaultStorageHandler' }, /STORED BY .*DefaultStorageHandler/],
    [{ serdeProperties: {} }, /no 'hbase.columns.mapping'/],
    [{ serdeProperties: { 'hbase.columns.mapping': ':key,d:ID_PERSONA' } }, /4 columns but 2 entries/],
    [{ serdeProperties: { 'hbase.columns.mapping': ':key,d:A,d:B#b,x:' } }, /'d:B#b' is binary/],
    [
      { serdeProperties: { 'hbase.columns.mapping': ':key,d:A,d:B,x:', 'hbase.table.default.storage.type': 'binary' } },
      /'binary'/,
    ],
    [{ serdeProperties: { 'hbase.columns.mapping': ':key,d:A,B,x:' } }, /'B' is not ':key' or 'family:qualifier'/],
    [{ columns: [...transactions.columns.slice(0, 3), { name: 'fields', type: 'STRING' }] }, /whole family x.*got STRING/],
    [{ columns: [...transactions.columns.slice(0, 3), { name: 'a`b', type: 'MAP<STRING,STRING>' }] }, /backtick/],
  ] as [Partial<HiveTable>, RegExp][])('refuses %j', (change, message) => {
    expect(() => drillViewSql({ ...transactions, ...change }, options)).toThrow(HiveMappingError);
    expect(() => drillViewSql({ ...transactions, ...change }, options)).toThrow(message);
  });
});

describe('drillType', () => {
  it.each([
    ['STRING', 'VARCHAR'],
    ['varchar(20)', 'VARCHAR(20)'],
    ['CHAR(3)', 'VARCHAR(3)'],
    ['BIGINT', 'BIGINT'],
    ['INT', 'INTEGER'],
    ['DOUBLE', 'DOUBLE'],
    ['BOOLEAN', 'BOOLEAN'],
    ['DECIMAL', 'DECIMAL(10, 0)'],
    ['DECIMAL(12,2)', 'DECIMAL(12, 2)'],
    ['TIMESTAMP', 'TIMESTAMP'],
  ])('%s → %s', (hive, drill) => {
    expect(drillType(hive)).toBe(drill);
  });

  it('names what it cannot map', () => {
    expect(() => drillType('ARRAY<STRING>')).toThrow(/ARRAY<STRING> has no Drill equivalent/);
  });
});

describe('mappingEntries', () => {
  it('splits the mapping into key, cells and families', () => {
    expect(mappingEntries(transactions)).toEqual([
      { family: null, qualifier: null },
      { family: 'd', qualifier: 'ID_PERSONA' },
      { family: 'd', qualifier: 'MONTO' },
      { family: 'x', qualifier: null },
    ]);
  });
});
