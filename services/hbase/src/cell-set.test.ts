import { describe, expect, it } from '@jest/globals';
import protobuf from 'protobufjs';
import { decodeCellSet, encodeCellSet, toCellSetRow, toHBaseRow } from './cell-set.ts';
import type { CellSetEncoding, CellSetRow, HBaseRow } from './cell-set.ts';
import { HBaseError } from './errors.ts';

const bytes = (...values: number[]): Uint8Array => Uint8Array.from(values);
const text = (value: string): Uint8Array => Buffer.from(value, 'utf8');
const plain = (rows: CellSetRow[]) =>
  rows.map((row) => ({
    key: [...row.key],
    cells: row.cells.map((cell) => ({ column: [...cell.column], value: [...cell.value] })),
  }));

const CASES: { name: string; rows: CellSetRow[] }[] = [
  { name: 'no rows', rows: [] },
  { name: 'a row without cells', rows: [{ key: text('k'), cells: [] }] },
  { name: 'an empty value', rows: [{ key: text('k'), cells: [{ column: text('d:EMPTY'), value: bytes() }] }] },
  {
    name: 'binary key and value (NUL, 0xff, invalid UTF-8)',
    rows: [{ key: bytes(0, 255, 128, 10, 0), cells: [{ column: text('d:b'), value: bytes(0xc3, 0x28, 0, 255) }] }],
  },
  {
    name: 'several rows, several cells, UTF-8 text',
    rows: [
      {
        key: text('0042|persona'),
        cells: [
          { column: text('d:NOMBRE'), value: text('Ñandú Pérez 🐦') },
          { column: text('d:EDAD'), value: text('41') },
        ],
      },
      { key: text('0043|persona'), cells: [{ column: text('d:NOMBRE'), value: text('x'.repeat(1000)) }] },
    ],
  },
];

describe('CellSet encode → decode', () => {
  for (const encoding of ['protobuf', 'json'] as const satisfies CellSetEncoding[]) {
    it.each(CASES)(`${encoding}: $name round-trips byte for byte`, ({ rows }) => {
      const body = encodeCellSet(rows, encoding);
      const wire = typeof body === 'string' ? Buffer.from(body, 'utf8') : body;
      expect(plain(decodeCellSet(wire, encoding, 'T'))).toEqual(plain(rows));
    });
  }

  it('protobuf is HBase’s wire form: field 1 = rows, a row’s key = 1 and cells = 2, a cell’s column = 2 and data = 4', () => {
    const body = encodeCellSet(
      [{ key: text('r'), cells: [{ column: text('d:c'), value: text('v') }] }],
      'protobuf',
    ) as Uint8Array;
    const reader = protobuf.Reader.create(body);
    expect(reader.uint32()).toBe((1 << 3) | 2); // CellSet.rows, length-delimited
    const row = protobuf.Reader.create(reader.bytes());
    expect(row.uint32()).toBe((1 << 3) | 2); // Row.key
    expect(Buffer.from(row.bytes()).toString()).toBe('r');
    expect(row.uint32()).toBe((2 << 3) | 2); // Row.values
    const cell = protobuf.Reader.create(row.bytes());
    expect(cell.uint32()).toBe((2 << 3) | 2); // Cell.column
    expect(Buffer.from(cell.bytes()).toString()).toBe('d:c');
    expect(cell.uint32()).toBe((4 << 3) | 2); // Cell.data
    expect(Buffer.from(cell.bytes()).toString()).toBe('v');
  });

  it('protobuf is smaller than JSON with base64 for a 1 KB row', () => {
    const rows = [{ key: text('k'.repeat(26)), cells: [{ column: text('info0:0'), value: text('a'.repeat(1000)) }] }];
    expect((encodeCellSet(rows, 'protobuf') as Uint8Array).length).toBeLessThan(
      (encodeCellSet(rows, 'json') as string).length * 0.8,
    );
  });
});

describe('decodeCellSet refuses what is not a CellSet, naming the table', () => {
  it.each([
    { encoding: 'protobuf' as const, body: bytes(0x0a, 0x05, 0x01), why: 'truncated protobuf' },
    { encoding: 'protobuf' as const, body: bytes(0x0a, 0x00), why: 'a row without its required key' },
    { encoding: 'json' as const, body: text('<html>proxy error</html>'), why: 'HTML' },
    { encoding: 'json' as const, body: text('{"Row":[{"key":"!!!","Cell":[]}]}'), why: 'a key that is not base64' },
    { encoding: 'json' as const, body: text('{"Row":"x"}'), why: 'Row not an array' },
  ])('$why ($encoding)', ({ encoding, body }) => {
    let thrown: unknown;
    try {
      decodeCellSet(body, encoding, 'TRANSACCION_ENRIQUECIDA');
    } catch (error) {
      thrown = error;
    }
    expect(thrown).toBeInstanceOf(HBaseError);
    expect((thrown as HBaseError).code).toBe('TORMENTA_HBASE_BAD_ANSWER');
    expect((thrown as HBaseError).retryable).toBe(false);
    expect((thrown as HBaseError).message).toMatch(/table TRANSACCION_ENRIQUECIDA/);
  });
});

describe('HBaseRow ↔ CellSetRow', () => {
  it.each<HBaseRow>([
    { key: 'k', cells: {} },
    { key: '', cells: { 'd:a': '' } },
    { key: '7|Ñ', cells: { 'd:NOMBRE': 'Zoë', 'd:MONTO': '12.5' } },
  ])('$key round-trips', (row) => {
    expect(toHBaseRow(toCellSetRow(row))).toEqual(row);
  });
});
