// Row keys of TRANSACCION_ENRIQUECIDA.
//
//   <salt>|<identity>      e.g.  "3f|id:7c0e…"   or   "a2|o:topic_transaccion:2:18734"
//
// identity: the record's own `id` (its idempotency key) when it has one, so a record that reached Kafka twice is still one
// row; otherwise its Kafka coordinates topic:partition:offset, which never change. Either way a replayed batch (crash
// before commit, rebalance) writes the same keys and overwrites instead of duplicating.
// salt: the first byte of SHA-1(identity) in hex — 256 buckets. Offsets and producer ids grow monotonically; without the
// salt every write would land in the last region (hot-spotting). With it, writes spread over regions pre-split on the
// salt, and a reader that knows the identity can still compute the key. Scans in arrival order are given up on purpose.
import { createHash } from 'node:crypto';
import type { SourceCoordinates, Transaction } from './record.ts';

export const SALT_HEX_CHARS = 2;
const SEPARATOR = '|';

export function recordIdentity(transaction: Transaction, source: SourceCoordinates): string {
  return transaction.id !== undefined ? `id:${transaction.id}` : `o:${source.topic}:${source.partition}:${source.offset}`;
}

export function saltOf(identity: string): string {
  return createHash('sha1').update(identity).digest('hex').slice(0, SALT_HEX_CHARS);
}

export function enrichedRowKey(transaction: Transaction, source: SourceCoordinates): string {
  const identity = recordIdentity(transaction, source);
  return `${saltOf(identity)}${SEPARATOR}${identity}`;
}
