import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { HBaseError, HBaseRestClient } from '@tormenta/hbase';
import { createTable, scanTable, testHBase } from '../stack/fixtures.ts';

describe('HBase REST from the stack, through the typed client over the npm hbase client', () => {
  const hbase = testHBase();
  let table: string;
  beforeAll(async () => {
    table = await createTable(undefined, ['d']);
  });
  afterAll(async () => {
    await hbase.dropTable(table);
  });

  it('creates a table that REST then reports as existing', async () => {
    expect(await hbase.tableExists(table)).toBe(true);
    expect(await hbase.tableExists(`${table}_missing`)).toBe(false);
  });

  it('writes many rows in one multi-row put and reads them back by multiget', async () => {
    const rows = Array.from({ length: 250 }, (_, i) => ({
      key: `row-${String(i).padStart(4, '0')}`,
      cells: { 'd:n': String(i), 'd:name': `número ${i} — ñ` },
    }));
    await hbase.putRows(table, rows);

    const keys = [...rows.map((row) => row.key), 'row-absent'];
    const found = await hbase.multiGet(table, keys);
    expect(found.size).toBe(250);
    expect(found.get('row-0042')?.cells).toEqual({ 'd:n': '42', 'd:name': 'número 42 — ñ' });
    expect(found.has('row-absent')).toBe(false);

    // Checked apart from the client under test: a raw REST scanner sees the same rows.
    const scanned = await scanTable(table);
    expect(scanned.size).toBe(250);
    expect(scanned.get('row-0249')).toEqual({ 'd:n': '249', 'd:name': 'número 249 — ñ' });
  });

  it('overwrites instead of duplicating when the same row key is written twice', async () => {
    await hbase.putRows(table, [{ key: 'same', cells: { 'd:v': 'first' } }]);
    await hbase.putRows(table, [{ key: 'same', cells: { 'd:v': 'second' } }]);
    expect((await hbase.getRow(table, 'same'))?.cells).toEqual({ 'd:v': 'second' });
  });

  it('answers an empty map when no key exists (REST says 404 "No rows found")', async () => {
    expect((await hbase.multiGet(table, ['nope-1', 'nope-2'])).size).toBe(0);
  });

  it('reports an unreachable server as a retryable TORMENTA_HBASE_UNAVAILABLE error', async () => {
    const down = new HBaseRestClient({ url: 'http://127.0.0.1:1', timeoutMs: 2_000 });
    const failure = await down.multiGet(table, ['x']).catch((error: unknown) => error);
    expect(failure).toBeInstanceOf(HBaseError);
    expect((failure as HBaseError).code).toBe('TORMENTA_HBASE_UNAVAILABLE');
    expect((failure as HBaseError).retryable).toBe(true);
  });
});
