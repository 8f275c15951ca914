// Jest global setup for the `cluster` project: brings the test cluster up once per run, or reuses one already running
// (then global-teardown.ts leaves it running, as it found it, unless another jest run started it and has left).
// The data stack comes up too: cluster tests of the autoscaler read real Prometheus.
import { stackUp } from '../stack/stack.ts';
import { up } from './control-plane.ts';
import { registerJestRun } from './jest-users.ts';

export default async function globalSetup(): Promise<void> {
  await stackUp((line) => process.stderr.write(`stack: ${line}\n`));
  const result = await up((line) => process.stderr.write(`cluster: ${line}\n`));
  registerJestRun(!result.reused);
  const how = result.reused ? 'reusing running cluster' : `started in ${(result.elapsedMs / 1000).toFixed(1)}s`;
  process.stderr.write(`\ncluster: ${how} at ${result.info.server}\n`);
}
