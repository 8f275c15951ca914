// npm run hive-ddl [-- <hbase table> [<hive table>]] — prints the Hive DDL for the enriched table.
import { hiveDdl } from './hive-ddl.ts';

const [hbaseTable, hiveTable] = process.argv.slice(2);
process.stdout.write(`${hiveDdl({ ...(hbaseTable ? { hbaseTable } : {}), ...(hiveTable ? { hiveTable } : {}) })}\n`);
