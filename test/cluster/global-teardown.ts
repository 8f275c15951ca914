// Jest global teardown for the `cluster` project: stops the cluster only if this run's global setup started it.
import { down } from './control-plane.ts';

export default async function globalTeardown(): Promise<void> {
  if (globalThis.__tormentaClusterStartedByJest) await down();
}
