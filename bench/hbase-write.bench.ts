// npm run bench:hbase-write — how close HBase REST writes come to HBase's own Java client, on the stack's HBase, in one run:
// the raw REST anchor of the consumer benchmark (a bare multi-row PUT of a JSON CellSet, 1 000 rows per request, one
// request at a time) next to HBase's PerformanceEvaluation (--nomapred, BufferedMutator, autoFlush off) writing the very
// same rows: same keys, family, qualifiers and value sizes. Shapes: 1 KB rows, today's ~200 B rows as one cell, and
// ~200 B split over 6 cells like an enriched transaction. For 1 KB rows the consumer's own writer (HBaseRestClient) is
// measured too, as protobuf and as JSON CellSets, one request in flight and several, so protobuf vs JSON is a ratio
// taken in the same run. Records to docs/benchmarks/hbase.json. Needs the stack. BENCH_HBASE_SHAPES=hbase.rest_put_1kb
// runs only the shapes named.
import { randomInt } from 'node:crypto';
import { endpoints } from '../test/stack/layout.ts';
import { testHBase, uniqueName } from '../test/stack/fixtures.ts';
import { HBaseRestClient } from '@tormenta/hbase';
import type { CellSetEncoding } from '@tormenta/hbase';
import { PERFORMANCE_FAMILY, performanceRowKey, runPerformanceEvaluation } from '../test/stack/hbase-performance.ts';
import type { PerformanceRun } from '../test/stack/hbase-performance.ts';
import { describeEntry, machine, recordEntries, writeBenchmarksMarkdown } from './report.ts';
import type { BenchEntry } from './report.ts';

const ROWS = Number(process.env.BENCH_HBASE_ROWS ?? 50_000);
/** REST and native alternate within each repeat, so a noisy neighbour hurts both sides alike; the median counts. */
const REPEATS = Number(process.env.BENCH_HBASE_REPEATS ?? 5);
const PUT_CHUNK = 1_000;

interface Shape {
  name: string;
  label: string;
  valueSize: number;
  columns: number;
  test: PerformanceRun['test'];
  /** Also measure HBaseRestClient (protobuf and JSON) on this shape. */
  client?: boolean;
}

/** The consumer's writer as the consumer runs it, chunks of PUT_CHUNK rows, `concurrency` requests in flight. */
interface ClientWriter {
  suffix: string;
  encoding: CellSetEncoding;
  concurrency: number;
}

const CLIENT_WRITERS: ClientWriter[] = [
  { suffix: 'json', encoding: 'json', concurrency: 1 },
  { suffix: 'protobuf', encoding: 'protobuf', concurrency: 1 },
  { suffix: 'protobuf_4_in_flight', encoding: 'protobuf', concurrency: 4 },
];

const SHAPES: Shape[] = [
  {
    name: 'hbase.rest_put_1kb',
    label: '1 KB rows (1 cell × 1000 B)',
    valueSize: 1000,
    columns: 1,
    test: 'sequentialWrite',
    client: true,
  },
  { name: 'hbase.rest_put_200b', label: '200 B rows (1 cell × 200 B)', valueSize: 200, columns: 1, test: 'sequentialWrite' },
  {
    name: 'hbase.rest_put_200b_6_cells',
    label: '~200 B rows as 6 cells × 33 B, the enriched row shape',
    valueSize: 33,
    columns: 6,
    test: 'sequentialWrite',
  },
  {
    name: 'hbase.rest_put_200b_6_cells_random',
    label: '~200 B rows as 6 cells × 33 B, keys in random order (salted keys)',
    valueSize: 33,
    columns: 6,
    test: 'randomWrite',
  },
];

const b64 = (text: string): string => Buffer.from(text, 'utf8').toString('base64');
const letters = (length: number): string => Array.from({ length }, () => String.fromCharCode(97 + randomInt(26))).join('');

/** The rows PerformanceEvaluation writes for this shape; randomWrite draws keys in [0, rows) as it does. */
type Row = { key: string; cells: Record<string, string> };

function rowsOf(shape: Shape): Row[] {
  return Array.from({ length: ROWS }, (_, i) => ({
    key: performanceRowKey(shape.test === 'randomWrite' ? randomInt(ROWS) : i),
    cells: Object.fromEntries(
      Array.from({ length: shape.columns }, (_, column) => [`${PERFORMANCE_FAMILY}:${column}`, letters(shape.valueSize)]),
    ),
  }));
}

/** The consumer benchmark's anchor: a bare multi-row PUT of a CellSet per chunk, sequential, as HBase REST documents it. */
async function rawPut(table: string, rows: Row[]): Promise<void> {
  for (let start = 0; start < rows.length; start += PUT_CHUNK) {
    const body = {
      Row: rows.slice(start, start + PUT_CHUNK).map((row) => ({
        key: b64(row.key),
        Cell: Object.entries(row.cells).map(([column, value]) => ({ column: b64(column), $: b64(value) })),
      })),
    };
    const response = await fetch(`${endpoints.hbaseRest}/${table}/fakerow`, {
      method: 'PUT',
      headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify(body),
    });
    if (!response.ok) throw new Error(`raw PUT: ${response.status} ${await response.text()}`);
  }
}

async function restRate(shape: Shape, put: (table: string, rows: Row[]) => Promise<void> = rawPut): Promise<number> {
  const table = uniqueName('BENCH_REST');
  const rows = rowsOf(shape);
  await testHBase().ensureTable(table, [PERFORMANCE_FAMILY]);
  try {
    const began = performance.now();
    await put(table, rows);
    return rows.length / ((performance.now() - began) / 1000);
  } finally {
    await testHBase().dropTable(table);
  }
}

function clientPut(writer: ClientWriter): (table: string, rows: Row[]) => Promise<void> {
  const client = new HBaseRestClient({
    url: endpoints.hbaseRest,
    encoding: writer.encoding,
    putChunk: PUT_CHUNK,
    concurrency: writer.concurrency,
  });
  return (table, rows) => client.putRows(table, rows);
}

async function nativeRate(shape: Shape): Promise<number> {
  const table = uniqueName('BENCH_NATIVE');
  try {
    const result = await runPerformanceEvaluation({ ...shape, table, rows: ROWS });
    return result.rowsPerSecond;
  } finally {
    await testHBase().dropTable(table);
  }
}

const date = new Date().toISOString();
const round = (value: number, digits = 0): number => Number(value.toFixed(digits));
const entries: BenchEntry[] = [];
const median = (values: number[]): number => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)] ?? NaN;
const chosenShapes = process.env.BENCH_HBASE_SHAPES?.split(',').map((name) => name.trim());
const nativeAnchor = (shape: Shape): string =>
  `HBase PerformanceEvaluation ${shape.test} (hbase-mapreduce 2.6.1 tests jar, --nomapred, Java client BufferedMutator, autoFlush off) of the same rows: ${shape.label}`;
const figures = (values: number[]): string => values.map((v) => round(v)).join('/');

for (const shape of SHAPES.filter(({ name }) => chosenShapes === undefined || chosenShapes.includes(name))) {
  const writers = shape.client ? CLIENT_WRITERS : [];
  const rests: number[] = [];
  const natives: number[] = [];
  const clients = writers.map(() => [] as number[]);
  for (let repeat = 0; repeat < REPEATS; repeat += 1) {
    rests.push(await restRate(shape));
    for (const [index, writer] of writers.entries()) clients[index]!.push(await restRate(shape, clientPut(writer)));
    natives.push(await nativeRate(shape));
  }
  const native = median(natives);
  const command = `npm run bench:hbase-write  # ${ROWS} rows per measurement, median of ${REPEATS}`;
  const rest = median(rests);
  entries.push({
    name: shape.name,
    value: round(rest),
    unit: 'rows/s',
    anchor: nativeAnchor(shape),
    anchorValue: round(native),
    ratio: round(rest / native, 2),
    goal: 'informational: raw REST multi-row PUT (1 000 rows per request, one in flight) against the native Java client',
    met: true,
    machine: machine(),
    date,
    command: `${command}; REST ${figures(rests)}, native ${figures(natives)} rows/s`,
  });
  const medians = new Map(writers.map((writer, index) => [writer.suffix, median(clients[index]!)]));
  for (const [index, writer] of writers.entries()) {
    const rate = medians.get(writer.suffix)!;
    entries.push({
      name: `${shape.name.replace('rest_put', 'client_put')}_${writer.suffix}`,
      value: round(rate),
      unit: 'rows/s',
      anchor: nativeAnchor(shape),
      anchorValue: round(native),
      ratio: round(rate / native, 2),
      goal: `informational: the consumer's HBaseRestClient, ${writer.encoding} CellSets, ${PUT_CHUNK} rows per PUT, ${writer.concurrency} in flight, against the native Java client`,
      met: true,
      machine: machine(),
      date,
      command: `${command}; client ${figures(clients[index]!)}, native ${figures(natives)} rows/s`,
    });
  }
  const [json, protobuf] = [medians.get('json'), medians.get('protobuf')];
  if (json !== undefined && protobuf !== undefined) {
    entries.push({
      name: `${shape.name.replace('rest_put', 'client_put')}_protobuf_vs_json`,
      value: round(protobuf),
      unit: 'rows/s',
      anchor: `the same client with JSON CellSets (base64), one PUT in flight, same run: ${shape.label}`,
      anchorValue: round(json),
      ratio: round(protobuf / json, 2),
      goal: 'informational: protobuf against JSON CellSets, the same client, one PUT in flight, alternating in the same run',
      met: true,
      machine: machine(),
      date,
      command: `${command}; protobuf ${figures(clients[1]!)}, JSON ${figures(clients[0]!)} rows/s`,
    });
  }
}
for (const entry of entries) console.log(describeEntry(entry));
console.log(`recorded ${recordEntries('hbase', entries)}`);
if (process.argv.includes('--markdown')) console.log(`written ${writeBenchmarksMarkdown()}`);
process.exit(0);
