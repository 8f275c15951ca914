import { describe, expect, it } from '@jest/globals';
import { decodeBatch, enrichBatch, lookupKeys } from './enrich.ts';
import type { FoundRows } from './enrich.ts';
import type { SourceRecord } from './record.ts';
import { parseSink } from './sink-file.ts';

const at = new Date('2025-01-02T03:04:05.000Z');
let offset = 0;
function record(value: unknown): SourceRecord {
  const text = typeof value === 'string' ? value : JSON.stringify(value);
  return { source: { topic: 't', partition: 0, offset: String(offset++) }, key: null, value: Buffer.from(text) };
}

/** Orders: a customer looked up by id, a product by code; each policy in turn. */
function sink(onMissing: { customer?: string; product?: string } = {}, extra: Record<string, unknown> = {}) {
  return parseSink(
    {
      name: 'orders',
      topic: 'orders',
      group: 'g',
      table: 'ORDERS',
      rowKey: ['{order}'],
      lookups: [
        {
          name: 'customer',
          field: 'customer',
          table: 'CUSTOMER',
          columns: { NAME: 'CUSTOMER_NAME', CITY: 'CITY' },
          onMissing: onMissing.customer ?? 'empty',
        },
        {
          name: 'product',
          field: 'item.code',
          table: 'PRODUCT',
          columns: { LABEL: 'PRODUCT' },
          onMissing: onMissing.product ?? 'empty',
        },
      ],
      processingTimeColumn: 'AT',
      ...extra,
    },
    '/orders.yaml',
  );
}

const customers: FoundRows = new Map<string, Record<string, string> | null>([
  ['1', { NAME: 'Ana', CITY: 'Lima' }],
  ['2', { NAME: 'Luis' }],
  ['3', {}],
  ['4', null],
]);
const products: FoundRows = new Map([['P-1', { LABEL: 'Paraguas' }]]);

describe('decodeBatch and lookupKeys', () => {
  it('splits valid records from dead letters and lists each key once per lookup', () => {
    const orders = sink();
    const decoded = decodeBatch(orders, [
      record({ order: 'a', customer: 1, item: { code: 'P-1' } }),
      record('{nope'),
      record({ order: 'b', customer: 1, item: { code: 'P-2' } }),
      record({ customer: 2 }),
      record({ order: 'c', customer: 2, item: {} }),
    ]);
    expect(decoded.valid.map(({ rowKey }) => rowKey.slice(3))).toEqual(['a', 'b', 'c']);
    expect(decoded.deadLetters.map((letter) => letter.reason)).toEqual(['malformed_json', 'invalid_record']);
    expect(lookupKeys(orders, decoded.valid)).toEqual([
      ['1', '2'],
      ['P-1', 'P-2'],
    ]);
  });
});

describe('enrichBatch', () => {
  it('writes every field, then the looked-up columns and the processing time, when the sink declares no columns', () => {
    const orders = sink();
    const result = enrichBatch(
      orders,
      decodeBatch(orders, [record({ order: 'a', customer: 1, item: { code: 'P-1' }, n: 2.5, ok: false, gone: null })]),
      [customers, products],
      at,
    );
    expect(result.rows[0]?.cells).toEqual({
      'd:order': 'a',
      'd:customer': '1',
      'd:item': '{"code":"P-1"}',
      'd:n': '2.5',
      'd:ok': 'false',
      'd:CUSTOMER_NAME': 'Ana',
      'd:CITY': 'Lima',
      'd:PRODUCT': 'Paraguas',
      'd:AT': '2025-01-02T03:04:05.000Z',
    });
    expect(Object.keys(result.rows[0]?.cells ?? {})).not.toContain('d:gone');
    expect(result.outcomes).toEqual({ enriched: 1, unknown_id: 0, dead_lettered: 0 });
  });

  it('writes only the declared columns, in their order', () => {
    const orders = sink({}, { columns: ['AT', { name: 'CODE', field: 'item.code' }, 'CUSTOMER_NAME', 'CITY', 'PRODUCT'] });
    const result = enrichBatch(
      orders,
      decodeBatch(orders, [record({ order: 'a', customer: 2, item: { code: 'P-1' } })]),
      [customers, products],
      at,
    );
    expect(JSON.stringify(result.rows[0]?.cells)).toBe(
      JSON.stringify({ 'd:AT': '2025-01-02T03:04:05.000Z', 'd:CODE': 'P-1', 'd:CUSTOMER_NAME': 'Luis', 'd:PRODUCT': 'Paraguas' }),
    );
  });

  it.each([
    [
      'a found row',
      { customer: 1 },
      'empty',
      { rows: 1, outcome: 'enriched', cells: { 'd:CUSTOMER_NAME': 'Ana', 'd:CITY': 'Lima' } },
    ],
    [
      'a row with some of the columns',
      { customer: 2 },
      'dead-letter',
      { rows: 1, outcome: 'enriched', cells: { 'd:CUSTOMER_NAME': 'Luis' } },
    ],
    ['no row, empty', { customer: 4 }, 'empty', { rows: 1, outcome: 'unknown_id', cells: {} }],
    ['a row with none of the columns, empty', { customer: 3 }, 'empty', { rows: 1, outcome: 'unknown_id', cells: {} }],
    [
      'no row, keep-id',
      { customer: 4 },
      'keep-id',
      { rows: 1, outcome: 'unknown_id', cells: { 'd:CUSTOMER_NAME': '4', 'd:CITY': '4' } },
    ],
    ['no key at all, keep-id', {}, 'keep-id', { rows: 1, outcome: 'unknown_id', cells: {} }],
    [
      'no row, dead-letter',
      { customer: 4 },
      'dead-letter',
      { rows: 0, outcome: 'dead_lettered', reason: 'unknown_customer', detail: 'customer 4 not in CUSTOMER' },
    ],
    [
      'a row with none of the columns, dead-letter',
      { customer: 3 },
      'dead-letter',
      { rows: 0, outcome: 'dead_lettered', reason: 'unknown_customer', detail: 'customer 3 not in CUSTOMER' },
    ],
    [
      'no key at all, dead-letter',
      { customer: { id: 1 } },
      'dead-letter',
      {
        rows: 0,
        outcome: 'dead_lettered',
        reason: 'unknown_customer',
        detail: 'customer is absent or not a scalar, so there is nothing to find in CUSTOMER',
      },
    ],
  ] as const)('%s (onMissing: %s)', (_name, fields, onMissing, expected) => {
    const orders = sink({ customer: onMissing }, { columns: ['CUSTOMER_NAME', 'CITY', 'PRODUCT', 'AT'] });
    const result = enrichBatch(
      orders,
      decodeBatch(orders, [record({ order: 'a', item: { code: 'P-1' }, ...fields })]),
      [customers, products],
      at,
    );
    expect(result.rows).toHaveLength(expected.rows);
    expect(result.outcomes[expected.outcome]).toBe(1);
    if (expected.rows === 1) {
      expect(result.rows[0]?.cells).toEqual({ ...expected.cells, 'd:PRODUCT': 'Paraguas', 'd:AT': '2025-01-02T03:04:05.000Z' });
    } else {
      expect(result.deadLetters[0]).toMatchObject({ reason: expected.reason, detail: expected.detail });
    }
  });

  it('dead-letters for the first lookup, in declared order, whose policy says so', () => {
    const orders = sink({ customer: 'dead-letter', product: 'dead-letter' });
    const result = enrichBatch(
      orders,
      decodeBatch(orders, [
        record({ order: 'a', customer: 9, item: { code: 'X' } }),
        record({ order: 'b', customer: 1, item: { code: 'X' } }),
      ]),
      [customers, products],
      at,
    );
    expect(result.deadLetters.map((letter) => letter.reason)).toEqual(['unknown_customer', 'unknown_product']);
    expect(result.outcomes).toEqual({ enriched: 0, unknown_id: 0, dead_lettered: 2 });
  });

  it("keeps decode failures as dead letters with their original bytes, before the lookups' ones", () => {
    const orders = sink({ customer: 'dead-letter' });
    const bad = record('{"order":');
    const result = enrichBatch(
      orders,
      decodeBatch(orders, [record({ order: 'a', customer: 4 }), bad]),
      [customers, products],
      at,
    );
    expect(result.rows).toEqual([]);
    expect(result.deadLetters.map((letter) => letter.reason)).toEqual(['malformed_json', 'unknown_customer']);
    expect(result.deadLetters[0]).toMatchObject({ record: bad });
  });
});
