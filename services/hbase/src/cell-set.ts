// HBase REST's two wire forms of a CellSet (the body of a multi-row PUT and of multiget and scanner answers): protobuf
// (`application/x-protobuf`, the schema of hbase-rest's CellSetMessage.proto and CellMessage.proto, declared here and
// parsed once) and JSON (every key, column and value base64). Both encode and decode the same byte-level rows, so a
// binary row key survives either way; HBaseRow (UTF-8 text) converts to and from them.
import protobuf from 'protobufjs';
import { HBaseError } from './errors.ts';

export type CellSetEncoding = 'protobuf' | 'json';

export const CONTENT_TYPES: Readonly<Record<CellSetEncoding, string>> = {
  protobuf: 'application/x-protobuf',
  json: 'application/json',
};

/** A row as it travels: its key and cells as bytes. `column` is `family:qualifier`. */
export interface CellSetRow {
  key: Uint8Array;
  cells: { column: Uint8Array; value: Uint8Array }[];
}

/** A row as tormenta sees it: the row key and its cells by `family:qualifier`, all UTF-8 text. */
export interface HBaseRow {
  key: string;
  cells: Record<string, string>;
}

// Field numbers and types are HBase's; a cell inside a CellSet leaves `row` unset (the row's key stands for it).
const SCHEMA = `
syntax = "proto2";
message Cell {
  optional bytes row = 1;
  optional bytes column = 2;
  optional int64 timestamp = 3;
  optional bytes data = 4;
}
message CellSet {
  message Row {
    required bytes key = 1;
    repeated Cell values = 2;
  }
  repeated Row rows = 1;
}
`;

const cellSetType = protobuf.parse(SCHEMA).root.lookupType('CellSet');

interface WireCellSet {
  rows?: { key: Uint8Array; values?: { column?: Uint8Array; data?: Uint8Array }[] }[];
}

interface JsonCellSet {
  Row?: { key: string; Cell?: { column: string; $?: string }[] }[];
}

const EMPTY = new Uint8Array(0);

export function encodeCellSet(rows: readonly CellSetRow[], encoding: CellSetEncoding): Uint8Array | string {
  if (encoding === 'json') {
    const body: JsonCellSet = {
      Row: rows.map((row) => ({
        key: base64(row.key),
        Cell: row.cells.map((cell) => ({ column: base64(cell.column), $: base64(cell.value) })),
      })),
    };
    return JSON.stringify(body);
  }
  const message: WireCellSet = {
    rows: rows.map((row) => ({ key: row.key, values: row.cells.map((cell) => ({ column: cell.column, data: cell.value })) })),
  };
  return cellSetType.encode(message).finish();
}

/** Reads an answer's body; anything that is not a CellSet of that encoding is an HBaseError naming the table. */
export function decodeCellSet(body: Uint8Array, encoding: CellSetEncoding, table: string): CellSetRow[] {
  try {
    return encoding === 'json' ? decodeJson(body) : decodeProtobuf(body);
  } catch (error) {
    throw new HBaseError(
      'TORMENTA_HBASE_BAD_ANSWER',
      `HBase REST answered a CellSet of table ${table} that is not valid ${encoding === 'json' ? 'JSON' : 'protobuf'}: ${(error as Error).message}`,
    );
  }
}

function decodeProtobuf(body: Uint8Array): CellSetRow[] {
  const decoded = cellSetType.toObject(cellSetType.decode(body), { defaults: false }) as WireCellSet;
  return (decoded.rows ?? []).map((row) => ({
    key: row.key,
    cells: (row.values ?? []).map((cell) => ({ column: cell.column ?? EMPTY, value: cell.data ?? EMPTY })),
  }));
}

function decodeJson(body: Uint8Array): CellSetRow[] {
  const parsed = JSON.parse(Buffer.from(body).toString('utf8')) as JsonCellSet | null;
  if (parsed === null || typeof parsed !== 'object' || (parsed.Row !== undefined && !Array.isArray(parsed.Row))) {
    throw new Error('no Row array');
  }
  return (parsed.Row ?? []).map((row) => {
    if (typeof row?.key !== 'string') throw new Error('a Row without a key');
    return {
      key: fromBase64(row.key),
      cells: (row.Cell ?? []).map((cell) => ({ column: fromBase64(cell.column), value: fromBase64(cell.$ ?? '') })),
    };
  });
}

export function toCellSetRow(row: HBaseRow): CellSetRow {
  return {
    key: Buffer.from(row.key, 'utf8'),
    cells: Object.entries(row.cells).map(([column, value]) => ({
      column: Buffer.from(column, 'utf8'),
      value: Buffer.from(value, 'utf8'),
    })),
  };
}

export function toHBaseRow(row: CellSetRow): HBaseRow {
  const cells: Record<string, string> = {};
  for (const cell of row.cells) cells[utf8(cell.column)] = utf8(cell.value);
  return { key: utf8(row.key), cells };
}

const utf8 = (bytes: Uint8Array): string => Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString('utf8');
const base64 = (bytes: Uint8Array): string => Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString('base64');

function fromBase64(text: unknown): Uint8Array {
  if (typeof text !== 'string' || !/^[A-Za-z0-9+/]*={0,2}$/.test(text)) throw new Error('a value that is not base64');
  return Buffer.from(text, 'base64');
}
