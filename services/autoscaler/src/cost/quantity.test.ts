import { describe, expect, it } from '@jest/globals';
import { parseQuantity } from './quantity.ts';

describe('parseQuantity', () => {
  it.each([
    ['500m', 0.5],
    ['2', 2],
    ['1.5', 1.5],
    ['.5', 0.5],
    ['128Mi', 128 * 2 ** 20],
    ['1Gi', 2 ** 30],
    ['1G', 1e9],
    ['1e9', 1e9],
    ['1E', 1e18],
    ['5e-1', 0.5],
    ['100k', 1e5],
    ['250u', 250e-6],
    [3, 3],
  ])('%s → %d', (text, value) => {
    expect(parseQuantity(text)).toBeCloseTo(value, 12);
  });

  it.each(['', 'abc', '1Mb', '1 Gi', '1.2.3', 'Gi', '1ee3'])('rejects %j', (text) => {
    expect(parseQuantity(text)).toBeUndefined();
  });
});
