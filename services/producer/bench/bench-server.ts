// The producer as the benchmark runs it: main.ts's wiring, with the Kafka writer chosen by BENCH_WRITER (kafkajs, the
// service's client, or @platformatic/kafka) so both clients are measured on the same HTTP path in their own process.
// @platformatic/kafka is imported only when chosen, so the kafkajs runs' RSS is the service's own.
import { KafkajsWriter } from '@tormenta/kafka';
import type { MessageWriter } from '@tormenta/kafka';
import { createProducerApp } from '../src/app.ts';
import { loadConfig } from '../src/config.ts';

const config = loadConfig();
const writerOptions = {
  brokers: config.kafkaBrokers,
  clientId: config.kafkaClientId,
  topic: config.stream.topic,
  compression: config.compression,
  maxBatchMessages: config.kafkaMaxBatch,
  producers: config.kafkaProducers,
  sendTimeoutMs: config.kafkaSendTimeoutMs,
};
let writer: MessageWriter;
if (process.env.BENCH_WRITER === 'platformatic') {
  const { PlatformaticWriter } = await import('../../kafka/src/platformatic-writer.ts');
  writer = new PlatformaticWriter(writerOptions);
} else {
  writer = new KafkajsWriter(writerOptions);
}
const app = await createProducerApp(config, { writer });
const address = await app.start();
process.stdout.write(`listening ${address}\n`);
process.once('SIGTERM', () => void app.shutdown().then(() => process.exit(0)));
