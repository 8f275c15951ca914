import { describe, expect, it } from '@jest/globals';
import { ServerPool } from './server-pool.ts';

describe('ServerPool', () => {
  it('spreads requests round-robin over the servers', () => {
    const pool = new ServerPool(['a', 'b', 'c']);
    expect([0, 1, 2, 3].map(() => pool.order(0)[0])).toEqual(['a', 'b', 'c', 'a']);
  });

  it.each([
    { name: 'a down server is tried last while cooling down', down: ['b'], at: 4_999, firsts: ['a', 'c', 'c', 'a'], last: 'b' },
    { name: 'and in turn again once the cool-down ended', down: ['b'], at: 5_000, firsts: ['a', 'b', 'c', 'a'], last: 'c' },
    { name: 'all down: still every server is offered', down: ['a', 'b', 'c'], at: 1, firsts: ['a', 'b', 'c', 'a'], last: 'c' },
  ])('$name', ({ down, at, firsts, last }) => {
    const pool = new ServerPool(['a', 'b', 'c'], 5_000);
    for (const url of down) pool.markDown(url, 0);
    const orders = firsts.map(() => pool.order(at));
    expect(orders.map((order) => order[0])).toEqual(firsts);
    expect(orders.every((order) => [...order].sort().join() === 'a,b,c')).toBe(true);
    expect(orders[0]!.at(-1)).toBe(last);
  });

  it('a server marked up is in turn at once', () => {
    const pool = new ServerPool(['a', 'b'], 5_000);
    pool.markDown('a', 0);
    expect(pool.order(1)).toEqual(['b', 'a']);
    pool.markUp('a');
    expect(pool.order(1)).toEqual(['b', 'a']);
    expect(pool.order(1)).toEqual(['a', 'b']);
  });

  it('refuses an empty list', () => {
    expect(() => new ServerPool([])).toThrow(/no server URL/);
  });
});
