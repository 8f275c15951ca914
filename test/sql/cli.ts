// npm run sql [-- <sqlline args>] — a SQL prompt on the enriched table through Apache Drill's JDBC driver (sqlline), the
// path BI tools take: starts Drill on the stack's HBase if needed, reads the generated Hive DDL with Hive's own parser and
// (re)creates the view tormenta.<hive table> with its columns, then opens the prompt in that schema.
// npm run sql -- --hive [<hive CLI args>] — Hive 3.1.3's own CLI instead, with the generated DDL run first (-i).
// npm run sql -- --sink <sink file> … — another sink's table (its DDL from npm run hive-ddl -- <sink file>).
// e.g. npm run sql -- -e "SELECT nombre_empresa, COUNT(*), SUM(monto) FROM transaccion_enriquecida GROUP BY 1"
//      npm run sql -- --hive -e "SELECT COUNT(*) FROM transaccion_enriquecida"
import { spawnSync } from 'node:child_process';
import { rmSync } from 'node:fs';
import { StackError } from '../stack/errors.ts';
import { ensureDrill, HBASE_SCHEMA, querySql, sqllineCommand, VIEW_SCHEMA } from '../stack/drill.ts';
import { endpoints } from '../stack/layout.ts';
import { runningPid } from '../stack/processes.ts';
import { HBASE } from '../stack/hbase.ts';
import { drillViewSql } from './drill-view.ts';
import { hiveCommand, hiveScriptFile } from './hive.ts';
import { generatedHiveDdl, parseHiveDdl } from './hive-table.ts';

try {
  const args = process.argv.slice(2);
  const sinkAt = args.indexOf('--sink');
  const sinkFile = sinkAt >= 0 ? args.splice(sinkAt, 2)[1] : undefined;
  if (sinkAt >= 0 && !sinkFile) throw new StackError('--sink needs a sink file');
  if (runningPid(HBASE) === undefined) throw new StackError("the stack's HBase is not running; run 'npm run stack -- up' first");
  const ddl = generatedHiveDdl(sinkFile ? [sinkFile] : []);
  const table = await parseHiveDdl(ddl);
  const hbaseTable = table.tableProperties['hbase.table.name'] ?? table.table;
  const exists = await fetch(`${endpoints.hbaseRest}/${encodeURIComponent(hbaseTable)}/exists`);
  if (exists.status === 404) {
    throw new StackError(`HBase has no table ${hbaseTable} yet; run the consumer (npm start) or load rows first`);
  }
  if (args[0] === '--hive') {
    const init = hiveScriptFile(ddl);
    const { command, args: javaArgs, cwd } = hiveCommand(['-i', init, ...args.slice(1)]);
    process.stderr.write(`sql: Hive CLI; ${table.table} reads HBase ${hbaseTable}\n`);
    const status = spawnSync(command, javaArgs, { stdio: 'inherit', cwd }).status;
    rmSync(init, { force: true });
    process.exit(status ?? 1);
  }
  await ensureDrill();
  await querySql(drillViewSql(table, { viewSchema: VIEW_SCHEMA, hbaseSchema: HBASE_SCHEMA }));
  process.stderr.write(`sql: ${VIEW_SCHEMA}.${table.table} reads HBase ${hbaseTable} (JDBC ${endpoints.drillJdbc})\n`);
  const { command, args: sqllineArgs } = sqllineCommand(args);
  process.exit(spawnSync(command, sqllineArgs, { stdio: 'inherit' }).status ?? 1);
} catch (error) {
  if (!(error instanceof StackError)) console.error(error);
  console.error(`sql: ${error instanceof Error ? error.message : String(error)}`);
  process.exit(1);
}
