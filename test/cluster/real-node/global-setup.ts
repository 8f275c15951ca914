// Jest global setup for the `real-node` project: the test cluster with a real node beside the KWOK nodes (started, or
// added to a running cluster, or reused), and the stack (started or reused), whose HBase REST and Prometheus the pods
// reach through the node's gateway. The cluster is stopped by test/cluster/global-teardown.ts under the same rules as
// the cluster project: only if a jest run started it and no other jest run still uses it; the stack by the run's owner
// (test/run.ts), as for the other projects.
import { stackUp } from '../../stack/stack.ts';
import { up } from '../control-plane.ts';
import { registerJestRun } from '../jest-users.ts';

export default async function globalSetup(): Promise<void> {
  const stack = await stackUp((line) => process.stderr.write(`\nstack: ${line}`));
  process.stderr.write(`\nstack: ready in ${stack.seconds.toFixed(1)}s\n`);
  const result = await up((line) => process.stderr.write(`cluster: ${line}\n`), { realNode: true });
  registerJestRun(!result.reused);
  const how = result.reused ? 'reusing running cluster and real node' : `ready in ${(result.elapsedMs / 1000).toFixed(1)}s`;
  process.stderr.write(`\ncluster: ${how}, real node ${result.realNode?.name} at ${result.realNode?.ip}\n`);
}
