// Jest global setup for the `real-node` project: the test cluster with a real node beside the KWOK nodes (started, or
// added to a running cluster, or reused). Stopped by test/cluster/global-teardown.ts under the same rules as the cluster
// project: only if a jest run started the cluster and no other jest run still uses it.
import { up } from '../control-plane.ts';
import { registerJestRun } from '../jest-users.ts';

export default async function globalSetup(): Promise<void> {
  const result = await up((line) => process.stderr.write(`cluster: ${line}\n`), { realNode: true });
  registerJestRun(!result.reused);
  const how = result.reused ? 'reusing running cluster and real node' : `ready in ${(result.elapsedMs / 1000).toFixed(1)}s`;
  process.stderr.write(`\ncluster: ${how}, real node ${result.realNode?.name} at ${result.realNode?.ip}\n`);
}
