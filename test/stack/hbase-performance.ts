// HBase's own write benchmark, org.apache.hadoop.hbase.PerformanceEvaluation, run in-process (--nomapred) against the
// stack's HBase with the stack's jars, its conf dir and the Java 17 flags: the native Java client's write rate (a
// BufferedMutator with autoFlush off), the ceiling any REST-based writer is judged against.
import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { componentDir } from './layout.ts';
import { HBASE, java17Flags } from './hbase.ts';
import { classpath, requireJava17, resolveJars } from './prerequisites.ts';

export interface PerformanceRun {
  test: 'sequentialWrite' | 'randomWrite';
  table: string;
  rows: number;
  /** Bytes of each cell's value. */
  valueSize: number;
  /** Cells per row (PerformanceEvaluation's --columns), all in family `info0`, qualifiers 0…columns-1. */
  columns: number;
}

export interface PerformanceResult {
  rows: number;
  /** Writes, flushes and the mutator's close, as PerformanceEvaluation times them. */
  elapsedMs: number;
  rowsPerSecond: number;
}

/** PerformanceEvaluation's row keys: the row number as 26 zero-padded digits. */
export const performanceRowKey = (row: number): string => String(row).padStart(26, '0');
export const PERFORMANCE_FAMILY = 'info0';

export function performanceEvaluationArgs(run: PerformanceRun): string[] {
  return [
    '--nomapred',
    `--table=${run.table}`,
    `--rows=${run.rows}`,
    `--valueSize=${run.valueSize}`,
    `--columns=${run.columns}`,
    '--autoFlush=false',
    run.test,
    '1',
  ];
}

/** The one timing line of a single-client run: `[SequentialWriteTest] Summary of timings (ms): [5722]`. */
export function parseElapsedMs(log: string): number {
  const match = /Summary of timings \(ms\): \[(\d+)\]/.exec(log);
  if (!match) throw new Error('PerformanceEvaluation printed no "Summary of timings" line');
  return Number(match[1]);
}

export async function runPerformanceEvaluation(run: PerformanceRun): Promise<PerformanceResult> {
  const java = requireJava17();
  const cp = `${join(componentDir(HBASE), 'conf')}:${classpath(resolveJars('hbase'), resolveJars('hbase-bench'))}`;
  const args = ['-Xmx1g', '-XX:+UseG1GC', ...java17Flags, '-cp', cp, 'org.apache.hadoop.hbase.PerformanceEvaluation'];
  const child = spawn(java, [...args, ...performanceEvaluationArgs(run)], { stdio: ['ignore', 'pipe', 'pipe'] });
  let log = '';
  child.stdout.on('data', (chunk: Buffer) => (log += chunk.toString()));
  child.stderr.on('data', (chunk: Buffer) => (log += chunk.toString()));
  const code = await new Promise<number | null>((resolve, reject) => {
    child.on('error', reject);
    child.on('close', resolve);
  });
  if (code !== 0) throw new Error(`PerformanceEvaluation ${run.test} exited ${code}:\n${log.slice(-3000)}`);
  const elapsedMs = parseElapsedMs(log);
  return { rows: run.rows, elapsedMs, rowsPerSecond: run.rows / (elapsedMs / 1000) };
}
