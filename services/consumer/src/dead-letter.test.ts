import { describe, expect, it } from '@jest/globals';
import { toDeadLetterMessage } from './dead-letter.ts';

describe('toDeadLetterMessage', () => {
  it('keeps the original key and bytes and says why and where from', () => {
    const value = Buffer.from([0xff, 0x00, 0x7b]);
    const key = Buffer.from('k');
    const message = toDeadLetterMessage({
      record: { source: { topic: 'topic_transaccion', partition: 3, offset: '42' }, key, value },
      reason: 'malformed_json',
      detail: 'x'.repeat(5_000),
    });
    expect(message.value).toBe(value);
    expect(message.key).toBe(key);
    expect(message.headers).toMatchObject({
      reason: 'malformed_json',
      source_topic: 'topic_transaccion',
      source_partition: '3',
      source_offset: '42',
    });
    expect(message.headers.reason_detail).toHaveLength(1_000);
  });
});
