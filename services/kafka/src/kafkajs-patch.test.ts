import { describe, expect, it } from '@jest/globals';
import { execFileSync, spawnSync } from 'node:child_process';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { encodeRecord, kafkajsRecord } from './kafkajs-patch.ts';

// A produce request as the producer sends it, framed as on the wire: 2 topics, 4 partitions, 500 records per partition
// (as the writer's batches), records of 20 kB and 70 kB (written into their batch), one with a header (left to kafkajs's
// own record encoder, whose 30 kB value is then kept by reference) and 40 kB of incompressible bytes, so that batches are
// kept by reference with gzip too. Run in a patched process and in one that loads kafkajs untouched; only the gzip level
// is set alike. `roped` says whether the request's bytes were joined from chunks kept by reference.
const produceRequestScript = `
  const { gzip, constants } = require('node:zlib');
  const { promisify } = require('node:util');
  const kafkajs = require('kafkajs');
  const gzipAsync = promisify(gzip);
  kafkajs.CompressionCodecs[kafkajs.CompressionTypes.GZIP] = () => ({
    compress: (encoder) => gzipAsync(encoder.buffer, { level: constants.Z_BEST_SPEED }),
  });
  const encodeRequest = require('kafkajs/src/protocol/request.js');
  const produce = require('kafkajs/src/protocol/requests/produce/v7/request.js');
  const Long = require('kafkajs/src/utils/long');
  const messages = (partition, count) => Array.from({ length: count }, (_, i) => ({
    key: String(1000 + i),
    value: JSON.stringify({ ID_PERSONA: 1000 + i, ID_EMPRESA: (i * 7) % 1000, MONTO: 12345.67 + i, id: \`p\${partition}-\${i}-ñ\`.padEnd(128, 'x') }),
    timestamp: 1764000000000 + (i % 3),
  }));
  const topicData = [
    { topic: 'topic_transaccion', partitions: [
      { partition: 0, firstSequence: 0, messages: messages(0, 500) },
      { partition: 1, firstSequence: 1500, messages: [...messages(1, 3), { key: 'big', value: 'v'.repeat(20000), timestamp: 1764000000001 }] },
    ] },
    { topic: 'other', partitions: [
      { partition: 2, firstSequence: 7, messages: [{ key: null, value: Buffer.alloc(70000, 3), timestamp: 1764000000002 }, ...messages(2, 500)] },
      { partition: 3, firstSequence: 0, messages: [
        { key: 'h', value: Buffer.alloc(30000, 5), headers: { trace: 'abc' }, timestamp: 1764000000003 },
        ...messages(3, 300).map((message, i) => ({ ...message, headers: { 'tormenta-stream': 'transacciones', 'content-type': 'application/json', 'tormenta-id': \`id-\${i}-ñ\` } })),
        { key: 'noise', value: Buffer.from(Array.from({ length: 40000 }, (_, i) => (i * 2654435761) >>> 24)), timestamp: 1764000000003 },
      ] },
    ] },
  ];
  module.exports = async (compression) => {
    const request = produce({ acks: -1, timeout: 30000, transactionalId: null, producerId: Long.fromInt(4242), producerEpoch: 3,
      compression, topicData });
    const encoded = await encodeRequest({ correlationId: 17, clientId: 'tormenta-test', request });
    return { hex: encoded.buffer.toString('hex'), roped: encoded.chunks !== undefined };
  };
`;

// LEB128 of the zigzag form, computed with BigInt: the Kafka protocol's varint and varlong, independent of kafkajs.
function reference(value: number, bits: 32 | 64): string {
  const big = BigInt(value);
  let rest = bits === 64 ? BigInt.asUintN(64, (big << 1n) ^ (big >> 63n)) : BigInt.asUintN(32, (big << 1n) ^ (big >> 31n));
  const bytes: number[] = [];
  while (rest >= 0x80n) {
    bytes.push(Number(rest & 0x7fn) | 0x80);
    rest >>= 7n;
  }
  bytes.push(Number(rest));
  return Buffer.from(bytes).toString('hex');
}

describe('kafkajs-patch', () => {
  const require = createRequire(import.meta.url);

  it('groups messages per partition in input order', async () => {
    await import('./kafkajs-patch.ts');
    const group = require('kafkajs/src/producer/groupMessagesPerPartition.js') as (args: unknown) => Record<number, unknown[]>;
    const messages = Array.from({ length: 50 }, (_, i) => ({ value: i }));
    const args = {
      topic: 't',
      partitionMetadata: [{}, {}, {}],
      messages,
      partitioner: ({ message }: { message: { value: number } }) => (message.value * 7) % 3,
    };
    expect(group(args)).toEqual({
      0: messages.filter((m) => (m.value * 7) % 3 === 0),
      1: messages.filter((m) => (m.value * 7) % 3 === 1),
      2: messages.filter((m) => (m.value * 7) % 3 === 2),
    });
    expect(group({ ...args, partitionMetadata: [] })).toEqual({});
  });

  it('encodes records byte for byte as kafkajs does', () => {
    const cases = [
      { key: '1234', value: Buffer.from('{"ID_PERSONA":1234,"MONTO":1.5}') },
      { key: null, value: Buffer.from('x'), offsetDelta: 499, timestampDelta: 0 },
      { key: 'ñandú', value: 'texto ñ 日本', offsetDelta: 70_000, timestampDelta: 12_345 },
      { key: Buffer.alloc(0), value: null, timestampDelta: 2 ** 33 },
      { key: 'k', value: Buffer.alloc(300, 7), headers: { trace: 'abc' } },
      { key: 'k', value: Buffer.alloc(20_000, 1), offsetDelta: 3 },
      // The producer's headers: string values, one multi-byte, one a Buffer; and kinds only kafkajs' encoder takes.
      {
        key: '17',
        value: '{"a":1}',
        offsetDelta: 9,
        headers: {
          'tormenta-stream': 'posts',
          'content-type': 'application/json',
          'tormenta-id': 'ñ-日本-1',
          bin: Buffer.from([0, 255]),
        },
      },
      { key: null, value: 'x', headers: { empty: '', many: ['a', 'b'] } },
    ];
    for (const args of cases) expect(encodeRecord(args).buffer.toString('hex')).toBe(kafkajsRecord(args).buffer.toString('hex'));
  });

  it('encodes whole produce requests byte for byte as untouched kafkajs does, with and without gzip', () => {
    // Both in fresh processes: jest's module registry does not see the patch's swaps in Node's require cache.
    type Encoded = { record: string; requests: { hex: string; roped: boolean }[] };
    const encode = (preamble: string): Encoded =>
      JSON.parse(
        execFileSync(
          process.execPath,
          [
            '--no-warnings',
            '-e',
            `${preamble}; ${produceRequestScript};
            Promise.all([0, 1].map(module.exports)).then((requests) => console.log(JSON.stringify({
              record: require('kafkajs/src/protocol/recordBatch/record/v0/index.js').name, requests })))`,
          ],
          { cwd: import.meta.dirname, encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 },
        ),
      ) as Encoded;
    const reference = encode('');
    const patched = encode(`require(${JSON.stringify(join(import.meta.dirname, 'kafkajs-patch.ts'))})`);
    expect(patched.record).toBe('encodeRecord');
    expect(reference.record).not.toBe('encodeRecord');
    const expected = reference.requests.map((request) => request.hex);
    expect(expected[0]?.length).toBeGreaterThan(2 * 250_000);
    expect(patched.requests.map((request) => request.hex)).toEqual(expected);
    expect(patched.requests.map((request) => request.roped)).toEqual([true, true]);
  });

  it("schedules kafkajs's throttle check as before, without Node's TimeoutNegativeWarning", () => {
    const run = (preamble: string): { stdout: string; stderr: string } => {
      const script = `${preamble};
        const RequestQueue = require('kafkajs/src/network/requestQueue/index.js');
        const queue = new RequestQueue({ maxInFlightRequests: 1, requestTimeout: 1000, enforceRequestTimeout: false, clientId: 'x',
          broker: 'b', logger: { debug() {}, info() {}, warn() {}, error() {} } });
        const started = Date.now();
        queue.checkPendingRequests = () => console.log(JSON.stringify({ checkedAfterMs: Date.now() - started }));
        queue.scheduleCheckPendingRequests();`;
      const result = spawnSync(process.execPath, ['-e', script], { cwd: import.meta.dirname, encoding: 'utf8' });
      return { stdout: result.stdout, stderr: result.stderr };
    };
    const reference = run('');
    const patched = run(`require(${JSON.stringify(join(import.meta.dirname, 'kafkajs-patch.ts'))})`);
    expect(reference.stderr).toMatch(/TimeoutNegativeWarning/);
    expect(patched.stderr).not.toMatch(/TimeoutNegativeWarning/);
    expect(JSON.parse(patched.stdout).checkedAfterMs).toBeLessThan(1_000);
  });

  it('encodes varints and varlongs as the Kafka protocol defines them', async () => {
    await import('./kafkajs-patch.ts');
    type Encoding = {
      writeVarInt(v: number): Encoding;
      writeVarLong(v: unknown): Encoding;
      writeUVarInt(v: number): Encoding;
      buffer: Buffer;
    };
    const Encoder = require('kafkajs/src/protocol/encoder.js') as {
      new (): Encoding;
      sizeOfVarLong(v: unknown): number;
      prototype: Encoding;
    };
    expect(Encoder.prototype.writeVarLong.name).toBe('writeSmallVarLong');
    const values = [
      0,
      1,
      -1,
      63,
      -64,
      64,
      127,
      128,
      300,
      -300,
      16_383,
      16_384,
      2 ** 21,
      -(2 ** 21),
      2 ** 28 + 5,
      2 ** 30 - 1,
      -(2 ** 30) + 1,
      2 ** 30,
      -(2 ** 30),
      2 ** 31 - 1,
      -(2 ** 31),
      2 ** 31 + 7,
      -(2 ** 33),
      1_732_500_000_000,
    ];
    for (const value of values) {
      const varlong = reference(value, 64);
      expect(new Encoder().writeVarLong(value).buffer.toString('hex')).toBe(varlong);
      expect(Encoder.sizeOfVarLong(value)).toBe(varlong.length / 2);
      if (Math.abs(value) <= 2 ** 31 - 1)
        expect(new Encoder().writeVarInt(value).buffer.toString('hex')).toBe(reference(value, 32));
    }
  });
});
