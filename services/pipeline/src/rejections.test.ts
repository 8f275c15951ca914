import { describe, expect, it } from '@jest/globals';
import { rejectionLabel, rejectionsByReason, statusLabel } from './rejections.ts';

describe('rejectionsByReason', () => {
  it('sums each reason over the series and orders by status, so 429s and 503s are told apart', () => {
    const rows = rejectionsByReason([
      { reason: 'kafka_unavailable', value: 40 },
      { reason: 'rate_limited', value: 300 },
      { reason: 'invalid', value: 2 },
      { reason: 'rate_limited', value: 150 },
      { reason: 'draining', value: 20 },
      { reason: 'backpressure', value: 5 },
    ]);
    expect(rows.map((row) => [row.status, row.reason, row.value])).toEqual([
      [400, 'invalid', 2],
      [429, 'backpressure', 5],
      [429, 'rate_limited', 450],
      [503, 'draining', 20],
      [503, 'kafka_unavailable', 40],
    ]);
  });

  it('leaves unreadable values out instead of counting them as 0', () => {
    expect(rejectionsByReason([{ reason: 'rate_limited', value: Number.NaN }])).toEqual([]);
    expect(
      rejectionsByReason([
        { reason: 'rate_limited', value: Number.NaN },
        { reason: 'rate_limited', value: 7 },
      ]),
    ).toEqual([{ reason: 'rate_limited', status: 429, meaning: "over the replicas' capacity", value: 7 }]);
  });

  it('keeps a reason it does not know, last, under its own name', () => {
    const rows = rejectionsByReason([
      { reason: 'quota_exceeded', value: 3 },
      { reason: undefined, value: 1 },
      { reason: 'oversized', value: 1 },
    ]);
    expect(rows.map((row) => [row.status, row.reason])).toEqual([
      [413, 'oversized'],
      [null, 'quota_exceeded'],
      [null, 'unknown'],
    ]);
    expect(rejectionLabel(rows[1]!)).toBe('??? quota_exceeded');
  });
});

describe('labels', () => {
  it('name the status and why', () => {
    expect(rejectionLabel({ status: 503, meaning: 'Kafka unavailable' })).toBe('503 Kafka unavailable');
    expect(statusLabel(429)).toBe('429 over capacity');
    expect(statusLabel(503)).toBe('503 Kafka unavailable or draining');
    expect(statusLabel(502)).toBe('502 error');
  });
});
