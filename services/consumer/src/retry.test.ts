import { describe, expect, it } from '@jest/globals';
import { backoffDelay, retryUntilDone } from './retry.ts';

const spec = { initialMs: 100, maxMs: 1_000 };

describe('backoffDelay', () => {
  it.each([
    [0, 1, 100],
    [0, 0, 50],
    [1, 1, 200],
    [3, 1, 800],
    [4, 1, 1_000],
    [60, 0, 500],
  ])('attempt %d with random %d waits %d ms', (attempt, random, expected) => {
    expect(backoffDelay(attempt, spec, () => random)).toBe(expected);
  });
});

describe('retryUntilDone', () => {
  it('retries until the work succeeds, reporting each failure', async () => {
    let calls = 0;
    const retries: number[] = [];
    const value = await retryUntilDone(
      async () => {
        calls += 1;
        if (calls < 3) throw new Error(`fail ${calls}`);
        return 'ok';
      },
      { initialMs: 1, maxMs: 2, signal: new AbortController().signal, onRetry: (_e, attempt) => retries.push(attempt) },
    );
    expect(value).toBe('ok');
    expect(retries).toEqual([0, 1]);
  });

  it('stops when aborted during the backoff', async () => {
    const controller = new AbortController();
    const pending = retryUntilDone(async () => Promise.reject(new Error('down')), {
      initialMs: 60_000,
      maxMs: 60_000,
      signal: controller.signal,
      onRetry: () => controller.abort(),
    });
    await expect(pending).rejects.toThrow(/abort/i);
  });
});
