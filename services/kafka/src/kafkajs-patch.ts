// Changes to kafkajs (unmaintained since 2023) on the produce path, where its CPU and garbage were most of the
// producer's. Each writes the same bytes as the code it replaces (kafkajs-patch.test.ts):
// - grouping a send's messages per partition used `[...current, message]` in a reduce: a copy per message, quadratic
//   in the batch size, a third of the CPU at 10 000-message batches;
// - every record was encoded into a fresh zero-filled 512-byte buffer, its varints through a temporary array and Buffer
//   each and its timestamp delta (usually 0) through 64-bit Long objects; now one exactly-sized pooled buffer per record;
// - gzip ran at zlib's default level 6; level 1 takes a fraction of the CPU for a few percent more bytes on JSON records
//   (decompression is the same).
// Modules are swapped in the require cache, so this must run before kafkajs is first loaded (sendMessages.js and
// recordBatch keep what they required at load time). So the package's modules take kafkajs from `kafkajs` below, never
// from an import of 'kafkajs': imports are hoisted (by ES modules, and by a bundler across files), a require is not.
import { createRequire } from 'node:module';
import { promisify } from 'node:util';
import { constants, gzip, unzip } from 'node:zlib';

const require = createRequire(import.meta.url);
const { Module } = require('node:module') as typeof import('node:module');

interface Encoder {
  buf: Buffer;
  readonly buffer: Buffer;
  offset: number;
  ensureAvailable(length: number): void;
  writeInt8(value: number): Encoder;
  writeVarInt(value: number): Encoder;
  writeVarLong(value: unknown): Encoder;
  writeVarIntBytes(value: unknown): Encoder;
}
interface EncoderClass {
  prototype: Encoder & { writeUVarInt(value: number): Encoder };
  sizeOfVarInt(value: number): number;
  sizeOfVarLong(value: unknown): number;
}
interface RecordArgs {
  offsetDelta?: number;
  timestampDelta?: unknown;
  key?: unknown;
  value?: unknown;
  headers?: Record<string, unknown>;
}

/** Below 2^30 in magnitude a varlong's zigzag form fits 32 bits, so its bytes are the varint's. */
const SMALL = 2 ** 30;
const isSmall = (value: unknown): value is number => typeof value === 'number' && value > -SMALL && value < SMALL && Number.isInteger(value);
const isBytes = (value: unknown): value is string | Buffer | null | undefined =>
  value === null || value === undefined || typeof value === 'string' || Buffer.isBuffer(value);

function groupMessagesPerPartition({
  topic,
  partitionMetadata,
  messages,
  partitioner,
}: {
  topic: string;
  partitionMetadata: unknown[];
  messages: unknown[];
  partitioner: (args: { topic: string; partitionMetadata: unknown[]; message: unknown }) => number;
}): Record<number, unknown[]> {
  const result: Record<number, unknown[]> = {};
  if (partitionMetadata.length === 0) return result;
  for (const message of messages) {
    const partition = partitioner({ topic, partitionMetadata, message });
    (result[partition] ??= []).push(message);
  }
  return result;
}

function replace(path: string, exports: unknown): void {
  const module = new Module(path);
  module.filename = path;
  module.loaded = true;
  module.exports = exports;
  require.cache[path] = module;
}

const EncoderClass = require('kafkajs/src/protocol/encoder.js') as EncoderClass;
/** Bytes of a key or value: -1 for null (written as varint -1). */
const byteLength = (value: string | Buffer | null | undefined): number =>
  value === null || value === undefined ? -1 : typeof value === 'string' ? Buffer.byteLength(value, 'utf8') : value.length;
const sizeOfBytes = (length: number): number => EncoderClass.sizeOfVarInt(length) + Math.max(length, 0);

/** writeVarIntBytes with the length already known, so a string is measured once rather than twice. */
function writeBytes(encoder: Encoder, value: string | Buffer | null | undefined, length: number): void {
  encoder.writeVarInt(length);
  if (typeof value === 'string') encoder.offset += encoder.buf.write(value, encoder.offset, length, 'utf8');
  else if (value) encoder.offset += value.copy(encoder.buf, encoder.offset);
}

/** kafkajs's record encoder, as the tests compare against it. */
export const kafkajsRecord = require('kafkajs/src/protocol/recordBatch/record/v0/index.js') as (args: RecordArgs) => Encoder;

/** Record v0 (length, attributes, timestamp delta, offset delta, key, value, no headers) in one pooled buffer. */
export function encodeRecord(args: RecordArgs): Encoder {
  const { offsetDelta = 0, timestampDelta = 0, key, value, headers } = args;
  if ((headers && Object.keys(headers).length > 0) || !isSmall(timestampDelta) || !isSmall(offsetDelta) || !isBytes(key) || !isBytes(value)) {
    return kafkajsRecord(args);
  }
  const keyLength = byteLength(key);
  const valueLength = byteLength(value);
  const body = 1 + EncoderClass.sizeOfVarInt(timestampDelta) + EncoderClass.sizeOfVarInt(offsetDelta) + sizeOfBytes(keyLength) + sizeOfBytes(valueLength) + 1;
  const encoder = Object.create(EncoderClass.prototype) as Encoder;
  encoder.buf = Buffer.allocUnsafe(EncoderClass.sizeOfVarInt(body) + body);
  encoder.offset = 0;
  encoder.writeVarInt(body).writeInt8(0).writeVarInt(timestampDelta).writeVarInt(offsetDelta);
  writeBytes(encoder, key, keyLength);
  writeBytes(encoder, value, valueLength);
  encoder.writeVarInt(0);
  // The batch reads only `buf` and `buffer`; the whole buffer is the record, so no slice of it is needed.
  return { buf: encoder.buf, buffer: encoder.buf, offset: encoder.offset } as Encoder;
}

/** False when kafkajs was loaded before this module (its own, slower code is then in use). */
export const kafkajsPatched = require.cache[require.resolve('kafkajs/src/producer/sendMessages.js')] === undefined;

if (kafkajsPatched) {
  replace(require.resolve('kafkajs/src/producer/groupMessagesPerPartition.js'), groupMessagesPerPartition);
  replace(require.resolve('kafkajs/src/protocol/recordBatch/record/v0/index.js'), encodeRecord);
}

const writeVarLong = EncoderClass.prototype.writeVarLong;
const sizeOfVarLong = EncoderClass.sizeOfVarLong;
EncoderClass.prototype.writeUVarInt = function writeUVarInt(this: Encoder, value: number): Encoder {
  let size = 1;
  for (let rest = value; (rest & 0xffffff80) !== 0; rest >>>= 7) size += 1;
  this.ensureAvailable(size);
  let rest = value;
  while ((rest & 0xffffff80) !== 0) {
    this.buf[this.offset++] = (rest & 0x7f) | 0x80;
    rest >>>= 7;
  }
  this.buf[this.offset++] = rest & 0x7f;
  return this;
};
EncoderClass.prototype.writeVarLong = function writeSmallVarLong(this: Encoder, value: unknown): Encoder {
  return isSmall(value) ? this.writeVarInt(value) : writeVarLong.call(this, value);
};
EncoderClass.sizeOfVarLong = (value: unknown): number => (isSmall(value) ? EncoderClass.sizeOfVarInt(value) : sizeOfVarLong.call(EncoderClass, value));

/** kafkajs, loaded only now that the changes above are in place. */
export const kafkajs = require('kafkajs') as typeof import('kafkajs');
const gzipAsync = promisify(gzip);
const unzipAsync = promisify(unzip);
const fastGzip = {
  compress: (encoder: { buffer: Buffer }) => gzipAsync(encoder.buffer, { level: constants.Z_BEST_SPEED }),
  decompress: (buffer: Buffer) => unzipAsync(buffer),
};
kafkajs.CompressionCodecs[kafkajs.CompressionTypes.GZIP] = () => fastGzip;
