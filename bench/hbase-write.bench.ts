// npm run bench:hbase-write — how close HBase REST writes come to HBase's own Java client, on the stack's HBase, in one run:
// the raw REST anchor of the consumer benchmark (a bare multi-row PUT of a JSON CellSet, 1 000 rows per request, one
// request at a time) next to HBase's PerformanceEvaluation (--nomapred, BufferedMutator, autoFlush off) writing the very
// same rows: same keys, family, qualifiers and value sizes. Shapes: 1 KB rows, today's ~200 B rows as one cell, and
// ~200 B split over 6 cells like an enriched transaction. Records to docs/benchmarks/hbase.json. Needs the stack.
import { randomInt } from 'node:crypto';
import { endpoints } from '../test/stack/layout.ts';
import { testHBase, uniqueName } from '../test/stack/fixtures.ts';
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
}

const SHAPES: Shape[] = [
  { name: 'hbase.rest_put_1kb', label: '1 KB rows (1 cell × 1000 B)', valueSize: 1000, columns: 1, test: 'sequentialWrite' },
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
function rowsOf(shape: Shape): { key: string; cells: Record<string, string> }[] {
  return Array.from({ length: ROWS }, (_, i) => ({
    key: performanceRowKey(shape.test === 'randomWrite' ? randomInt(ROWS) : i),
    cells: Object.fromEntries(
      Array.from({ length: shape.columns }, (_, column) => [`${PERFORMANCE_FAMILY}:${column}`, letters(shape.valueSize)]),
    ),
  }));
}

/** The consumer benchmark's anchor: a bare multi-row PUT of a CellSet per chunk, sequential, as HBase REST documents it. */
async function rawPut(table: string, rows: { key: string; cells: Record<string, string> }[]): Promise<void> {
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

async function restRate(shape: Shape): Promise<number> {
  const table = uniqueName('BENCH_REST');
  const rows = rowsOf(shape);
  await testHBase().ensureTable(table, [PERFORMANCE_FAMILY]);
  try {
    const began = performance.now();
    await rawPut(table, rows);
    return rows.length / ((performance.now() - began) / 1000);
  } finally {
    await testHBase().dropTable(table);
  }
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
for (const shape of SHAPES) {
  const rests: number[] = [];
  const natives: number[] = [];
  for (let repeat = 0; repeat < REPEATS; repeat += 1) {
    rests.push(await restRate(shape));
    natives.push(await nativeRate(shape));
  }
  const rest = median(rests);
  const native = median(natives);
  const ratio = rest / native;
  const entry: BenchEntry = {
    name: shape.name,
    value: round(rest),
    unit: 'rows/s',
    anchor: `HBase PerformanceEvaluation ${shape.test} (hbase-mapreduce 2.6.1 tests jar, --nomapred, Java client BufferedMutator, autoFlush off) of the same rows: ${shape.label}`,
    anchorValue: round(native),
    ratio: round(ratio, 2),
    goal: 'informational: raw REST multi-row PUT (1 000 rows per request, one in flight) against the native Java client',
    met: true,
    machine: machine(),
    date,
    command: `npm run bench:hbase-write  # ${ROWS} rows per measurement, median of ${REPEATS}; REST ${rests.map((v) => round(v)).join('/')}, native ${natives.map((v) => round(v)).join('/')} rows/s`,
  };
  console.log(describeEntry(entry));
  entries.push(entry);
}
console.log(`recorded ${recordEntries('hbase', entries)}`);
if (process.argv.includes('--markdown')) console.log(`written ${writeBenchmarksMarkdown()}`);
process.exit(0);
