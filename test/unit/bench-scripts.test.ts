// Every `npm run bench:<name>` goes through bench/run.ts, which brings the stack up first: a benchmark script started
// directly with the stack down ends in a Kafka client's stack trace instead of a sentence.
import { describe, expect, it } from '@jest/globals';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { BENCHMARKS, chooseBenchmarks } from '../../bench/benchmarks.ts';
import { REPO_ROOT } from '../../bench/report.ts';

const scripts = (JSON.parse(readFileSync(join(REPO_ROOT, 'package.json'), 'utf8')) as { scripts: Record<string, string> })
  .scripts;
const benchScripts = Object.entries(scripts).filter(([name]) => name.startsWith('bench:'));

describe('benchmark scripts', () => {
  it.each(benchScripts)('%s runs through bench/run.ts with a known name', (name, command) => {
    expect(command).toBe(`scripts/node24.sh scripts/installed.sh node bench/run.ts ${name.slice('bench:'.length)}`);
    expect(BENCHMARKS.map((benchmark) => benchmark.name)).toContain(name.slice('bench:'.length));
  });

  it('has a bench:<name> script for every benchmark, and npm run bench runs them all', () => {
    expect(benchScripts.map(([name]) => name).sort()).toEqual(BENCHMARKS.map((benchmark) => `bench:${benchmark.name}`).sort());
    expect(scripts.bench).toBe('scripts/node24.sh scripts/installed.sh node bench/run.ts');
  });

  it('chooses all with no name, the named ones otherwise, and names what it does not know', () => {
    expect(chooseBenchmarks([])).toEqual({ chosen: BENCHMARKS });
    expect(chooseBenchmarks(['e2e', 'producer'])).toEqual({
      chosen: BENCHMARKS.filter((benchmark) => benchmark.name === 'producer' || benchmark.name === 'e2e'),
    });
    expect(chooseBenchmarks(['producer', 'prodcuer'])).toEqual({ unknown: ['prodcuer'] });
  });

  it('starts the stack only for benchmarks that talk to it', () => {
    const needing = BENCHMARKS.filter((benchmark) => benchmark.needsStack).map((benchmark) => benchmark.name);
    expect(needing).toEqual(['producer', 'consumer', 'hbase-write', 'e2e']);
  });
});
