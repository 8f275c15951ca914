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

describe('takeToken with a record count (per-replica capacity)', () => {
  it('admits up to the rate per second in records, then refuses until a second has refilled the bucket', () => {
    const first = takeToken(undefined, 0, 200, 200, 150);
    expect(first.admit).toBe(true);
    const second = takeToken(first.bucket, 0, 200, 200, 100);
    expect(second.admit).toBe(false);
    expect(second.retryAfterSeconds).toBe(1);
    expect(takeToken(second.bucket, 500, 200, 200, 100).admit).toBe(true);
  });

  it('admits a take larger than the burst on a full bucket and leaves a debt', () => {
    const big = takeToken(undefined, 0, 100, 100, 250);
    expect(big.admit).toBe(true);
    expect(big.bucket.tokens).toBe(-150);
    expect(takeToken(big.bucket, 1_000, 100, 100, 10).admit).toBe(false);
    expect(takeToken(big.bucket, 2_600, 100, 100, 10).admit).toBe(true);
  });
});
