import { describe, expect, it } from '@jest/globals';
import { randomBytes } from 'node:crypto';
import { Partitioners } from 'kafkajs';
import type { PartitionMetadata } from 'kafkajs';
import { JavaCompatiblePartitioner, murmur2, platformaticJavaCompatiblePartitioner } from './partitioner.ts';

const partitionMetadata = (count: number): PartitionMetadata[] =>
  Array.from({ length: count }, (_, partitionId) => ({ partitionId, leader: 1, partitionErrorCode: 0, replicas: [1], isr: [1] }));

describe('JavaCompatiblePartitioner', () => {
  const keys = [
    '',
    '1',
    '12',
    '123',
    '1234',
    '12345',
    '1000',
    '99999',
    'ID_PERSONA',
    'ñandú',
    '日本語キー',
    '😀x',
    ...Array.from({ length: 300 }, (_, i) => String(i * 7_919)),
    ...Array.from({ length: 50 }, () => randomBytes(1 + Math.floor(Math.random() * 40)).toString('latin1')),
  ];

  it('puts every key on the partition kafkajs (and the Java client) would', () => {
    const ours = JavaCompatiblePartitioner();
    const theirs = Partitioners.DefaultPartitioner();
    for (const partitions of [1, 3, 7, 12]) {
      const metadata = partitionMetadata(partitions);
      for (const key of keys) {
        const args = { topic: 't', partitionMetadata: metadata, message: { key, value: 'v' } };
        expect([key, ours(args)]).toEqual([key, theirs(args)]);
        const buffer = { ...args, message: { key: Buffer.from(key), value: 'v' } };
        expect([key, ours(buffer)]).toEqual([key, theirs(buffer)]);
      }
    }
  });

  it('matches the Java client on known hashes', () => {
    // org.apache.kafka.common.utils.Utils.murmur2 of these UTF-8 strings.
    expect(murmur2('21')).toBe(-973932308);
    expect(murmur2('foobar')).toBe(-790332482);
    expect(murmur2('a-little-bit-long-string')).toBe(-985981536);
  });

  it('honours an explicit partition and spreads keyless messages over the available partitions', () => {
    const partitioner = JavaCompatiblePartitioner();
    const metadata = partitionMetadata(3);
    expect(partitioner({ topic: 't', partitionMetadata: metadata, message: { key: 'k', partition: 2, value: 'v' } })).toBe(2);
    const seen = new Set(
      Array.from({ length: 9 }, () => partitioner({ topic: 't', partitionMetadata: metadata, message: { value: 'v' } })),
    );
    expect([...seen].sort()).toEqual([0, 1, 2]);
  });
});

describe('platformaticJavaCompatiblePartitioner', () => {
  it('puts every key on the partition kafkajs would, once @platformatic/kafka takes it modulo the partition count', () => {
    const ours = platformaticJavaCompatiblePartitioner();
    const theirs = Partitioners.DefaultPartitioner();
    const keys = ['', '1', '12', '123', 'ñandú', '日本語キー', ...Array.from({ length: 500 }, (_, i) => String(i * 7_919))];
    for (const partitions of [1, 3, 6, 12]) {
      for (const key of keys) {
        const kafkajsPartition = theirs({
          topic: 't',
          partitionMetadata: partitionMetadata(partitions),
          message: { key, value: 'v' },
        });
        expect([key, ours({}, Buffer.from(key)) % partitions]).toEqual([key, kafkajsPartition]);
      }
    }
  });

  it('spreads keyless messages over every partition', () => {
    const partitioner = platformaticJavaCompatiblePartitioner();
    const seen = new Set(Array.from({ length: 6 }, () => partitioner({}, undefined) % 6));
    expect(seen.size).toBe(6);
  });
});
