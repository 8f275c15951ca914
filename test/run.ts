// npm test: every jest project (unit, integration, cluster, e2e) in one run, on the real stack. A stack or cluster this
// run had to start is stopped at the end; one that was already running is left running. Ends with one line
// "N passed, N failed" for CI. Extra arguments go to jest (e.g. `npm test -- --selectProjects unit`).
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { down as clusterDown, runningCluster } from './cluster/control-plane.ts';
import { repoRoot, stateDir } from './stack/layout.ts';
import { stackDown, stackRunning } from './stack/stack.ts';

interface JestSummary {
  numPassedTests: number;
  numFailedTests: number;
  numPendingTests: number;
  numTotalTests: number;
  numRuntimeErrorTestSuites: number;
  success: boolean;
}

const stackWasRunning = stackRunning();
const clusterWasRunning = (await runningCluster()) !== undefined;

mkdirSync(stateDir, { recursive: true });
const resultsFile = join(stateDir, 'jest-results.json');
// A previous run's results must never stand in for this one's (a failing globalSetup writes none).
rmSync(resultsFile, { force: true });
const jest = spawnSync(
  process.execPath,
  [
    join(repoRoot, 'node_modules', 'jest', 'bin', 'jest.js'),
    '--json',
    `--outputFile=${resultsFile}`,
    // A client library's lingering socket must not hold CI until its time limit; jest still reports open handles.
    '--forceExit',
    ...process.argv.slice(2),
  ],
  {
    cwd: repoRoot,
    stdio: 'inherit',
    env: { ...process.env, NODE_OPTIONS: [process.env.NODE_OPTIONS, '--experimental-vm-modules'].filter(Boolean).join(' ') },
  },
);

if (!stackWasRunning && process.env.TORMENTA_KEEP_STACK !== '1') await stackDown();
if (!clusterWasRunning && process.env.TORMENTA_KEEP_STACK !== '1') await clusterDown();

if (!existsSync(resultsFile)) {
  console.log('0 passed, 1 failed');
  console.error('test: jest wrote no results (see its output above)');
  process.exit(1);
}
const summary = JSON.parse(readFileSync(resultsFile, 'utf8')) as JestSummary;
const failed = summary.numFailedTests + summary.numRuntimeErrorTestSuites;
console.log(`\n${summary.numPassedTests} passed, ${failed} failed`);
process.exit(jest.status === 0 && summary.success && failed === 0 ? 0 : 1);
