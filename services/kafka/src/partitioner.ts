// kafkajs's DefaultPartitioner (the Java client's murmur2 of the key, so a key lands on the same partition whatever the
// client) computed with 32-bit integer arithmetic instead of kafkajs's 64-bit Long objects, which allocate several
// objects per byte-quad and were ~7 % of the producer's CPU. Same partitions as kafkajs (partitioner.test.ts).
import type { ICustomPartitioner, PartitionerArgs } from 'kafkajs';

const SEED = 0x9747b28c;
const M = 0x5bd1e995;

function keyBytes(key: Buffer | string): Buffer | string {
  if (typeof key !== 'string') return key;
  for (let i = 0; i < key.length; i += 1) if (key.charCodeAt(i) > 0x7f) return Buffer.from(key, 'utf8');
  return key;
}

/** The Java client's Utils.murmur2 over the key's UTF-8 bytes. */
export function murmur2(key: Buffer | string): number {
  const data = keyBytes(key);
  const at = typeof data === 'string' ? (i: number): number => data.charCodeAt(i) : (i: number): number => data[i] as number;
  const length = data.length;
  let h = SEED ^ length;
  const whole = length & ~3;
  for (let i = 0; i < whole; i += 4) {
    let k = at(i) | (at(i + 1) << 8) | (at(i + 2) << 16) | (at(i + 3) << 24);
    k = Math.imul(k, M);
    k ^= k >>> 24;
    k = Math.imul(k, M);
    h = Math.imul(h, M) ^ k;
  }
  const tail = length % 4;
  if (tail === 3) h ^= at(whole + 2) << 16;
  if (tail >= 2) h ^= at(whole + 1) << 8;
  if (tail >= 1) h = Math.imul(h ^ at(whole), M);
  h ^= h >>> 13;
  h = Math.imul(h, M);
  h ^= h >>> 15;
  return h | 0;
}

export const JavaCompatiblePartitioner: ICustomPartitioner = () => {
  const counters = new Map<string, number>();
  return ({ topic, partitionMetadata, message }: PartitionerArgs): number => {
    if (message.partition !== null && message.partition !== undefined) return message.partition;
    if (message.key !== null && message.key !== undefined) return (murmur2(message.key) & 0x7fffffff) % partitionMetadata.length;
    const available = partitionMetadata.filter((partition) => partition.leader >= 0);
    const next = (counters.get(topic) ?? Math.floor(Math.random() * 2 ** 31)) + 1;
    counters.set(topic, next);
    const pool = available.length > 0 ? available : partitionMetadata;
    return (pool[(next & 0x7fffffff) % pool.length] as { partitionId: number }).partitionId;
  };
};

/**
 * The same placement for @platformatic/kafka, which takes a partitioner's number modulo the partition count: its own
 * default (murmur2 >>> 0) puts about half of the keys elsewhere than the Java client and kafkajs, breaking per-key order
 * across clients. Keyless messages go round-robin.
 */
export function platformaticJavaCompatiblePartitioner(): (message: unknown, key: Buffer | undefined) => number {
  let next = Math.floor(Math.random() * 2 ** 31);
  return (_message, key) => {
    if (key !== undefined) return murmur2(key) & 0x7fffffff;
    next = (next + 1) & 0x7fffffff;
    return next;
  };
}
