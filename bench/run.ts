// npm run bench: every benchmark script in turn (each records its figures in docs/benchmarks/<area>.json), then
// docs/benchmarks.md regenerated from all of them. A script that does not exist yet is skipped with a note; a failing one
// is reported and the rest still run. Needs the stack for all but the autoscaler's (npm run stack -- up).
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { REPO_ROOT, writeBenchmarksMarkdown } from './report.ts';

const SCRIPTS = [
  'services/producer/bench/producer.bench.ts',
  'services/consumer/bench/consumer.bench.ts',
  'services/autoscaler/bench/policy.bench.ts',
  'services/autoscaler/bench/reaction.bench.ts',
  'bench/e2e-latency.bench.ts',
];

const outcomes: string[] = [];
for (const script of SCRIPTS) {
  const path = join(REPO_ROOT, script);
  if (!existsSync(path)) {
    outcomes.push(`skipped ${script}: not written yet`);
    continue;
  }
  console.log(`\n== ${script}`);
  const began = Date.now();
  const result = spawnSync(process.execPath, [path], { cwd: REPO_ROOT, stdio: 'inherit' });
  const seconds = ((Date.now() - began) / 1000).toFixed(0);
  outcomes.push(result.status === 0 ? `ran ${script} (${seconds}s)` : `FAILED ${script} (exit ${result.status ?? result.signal}, ${seconds}s)`);
}
console.log(`\n${outcomes.join('\n')}\nwritten ${writeBenchmarksMarkdown()}`);
process.exit(outcomes.some((line) => line.startsWith('FAILED')) ? 1 : 0);
