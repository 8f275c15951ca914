export { KafkajsWriter, WRITER_DEFAULTS, classify } from './writer.ts';
export type { Compression, KafkaWriterOptions, MessageWriter, OutgoingMessage } from './writer.ts';
export { KafkaWriteError } from './errors.ts';
export type { KafkaErrorCode } from './errors.ts';
export { ensureTopic, kafkaReachable } from './topics.ts';
export type { KafkaConnection, TopicSpec } from './topics.ts';
export { DeadLetterWriter, MicroBatchReader } from './batch-reader.ts';
export type { CommittedPartition, ConsumedRecord, DeadLetterRecord, MicroBatchReaderOptions } from './batch-reader.ts';
