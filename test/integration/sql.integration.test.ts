// SQL for BI, proven on real engines reading the stack's HBase, against a raw REST scan of the same table:
// - Apache Hive 3.1.3 runs the consumer's generated DDL as it is (only the HBase table it names is this test's own) and
//   its SELECT and COUNT (a MapReduce job) agree with the scan;
// - Apache Drill, which BI tools reach over JDBC, gets a view built from the same DDL as Hive's own parser reads it, and
//   its COUNT, SELECT * and GROUP BY over JDBC agree with the scan. See test/sql/README.md.
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { DRILL, HBASE_SCHEMA, querySql, startDrill, VIEW_SCHEMA, drillHealthy } from '../stack/drill.ts';
import { scanTable, testHBase, uniqueName } from '../stack/fixtures.ts';
import { stopProcess } from '../stack/processes.ts';
import { drillViewSql, HBASE_STORAGE_HANDLER, mappingEntries } from '../sql/drill-view.ts';
import type { HiveTable } from '../sql/drill-view.ts';
import { generatedHiveDdl, parseHiveDdl } from '../sql/hive-table.ts';
import { resultSets, runHive } from '../sql/hive.ts';

const ROWS = 240;
const EMPRESAS = ['Compañía Ñandú', 'Éxito S.A.', 'Acme'];

describe('the generated Hive DDL on real SQL engines (Hive; Drill over JDBC) reading HBase', () => {
  const hbase = testHBase();
  const hbaseTable = uniqueName('SQL_ENRICHED');
  const view = hbaseTable.toLowerCase();
  let hive: HiveTable;
  let startedDrill = false;
  /** The cells the consumer's writer stores for a row, by Hive column name (UTF-8 text; null = no cell). */
  const written = new Map<string, Record<string, string | null>>();

  beforeAll(async () => {
    // Cold: Drill's jars come from Maven Central once per machine (~1.5 min), then a Drillbit starts in ~20 s.
    startedDrill = await startDrill();
    if (!startedDrill) expect(await drillHealthy()).toBe(true);
    hive = await parseHiveDdl(generatedHiveDdl());

    const entries = mappingEntries(hive);
    const families = [...new Set(entries.flatMap(({ family }) => (family === null ? [] : [family])))];
    await hbase.ensureTable(hbaseTable, families);
    const fields: Record<string, (i: number) => string | null> = {
      id_persona: (i) => String((i % 40) + 1),
      nombre_persona: (i) => (i % 17 === 0 ? null : `Persona ${(i % 40) + 1} — ñ`),
      id_empresa: (i) => String((i % 3) + 1),
      nombre_empresa: (i) => EMPRESAS[i % 3] ?? null,
      monto: (i) => (i === 5 ? '1e+21' : String((i % 2 === 0 ? 1 : -1) * (i * 1.25))),
      fecha: (i) => new Date(Date.UTC(2026, 0, 1, 0, 0, i)).toISOString(),
    };
    const rows = Array.from({ length: ROWS }, (_, i) => {
      const key = `${String(i % 16).padStart(2, '0')}|row-${String(i).padStart(4, '0')}`;
      const values: Record<string, string | null> = { row_key: key };
      const cells: Record<string, string> = {};
      hive.columns.forEach((column, c) => {
        const entry = entries[c];
        if (!entry || entry.family === null) return;
        const value = fields[column.name]?.(i) ?? null;
        values[column.name] = value;
        if (value !== null) cells[`${entry.family}:${entry.qualifier}`] = value;
      });
      written.set(key, values);
      return { key, cells };
    });
    await hbase.putRows(hbaseTable, rows);
    await querySql(drillViewSql(hive, { viewSchema: VIEW_SCHEMA, hbaseSchema: HBASE_SCHEMA, hbaseTable, viewName: view }));
  }, 600_000);

  afterAll(async () => {
    await querySql(`DROP VIEW IF EXISTS \`${VIEW_SCHEMA}\`.\`${view}\``).catch(() => undefined);
    await hbase.dropTable(hbaseTable);
    if (startedDrill) await stopProcess(DRILL);
  }, 120_000);

  /** The REST scan's rows in the Hive table's types: the independent reading the engine must match. */
  async function restRows(): Promise<Record<string, unknown>[]> {
    const entries = mappingEntries(hive);
    const scanned = await scanTable(hbaseTable);
    return [...scanned.entries()]
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
      .map(([key, cells]) =>
        Object.fromEntries(
          hive.columns.map((column, c) => {
            const entry = entries[c];
            const text = !entry || entry.family === null ? key : cells[`${entry.family}:${entry.qualifier}`];
            if (text === undefined) return [column.name, null];
            return [column.name, column.type === 'BIGINT' || column.type === 'DOUBLE' ? Number(text) : text];
          }),
        ),
      );
  }

  it("was accepted by Hive's own parser as an external HBase table over the enriched table's cells", () => {
    expect(hive.external).toBe(true);
    expect(hive.storageHandler).toBe(HBASE_STORAGE_HANDLER);
    expect(hive.tableProperties['hbase.table.name']).toBe('TRANSACCION_ENRIQUECIDA');
    expect(hive.columns[0]).toEqual({ name: 'row_key', type: 'STRING' });
    expect(hive.columns.map(({ name }) => name)).toEqual(expect.arrayContaining(['id_persona', 'monto', 'nombre_empresa']));
    expect(mappingEntries(hive)).toHaveLength(hive.columns.length);
  });

  it('counts what a REST scan of the table counts', async () => {
    const scanned = await scanTable(hbaseTable);
    expect(scanned.size).toBe(ROWS);
    const { rows } = await querySql(`SELECT COUNT(*) AS n FROM \`${view}\``);
    expect(rows).toEqual([{ n: scanned.size }]);
  });

  it('selects every row and column as the REST scan reads them, absent cells as NULL', async () => {
    const expected = await restRows();
    expect(expected.map((row) => row.row_key)).toEqual([...written.keys()].sort());
    const { rows } = await querySql(`SELECT * FROM \`${view}\` ORDER BY row_key`);
    expect(rows).toEqual(expected);
    expect(rows.filter((row) => row.nombre_persona === null)).toHaveLength(Math.ceil(ROWS / 17));
  });

  it('aggregates by company as the REST scan adds up', async () => {
    const totals = new Map<string, { n: number; total: number }>();
    for (const row of await restRows()) {
      if (Number(row.monto) >= 1e20) continue;
      const company = String(row.nombre_empresa);
      const sum = totals.get(company) ?? { n: 0, total: 0 };
      totals.set(company, { n: sum.n + 1, total: sum.total + Number(row.monto) });
    }
    const expected = [...totals.entries()].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    const { rows } = await querySql(
      `SELECT nombre_empresa, COUNT(*) AS n, SUM(monto) AS total FROM \`${view}\` WHERE monto < 1e20 GROUP BY nombre_empresa ORDER BY nombre_empresa`,
    );
    expect(rows.map((row) => [row.nombre_empresa, row.n])).toEqual(expected.map(([company, { n }]) => [company, n]));
    rows.forEach((row, i) => expect(row.total).toBeCloseTo(expected[i]?.[1].total ?? NaN, 6));
  });

  it('runs on Hive itself: the DDL as generated, then SELECT and COUNT agree with the REST scan', async () => {
    const ddl = generatedHiveDdl();
    const named = `'${hive.tableProperties['hbase.table.name']}'`;
    expect(ddl.split(named)).toHaveLength(2);
    const database = `${view}_db`;
    const marker = '@@';
    const { stdout } = await runHive(
      [
        `CREATE DATABASE IF NOT EXISTS ${database};`,
        `USE ${database};`,
        ddl.replace(named, `'${hbaseTable}'`),
        `SELECT '${marker}:select';`,
        `SELECT * FROM ${hive.table} ORDER BY row_key;`,
        `SELECT '${marker}:count';`,
        `SELECT COUNT(*) FROM ${hive.table};`,
        `DROP TABLE ${hive.table};`,
        `DROP DATABASE ${database};`,
      ].join('\n'),
    );
    const sets = resultSets(stdout, marker);
    const expected = await restRows();
    expect(sets.get('count')).toEqual([[String(expected.length)]]);
    const fromHive = (sets.get('select') ?? []).map((fields) =>
      Object.fromEntries(
        hive.columns.map((column, c) => {
          const text = fields[c];
          if (text === undefined || text === 'NULL') return [column.name, null];
          return [column.name, column.type === 'BIGINT' || column.type === 'DOUBLE' ? Number(text) : text];
        }),
      ),
    );
    expect(fromHive).toEqual(expected);
  }, 300_000);

  it("refuses, with Hive's own message, a statement Hive would refuse", async () => {
    const broken = generatedHiveDdl().replace(/\n\)\nSTORED BY/, ',\n)\nSTORED BY');
    await expect(parseHiveDdl(broken)).rejects.toThrow(/Hive's parser refused the statement: line \d+:\d+ /);
  });
});
