import { resolve } from 'node:path';
import { describe, expect, it } from '@jest/globals';
import { toCells } from './columns.ts';
import { hiveDdl } from './hive-ddl.ts';
import { loadSinkFile, parseSink } from './sink-file.ts';

const SINKS = resolve(import.meta.dirname, '../../../sinks');
const transactions = loadSinkFile(`${SINKS}/transacciones.yaml`);
const mappingOf = (ddl: string) => /'hbase.columns.mapping' = '([^']+)'/.exec(ddl)?.[1]?.split(',');
const hiveColumns = (ddl: string) =>
  [...ddl.matchAll(/^ {2}`(\w+)`\s+([A-Z]+(?:<[A-Z,]+>)?),?$/gm)].map((match) => [match[1], match[2]]);

describe('hiveDdl', () => {
  const ddl = hiveDdl(transactions);

  it('declares an HBase-backed external table on the sink table', () => {
    expect(ddl).toMatch(/^CREATE EXTERNAL TABLE IF NOT EXISTS transaccion_enriquecida \(/);
    expect(ddl).toContain("STORED BY 'org.apache.hadoop.hive.hbase.HBaseStorageHandler'");
    expect(ddl).toContain("TBLPROPERTIES ('hbase.table.name' = 'TRANSACCION_ENRIQUECIDA');");
  });

  it('maps exactly the cells the writer writes, in column order, typed from the schema', () => {
    const written = Object.keys(
      toCells(
        transactions.columns,
        { ID_PERSONA: 1, ID_EMPRESA: 2, MONTO: 3 },
        { NOMBRE_PERSONA: 'a', NOMBRE_EMPRESA: 'b' },
        'f',
      ),
    );
    expect(mappingOf(ddl)).toEqual([':key', ...written]);
    expect(hiveColumns(ddl)).toEqual([
      ['row_key', 'STRING'],
      ['id_persona', 'BIGINT'],
      ['nombre_persona', 'STRING'],
      ['id_empresa', 'BIGINT'],
      ['nombre_empresa', 'STRING'],
      ['monto', 'DOUBLE'],
      ['fecha', 'STRING'],
    ]);
  });

  it('quotes column names, so a field may be named like a Hive keyword (the ISS sink has `timestamp`)', () => {
    const iss = hiveDdl(loadSinkFile(`${SINKS}/iss.yaml`));
    expect(iss).toMatch(/^CREATE EXTERNAL TABLE IF NOT EXISTS iss_posicion \(/);
    expect(hiveColumns(iss)).toEqual([
      ['row_key', 'STRING'],
      ['latitude', 'DOUBLE'],
      ['longitude', 'DOUBLE'],
      ['timestamp', 'BIGINT'],
      ['id', 'STRING'],
      ['processed_at', 'STRING'],
    ]);
    expect(mappingOf(iss)).toEqual([':key', 'd:latitude', 'd:longitude', 'd:timestamp', 'd:id', 'd:processed_at']);
  });

  it('maps the whole family as a MAP when the sink writes every field', () => {
    const raw = hiveDdl(
      parseSink({ name: 'raw', topic: 't', group: 'g', table: 'ns:RAW', family: 'f', rowKey: '{@offset}' }, '/raw.yaml'),
    );
    expect(hiveColumns(raw)).toEqual([
      ['row_key', 'STRING'],
      ['fields', 'MAP<STRING,STRING>'],
    ]);
    expect(mappingOf(raw)).toEqual([':key', 'f:']);
    expect(raw).toMatch(/EXISTS ns_raw \(/);
  });

  it('takes another Hive table name', () => {
    expect(hiveDdl(transactions, { hiveTable: 'e_view' })).toContain('TABLE IF NOT EXISTS e_view (');
  });
});
