// Jest global setup for the `cluster` project: brings the test cluster up once per run, or reuses one already running
// (then global-teardown.ts leaves it running, as it found it, unless another jest run started it and has left).
import { up } from './control-plane.ts';
import { registerJestRun } from './jest-users.ts';

export default async function globalSetup(): Promise<void> {
  const result = await up((line) => process.stderr.write(`cluster: ${line}\n`));
  registerJestRun(!result.reused);
  const how = result.reused ? 'reusing running cluster' : `started in ${(result.elapsedMs / 1000).toFixed(1)}s`;
  process.stderr.write(`\ncluster: ${how} at ${result.info.server}\n`);
}
