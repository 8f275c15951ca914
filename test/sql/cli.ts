// npm run sql [-- <sqlline args>] — a SQL prompt (sqlline over Drill's JDBC driver, the path BI tools take) on the
// enriched table: starts Drill on the stack's HBase if needed, reads the generated Hive DDL with Hive's own parser and
// (re)creates the view tormenta.<hive table> with its columns, then opens the prompt in that schema.
// e.g. npm run sql -- -e "SELECT nombre_empresa, COUNT(*), SUM(monto) FROM transaccion_enriquecida GROUP BY 1"
import { spawnSync } from 'node:child_process';
import { StackError } from '../stack/errors.ts';
import { ensureDrill, HBASE_SCHEMA, querySql, sqllineCommand, VIEW_SCHEMA } from '../stack/drill.ts';
import { endpoints } from '../stack/layout.ts';
import { drillViewSql } from './drill-view.ts';
import { generatedHiveDdl, parseHiveDdl } from './hive-table.ts';

try {
  await ensureDrill();
  const table = await parseHiveDdl(generatedHiveDdl());
  const hbaseTable = table.tableProperties['hbase.table.name'] ?? table.table;
  const exists = await fetch(`${endpoints.hbaseRest}/${encodeURIComponent(hbaseTable)}/exists`);
  if (exists.status === 404) {
    throw new StackError(`HBase has no table ${hbaseTable} yet; run the consumer (npm start) or load rows first`);
  }
  await querySql(drillViewSql(table, { viewSchema: VIEW_SCHEMA, hbaseSchema: HBASE_SCHEMA }));
  process.stderr.write(`sql: ${VIEW_SCHEMA}.${table.table} reads HBase ${hbaseTable} (JDBC ${endpoints.drillJdbc})\n`);
  const { command, args } = sqllineCommand(process.argv.slice(2));
  process.exit(spawnSync(command, args, { stdio: 'inherit' }).status ?? 1);
} catch (error) {
  if (!(error instanceof StackError)) console.error(error);
  console.error(`sql: ${error instanceof Error ? error.message : String(error)}`);
  process.exit(1);
}
