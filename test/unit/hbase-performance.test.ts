// Reading HBase's PerformanceEvaluation: the arguments it is run with and the one timing the write benchmark uses.
import { describe, expect, it } from '@jest/globals';
import { parseElapsedMs, performanceEvaluationArgs, performanceRowKey } from '../stack/hbase-performance.ts';

describe('PerformanceEvaluation', () => {
  it('takes the single client elapsed time from the summary line', () => {
    const log = '... INFO [main] hbase.PerformanceEvaluation: [SequentialWriteTest] Summary of timings (ms): [5722]\n';
    expect(parseElapsedMs(log)).toBe(5722);
    expect(() => parseElapsedMs('Exception in thread "main"')).toThrow(/no "Summary of timings"/);
  });

  it('runs in-process with the value size and cells per row of the shape, buffered', () => {
    expect(performanceEvaluationArgs({ test: 'randomWrite', table: 'T', rows: 10, valueSize: 33, columns: 6 })).toEqual([
      '--nomapred',
      '--table=T',
      '--rows=10',
      '--valueSize=33',
      '--columns=6',
      '--autoFlush=false',
      'randomWrite',
      '1',
    ]);
  });

  it('writes the row keys PerformanceEvaluation writes: 26 zero-padded digits', () => {
    expect(performanceRowKey(42)).toBe('00000000000000000000000042');
  });
});
