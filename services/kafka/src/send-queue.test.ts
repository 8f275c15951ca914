import { describe, expect, it } from '@jest/globals';
import { KafkaWriteError } from './errors.ts';
import { SendQueue } from './send-queue.ts';
import type { OutgoingMessage } from './writer.ts';

const messages = (count: number): OutgoingMessage[] =>
  Array.from({ length: count }, (_, i) => ({ key: String(i), value: Buffer.from('x') }));

describe('SendQueue', () => {
  it('counts queued and in-flight messages until their send settles, one batch at a time', async () => {
    const sends: { count: number; done: () => void }[] = [];
    const queue = new SendQueue({
      maxBatchMessages: 100,
      send: (batch) => new Promise<void>((resolve) => sends.push({ count: batch.length, done: resolve })),
      failed: async () => 'TORMENTA_KAFKA_WRITE_FAILED',
    });
    const first = queue.write(messages(3));
    const second = queue.write(messages(4));
    const third = queue.write(messages(5));
    expect(queue.pending).toBe(12);
    await Promise.resolve();
    expect(sends.map((send) => send.count)).toEqual([3]);
    sends[0]?.done();
    await first;
    await new Promise((resolve) => setImmediate(resolve));
    expect(queue.pending).toBe(9);
    expect(sends.map((send) => send.count)).toEqual([3, 9]);
    sends[1]?.done();
    await Promise.all([second, third]);
    expect(queue.pending).toBe(0);
  });

  it('names every message of a failed batch as not stored and forgets them', async () => {
    const queue = new SendQueue({
      maxBatchMessages: 100,
      send: async () => {
        throw new Error('broker said no');
      },
      failed: async () => 'TORMENTA_KAFKA_WRITE_FAILED',
    });
    const error = await queue.write(messages(2)).catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(KafkaWriteError);
    expect((error as KafkaWriteError).notStored).toEqual([0, 1]);
    expect(queue.pending).toBe(0);
  });
});
