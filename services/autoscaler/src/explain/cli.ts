// scripts/node24.sh node services/autoscaler/src/explain/cli.ts --rate 500000 --current 4 --target-per-replica 50000 --cost 10 --budget 200
// scripts/node24.sh node services/autoscaler/src/explain/cli.ts --live http://127.0.0.1:9102 [--target tormenta-producer-push]
import { AutoscalerError } from '../errors.ts';
import { EXPLAIN_USAGE, explain, inputsFromCommandLine } from './explain.ts';
import { explainLive } from './live.ts';

async function main(argv: readonly string[]): Promise<number> {
  const live = argv.indexOf('--live');
  if (live !== -1) {
    const targetIndex = argv.indexOf('--target');
    process.stdout.write(`${await explainLive(argv[live + 1] ?? '', targetIndex === -1 ? undefined : argv[targetIndex + 1])}\n`);
    return 0;
  }
  if (argv.includes('--help') || argv.length === 0) {
    process.stdout.write(`${EXPLAIN_USAGE}\n`);
    return argv.length === 0 ? 2 : 0;
  }
  const { inputs, json } = inputsFromCommandLine(argv);
  const { result, text } = explain(inputs);
  process.stdout.write(json ? `${JSON.stringify({ inputs, decision: result.decisions[0] }, null, 2)}\n` : `${text}\n`);
  return 0;
}

main(process.argv.slice(2)).then(
  (code) => (process.exitCode = code),
  (error: unknown) => {
    const code = error instanceof AutoscalerError ? error.code : 'ERROR';
    process.stderr.write(`${code}: ${error instanceof Error ? error.message : String(error)}\n`);
    process.exitCode = 2;
  },
);
