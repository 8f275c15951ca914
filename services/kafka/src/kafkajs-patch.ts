// Changes to kafkajs (unmaintained since 2023) on the produce path, where its CPU and garbage were most of the
// producer's. Each writes the same bytes as the code it replaces (kafkajs-patch.test.ts):
// - grouping a send's messages per partition used `[...current, message]` in a reduce: a copy per message, quadratic
//   in the batch size, a third of the CPU at 10 000-message batches;
// - every record was encoded into a fresh zero-filled 512-byte buffer, its varints through a temporary array and Buffer
//   each and its timestamp delta (usually 0) through 64-bit Long objects; now it is measured, then written straight into
//   its batch;
// - a produce request was copied whole at every level that wraps it (batch, partition, topic, request, size prefix:
//   eight copies of a 100 kB batch, each into a fresh zero-filled buffer grown by doubling); now buffers from 16 kB up
//   are kept by reference and joined once when the request is written (a rope), and growth no longer zero-fills;
// - gzip ran at zlib's default level 6; level 1 takes a fraction of the CPU for a few percent more bytes on JSON records
//   (decompression is the same);
// - and, not on the produce path: kafkajs asked Node for a negative timeout on every client's first request, which Node 24
//   reports as a TimeoutNegativeWarning; the same 1 ms, asked for as such.
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
  /** Rope: bytes before `buf`, in order, kept by reference, and their total length. */
  chunks?: Buffer[];
  chunksLength?: number;
  ensureAvailable(length: number): void;
  writeBufferInternal(buffer: Buffer): void;
  writeBytes(value: unknown): Encoder;
  writeInt32(value: number): Encoder;
  writeEncoder(value: Encoder | PendingRecord): Encoder;
  writeEncoderArray(value: Array<Encoder | PendingRecord>): Encoder;
  size(): number;
  writeInt8(value: number): Encoder;
  writeVarInt(value: number): Encoder;
  writeVarLong(value: unknown): Encoder;
  writeVarIntBytes(value: unknown): Encoder;
}
interface EncoderClass {
  prototype: Encoder & { writeUVarInt(value: number): Encoder };
  sizeOfVarInt(value: number): number;
  sizeOfVarLong(value: unknown): number;
  nextPowerOfTwo(value: number): number;
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
const isSmall = (value: unknown): value is number =>
  typeof value === 'number' && value > -SMALL && value < SMALL && Number.isInteger(value);
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

const NO_BYTES = Buffer.alloc(0);

/** A header as the fast path writes it: a string key, a string or Buffer value. */
type PendingHeader = { key: string; keyLength: number; value: string | Buffer; valueLength: number };

/**
 * Headers the fast path takes (each value one string or Buffer, as the producer's tormenta-stream / content-type /
 * tormenta-id are); undefined sends the record to kafkajs' own encoder (arrays of values, null, numbers).
 */
function pendingHeaders(headers: Record<string, unknown> | undefined): PendingHeader[] | undefined {
  const list: PendingHeader[] = [];
  if (headers === undefined) return list;
  for (const key of Object.keys(headers)) {
    const value = headers[key];
    if (typeof value !== 'string' && !Buffer.isBuffer(value)) return undefined;
    list.push({ key, keyLength: Buffer.byteLength(key, 'utf8'), value, valueLength: byteLength(value) });
  }
  return list;
}

/**
 * Record v0 (length, attributes, timestamp delta, offset delta, key, value, headers), measured now and written later
 * straight into the batch that takes it (writeEncoder below) — no buffer of its own. `offset` is its size, as an
 * encoder's; `buffer` writes it out alone.
 */
class PendingRecord {
  readonly buf = NO_BYTES;
  readonly chunks = undefined;
  readonly offset: number;
  private readonly body: number;
  private readonly timestampDelta: number;
  private readonly offsetDelta: number;
  private readonly key: string | Buffer | null | undefined;
  private readonly keyLength: number;
  private readonly value: string | Buffer | null | undefined;
  private readonly valueLength: number;
  private readonly headers: PendingHeader[];

  constructor(
    timestampDelta: number,
    offsetDelta: number,
    key: string | Buffer | null | undefined,
    value: string | Buffer | null | undefined,
    headers: PendingHeader[],
  ) {
    this.timestampDelta = timestampDelta;
    this.offsetDelta = offsetDelta;
    this.key = key;
    this.keyLength = byteLength(key);
    this.value = value;
    this.valueLength = byteLength(value);
    this.headers = headers;
    let headerBytes = EncoderClass.sizeOfVarInt(headers.length);
    for (const header of headers) headerBytes += sizeOfBytes(header.keyLength) + sizeOfBytes(header.valueLength);
    this.body =
      1 +
      EncoderClass.sizeOfVarInt(timestampDelta) +
      EncoderClass.sizeOfVarInt(offsetDelta) +
      sizeOfBytes(this.keyLength) +
      sizeOfBytes(this.valueLength) +
      headerBytes;
    this.offset = EncoderClass.sizeOfVarInt(this.body) + this.body;
  }

  writeTo(encoder: Encoder): void {
    encoder.ensureAvailable(this.offset);
    encoder.writeVarInt(this.body).writeInt8(0).writeVarInt(this.timestampDelta).writeVarInt(this.offsetDelta);
    writeBytes(encoder, this.key, this.keyLength);
    writeBytes(encoder, this.value, this.valueLength);
    encoder.writeVarInt(this.headers.length);
    for (const header of this.headers) {
      writeBytes(encoder, header.key, header.keyLength);
      writeBytes(encoder, header.value, header.valueLength);
    }
  }

  get buffer(): Buffer {
    const encoder = Object.create(EncoderClass.prototype) as Encoder;
    encoder.buf = Buffer.allocUnsafe(this.offset);
    encoder.offset = 0;
    this.writeTo(encoder);
    return encoder.buf;
  }
}
export function encodeRecord(args: RecordArgs): Encoder | PendingRecord {
  const { offsetDelta = 0, timestampDelta = 0, key, value } = args;
  const headers = pendingHeaders(args.headers);
  if (headers === undefined || !isSmall(timestampDelta) || !isSmall(offsetDelta) || !isBytes(key) || !isBytes(value)) {
    return kafkajsRecord(args);
  }
  return new PendingRecord(timestampDelta, offsetDelta, key, value, headers);
}

/** False when kafkajs was loaded before this module (its own, slower code is then in use). */
export const kafkajsPatched = require.cache[require.resolve('kafkajs/src/producer/sendMessages.js')] === undefined;

/** Throws when kafkajs was loaded before the patches above, i.e. something imported 'kafkajs' apart from this package. */
export function assertKafkajsPatched(): void {
  if (kafkajsPatched) return;
  throw new Error(
    "kafkajs was loaded before @tormenta/kafka could patch it (services/kafka/src/kafkajs-patch.ts): some module imported 'kafkajs' directly; import { kafkajs } from '@tormenta/kafka' instead",
  );
}

if (kafkajsPatched) {
  replace(require.resolve('kafkajs/src/producer/groupMessagesPerPartition.js'), groupMessagesPerPartition);
  replace(require.resolve('kafkajs/src/protocol/recordBatch/record/v0/index.js'), encodeRecord);
}

const encoderPrototype = EncoderClass.prototype;
/** From this length a buffer is appended to an encoder by reference instead of copied. */
const BY_REFERENCE = 16 * 1024;

encoderPrototype.ensureAvailable = function ensureAvailable(this: Encoder, length: number): void {
  if (this.offset + length <= this.buf.length) return;
  // Unlike kafkajs, not zero-filled: an encoder's bytes are only ever read up to its offset.
  const grown = Buffer.allocUnsafe(EncoderClass.nextPowerOfTwo(this.offset + length));
  this.buf.copy(grown, 0, 0, this.offset);
  this.buf = grown;
};

/** Appends `chunk` by reference: what `buf` holds so far becomes a chunk too, and writing goes on after it. */
function appendChunk(encoder: Encoder, chunk: Buffer): void {
  const chunks = (encoder.chunks ??= []);
  if (encoder.offset > 0) {
    chunks.push(encoder.buf.subarray(0, encoder.offset));
    encoder.chunksLength = (encoder.chunksLength ?? 0) + encoder.offset;
    encoder.buf = encoder.buf.subarray(encoder.offset);
    encoder.offset = 0;
  }
  chunks.push(chunk);
  encoder.chunksLength = (encoder.chunksLength ?? 0) + chunk.length;
}

encoderPrototype.writeBufferInternal = function writeBufferInternal(this: Encoder, buffer: Buffer): void {
  if (buffer.length >= BY_REFERENCE) return appendChunk(this, buffer);
  this.ensureAvailable(buffer.length);
  buffer.copy(this.buf, this.offset, 0);
  this.offset += buffer.length;
};

// A record batch is written with writeBytes, which would first grow the buffer by the batch's size only to keep 4 bytes.
const writeSmallBytes = encoderPrototype.writeBytes;
encoderPrototype.writeBytes = function writeLargeBytes(this: Encoder, value: unknown): Encoder {
  if (!Buffer.isBuffer(value) || value.length < BY_REFERENCE) return writeSmallBytes.call(this, value);
  this.writeInt32(value.length);
  appendChunk(this, value);
  return this;
};

encoderPrototype.writeEncoder = function writeEncoder(this: Encoder, value: Encoder | PendingRecord): Encoder {
  if (value instanceof PendingRecord) {
    value.writeTo(this);
    return this;
  }
  if (value == null || !Buffer.isBuffer(value.buf)) throw new Error('value should be an instance of Encoder');
  if (value.chunks === undefined) {
    this.writeBufferInternal(value.buffer);
    return this;
  }
  for (const chunk of value.chunks) appendChunk(this, chunk);
  this.writeBufferInternal(value.buf.subarray(0, value.offset));
  return this;
};

encoderPrototype.writeEncoderArray = function writeEncoderArray(this: Encoder, value: Array<Encoder | PendingRecord>): Encoder {
  if (!Array.isArray(value) || value.some((v) => v == null || !Buffer.isBuffer(v.buf))) {
    throw new Error('all values should be an instance of Encoder[]');
  }
  // A batch's records: room for all of them at once rather than doubling through every power of two.
  let copied = 0;
  for (const v of value) if (v.chunks === undefined && v.offset < BY_REFERENCE) copied += v.offset;
  this.ensureAvailable(copied);
  for (const v of value) this.writeEncoder(v);
  return this;
};

encoderPrototype.size = function size(this: Encoder): number {
  return (this.chunksLength ?? 0) + this.offset;
};

Object.defineProperty(encoderPrototype, 'buffer', {
  configurable: true,
  get(this: Encoder): Buffer {
    if (this.chunks === undefined) return this.buf.subarray(0, this.offset);
    // Joined once: the join then stands for everything before it, so a second read (or one lone chunk) costs nothing.
    if (this.chunks.length > 1 || this.offset > 0) {
      const joined = Buffer.concat([...this.chunks, this.buf.subarray(0, this.offset)], this.size());
      this.chunks = [joined];
      this.chunksLength = joined.length;
      this.buf = this.buf.subarray(this.offset);
      this.offset = 0;
    }
    return this.chunks[0]!;
  },
});

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
EncoderClass.sizeOfVarLong = (value: unknown): number =>
  isSmall(value) ? EncoderClass.sizeOfVarInt(value) : sizeOfVarLong.call(EncoderClass, value);

interface RequestQueue {
  throttledUntil: number;
  throttleCheckTimeoutId: NodeJS.Timeout | null;
  pending: unknown[];
  checkPendingRequests(): void;
}
const RequestQueueClass = require('kafkajs/src/network/requestQueue/index.js') as {
  prototype: RequestQueue & { scheduleCheckPendingRequests(): void };
};
/** kafkajs's 10 ms re-check of a queue that holds requests back. */
const CHECK_PENDING_MS = 10;
// kafkajs asks for the throttle check with a negative delay when no broker throttles it (throttledUntil is -1), which
// Node 24 runs after 1 ms and reports as a TimeoutNegativeWarning on every client's first request; the same, unwarned.
RequestQueueClass.prototype.scheduleCheckPendingRequests = function scheduleCheckPendingRequests(this: RequestQueue): void {
  if (this.throttleCheckTimeoutId) return;
  let scheduleAt = this.throttledUntil - Date.now();
  if (this.pending.length > 0 && scheduleAt <= 0) scheduleAt = CHECK_PENDING_MS;
  this.throttleCheckTimeoutId = setTimeout(
    () => {
      this.throttleCheckTimeoutId = null;
      this.checkPendingRequests();
    },
    Math.max(scheduleAt, 1),
  );
};

/** kafkajs, loaded only now that the changes above are in place. */
export const kafkajs = require('kafkajs') as typeof import('kafkajs');
const gzipAsync = promisify(gzip);
const unzipAsync = promisify(unzip);
const fastGzip = {
  compress: (encoder: { buffer: Buffer }) => gzipAsync(encoder.buffer, { level: constants.Z_BEST_SPEED }),
  decompress: (buffer: Buffer) => unzipAsync(buffer),
};
kafkajs.CompressionCodecs[kafkajs.CompressionTypes.GZIP] = () => fastGzip;
