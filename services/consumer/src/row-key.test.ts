import { describe, expect, it } from '@jest/globals';
import { enrichedRowKey, recordIdentity, saltOf, SALT_HEX_CHARS } from './row-key.ts';

const tx = { ID_PERSONA: 1, ID_EMPRESA: 2, MONTO: 3 };
const at = (partition: number, offset: string) => ({ topic: 'topic_transaccion', partition, offset });

describe('enriched row key', () => {
  it('uses the record id when there is one, else the Kafka coordinates', () => {
    expect(recordIdentity({ ...tx, id: 'abc' }, at(0, '7'))).toBe('id:abc');
    expect(recordIdentity(tx, at(2, '18734'))).toBe('o:topic_transaccion:2:18734');
  });

  it('is deterministic: a replayed record gets the same key', () => {
    expect(enrichedRowKey(tx, at(1, '5'))).toBe(enrichedRowKey({ ...tx, MONTO: 99 }, at(1, '5')));
    expect(enrichedRowKey({ ...tx, id: 'x' }, at(0, '1'))).toBe(enrichedRowKey({ ...tx, id: 'x' }, at(2, '900')));
  });

  it('differs for different records', () => {
    const keys = new Set(Array.from({ length: 1000 }, (_, offset) => enrichedRowKey(tx, at(0, String(offset)))));
    expect(keys.size).toBe(1000);
  });

  it('starts with a short hash salt that spreads consecutive offsets over many buckets', () => {
    const key = enrichedRowKey(tx, at(0, '1'));
    expect(key).toMatch(new RegExp(`^[0-9a-f]{${SALT_HEX_CHARS}}\\|o:`));
    const salts = new Set(Array.from({ length: 2000 }, (_, offset) => saltOf(`o:t:0:${offset}`)));
    expect(salts.size).toBeGreaterThan(200); // of 256
  });
});
