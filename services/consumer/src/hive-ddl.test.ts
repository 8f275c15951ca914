import { describe, expect, it } from '@jest/globals';
import { ENRICHED_COLUMNS, toCells } from './enriched-columns.ts';
import { hiveDdl } from './hive-ddl.ts';

describe('hiveDdl', () => {
  const ddl = hiveDdl();

  it('declares an HBase-backed external table on TRANSACCION_ENRIQUECIDA', () => {
    expect(ddl).toMatch(/^CREATE EXTERNAL TABLE IF NOT EXISTS transaccion_enriquecida \(/);
    expect(ddl).toContain("STORED BY 'org.apache.hadoop.hive.hbase.HBaseStorageHandler'");
    expect(ddl).toContain("TBLPROPERTIES ('hbase.table.name' = 'TRANSACCION_ENRIQUECIDA');");
  });

  it('maps exactly the cells the writer writes, in column order', () => {
    const mapping = /'hbase.columns.mapping' = '([^']+)'/.exec(ddl)?.[1]?.split(',');
    const written = Object.keys(
      toCells({ ID_PERSONA: 1, NOMBRE_PERSONA: 'a', ID_EMPRESA: 2, NOMBRE_EMPRESA: 'b', MONTO: 3, FECHA: 'f' }),
    );
    expect(mapping).toEqual([':key', ...written]);
    const hiveColumns = [...ddl.matchAll(/^ {2}(\w+)\s+(BIGINT|DOUBLE|STRING),?$/gm)].map((match) => match[1]);
    expect(hiveColumns).toEqual(['row_key', ...ENRICHED_COLUMNS.map((c) => c.field.toLowerCase())]);
  });

  it('takes other table names', () => {
    const other = hiveDdl({ hbaseTable: 'E_TEST', hiveTable: 'e_view' });
    expect(other).toContain('TABLE IF NOT EXISTS e_view (');
    expect(other).toContain("'hbase.table.name' = 'E_TEST'");
  });
});
