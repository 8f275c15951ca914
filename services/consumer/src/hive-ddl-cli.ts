// npm run hive-ddl [-- <sink file> [<hive table>]] — prints the Hive DDL for a sink's table (default: the transactions'
// sink, sinks/transacciones.yaml). A sink file that cannot be used is named with the field at fault (exit 2).
import { ConsumerError } from './errors.ts';
import { hiveDdl } from './hive-ddl.ts';
import { DEFAULT_SINK_FILE, loadSinkFile } from './sink-file.ts';

const [sinkFile = DEFAULT_SINK_FILE, hiveTable] = process.argv.slice(2);
try {
  process.stdout.write(`${hiveDdl(loadSinkFile(sinkFile), hiveTable ? { hiveTable } : {})}\n`);
} catch (error) {
  if (!(error instanceof ConsumerError)) throw error;
  process.stderr.write(`hive-ddl: ${error.message}\n`);
  process.exit(2);
}
