// npm run bench: every benchmark script in turn (each records its figures in docs/benchmarks/<area>.json), then
// docs/benchmarks.md regenerated from all of them; `npm run bench:<name>` (node bench/run.ts <name>) runs one. The stack
// (Kafka, HBase, Prometheus) is started first when a chosen benchmark needs it and left up for the next run; the
// Kubernetes test cluster is started by the benchmark that needs it. A script that does not exist yet is skipped with a
// note; a failing one is reported and the rest still run.
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { stackUp } from '../test/stack/stack.ts';
import { BENCHMARKS, chooseBenchmarks } from './benchmarks.ts';
import { REPO_ROOT, writeBenchmarksMarkdown } from './report.ts';

const choice = chooseBenchmarks(process.argv.slice(2));
if ('unknown' in choice) {
  console.error(`bench: no benchmark named ${choice.unknown.join(', ')}; one of ${BENCHMARKS.map((b) => b.name).join(', ')}`);
  process.exit(2);
}
const { chosen } = choice;

if (chosen.some((benchmark) => benchmark.needsStack && existsSync(join(REPO_ROOT, benchmark.script)))) {
  try {
    const report = await stackUp((line) => console.log(`stack: ${line}`));
    if (report.started.length > 0)
      console.log(`stack: up in ${report.seconds.toFixed(1)}s (stop it with: npm run stack -- down)`);
  } catch (error) {
    console.error(`bench: the stack did not come up: ${error instanceof Error ? error.message : String(error)}`);
    console.error('bench: see npm run stack -- status and npm run stack -- logs');
    process.exit(1);
  }
}

const outcomes: string[] = [];
for (const { script } of chosen) {
  const path = join(REPO_ROOT, script);
  if (!existsSync(path)) {
    outcomes.push(`skipped ${script}: not written yet`);
    continue;
  }
  console.log(`\n== ${script}`);
  const began = Date.now();
  const result = spawnSync(process.execPath, [path], { cwd: REPO_ROOT, stdio: 'inherit' });
  const seconds = ((Date.now() - began) / 1000).toFixed(0);
  outcomes.push(
    result.status === 0
      ? `ran ${script} (${seconds}s)`
      : `FAILED ${script} (exit ${result.status ?? result.signal}, ${seconds}s)`,
  );
}
console.log(`\n${outcomes.join('\n')}\nwritten ${writeBenchmarksMarkdown()}`);
process.exit(outcomes.some((line) => line.startsWith('FAILED')) ? 1 : 0);
