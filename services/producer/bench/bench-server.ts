// The producer as the benchmark runs it: main.ts's wiring, with the Kafka writer chosen by BENCH_WRITER (kafkajs, the
// service's client, or @platformatic/kafka) so both clients are measured on the same HTTP path in their own process.
import { KafkajsWriter } from '@tormenta/kafka';
import { PlatformaticWriter } from '../../kafka/src/platformatic-writer.ts';
import { createProducerApp } from '../src/app.ts';
import { loadConfig } from '../src/config.ts';

const config = loadConfig();
const writerOptions = {
  brokers: config.kafkaBrokers,
  clientId: config.kafkaClientId,
  topic: config.topic,
  compression: config.compression,
  maxBatchMessages: config.kafkaMaxBatch,
  sendTimeoutMs: config.kafkaSendTimeoutMs,
};
const writer = process.env.BENCH_WRITER === 'platformatic' ? new PlatformaticWriter(writerOptions) : new KafkajsWriter(writerOptions);
const app = await createProducerApp(config, { writer });
const address = await app.start();
process.stdout.write(`listening ${address}\n`);
process.once('SIGTERM', () => void app.shutdown().then(() => process.exit(0)));
