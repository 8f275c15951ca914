// Jest global teardown for the `cluster` project: stops the cluster only if a jest run started it and no other jest run
// still uses it.
import { down } from './control-plane.ts';
import { leaveJestRun } from './jest-users.ts';

export default async function globalTeardown(): Promise<void> {
  if (leaveJestRun()) await down();
}
