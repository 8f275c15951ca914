// scripts/node24.sh node services/autoscaler/src/explain/cli.ts --rate 500000 --current 4 --target-per-replica 50000 --cost 10 --budget 200
import { AutoscalerError } from '../errors.ts';
import { EXPLAIN_USAGE, explain, inputsFromCommandLine } from './explain.ts';

function main(argv: readonly string[]): number {
  if (argv.includes('--help') || argv.length === 0) {
    process.stdout.write(`${EXPLAIN_USAGE}\n`);
    return argv.length === 0 ? 2 : 0;
  }
  const { inputs, json } = inputsFromCommandLine(argv);
  const { result, text } = explain(inputs);
  process.stdout.write(json ? `${JSON.stringify({ inputs, decision: result.decisions[0] }, null, 2)}\n` : `${text}\n`);
  return 0;
}

try {
  process.exitCode = main(process.argv.slice(2));
} catch (error) {
  const code = error instanceof AutoscalerError ? error.code : 'ERROR';
  process.stderr.write(`${code}: ${error instanceof Error ? error.message : String(error)}\n`);
  process.exitCode = 2;
}
