// Where a service gets its Kafka writer: the client library behind MessageWriter is chosen here and nowhere else, and
// a kafkajs that was loaded before its patches (kafkajs-patch.ts) fails start-up instead of silently running slower.
import { assertKafkajsPatched } from './kafkajs-patch.ts';
import { KafkajsWriter } from './writer.ts';
import type { KafkaWriterOptions, MessageWriter } from './writer.ts';

export function createMessageWriter(options: KafkaWriterOptions): MessageWriter {
  assertKafkajsPatched();
  return new KafkajsWriter(options);
}
