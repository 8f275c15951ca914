// npm start: the whole pipeline on this machine. For now: the real stack up and the dataset loaded.
import { HBaseRestClient } from '@tormenta/hbase';
import { loadDataset, TOPIC } from '../data/load.ts';
import { endpoints } from '../test/stack/layout.ts';
import { StackError } from '../test/stack/errors.ts';
import { stackUp } from '../test/stack/stack.ts';

try {
  const report = await stackUp((line) => console.log(`stack: ${line}`));
  console.log(`stack: up in ${report.seconds.toFixed(1)}s`);
  const loaded = await loadDataset({
    hbase: new HBaseRestClient({ url: endpoints.hbaseRest }),
    kafkaBrokers: endpoints.kafkaBrokers,
    partitions: 6,
  });
  console.log(`dataset: ${TOPIC} ready; ${loaded.personas} PERSONA and ${loaded.empresas} EMPRESA rows loaded`);
  console.log(
    `Kafka ${endpoints.kafkaBrokers.join(',')} · HBase REST ${endpoints.hbaseRest} · Prometheus ${endpoints.prometheus}`,
  );
  console.log('stop it with: npm run stack -- down');
} catch (error) {
  console.error(`start: ${error instanceof StackError || error instanceof Error ? error.message : String(error)}`);
  process.exit(1);
}
