// The client against the stack's HBase REST in both encodings, read back apart from it (a raw JSON REST scanner), and
// spread over two REST servers of which one is SIGKILLed mid-write.
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { setTimeout as sleep } from 'node:timers/promises';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { createTable, scanTable, testHBase, uniqueName } from '../../../test/stack/fixtures.ts';
import { endpoints } from '../../../test/stack/layout.ts';
import { PrivateHBaseRest } from '../../../test/stack/private-hbase-rest.ts';
import { HBaseError } from './errors.ts';
import { HBaseRestClient } from './rest-client.ts';
import type { HBaseRow } from './rest-client.ts';

const cleanup: (() => Promise<unknown>)[] = [];
afterAll(async () => {
  for (const step of cleanup.reverse()) await step().catch(() => undefined);
});

async function tableOfTheTest(): Promise<string> {
  const table = await createTable(uniqueName('PB'), ['d']);
  cleanup.push(() => testHBase().dropTable(table));
  return table;
}

const rowsOf = (count: number, valueBytes = 40): HBaseRow[] =>
  Array.from({ length: count }, (_, i) => ({
    key: `row-${String(i).padStart(6, '0')}`,
    cells: { 'd:n': String(i), 'd:name': `número ${i} — ñ ${'x'.repeat(valueBytes)}`, 'd:empty': '' },
  }));

const asMap = (rows: Iterable<HBaseRow>): Map<string, Record<string, string>> =>
  new Map([...rows].map((row) => [row.key, row.cells]));

describe.each(['protobuf', 'json'] as const)('HBase REST with %s CellSets', (encoding) => {
  const hbase = new HBaseRestClient({ url: endpoints.hbaseRest, encoding, putChunk: 300, concurrency: 4 });
  let table: string;
  beforeAll(async () => {
    table = await tableOfTheTest();
  });

  it('puts 2 500 rows in concurrent chunks; a raw JSON scanner, a multiget and a scanner of this client read them back equal', async () => {
    const rows = rowsOf(2_500);
    await hbase.putRows(table, rows);
    const expected = asMap(rows);
    expect(await scanTable(table)).toEqual(expected);
    expect(asMap((await hbase.multiGet(table, [...rows.map((row) => row.key), 'row-absent'])).values())).toEqual(expected);
    expect(asMap(await hbase.scanRows(table, 1_000))).toEqual(expected);
  });

  it('answers an empty map when no key exists (REST says 404 "No rows found")', async () => {
    expect((await hbase.multiGet(table, ['nope-1', 'nope-2'])).size).toBe(0);
  });
});

describe('HBase REST, encodings and servers mixed', () => {
  it('rows put as protobuf read back equal as JSON, and the other way round', async () => {
    const table = await tableOfTheTest();
    const protobuf = new HBaseRestClient({ url: endpoints.hbaseRest, encoding: 'protobuf' });
    const json = new HBaseRestClient({ url: endpoints.hbaseRest, encoding: 'json' });
    const [first, second] = [rowsOf(200).slice(0, 100), rowsOf(200).slice(100)];
    await protobuf.putRows(table, first);
    await json.putRows(table, second);
    const keys = rowsOf(200).map((row) => row.key);
    expect(asMap((await json.multiGet(table, keys)).values())).toEqual(asMap(rowsOf(200)));
    expect(asMap((await protobuf.multiGet(table, keys)).values())).toEqual(asMap(rowsOf(200)));
  });

  it('an answer that is not a protobuf CellSet is a non-retryable TORMENTA_HBASE_BAD_ANSWER naming the table', async () => {
    // A proxy that answers HTML where HBase REST would answer a CellSet.
    const proxy = createServer((_, response) => response.writeHead(200, { 'content-type': 'text/html' }).end('<html>oops'));
    await new Promise<void>((resolve) => proxy.listen(0, '127.0.0.1', resolve));
    cleanup.push(() => new Promise((resolve) => proxy.close(resolve)));
    const { port } = proxy.address() as AddressInfo;
    const hbase = new HBaseRestClient({ url: `http://127.0.0.1:${port}` });
    const failure = await hbase.multiGet('PERSONA_X', ['1']).catch((error: unknown) => error);
    expect(failure).toBeInstanceOf(HBaseError);
    expect(failure).toMatchObject({ code: 'TORMENTA_HBASE_BAD_ANSWER', retryable: false });
    expect((failure as Error).message).toMatch(/table PERSONA_X .*not valid protobuf/);
  });

  it('a server that cannot be reached is passed over: the rows go to the next one', async () => {
    const table = await tableOfTheTest();
    const hbase = new HBaseRestClient({ urls: ['http://127.0.0.1:1', endpoints.hbaseRest], putChunk: 50 });
    await hbase.putRows(table, rowsOf(500));
    expect((await scanTable(table)).size).toBe(500);
  });

  it('only unreachable servers: a retryable TORMENTA_HBASE_UNAVAILABLE naming them', async () => {
    const hbase = new HBaseRestClient({ urls: ['http://127.0.0.1:1', 'http://127.0.0.1:2'], timeoutMs: 2_000 });
    const failure = await hbase.putRows('T', rowsOf(3)).catch((error: unknown) => error);
    expect(failure).toBeInstanceOf(HBaseError);
    expect(failure).toMatchObject({ code: 'TORMENTA_HBASE_UNAVAILABLE', retryable: true });
    expect((failure as Error).message).toMatch(/127\.0\.0\.1:(1|2) unreachable during put T/);
  });

  it('two REST servers, one SIGKILLed mid-write: putRows still stores every row', async () => {
    const rest = await PrivateHBaseRest.start();
    cleanup.push(() => rest.kill());
    const table = await tableOfTheTest();
    const hbase = new HBaseRestClient({ urls: [rest.url, endpoints.hbaseRest], putChunk: 200, concurrency: 4 });
    const rows = rowsOf(40_000, 200);
    let settled = false;
    const writing = hbase.putRows(table, rows).finally(() => (settled = true));
    // Killed once the private server has stored some of the rows, while chunks are still in flight.
    while ((await scanTable(table).catch(() => new Map())).size < 2_000 && !settled) await sleep(50);
    await rest.kill();
    expect(settled).toBe(false);
    await writing;
    const stored = await scanTable(table);
    expect(stored.size).toBe(rows.length);
    expect(stored.get('row-039999')).toEqual(rows[39_999]!.cells);
  });
});
