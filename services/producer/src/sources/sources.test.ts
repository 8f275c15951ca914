import { describe, expect, it } from '@jest/globals';
import { sampleItems } from './file-sample.ts';
import { extractItems } from './html-scrape-extract.ts';
import { pickRecords } from './http-poll.ts';

describe('pickRecords', () => {
  it.each([
    [[{ a: 1 }], '', [{ a: 1 }]],
    [{ data: { items: [1, 2] } }, 'data.items', [1, 2]],
    [{ data: { one: { a: 1 } } }, 'data.one', [{ a: 1 }]],
    [{ data: {} }, 'data.missing', []],
  ])('%j at "%s"', (body, path, expected) => {
    expect(pickRecords(body, path)).toEqual(expected);
  });
});

describe('extractItems', () => {
  const html = `<ul><li class="t"><span class="p">12</span><span class="e">3</span><b>4.50</b></li>
    <li class="t"><span class="p">13</span><span class="e">x</span><b>1</b></li></ul>`;
  const fields = { ID_PERSONA: '.p', ID_EMPRESA: '.e', MONTO: 'b' };

  it('extracts one item per match with numbers parsed and a stable id', () => {
    const items = extractItems(html, 'http://h/1', 'li.t', fields) as Record<string, unknown>[];
    expect(items).toHaveLength(2);
    expect(items[0]).toMatchObject({ ID_PERSONA: 12, ID_EMPRESA: 3, MONTO: 4.5 });
    expect(items[1]).toMatchObject({ ID_PERSONA: 13, ID_EMPRESA: 'x' });
    expect(extractItems(html, 'http://h/1', 'li.t', fields)).toEqual(items);
    expect((extractItems(html, 'http://h/2', 'li.t', fields)[0] as { id: string }).id).not.toBe(items[0]?.id);
  });
});

describe('sampleItems', () => {
  it('draws N items from the pool', () => {
    let state = 0;
    const items = sampleItems(['a', 'b', 'c'], 5, () => (state += 0.3) % 1);
    expect(items).toHaveLength(5);
    for (const item of items) expect(['a', 'b', 'c']).toContain(item);
  });
});
