import { describe, expect, it } from '@jest/globals';
import { createRequire } from 'node:module';
import { encodeRecord, kafkajsRecord } from './kafkajs-patch.ts';

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
    const args = { topic: 't', partitionMetadata: [{}, {}, {}], messages, partitioner: ({ message }: { message: { value: number } }) => (message.value * 7) % 3 };
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
    ];
    for (const args of cases) expect(encodeRecord(args).buffer.toString('hex')).toBe(kafkajsRecord(args).buffer.toString('hex'));
  });

  it('encodes varints and varlongs as the Kafka protocol defines them', async () => {
    await import('./kafkajs-patch.ts');
    type Encoding = { writeVarInt(v: number): Encoding; writeVarLong(v: unknown): Encoding; writeUVarInt(v: number): Encoding; buffer: Buffer };
    const Encoder = require('kafkajs/src/protocol/encoder.js') as { new (): Encoding; sizeOfVarLong(v: unknown): number; prototype: Encoding };
    expect(Encoder.prototype.writeVarLong.name).toBe('writeSmallVarLong');
    const values = [0, 1, -1, 63, -64, 64, 127, 128, 300, -300, 16_383, 16_384, 2 ** 21, -(2 ** 21), 2 ** 28 + 5, 2 ** 30 - 1,
      -(2 ** 30) + 1, 2 ** 30, -(2 ** 30), 2 ** 31 - 1, -(2 ** 31), 2 ** 31 + 7, -(2 ** 33), 1_732_500_000_000];
    for (const value of values) {
      const varlong = reference(value, 64);
      expect(new Encoder().writeVarLong(value).buffer.toString('hex')).toBe(varlong);
      expect(Encoder.sizeOfVarLong(value)).toBe(varlong.length / 2);
      if (Math.abs(value) <= 2 ** 31 - 1) expect(new Encoder().writeVarInt(value).buffer.toString('hex')).toBe(reference(value, 32));
    }
  });
});
