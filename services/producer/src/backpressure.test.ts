import { describe, expect, it } from '@jest/globals';
import { admitInflight, takeToken } from './backpressure.ts';

describe('admitInflight', () => {
  it.each([
    [0, 10, 100, true],
    [90, 10, 100, true],
    [91, 10, 100, false],
    [0, 500, 100, true],
    [1, 500, 100, false],
  ])('inflight %d + %d within %d → %s', (inflight, incoming, max, admit) => {
    expect(admitInflight(inflight, incoming, max, 2)).toEqual({ admit, retryAfterSeconds: 2 });
  });
});

describe('takeToken', () => {
  it('allows a burst, then refuses until tokens refill', () => {
    let bucket = undefined;
    for (let i = 0; i < 3; i += 1) {
      const decision = takeToken(bucket, 1_000, 1, 3);
      expect(decision.admit).toBe(true);
      bucket = decision.bucket;
    }
    const refused = takeToken(bucket, 1_000, 1, 3);
    expect(refused.admit).toBe(false);
    expect(refused.retryAfterSeconds).toBe(1);
    expect(takeToken(refused.bucket, 2_000, 1, 3).admit).toBe(true);
  });
});
