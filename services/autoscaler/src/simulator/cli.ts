// scripts/node24.sh node services/autoscaler/src/simulator/cli.ts --scenario day --out docs/benchmarks/autoscaler-day.svg
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import { parseArgs } from 'node:util';
import { AutoscalerError } from '../errors.ts';
import { renderSimulationSvg } from './plot.ts';
import { scenarioByName, SCENARIOS } from './scenarios.ts';
import { simulate } from './simulate.ts';
import { formatSummary } from './summary.ts';

function main(argv: readonly string[]): number {
  const { values } = parseArgs({
    args: [...argv],
    options: {
      scenario: { type: 'string', default: 'day' },
      out: { type: 'string' },
      json: { type: 'boolean', default: false },
      help: { type: 'boolean', default: false },
    },
    strict: true,
  });
  if (values.help) {
    process.stdout.write(`usage: cli.ts [--scenario ${Object.keys(SCENARIOS).join('|')}] [--out plot.svg] [--json]\n`);
    return 0;
  }
  const report = simulate(scenarioByName(values.scenario));
  if (values.out !== undefined) {
    mkdirSync(dirname(values.out), { recursive: true });
    writeFileSync(values.out, renderSimulationSvg(report));
  }
  if (values.json) {
    const { series: _series, replicasBySecond: _r, capacityBySecond: _c, offeredBySecond: _o, ...summary } = report;
    process.stdout.write(`${JSON.stringify(summary, null, 2)}\n`);
  } else {
    process.stdout.write(`${formatSummary(report)}\n${values.out === undefined ? '' : `  plot: ${values.out}\n`}`);
  }
  return report.capViolations === 0 ? 0 : 1;
}

try {
  process.exitCode = main(process.argv.slice(2));
} catch (error) {
  const code = error instanceof AutoscalerError ? error.code : 'ERROR';
  process.stderr.write(`${code}: ${error instanceof Error ? error.message : String(error)}\n`);
  process.exitCode = 2;
}
